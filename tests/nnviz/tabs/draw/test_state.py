"""The Draw tab's state without Qt: preprocessing (strokes to scale, pictures), the
prediction and why, personal digits."""

from __future__ import annotations

import numpy as np
import pytest

from core.functional import softmax
from core.models import tutorial_cnn
from core.personal import PersonalDigits
from core.picture import PictureInk
from core.preprocess import center_of_mass, stages
from core.strokes import Stroke, drawing_image, normalised_width, render
from nnviz.tabs.draw.state import (
    DrawState,
    Switches,
    forward,
    frame_rect,
    home_relative,
    min_extent,
)
from tests.nnviz.tabs.draw.fakes import BrokenModel, LinearModel, SoftmaxOnly


@pytest.fixture
def drawing() -> np.ndarray:
    image = np.zeros((280, 280), np.float32)
    image[40:240, 120:150] = 1.0           # a 1 with a flag
    image[40:70, 90:150] = 1.0
    return image


def test_forward_gives_the_logits_or_log_probabilities():
    model = LinearModel()
    x = np.random.default_rng(1).random((28, 28)).astype(np.float32)
    p, logits = forward(model, x)
    expected = (x.reshape(1, -1) @ model.W)[0]
    np.testing.assert_allclose(logits, expected, rtol=1e-6)
    np.testing.assert_allclose(p, softmax(expected), rtol=1e-6)
    p2, logits2 = forward(SoftmaxOnly(), x)                 # no logits layer to read
    np.testing.assert_allclose(logits2, np.log(p2))
    np.testing.assert_allclose(softmax(logits2), p2, rtol=1e-6)


def test_drawing_is_preprocessed_with_the_switches(user_dir, drawing):
    state = DrawState()
    result = state.set_drawing(drawing, brush_width=0.09, strokes=2)
    expected = stages(drawing, min_extent=min_extent(0.09))
    np.testing.assert_array_equal(state.input, expected["input"])
    assert result["bbox"] == expected["bbox"]
    state.set_drawing(drawing, 0.09, 2, Switches(crop=True, scale=True, center=False))
    assert state.switches.center is False
    np.testing.assert_array_equal(
        state.input, stages(drawing, center=False, min_extent=min_extent(0.09))["input"])
    dot = np.zeros((280, 280), np.float32)
    dot[100:110, 100:110] = 1.0
    assert state.set_drawing(dot, 0.09, 1)["empty"] and state.input is None
    assert min_extent(0.01) == 0.08 and min_extent(0.2) == pytest.approx(0.26)


def test_classify_reports_changes_and_failures(user_dir, drawing):
    state = DrawState()
    state.set_drawing(drawing, 0.09, 2)
    assert not state.classify()                            # no model: still nothing
    assert state.message.startswith("No model loaded")
    state.model = LinearModel()
    assert state.classify() and state.digit == int(np.argmax(state.probabilities))
    assert not state.classify()                            # the same answer again
    order = np.argsort(-state.probabilities)
    assert state.runner_up() == order[1]
    state.model = LinearModel(seed=1)
    assert state.classify()
    state.set_drawing(np.zeros((280, 280), np.float32), 0.09, 0)
    assert state.classify() and state.digit is None and state.message == "draw a digit"
    assert state.runner_up() is None

    state.set_drawing(drawing, 0.09, 2)
    state.model = BrokenModel()
    state.classify()
    assert state.digit is None and "could not classify" in state.message
    assert "wrong shape" in state.message


def test_a_fresh_canvas_lets_the_label_follow_again(user_dir, drawing):
    state = DrawState()
    state.label_follows_prediction = False                 # the user chose a label
    state.set_drawing(drawing, 0.09, 3)
    assert not state.label_follows_prediction
    state.set_drawing(np.zeros_like(drawing), 0.09, 0)
    assert state.label_follows_prediction


def test_personal_digits_are_added_saved_and_removed(user_dir, drawing):
    state = DrawState()
    assert state.personal_summary() == f"0 personal digits (saved in {user_dir})"
    assert state.add_personal(3) == (False, "")            # nothing drawn yet
    state.set_drawing(drawing, 0.09, 2)
    assert state.add_personal(1) == (True, "Added as a 1. Draw the next one.")
    assert PersonalDigits(user_dir).labels.tolist() == [1]
    assert state.add_personal(12)[1].startswith("Not added: label must be a digit")
    assert state.personal_summary().startswith("1 personal digit (")
    [(index, image, label)] = state.recent_personal()
    assert (index, label) == (0, 1) and image.dtype == np.float32 and image.max() == 1.0
    assert state.remove_last_personal() == (True, "Removed the last drawing (a 1).")
    assert len(PersonalDigits(user_dir)) == 0
    assert state.remove_last_personal() == (False, "")


