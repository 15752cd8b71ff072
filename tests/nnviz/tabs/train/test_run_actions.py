"""The Train tab's runs: every run kept with what it was, where it started from (fresh
for the pre-trained model), continuing a checkpoint, a failed save, ticked runs drawn
over the live curves, and loading a run's network."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from core.models import tutorial_cnn
from core.runs import CheckpointWeights, CurrentWeights, FreshWeights
from core.runs import RunHistory as RunStore
from nnviz.session import Session
from nnviz.settings import TrainingSettings
from nnviz.tabs.train import TrainTab
from nnviz.training.controller import TrainingController
from tests.nnviz.small_data import small_sample

BATCHES = 12  # 300 digits, 20 % held out, batches of 20


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    yield c
    assert c.shutdown(3000)


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path)


def make_tab(shown, controller, store, model="trained") -> TrainTab:
    """A Train tab over 300 digits; ``model`` "trained" (a tutorial CNN of seed 0, not the
    shipped one) or "pretrained" (the shipped model)."""
    session = Session(small_sample(300, 50), tutorial_cnn(seed=0) if model == "trained"
                      else None)
    return shown(TrainTab(session, controller, TrainingSettings(batch_size=20, epochs=1),
                          runs=store), 1400, 900)


@pytest.fixture
def tab(shown, controller, store) -> TrainTab:
    return make_tab(shown, controller, store)


def run_once(tab, qtbot) -> str:
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    return tab.runs.runs()[0].id


def test_every_run_is_kept_with_its_settings_data_network_start_and_curves(tab, qtbot):
    tab.l2_spin.setValue(1e-3)
    run_id = run_once(tab, qtbot)
    run = tab.runs.get(run_id)
    assert run.state == "finished" and run.steps == BATCHES and run.epochs_done == 1
    assert run.settings == asdict(tab.current_settings())
    assert (run.dataset.name, run.dataset.train, run.dataset.validation) == ("small", 240, 60)
    assert run.architecture == tab.session.model.get_config()
    assert run.start == CurrentWeights("Tutorial CNN, 35,754 weights")  # before the run
    assert run.name == "L2 0.001, batch size 20, epochs 1"
    np.testing.assert_allclose(run.batches["loss"], tab.curves.batch_data()["loss"])
    assert run.best_val_accuracy == pytest.approx(tab.session.report.accuracy)
    final = run.load_checkpoint(run.checkpoints()[-1].step)
    for name, w in tab.session.model.named_params().items():
        np.testing.assert_array_equal(final[name], w)
    assert tab.runs_panel.run_ids() == [run_id] and tab.bottom_tabs.tabText(1) == "Runs (1)"


def test_the_first_start_on_the_pretrained_model_starts_from_fresh_weights(
        shown, controller, store, qtbot):
    tab = make_tab(shown, controller, store, model="pretrained")
    pretrained = tab.session.model
    assert tab.session.is_pretrained() and tab.start_choice() == "fresh"
    assert tab.start_from_combo.itemText(1) == "the pre-trained model (continue training it)"
    run = tab.runs.get(run_once(tab, qtbot))
    assert run.start == FreshWeights(0) and tab.session.model is not pretrained
    start = run.load_checkpoint(0)
    for got, want in zip(start.values(), tutorial_cnn(seed=0).get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    tab.set_start_choice("fresh", seed=7)
    assert tab.runs.get(run_once(tab, qtbot)).start == FreshWeights(7)
    assert tab.restore_pretrained() and tab.start_choice() == "fresh"
    tab.set_start_choice("current")  # continue training the pre-trained model: one choice
    run = tab.runs.get(run_once(tab, qtbot))
    assert isinstance(run.start, CurrentWeights) and "pre-trained" in run.start.description


def test_going_on_from_the_last_run_and_continuing_a_checkpoint_record_the_parent(tab, qtbot):
    first = run_once(tab, qtbot)
    second = tab.runs.get(run_once(tab, qtbot))  # "the current weights": the first's end
    assert second.parent == (first, BATCHES)
    assert tab.continue_from(first, 5)
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        pass
    third = tab.runs.runs()[0]
    assert third.parent == (first, 5) and third.start == CheckpointWeights(first, 5)
    assert third.name.endswith("· from step 5")
    for name, w in tab.runs.get(first).load_checkpoint(5).items():
        np.testing.assert_array_equal(third.load_checkpoint(0)[name], w)


def test_a_live_change_of_the_learning_rate_is_kept_with_the_run(tab, qtbot):
    # the stepped batch itself, not the first "paused" (a step from idle may say it
    # before its batch has run)
    with qtbot.waitSignal(tab.controller.batchesReady, timeout=10000):
        tab.step()
    qtbot.waitUntil(lambda: tab.controller.is_paused, timeout=5000)
    tab.lr_spin.setValue(0.01)
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.stop()
    run = tab.runs.runs()[0]
    assert run.state == "stopped" and [1, "lr", 0.01] in [list(c) for c in run.changes]


def test_a_failed_save_is_said_and_training_goes_on(tab, qtbot, monkeypatch):
    import core.runs.record

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(core.runs.record, "write_curves", full_disk)
    messages = []
    tab.statusMessageChanged.connect(messages.append)
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    assert tab.progress.state() == "finished" and len(tab.curves.batch_data()["loss"]) == BATCHES
    said = [m for m in messages if "could not be saved" in m]
    assert said and "Training goes on" in said[0]


def test_a_run_that_cannot_be_kept_trains_all_the_same(shown, controller, tmp_path, qtbot):
    (tmp_path / "runs").write_text("a file where the runs folder should be")
    tab = make_tab(shown, controller, RunStore(tmp_path))
    messages = []
    tab.statusMessageChanged.connect(messages.append)
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    assert len(tab.curves.batch_data()["loss"]) == BATCHES
    assert any(m.startswith("This run trains but is not kept") for m in messages)


def test_ticked_runs_are_drawn_over_the_curves_in_their_colours(tab, qtbot):
    first = run_once(tab, qtbot)
    tab.reset_weights()
    second = run_once(tab, qtbot)
    overlay = tab.overlay
    tab.runs_panel.set_ticked(first)
    assert overlay.run_ids() == [first] and overlay.live_visible()  # the live run: not ticked
    loss_line = overlay.items(first)[0]
    x, _ = loss_line.getData()
    np.testing.assert_allclose(x, tab.runs.get(first).batches["position"])
    assert loss_line.opts["pen"].color().getRgb()[:3] == tab.runs_panel.color(first)
    assert loss_line.zValue() < tab.curves.plots.curve("loss_smooth").zValue()
    tab.runs_panel.set_ticked(second)  # the run the live curves show: they step aside
    assert overlay.run_ids() == [first, second] and not overlay.live_visible()
    assert not tab.curves.plots.curve("loss_smooth").isVisible()
    assert "Ticked runs" in overlay.legend.text() and not overlay.legend.isHidden()
    tab.runs_panel.set_ticked(first, False)
    tab.runs_panel.set_ticked(second, False)
    assert overlay.run_ids() == [] and overlay.live_visible() and overlay.legend.isHidden()


def test_the_run_that_trains_is_the_live_curves_not_an_overlay(tab, qtbot):
    first = run_once(tab, qtbot)
    tab.runs_panel.set_ticked(first)
    with qtbot.waitSignal(tab.runRecorded, timeout=10000) as recorded:
        tab.step()
    tab.runs_panel.set_ticked(recorded.args[0])
    assert tab.overlay.run_ids() == [first] and tab.overlay.live_visible()
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.stop()


def test_loading_a_runs_network_and_weights_can_be_undone(tab, qtbot):
    first = run_once(tab, qtbot)
    run_once(tab, qtbot)
    trained = tab.session.model
    assert tab.load_run(first, step=5)
    weights = tab.runs.get(first).load_checkpoint(5)
    for name, w in tab.session.model.named_params().items():
        np.testing.assert_array_equal(weights[name], w)
    assert "step 5 of the run" in tab.session.model_origin and tab.start_choice() == "current"
    assert tab.undo_weights_change() and tab.session.model is trained


def test_runs_are_not_kept_when_recording_is_off(tab, qtbot):
    tab.recording_enabled = False
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    assert tab.runs.runs() == []


def test_a_run_that_rebuilds_the_network_for_dropout_keeps_the_start_choice(
        shown, controller, store, qtbot):
    tab = make_tab(shown, controller, store, model="pretrained")
    tab.dropout_spin.setValue(0.25)
    first = tab.runs.get(run_once(tab, qtbot))
    assert first.start == FreshWeights(0) and tab.start_choice() == "fresh"
    assert sum(spec["class_name"] == "Dropout" for spec in first.architecture["layers"]) == 2
