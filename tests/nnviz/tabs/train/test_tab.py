"""The Train tab on its own: settings <-> controls through the table, the run buttons, the
report it shows and the digits of a clicked confusion cell."""

from __future__ import annotations

import time
from dataclasses import fields

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from core.augmentation import AugmentationConfig
from core.data import Dataset
from core.layers import Dropout
from core.models import tutorial_cnn
from nnviz.session import Session
from nnviz.settings import TrainingSettings
from nnviz.tabs.train import TrainTab
from nnviz.tabs.train.controls import (
    FIELDS,
    LIVE_FIELDS,
    SGD_FIELDS,
    control_value,
    set_control_value,
)
from nnviz.training.controller import TrainingController
from tests.nnviz.small_data import small_sample

# 300 digits, 20 % held out: 240 to train on in 12 batches of 20, 60 to validate on
BATCHES = 12


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    yield c
    assert c.shutdown(3000)


def make_tab(shown, controller, settings: TrainingSettings | None = None,
             data: Dataset | None = None) -> TrainTab:
    session = Session(data or small_sample(300, 50), tutorial_cnn(seed=0))
    settings = settings or TrainingSettings(batch_size=20, epochs=1)
    return shown(TrainTab(session, controller, settings), 1400, 900)


@pytest.fixture
def tab(shown, controller) -> TrainTab:
    return make_tab(shown, controller)


def unusual_settings() -> TrainingSettings:
    """Every field away from its default."""
    return TrainingSettings(
        optimizer="adagrad", lr=0.0123, momentum=0.5, nesterov=False, decay=2e-5,
        batch_size=64, epochs=7, validation_split=0.3, l1=1e-5, l2=3e-4, dropout=0.25,
        use_personal_digits=True, augmentation=AugmentationConfig(
            rotation_range=15.0, width_shift_range=0.1, height_shift_range=0.1,
            horizontal_flip=True, vertical_flip=True, featurewise_center=True,
            featurewise_std_normalization=True, zca_whitening=True))


def test_every_setting_has_a_control_and_every_row_a_field() -> None:
    paths = set(FIELDS)
    plain = {f.name for f in fields(TrainingSettings)} - {"augmentation"}
    assert plain <= paths
    settings = TrainingSettings()
    for path in paths:
        settings.get(path)  # raises for a row that names no setting
    assert LIVE_FIELDS <= paths and SGD_FIELDS <= paths


def test_settings_show_in_their_controls(shown, controller) -> None:
    settings = unusual_settings()
    tab = make_tab(shown, controller, settings)
    for path, name in FIELDS.items():
        assert control_value(getattr(tab, name)) == pytest.approx(settings.get(path)), path
    assert tab.current_settings() == unusual_settings()  # nothing changed on the way


def test_controls_come_back_into_the_settings(tab) -> None:
    wanted = unusual_settings()
    for path, name in FIELDS.items():  # the optimizer first: it resets the learning rate
        set_control_value(getattr(tab, name), wanted.get(path))
    assert tab.current_settings() == wanted
    assert tab.settings is tab.current_settings()  # the object given is the one kept


def test_choosing_an_optimizer_sets_its_learning_rate_and_its_controls(tab) -> None:
    set_control_value(tab.optimizer_combo, "adam")
    assert tab.lr_spin.value() == pytest.approx(0.001) and tab.settings.lr == pytest.approx(0.001)
    assert not tab.momentum_spin.isEnabled() and not tab.nesterov_check.isEnabled()
    set_control_value(tab.optimizer_combo, "sgd")
    assert tab.lr_spin.value() == pytest.approx(0.05) and tab.momentum_spin.isEnabled()


def test_the_augmentation_warning_follows_the_flips(tab) -> None:
    assert tab.augment_warning.isHidden()
    tab.hflip_check.click()
    assert not tab.augment_warning.isHidden() and "mirrored 2" in tab.augment_warning.text()
    tab.hflip_check.click()
    assert tab.augment_warning.isHidden()


