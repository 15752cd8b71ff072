"""The main window end to end, offscreen: opening, training live, control, errors, closing."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt, QThread

from core.optimizers import Adam
from nnviz.app import MainWindow


@pytest.fixture
def window(shown):
    w = shown(MainWindow())
    yield w
    w.controller.shutdown(3000)
    assert not w.controller.is_running


def small_run(window, epochs=1, batch=100):
    tab = window.train_tab
    tab.epochs_spin.setValue(epochs)
    tab.batch_spin.setValue(batch)
    return tab


def test_opens_with_no_data_folder_on_the_sample_and_a_model(window):
    assert window.session.dataset.is_sample
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Train", "Inside", "Draw", "Regularization", "Loss"]
    assert window.findChild(type(window.draw_tab.canvas), "drawCanvas") is not None
    for name in ("startButton", "pauseButton", "stepButton", "stopButton", "lrSpin",
                 "datasetCombo", "trainCurves", "confusionMatrix"):
        assert window.findChild(object, name) is not None, name


def test_short_training_run_emits_progress_draws_curves_and_finishes(window, qtbot):
    tab = small_run(window, epochs=1)
    with qtbot.waitSignals([window.controller.batchesReady, window.controller.epochFinished,
                            window.controller.runFinished], timeout=60000):
        tab.start_button.click()
    assert not window.controller.is_running
    assert len(tab.curves.batch_data()["loss"]) >= 1
    assert window.session.report is not None
    assert window.session.report.confusion.sum() == 800
    assert window.session.steps_trained > 0
    assert "batch 32/32" in tab.progress.text()  # the last batch is shown, not a throttled one


def test_pause_resume_step_and_stop_while_running(window, qtbot):
    tab = small_run(window, epochs=20)
    trainer_states = []
    window.controller.stateChanged.connect(lambda s, m: trainer_states.append(s))
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        tab.start_button.click()
    with qtbot.waitSignal(window.controller.stateChanged, timeout=2000,
                          check_params_cb=lambda s, m: s == "paused"):
        tab.pause_button.click()
    assert tab.pause_button.text() == "Resume"
    steps = window.controller.trainer.model.optimizer.iterations
    with qtbot.waitSignal(window.controller.snapshotReady, timeout=2000):
        tab.step_button.click()
    with qtbot.assertNotEmitted(window.controller.batchesReady, wait=100):  # one batch only
        pass
    assert window.controller.trainer.model.optimizer.iterations == steps + 1
    with qtbot.waitSignal(window.controller.stateChanged, timeout=2000,
                          check_params_cb=lambda s, m: s == "running"):
        tab.pause_button.click()
    with qtbot.waitSignal(window.controller.runFinished, timeout=1000):
        tab.stop_button.click()
    assert trainer_states[-1] == "stopped"


def test_learning_rate_change_mid_run_reaches_the_engine(window, qtbot):
    tab = small_run(window, epochs=20)
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        tab.start_button.click()
    tab.lr_spin.setValue(0.0123)
    trainer = window.controller.trainer

    def reached() -> bool:
        return trainer.model.optimizer.lr == pytest.approx(0.0123)

    qtbot.waitUntil(reached, timeout=2000)
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_bad_data_folder_reports_and_keeps_the_previous_data(window, tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    before = window.session.dataset
    assert not window.train_tab.open_dataset(tmp_path)
    assert window.session.dataset is before
    assert window.last_error is not None and "data set" in window.last_error[0]


def test_closing_during_training_ends_the_thread_cleanly(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.train_tab.epochs_spin.setValue(50)
    with qtbot.waitSignal(w.controller.batchesReady, timeout=10000):
        w.train_tab.start_button.click()
    threads_before = w.controller.run_thread
    assert isinstance(threads_before, QThread) and threads_before.isRunning()
    w.close()
    assert not w.controller.is_running
    assert not threads_before.isRunning()


def test_save_then_load_model_round_trips(window, tmp_path):
    path = tmp_path / "model.npz"
    assert window.save_model(path)
    x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    expected = window.session.view_model.predict(x)
    window.train_tab.reset_weights()
    assert not np.allclose(window.session.view_model.predict(x), expected)
    assert window.load_model(path)
    np.testing.assert_allclose(window.session.view_model.predict(x), expected, rtol=1e-6)


def test_loading_a_bad_model_keeps_the_current_one(window, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    model = window.session.model
    assert not window.load_model(bad)
    assert window.session.model is model
    assert "model" in window.last_error[0]


def test_settings_persist_between_runs(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.train_tab.lr_spin.setValue(0.02)
    first.train_tab.epochs_spin.setValue(3)
    first.tabs.setCurrentIndex(4)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.train_tab.lr_spin.value() == pytest.approx(0.02)
    assert second.train_tab.epochs_spin.value() == 3
    assert second.tabs.currentIndex() == 4


def test_space_toggles_pause(window, qtbot):
    tab = small_run(window, epochs=20)
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        tab.start_button.click()
    with qtbot.waitSignal(window.controller.stateChanged, timeout=2000,
                          check_params_cb=lambda s, m: s == "paused"):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_diverging_run_pauses_itself_and_says_why(window, qtbot):
    tab = small_run(window, epochs=5)
    tab.lr_spin.setValue(10.0)
    with qtbot.waitSignal(window.controller.stateChanged, timeout=20000,
                          check_params_cb=lambda s, m: s == "diverged"):
        tab.start_button.click()
    assert window.last_error[0] == "Training diverged"
    assert "learning rate" in window.last_error[1]
    assert tab.progress.state() == "diverged"
    model = window.controller.trainer.model
    assert all(np.isfinite(w).all() for w in model.get_weights())
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_clicking_a_confusion_cell_shows_those_digits(window, qtbot):
    tab = small_run(window, epochs=1)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    report = window.session.report
    confusion = report.confusion.copy()
    np.fill_diagonal(confusion, 0)
    true_class, predicted = np.unravel_index(confusion.argmax(), confusion.shape)
    tab.confusion.cellClicked.emit(int(true_class), int(predicted))
    assert tab.gallery.total_count() == confusion[true_class, predicted] > 0
    tab.confusion.cellClicked.emit(3, 3)
    assert tab.gallery.total_count() == report.confusion[3, 3]


def test_personal_drawings_can_be_mixed_into_training(window, qtbot):
    digits = window.draw_tab.personal_digits
    for label in (1, 7, 9):
        digits.add(np.full((28, 28), 0, np.uint8) + np.eye(28, dtype=np.uint8) * 255, label)
    tab = small_run(window, epochs=1)
    tab.personal_check.setChecked(True)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    assert len(window.controller.trainer.x) == 3200 + 3


def test_opening_an_idx_folder_switches_the_data(window, tmp_path):
    from tests.core.test_data import make_idx_folder

    make_idx_folder(tmp_path / "digits", n_train=50, n_test=10)
    assert window.train_tab.open_dataset(tmp_path / "digits")
    assert window.session.dataset.x_train.shape == (50, 28, 28)
    assert "50 train" in window.data_label.text()


def test_window_fits_a_small_laptop_screen(window):
    minimum = window.minimumSizeHint()
    assert minimum.width() <= 1200 and minimum.height() <= 680, minimum


def test_a_data_set_opened_by_hand_shows_in_the_combo(window, tmp_path):
    from tests.core.test_data import make_idx_folder

    make_idx_folder(tmp_path / "mine", n_train=40, n_test=10)
    combo = window.train_tab.dataset_combo
    assert window.train_tab.open_dataset(tmp_path / "mine")
    assert combo.currentData() == "custom" and str(tmp_path / "mine") in combo.currentText()
    assert window.train_tab.open_dataset("sample")
    assert combo.currentData() == "sample" and combo.findData("custom") < 0


def test_space_still_toggles_a_focused_check_box(window, qtbot):
    check = window.train_tab.personal_check
    window.tabs.setCurrentIndex(0)
    check.setFocus()
    before = check.isChecked()
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.isChecked() != before
    assert not window.controller.is_running


def test_restarting_keeps_the_adam_state_and_its_step_count(window, qtbot):
    tab = small_run(window, epochs=1)
    tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("adam"))
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    first = window.session.model.optimizer
    steps = first.iterations
    assert isinstance(first, Adam) and first.lr == pytest.approx(0.001)
    window.session.make_trainer(tab.current_settings())
    assert window.session.model.optimizer is first and first.iterations == steps


def test_featurewise_standardisation_reaches_every_view(window, qtbot):
    from nnviz.session import StandardizedModel

    tab = small_run(window, epochs=1)
    tab.center_check.setChecked(True)
    tab.std_check.setChecked(True)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    view = window.session.model_for_views()
    assert isinstance(view, StandardizedModel)
    assert isinstance(view.clone(), StandardizedModel)
    x = np.random.default_rng(0).random((1, 1, 28, 28), dtype=np.float32)
    expected = window.session.view_model.predict(window.session.augmenter.standardize(x))
    np.testing.assert_allclose(view.predict(x), expected)
    inside_model = window.inside_tab.model()
    np.testing.assert_allclose(inside_model.predict(x), expected, rtol=1e-5)


def test_a_failed_start_changes_nothing(window, tmp_path):
    from tests.core.test_data import make_idx_folder

    make_idx_folder(tmp_path / "one", n_train=1, n_test=1)
    assert window.train_tab.open_dataset(tmp_path / "one")
    model = window.session.model
    optimizer = model.optimizer
    window.train_tab.l2_spin.setValue(0.5)
    window.train_tab.start()
    assert not window.controller.is_running
    assert "no training digits" in window.last_error[1]
    assert window.session.model is model and model.optimizer is optimizer
    assert model.regularization_loss() == 0
