"""The Inside tab's state without Qt: the model as given, the chosen input, its stage
outputs, hover and pin, the strip's guesses, the norm history, the hidden-tab mark and
the "Why?" maps."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import as_network_input, load_sample
from core.diagnostics import take_snapshot
from core.layers import Dense, Flatten
from core.model import Sequential
from core.models import tutorial_cnn
from core.saliency import explain
from nnviz.tabs.inside import state as state_module
from nnviz.tabs.inside.state import (
    DRAWN,
    PREDICT_EVERY,
    InsideState,
    NormHistory,
    page_indices,
)

LAYERS = ["conv2d_1", "conv2d_2", "conv2d_3", "dense_1", "dense_2"]


@pytest.fixture(scope="module")
def data():
    return load_sample()


@pytest.fixture
def state(data):
    s = InsideState()
    s.set_model(tutorial_cnn(seed=0))
    s.set_samples(data.x_test[:300], data.y_test[:300])
    return s


def _labels(n: int = 200, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 10, n)


def _snapshot(model, step):
    model.optimizer.iterations = step
    return take_snapshot(model, 0)


# -- pages of the strip --------------------------------------------------------------------
def test_pages_hold_two_of_each_class_in_order():
    labels = _labels()
    first, second = page_indices(labels, 0), page_indices(labels, 1)
    assert list(labels[first]) == list(range(10)) * 2
    assert list(labels[second]) == list(range(10)) * 2
    assert not set(first) & set(second)
    for digit in range(10):
        occurrences = np.flatnonzero(labels == digit)
        assert first[digit] == occurrences[0] and first[10 + digit] == occurrences[1]


def test_pages_wrap_and_fall_back_to_slices():
    labels = _labels(60)
    pages = min(np.bincount(labels)) // 2
    np.testing.assert_array_equal(page_indices(labels, pages), page_indices(labels, 0))
    few = np.array([3, 3, 3, 5, 5])                          # not ten classes
    np.testing.assert_array_equal(page_indices(few, 0), np.arange(5))
    assert len(page_indices(np.zeros(0), 0)) == 0


# -- the model -------------------------------------------------------------------------------
def test_the_model_is_used_as_given_never_copied(state):
    model = tutorial_cnn(seed=1)
    state.set_model(model)
    assert state.model is model
    assert state.kernel("conv2d_2") is model.layers[2].params["W"]
    assert state.conv_layers == ["conv2d_1", "conv2d_2", "conv2d_3"]
    assert state.weighted_layers == LAYERS
    assert state.kernel_sizes() == {"conv2d_1": 100, "conv2d_2": 288, "conv2d_3": 1152,
                                    "dense_1": 32768, "dense_2": 1280}
    assert state.stats["conv2d_1.W"].zero_fraction == 0.0   # statistics before any snapshot
    assert "35,754 parameters" in state.caption()
    model.layers[0].params["W"][...] = 0.5                  # the caller changes the weights:
    state.run_forward()                                      # the next pass sees them
    np.testing.assert_array_equal(state.outputs[1],
                                  model.activations(state.input[None])[1][0])


def test_snapshots_are_recorded_only_when_they_fit(state):
    model = state.model
    assert state.record(_snapshot(model, 3))
    assert len(state.history) == 1 and state.caption() == "Weights of training step 3 (epoch 1)."
    assert state.stats["dense_1.W"].weight_norm > 0
    assert not state.record(take_snapshot(Sequential([Flatten(), Dense(10)],
                                                     input_shape=(1, 28, 28))))
    other = tutorial_cnn(seed=3)
    other.layers.pop()                                       # not the same set of weights
    other.layers.pop()
    assert not state.record(take_snapshot(other, 0))
    assert len(state.history) == 1
    assert not InsideState().record(_snapshot(model, 4))     # no model yet


# -- the input ---------------------------------------------------------------------------------
def test_choosing_digits_pages_and_the_drawn_tile(state, data):
    assert state.choice == 0 and len(state.shown) == 20
    assert state.choose(4) and not state.choose(4)
    sample = state.selected_sample()
    assert data.y_test[sample] == 4                           # two of each class: slot 4 is a 4
    np.testing.assert_array_equal(state.input,
                                  as_network_input(data.x_test[sample:sample + 1])[0])
    state.next_page()
    assert state.choice == 4 and state.selected_sample() != sample
    assert state.input_problem() == ""
    with pytest.raises(IndexError):
        state.choose(20)
    with pytest.raises(ValueError):
        state.choose("sample")
    assert state.choice == 4
    assert state.choose(DRAWN) and state.input is None
    assert state.input_problem().startswith("The canvas on the Draw tab is empty")
    drawn = np.zeros((28, 28), dtype=np.float32)
    drawn[4:24, 13:15] = 1.0
    assert state.set_drawn(drawn)                            # followed: it is the input
    drawn[...] = 0.0                                         # the state keeps its own copy
    assert state.input.shape == (1, 28, 28) and state.input.sum() == 40
    state.next_page()
    assert state.choice == DRAWN
    with pytest.raises(ValueError):
        state.set_drawn(np.zeros((1, 28, 28)))
    state.choose(1)
    assert not state.set_drawn(None)                          # not the input: nothing to follow
    assert state.drawn is None and state.input is not None


def test_stage_outputs_are_the_model_activations(state):
    assert state.run_forward()
    acts = state.model.activations(state.input[None])
    np.testing.assert_array_equal(state.outputs[0], state.input)
    for stage in state.stages[1:]:
        np.testing.assert_array_equal(state.outputs[stage.index], acts[stage.output][0])
    state.choose(DRAWN)
    assert not state.run_forward() and state.outputs is None
    flat = InsideState()
    flat.set_model(Sequential([Flatten(), Dense(10)], input_shape=(1, 14, 14)))
    flat.set_samples(np.zeros((20, 28, 28), np.uint8), np.arange(20) % 10)
    assert not flat.run_forward()
    assert flat.input_problem() == "This input does not fit the model's input shape."
    assert flat.predictions(0.0) is None
    assert InsideState().input_problem() == "Choose an input digit above."


def test_the_strips_guesses_are_throttled(state, data):
    expected = state.model.predict(as_network_input(data.x_test[state.shown])).argmax(axis=1)
    assert state.prediction_wait(100.0) == 0.0
    np.testing.assert_array_equal(state.predictions(100.0), expected)
    assert state.prediction_wait(100.25) == pytest.approx(PREDICT_EVERY - 0.25)
    assert state.prediction_wait(100.0 + PREDICT_EVERY) == 0.0
    state.set_model(state.model)                              # a new model: due at once
    assert state.prediction_wait(100.25) == 0.0


# -- hover and pin -----------------------------------------------------------------------------
def test_hover_explains_until_something_is_pinned(state):
    state.run_forward()
    assert state.explanation() is None
    assert state.set_hover((2, (3, 4, 5)))
    explanation = state.explanation()
    assert explanation.stage.name == "conv2d_2" and explanation.index == (3, 4, 5)
    assert explanation.value == state.outputs[2][3, 4, 5]
    assert state.filter_of(explanation) == ("conv2d_2", 3)
    state.set_pin((2, (3, 4, 5)))
    assert not state.set_hover((7, (10,)))                    # pinned: hovering changes nothing
    assert state.target == (2, (3, 4, 5))
    state.set_pin(None)
    assert state.target == (7, (10,))
    assert state.filter_of(state.explanation()) is None       # a dense unit: no filter
    state.set_model(state.model)
    assert state.target is None


def test_the_hidden_mark_is_taken_once(state):
    assert not state.take_dirty()
    state.dirty = True
    assert state.take_dirty() and not state.take_dirty()


# -- the norm history --------------------------------------------------------------------------
def test_history_appends_replaces_and_restarts():
    model = tutorial_cnn()
    history = NormHistory(LAYERS)
    for step in (0, 5, 10):
        history.append(_snapshot(model, step))
    np.testing.assert_array_equal(history.steps, [0, 5, 10])
    norm = np.linalg.norm(model.layers[0].params["W"])
    np.testing.assert_allclose(history.weight("conv2d_1"), [norm] * 3, rtol=1e-6)
    history.append(_snapshot(model, 10))                  # same step: replaced
    assert len(history) == 3
    history.append(_snapshot(model, 2))                   # a new run
    np.testing.assert_array_equal(history.steps, [2])


def test_history_grows_then_thins(monkeypatch):
    monkeypatch.setattr(state_module, "MAX_POINTS", 512)
    model = tutorial_cnn()
    history = NormHistory(LAYERS)
    snap = _snapshot(model, 0)
    for step in range(1200):
        history.append(type(snap)(step, 0, snap.weights, snap.stats))
    assert len(history) <= 512
    assert history.steps[-1] == 1199 and np.all(np.diff(history.steps) > 0)


# -- the "Why?" maps -----------------------------------------------------------------------
def test_why_maps_explain_every_digit_of_the_strip_and_the_drawn_one(state, data):
    strip, drawn = state.why_maps()
    assert len(strip) == len(state.shown) and drawn is None
    first = as_network_input(state.samples[state.shown[:1]])[0, 0]
    one = explain(state.model, first)
    np.testing.assert_allclose(strip[0].values, one.values, rtol=1e-4, atol=1e-5)
    state.set_drawn(first)
    assert state.why_maps()[1] is not None
    state.set_model(Sequential([Flatten(), Dense(10)], input_shape=(1, 14, 56)))
    assert state.why_maps() is None  # not a 28×28 digit model
