"""The Draw tab's Teach box: personal digits added and removed (and a corrupt file left
alone), teaching the network on its thread, undo, refusals and stopping."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import load_sample
from core.models import tutorial_cnn
from core.personal import PersonalDigits
from core.teach import ReplayData, TeachConfig
from nnviz.tabs.draw.tab import DrawTab
from tests.nnviz.tabs.draw.fakes import LinearModel
from tests.strokes import DIGITS, draw_digit


def test_add_to_training_data(tab, qtbot, user_dir):
    tab.set_model(LinearModel())
    assert len(tab.personal_digits) == 0
    draw_digit(tab.canvas, DIGITS[9]["curled tail"])
    digit, _ = tab.current_prediction()
    assert tab.label_spin.value() == digit  # pre-filled with the prediction
    x = tab.current_input()
    tab.label_spin.setValue(9)  # the user confirms / corrects
    with qtbot.waitSignal(tab.personalDigitsChanged, timeout=1000):
        tab.add_button.click()
    assert len(tab.personal_digits) == 1
    assert tab.personal_digits.labels.tolist() == [9]
    np.testing.assert_allclose(tab.personal_digits.images[0] / 255.0, x, atol=0.5 / 255)
    assert tab.canvas.stroke_count() == 0  # ready for the next one
    assert "1 personal digit " in tab.count_label.text()
    reloaded = PersonalDigits(user_dir)
    assert reloaded.labels.tolist() == [9]
    # the spin box follows the prediction again for the next drawing
    draw_digit(tab.canvas, DIGITS[0]["oval"])
    assert tab.label_spin.value() == tab.current_prediction()[0]
    with qtbot.waitSignal(tab.personalDigitsChanged, timeout=1000):
        tab.remove_button.click()
    assert len(PersonalDigits(user_dir)) == 0


def test_a_corrupt_personal_file_is_reported_and_left_alone(qtbot, user_dir):
    user_dir.mkdir(parents=True)
    path = user_dir / "personal_digits.npz"
    path.write_bytes(b"garbage")
    tab = DrawTab()
    qtbot.addWidget(tab)
    tab.set_model(LinearModel())
    draw_digit(tab.canvas, DIGITS[5]["one stroke"])
    assert not tab.add_button.isEnabled()
    assert "corrupt" in tab.teach_status.text()
    assert path.read_bytes() == b"garbage"


@pytest.fixture
def fast_teaching(tab):
    data = load_sample()
    tab.teach_runner.set_replay(ReplayData(data.x_train, data.y_train, data.x_test[:200],
                                           data.y_test[:200], "sample test"))
    tab.teach_runner.config = TeachConfig(steps=8, final_steps=2)
    for k in range(30):
        tab.personal_digits.add(data.x_test[500 + k], int(data.y_test[500 + k]))
    yield tab
    tab.stop_teaching()


def test_teach_uses_the_taught_model_and_undo_brings_back_the_old_one(fast_teaching, qtbot):
    tab = fast_teaching
    model = tutorial_cnn(seed=2)
    tab.set_model(model)
    assert tab.teach_button.objectName() == "teachButton" and not tab.undo_teach_button.isEnabled()
    with qtbot.waitSignals([tab.modelReplaced, tab.teachFinished], timeout=60000) as signals:
        tab.teach_button.click()
        assert tab.is_teaching() and not tab.teach_button.isEnabled()
    result = signals.all_signals_and_args[1].args[0]
    assert result.model is tab.state.model and result.previous is not model
    replaced, origin = signals.all_signals_and_args[0].args
    assert replaced is not result.model and "taught" in origin
    np.testing.assert_array_equal(replaced.get_weights()[0], result.model.get_weights()[0])
    assert "→" in tab.teach_result.text() and tab.undo_teach_button.isEnabled()
    with qtbot.waitSignal(tab.modelReplaced) as undone:
        tab.undo_teach_button.click()
    for w, w0 in zip(undone.args[0].get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(w, w0)
    assert not tab.undo_teach_button.isEnabled()


def test_teach_refuses_without_digits_or_while_blocked(tab):
    tab.set_model(tutorial_cnn(seed=0))
    assert not tab.teach() and "Add some labelled drawings" in tab.teach_status.text()
    tab.set_teach_blocked("training is running")
    assert not tab.teach_button.isEnabled() and not tab.teach()
    assert "training is running" in tab.teach_status.text()
    tab.set_teach_blocked(None)
    assert tab.teach_button.isEnabled()
    tab.set_model(LinearModel())
    assert not tab.teach() and "plain nnviz model" in tab.teach_status.text()


def test_stop_teaching_ends_the_thread(fast_teaching, qtbot):
    tab = fast_teaching
    tab.teach_runner.config = TeachConfig(steps=100_000, final_steps=0)
    tab.set_model(tutorial_cnn(seed=0))
    with qtbot.waitSignal(tab.teachFinished, timeout=20000) as finished:
        assert tab.teach()
        assert tab.stop_teaching(10000) and not tab.is_teaching()
    assert finished.args[0].model is None and tab.state.model is not None
    assert tab.teach_button.isEnabled() and not tab.undo_teach_button.isEnabled()
