"""The runs and the timeline in the window: runs survive a restart, scrubbing shows a
checkpoint's weights on the Inside tab and its answer on the Draw tab (also while a run
trains, which it leaves alone), Back to now, and Continue training from here."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.app import MainWindow
from nnviz.main_window import TAB_NAMES
from tests.nnviz.window_runs import small_run
from tests.strokes import DIGITS, draw_digit

TAB = {name.lower(): index for index, name in enumerate(TAB_NAMES)}


@pytest.fixture
def window(shown):
    w = shown(MainWindow(restore=False), 1366, 768)
    yield w
    w.controller.shutdown(3000)


def train(window, qtbot, epochs: int = 1) -> str:
    tab = small_run(window, epochs=epochs, batch=20)  # 32 steps an epoch, as on the sample
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    return tab.runs.runs()[0].id


def test_runs_survive_a_restart_with_their_curves(window, shown, qtbot, tmp_path):
    run_id = train(window, qtbot)
    losses = window.train_tab.curves.batch_data()["loss"]
    assert window.save_model(tmp_path / "model.npz")  # nothing unsaved: it closes at once
    window.close()
    again = shown(MainWindow(restore=False), 1366, 768)
    panel = again.train_tab.runs_panel
    assert panel.run_ids() == [run_id]
    np.testing.assert_allclose(again.train_tab.runs.get(run_id).batches["loss"], losses)
    panel.set_ticked(run_id)
    assert again.train_tab.overlay.run_ids() == [run_id]
    assert again.timeline.timeline.run_id == run_id  # the timeline follows the last run


def test_scrubbing_shows_exactly_a_checkpoints_weights_and_its_answer(window, qtbot):
    run_id = train(window, qtbot)
    run = window.train_tab.runs.get(run_id)
    window.tabs.setCurrentIndex(TAB["draw"])
    draw_digit(window.draw_tab.canvas, DIGITS[3]["round"])
    drawn = window.draw_tab.current_input()
    assert window.timeline.choose_step(5)
    weights = run.load_checkpoint(5)
    inside = window.inside_tab.model()
    assert inside is not window.session.view_model
    for name, w in inside.named_params().items():
        np.testing.assert_array_equal(w, weights[name])
    expected = run.model(5).predict(drawn[None, None])[0]
    np.testing.assert_allclose(window.draw_tab.current_prediction()[1], expected, atol=1e-6)
    assert window.timeline_bar.is_past() and "step 5" in window.timeline_bar.label.text()
    assert window.train_tab.overlay.cursor_position() == pytest.approx(
        next(c.position for c in run.checkpoints() if c.step == 5))
    window.timeline_bar.now_button.click()
    assert window.inside_tab.model() is window.session.model_for_views()
    now = window.session.view_model.predict(drawn[None, None])[0]
    np.testing.assert_allclose(window.draw_tab.current_prediction()[1], now, atol=1e-6)
    assert not window.timeline_bar.is_past()
    assert window.train_tab.overlay.cursor_position() is None


def test_scrubbing_while_a_run_trains_leaves_the_run_alone(window, qtbot):
    tab = window.train_tab
    tab.epochs_spin.setValue(50)
    with qtbot.waitSignal(window.controller.epochFinished, timeout=60000):
        tab.start_button.click()
    run_id = tab.recorder.id
    assert window.timeline.timeline.run_id == run_id
    assert window.timeline.choose_step(2)  # from the recorder: kept in memory or on disk
    shown = {k: w.copy() for k, w in window.inside_tab.model().named_params().items()}
    with qtbot.waitSignal(window.controller.snapshotReady, timeout=10000):
        pass
    qtbot.wait(50)  # the snapshot's slots have run
    assert window.controller.is_running and window.session.steps_trained > 2
    for name, w in window.inside_tab.model().named_params().items():
        np.testing.assert_array_equal(w, shown[name])  # the checkpoint, not the snapshot
    assert not window.timeline_bar.continue_button.isEnabled()
    window.timeline_bar.now_button.click()
    assert window.inside_tab.model() is window.session.model_for_views()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        tab.stop()
    run = tab.runs.get(run_id)
    np.testing.assert_array_equal(run.load_checkpoint(2)["conv2d_1.W"], shown["conv2d_1.W"])


def test_continue_training_from_here_starts_a_run_whose_parent_is_that_step(window, qtbot):
    first = train(window, qtbot)
    window.timeline.choose_step(10)
    assert window.timeline_bar.continue_button.isEnabled()
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        window.timeline_bar.continue_button.click()
    newest = window.train_tab.runs.runs()[0]
    assert newest.id != first and newest.parent == (first, 10)
    assert not window.timeline.scrubbing and window.timeline.timeline.run_id == newest.id


def test_the_timeline_shows_with_the_tabs_that_show_weights(window, qtbot):
    for name, visible in (("inside", True), ("network", False), ("regularization", False),
                          ("draw", True)):
        window.tabs.setCurrentIndex(TAB[name])
        assert window.timeline_bar.isVisible() == visible, name