def test_a_failed_save_changes_nothing(user_dir, drawing, monkeypatch):
    state = DrawState()
    state.set_drawing(drawing, 0.09, 2)
    state.add_personal(7)

    def refuse():
        raise OSError("disk full")

    monkeypatch.setattr(state.personal, "save", refuse)
    done, message = state.add_personal(4)
    assert not done and "could not save" in message and "disk full" in message
    assert state.personal.labels.tolist() == [7]
    done, message = state.remove_last_personal()
    assert not done and message.startswith("Not removed")
    assert state.personal.labels.tolist() == [7]


def test_a_corrupt_personal_file_is_reported_and_left_alone(user_dir, drawing):
    user_dir.mkdir(parents=True)
    path = user_dir / "personal_digits.npz"
    path.write_bytes(b"garbage")
    state = DrawState()
    assert state.personal_error is not None and "corrupt" in state.personal_error
    assert state.personal_summary() == "Your saved digits could not be read."
    state.set_drawing(drawing, 0.09, 2)
    assert not state.can_add() and state.add_personal(1) == (False, "")
    assert path.read_bytes() == b"garbage"


def test_home_relative(tmp_path):
    from pathlib import Path

    assert home_relative(Path.home() / "x" / "y") == "~/x/y"
    assert home_relative(Path("/elsewhere/z")) == "/elsewhere/z"


# ------------------------------------------------ strokes to scale, pictures, "why?"
def small_and_large_one():
    """The same flagged 1 as strokes, small (0.15 of the canvas) and large (0.7)."""
    shape = np.array([[0.3, 0.25], [0.55, 0.0], [0.55, 1.0]])
    return [[Stroke(0.2 + size * shape, 0.09)] for size in (0.15, 0.7)]


def test_strokes_are_redrawn_in_proportion_to_the_digit(user_dir):
    state = DrawState()
    inputs = []
    for strokes in small_and_large_one():
        canvas = render(strokes, 280)
        state.set_drawing(canvas, 0.09, 1, Switches(), polylines=strokes)
        np.testing.assert_array_equal(state.input, stages(drawing_image(strokes))["input"])
        assert state.source.redrawn == pytest.approx(normalised_width(strokes))
        inputs.append(state.input)
    # as MNIST: the same digit small or large gives nearly the same input
    assert np.abs(inputs[0] - inputs[1]).mean() < 0.03
    state.set_drawing(render(small_and_large_one()[0], 280), 0.09, 1,
                      Switches(strokes=False), polylines=small_and_large_one()[0])
    assert state.source.redrawn is None
    assert state.input.sum() > 1.5 * inputs[0].sum()  # the 9 % brush on a small digit: a blob


def test_a_picture_goes_through_the_same_steps(user_dir):
    state = DrawState()
    ink = np.zeros((60, 90), np.float32)
    ink[10:50, 40:48] = 1.0
    result = state.set_picture(PictureInk(ink, True, (900, 600)), Switches())
    np.testing.assert_array_equal(state.input, stages(ink, min_extent=0.03)["input"])
    assert state.picture is not None and "inverted" in state.captions().raw
    state.set_drawing(np.zeros((280, 280), np.float32), 0.09, 0)
    assert state.picture is None and result["input"] is not None


def test_frame_rect_maps_input_pixels_back_to_the_drawing(drawing):
    result = stages(drawing)
    left, top, side = frame_rect(result)
    factor = result["scale"]
    assert side == pytest.approx(28 / factor)
    # the centre of mass of the input, mapped back, is the drawing's own
    row, col = result["com"]
    raw_row, raw_col = center_of_mass(drawing)
    assert top + (row + 0.5) * side / 28 == pytest.approx(raw_row + 0.5, abs=0.7 / factor)
    assert left + (col + 0.5) * side / 28 == pytest.approx(raw_col + 0.5, abs=0.7 / factor)
    assert frame_rect(stages(np.zeros((280, 280), np.float32))) is None


def test_explain_needs_a_prediction_and_a_plain_model(user_dir, drawing):
    state = DrawState()
    state.set_drawing(drawing, 0.09, 2)
    assert state.explain() is None                          # no model
    state.model = LinearModel()
    state.classify()
    assert state.explain() is None                          # not a Sequential
    state.model = tutorial_cnn(seed=0)
    state.classify()
    explanation = state.explain()
    assert explanation is state.explanation and explanation.top == state.digit
    assert explanation.second == state.runner_up()
    state.set_drawing(drawing, 0.09, 2)
    assert state.explanation is None                        # a new input, a new question