def test_start_runs_to_the_end_and_shows_what_it_got_wrong(tab, qtbot) -> None:
    with qtbot.waitSignals([tab.session.reportChanged, tab.controller.runFinished],
                           timeout=30000):
        tab.start_button.click()
    assert len(tab.curves.batch_data()["loss"]) == BATCHES
    assert tab.curves.epoch_data()["epoch"].tolist() == [1.0]
    report = tab.session.report
    assert report.confusion.sum() == 60
    np.testing.assert_array_equal(tab.confusion.matrix(), report.confusion)
    assert tab.gallery.total_count() == len(report.misclassified)
    assert tab.progress.state() == "finished"
    assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()
    assert tab.epochs_spin.isEnabled()


def test_a_second_run_continues_the_curves(tab, qtbot) -> None:
    for _ in range(2):
        with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
            tab.start_button.click()
    positions = tab.curves.batch_data()["epoch_position"]
    assert len(positions) == 2 * BATCHES and positions[-1] == pytest.approx(2.0)
    assert tab.curves.epoch_data()["epoch"].tolist() == [1.0, 2.0]


def test_pause_step_resume_and_stop_through_the_buttons(shown, controller, qtbot) -> None:
    tab = make_tab(shown, controller, TrainingSettings(batch_size=20, epochs=200))
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        tab.start_button.click()
    assert not tab.start_button.isEnabled() and not tab.epochs_spin.isEnabled()
    assert tab.lr_spin.isEnabled()  # live
    with qtbot.waitSignal(controller.stateChanged, timeout=3000,
                          check_params_cb=lambda state, _: state == "paused"):
        tab.pause_button.click()
    assert tab.pause_button.text() == "Resume" and tab.progress.state() == "paused"
    optimizer = controller.trainer.model.optimizer
    steps = optimizer.iterations
    with qtbot.waitSignal(controller.snapshotReady, timeout=3000):
        tab.step_button.click()
    with qtbot.assertNotEmitted(controller.batchesReady, wait=100):  # one batch, no more
        pass
    assert optimizer.iterations == steps + 1
    with qtbot.waitSignal(controller.stateChanged, timeout=3000,
                          check_params_cb=lambda state, _: state == "running"):
        tab.pause_button.click()
    assert tab.pause_button.text() == "Pause"
    with qtbot.waitSignal(controller.runFinished, timeout=3000):
        tab.stop_button.click()
    assert tab.progress.state() == "stopped" and tab.start_button.isEnabled()


def test_step_when_idle_trains_one_batch_and_waits(tab, qtbot) -> None:
    with qtbot.waitSignal(tab.controller.batchesReady, timeout=10000) as blocker:
        tab.step_button.click()
    assert len(blocker.args[0]["loss"]) == 1
    assert tab.controller.is_paused and tab.pause_button.text() == "Resume"
    with qtbot.waitSignal(tab.controller.runFinished, timeout=3000):
        tab.stop_button.click()
    assert len(tab.curves.batch_data()["loss"]) == 1


def test_live_changes_reach_the_running_trainer(shown, controller, qtbot) -> None:
    settings = TrainingSettings(batch_size=20, epochs=200, dropout=0.2)
    tab = make_tab(shown, controller, settings)
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        tab.start_button.click()
    assert tab.dropout_spin.isEnabled()  # the run has Dropout layers
    tab.lr_spin.setValue(0.0123)
    tab.l2_spin.setValue(1e-3)
    tab.dropout_spin.setValue(0.4)
    model = controller.trainer.model

    def reached() -> bool:
        rates = [layer.rate for layer in model.layers if isinstance(layer, Dropout)]
        return (model.optimizer.lr == pytest.approx(0.0123)
                and model.regularization_loss() > 0 and rates == [0.4, 0.4])

    qtbot.waitUntil(reached, timeout=3000)
    with qtbot.waitSignal(controller.runFinished, timeout=3000):
        tab.stop_button.click()


def test_dropout_is_locked_during_a_run_without_dropout_layers(shown, controller, qtbot) -> None:
    tab = make_tab(shown, controller, TrainingSettings(batch_size=20, epochs=200))
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        tab.start_button.click()
    assert not tab.dropout_spin.isEnabled()
    with qtbot.waitSignal(controller.runFinished, timeout=3000):
        tab.stop_button.click()
    assert tab.dropout_spin.isEnabled()


def test_clicking_a_confusion_cell_shows_its_digits(tab, qtbot) -> None:
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    report = tab.session.report
    view = tab.confusion.plot_view.viewport()
    mistakes = report.confusion.copy()
    np.fill_diagonal(mistakes, 0)
    true_class, predicted = (int(i) for i in np.unravel_index(mistakes.argmax(),
                                                               mistakes.shape))
    assert mistakes[true_class, predicted] > 0  # an untrained network errs a lot
    best = int(np.diag(report.confusion).argmax())  # a class it gets right at times
    for cell in ((true_class, predicted), (best, best)):
        with qtbot.waitSignal(tab.confusion.cellClicked, timeout=1000):
            qtbot.mouseClick(view, Qt.MouseButton.LeftButton,
                             pos=tab.confusion.cell_center(*cell))
        assert tab.gallery.total_count() == report.confusion[cell] > 0
        assert tab.gallery.title().startswith(f"True {cell[0]}, predicted {cell[1]}")
    images, labels = tab.session.validation_digits
    right = [i for i in range(len(labels)) if labels[i] == best
             and i not in set(report.misclassified)]
    np.testing.assert_array_equal(tab.gallery.images(), images[right])


def test_reset_clears_what_the_run_showed(tab, qtbot) -> None:
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    before = tab.session.model
    tab.reset_button.click()
    assert tab.session.model is not before and "untrained" in tab.session.model_origin
    assert tab.curves.batch_data()["loss"].size == 0 and tab.history.run_start == 0
    assert tab.confusion.matrix() is None and tab.gallery.total_count() == 0
    assert tab.progress.state() == "idle"


def test_a_start_that_cannot_train_says_why(shown, controller, qtbot) -> None:
    one = small_sample(1, 1)
    tab = make_tab(shown, controller, data=one)
    with qtbot.waitSignal(tab.errorOccurred, timeout=1000) as blocker:
        tab.start_button.click()
    assert blocker.args[0] == "Cannot start training" and "no training digits" in blocker.args[1]
    assert not controller.is_running and tab.start_button.isEnabled()


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def test_l1_typed_as_1e_minus_4_is_1e_minus_4(tab, qtbot) -> None:
    type_into(qtbot, tab.l1_spin, "1e-4")
    assert tab.settings.l1 == pytest.approx(1e-4) and tab.l1_spin.text() == "1e-4"
    with qtbot.waitSignal(tab.statusMessageChanged, timeout=1000) as said:
        type_into(qtbot, tab.l1_spin, "1e-4!")
    assert tab.settings.l1 == pytest.approx(1e-4)  # refused, visibly, and nothing changed
    assert said.args[0].startswith("L1: ") and tab.l1_spin.problem()
    assert "3e-3" in tab.l1_spin.toolTip() or "0.003" in tab.l1_spin.toolTip()


def test_the_zero_share_shows_beside_l1_and_in_the_penalty_plot(tab) -> None:
    from core.diagnostics import take_snapshot

    assert tab.zeros_label.text() == "exact zeros: 0.0 %"
    trained = tutorial_cnn(seed=0)
    trained.named_params()["dense_1.W"][:128] = 0.0  # half of dense_1's 256 rows
    tab.l1_spin.setValue(3e-3)
    tab.session.apply_snapshot(take_snapshot(trained, 0))
    share = 0.5 * 32768 / (100 + 288 + 1152 + 32768 + 1280)
    assert tab.zeros_label.text() == f"exact zeros: {100 * share:.1f} %"
    assert tab.zeros_label.text() in tab.curves.plots.penalty_title()


def test_a_penalty_too_strong_to_learn_under_gets_one_warning(tab, qtbot) -> None:
    tab.l1_spin.setValue(1.0)  # what "1e-4" became before the box read scientific notation
    with qtbot.waitSignal(tab.controller.batchesReady, timeout=10000):
        tab.step_button.click()
    assert "times the loss of guessing" in tab.progress.warning()
    assert not tab.progress.message_label.isHidden()
    with qtbot.waitSignal(tab.controller.runFinished, timeout=3000):
        tab.stop_button.click()


def test_the_model_label_says_what_the_weights_are_now(shown, controller, qtbot) -> None:
    tab = shown(TrainTab(Session(small_sample(300, 50)), controller,
                         TrainingSettings(batch_size=20, epochs=1)), 1400, 900)
    controller.snapshotReady.connect(tab.session.apply_snapshot)  # as the window does
    title = "Model: Tutorial CNN, 35,754 weights"
    description = " — Three small convolutions with max pooling, then 128 dense units"
    assert tab.model_label.text().startswith(f"{title}, pre-trained, ")
    assert "% on MNIST test" + description in tab.model_label.text()
    tab.set_start_choice("current")  # continue training the pre-trained model
    with qtbot.waitSignal(controller.runFinished, timeout=30000):
        tab.start_button.click()
    accuracy = 100 * tab.session.report.accuracy
    assert tab.model_label.text().startswith(f"{title}, pre-trained, trained {BATCHES} more "
                                             f"steps · validation {accuracy:.1f} %{description}")
    tab.reset_weights()
    assert tab.model_label.text().startswith(f"{title}, untrained (seed ")
    with qtbot.waitSignal(controller.runFinished, timeout=30000):
        tab.start_button.click()
    assert tab.model_label.text().startswith(f"{title}, trained {BATCHES} steps · validation ")


def test_reset_weights_can_be_undone_curves_and_results_included(tab, qtbot) -> None:
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    model, report = tab.session.model, tab.session.report
    losses = tab.curves.batch_data()["loss"]
    tab.reset_button.click()
    assert tab.session.model is not model and tab.curves.batch_data()["loss"].size == 0
    assert tab.session.can_undo_model_change()
    assert tab.undo_weights_change()
    assert tab.session.model is model and tab.session.report is report
    np.testing.assert_array_equal(tab.curves.batch_data()["loss"], losses)
    np.testing.assert_array_equal(tab.confusion.matrix(), report.confusion)
    assert not tab.session.can_undo_model_change() and not tab.undo_weights_change()


def test_restoring_the_pretrained_model_is_undoable_and_a_run_ends_the_undo(tab, qtbot) -> None:
    trained = tab.session.model
    assert tab.restore_pretrained()
    assert tab.session.is_pretrained() and "pre-trained" in tab.model_label.text()
    assert tab.undo_weights_change() and tab.session.model is trained
    tab.reset_weights()
    with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
        tab.start_button.click()
    assert not tab.session.can_undo_model_change()  # the new weights were trained on


def test_the_tutorial_settings_come_back_with_one_click(tab) -> None:
    assert tab.settings_changes() == ["Batch size 20", "Epochs 1"]
    assert tab.tutorial_button.isEnabled()
    tab.l1_spin.setValue(1e-4)
    assert "L1 1e-4" in tab.settings_changes()
    tab.tutorial_button.click()
    assert tab.current_settings() == TrainingSettings() and tab.settings_changes() == []
    assert not tab.tutorial_button.isEnabled()


def test_a_second_run_counts_epochs_on_the_axis_scale(tab, qtbot) -> None:
    for _ in range(2):
        with qtbot.waitSignal(tab.controller.runFinished, timeout=30000):
            tab.start_button.click()
    assert tab.progress.text().startswith(f"Epoch 2/2 · this run 1/1 · batch {BATCHES}/")


def test_the_speed_control_slows_only_the_pace_between_batches(shown, controller, qtbot) -> None:
    tab = make_tab(shown, controller, TrainingSettings(batch_size=20, epochs=200))
    assert tab.speed_combo.currentData() == "full" and controller.pace == 0.0
    times = []
    tab.controller.batchesReady.connect(lambda payload: times.append(
        (len(payload["loss"]), time.perf_counter())))
    tab.set_speed("watch")
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        tab.start_button.click()
    assert controller.trainer.pace == pytest.approx(0.2)
    qtbot.waitUntil(lambda: len(times) >= 4, timeout=10000)
    assert all(n == 1 for n, _ in times[:4])  # one batch at a time ...
    assert (times[3][1] - times[0][1]) / 3 >= 0.15  # ... about the pace apart
    tab.set_speed("full")  # back to full speed while running: no wait at all
    assert controller.trainer.pace == 0.0
    with qtbot.waitSignal(controller.runFinished, timeout=3000):
        tab.stop_button.click()
