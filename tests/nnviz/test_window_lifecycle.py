"""The window starting and closing, offscreen: what it restores and saves, bad input at
start-up, closing during training and with an unsaved trained model."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QThread
from PyQt6.QtWidgets import QApplication, QFileDialog, QMessageBox

from nnviz.app import MainWindow
from nnviz.main_window import TAB_NAMES
from nnviz.settings import TrainingSettings
from tests.nnviz.window_runs import trained


def test_closing_during_training_ends_the_thread_cleanly(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.train_tab.epochs_spin.setValue(50)
    with qtbot.waitSignal(w.controller.batchesReady, timeout=10000):
        w.train_tab.start_button.click()
    threads_before = w.controller.run_thread
    assert isinstance(threads_before, QThread) and threads_before.isRunning()
    qtbot.waitUntil(lambda: w.session.unsaved, timeout=5000)  # a snapshot of trained weights
    w.close()
    box = w.findChild(QMessageBox, "unsavedModelBox")
    assert box is not None and w.isVisible()  # it asks first, training goes on meanwhile
    box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=3000)
    assert not w.controller.is_running
    assert not threads_before.isRunning()


def test_settings_persist_between_runs(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.train_tab.lr_spin.setValue(0.02)
    first.train_tab.epochs_spin.setValue(3)
    first.tabs.setCurrentIndex(TAB_NAMES.index("Loss"))
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.train_tab.lr_spin.value() == pytest.approx(0.02)
    assert second.train_tab.epochs_spin.value() == 3
    assert second.tabs.currentIndex() == TAB_NAMES.index("Loss")


# -- bad input at start-up: a message, never a crash ----------------------------------------
def saved_training(settings: dict) -> None:
    import json

    from nnviz.main_window import settings_store

    store = settings_store()
    store.setValue("training", json.dumps(settings))
    store.sync()


def test_saved_settings_out_of_range_fall_back_with_one_status_line(qtbot):
    saved_training({"validation_split": 5, "l1": float("nan"), "batch_size": 100})
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.statusBar().currentMessage().startswith(
        "Ignored saved settings that were out of range: validation split 5 → 0.2, L1 nan → 0")
    assert w.train_tab.validation_spin.value() == pytest.approx(0.2)
    assert w.training_settings.validation_split == 0.2 and w.training_settings.l1 == 0.0


def test_an_nnviz_data_too_long_for_a_file_name_is_passed_over(qtbot, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA", "x" * 5000)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.session.dataset.is_sample
    assert "Data search: could not look in xxxx" in w.statusBar().currentMessage()
    assert "File name too long" in w.statusBar().currentMessage()


def test_an_unreadable_mnist_folder_is_passed_over(qtbot, monkeypatch, tmp_path):
    from pathlib import Path

    monkeypatch.setenv("HOME", str(tmp_path))
    blocked = tmp_path / "data" / "MNIST" / "raw"
    blocked.mkdir(parents=True)
    real_is_dir = Path.is_dir

    def is_dir(self):  # what an unreadable folder does (root may read any, so it is faked)
        if self == blocked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    w = MainWindow()
    qtbot.addWidget(w)
    assert f"could not look in {blocked} (Permission denied)" in w.statusBar().currentMessage()


@pytest.mark.parametrize("damage", ["junk", "unreadable folder"])
def test_damaged_personal_digits_do_not_stop_the_app(qtbot, monkeypatch, damage):
    from pathlib import Path

    from core.personal import default_folder

    folder = default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    if damage == "junk":
        (folder / "personal_digits.npz").write_bytes(b"\x80\x04junk")
        expected = "holds pickled Python objects"
    else:
        real_exists = Path.exists

        def exists(self):
            if self.parent == folder:
                raise PermissionError(13, "Permission denied", str(self))
            return real_exists(self)

        monkeypatch.setattr(Path, "exists", exists)
        expected = "cannot be read (permission denied)"
    w = MainWindow()
    qtbot.addWidget(w)
    assert expected in w.draw_tab.state.personal_error


@pytest.mark.parametrize("remembered", [True, False])
def test_a_bad_data_file_at_start_is_reported_and_the_sample_used(qtbot, tmp_path, remembered):
    from nnviz.main_window import settings_store

    bad = tmp_path / "bad.npz"
    bad.write_bytes(np.lib.format.MAGIC_PREFIX + b"\x01\x00 a plain .npy renamed")
    if remembered:
        store = settings_store()
        store.setValue("last_data", str(bad))
        store.sync()
    w = MainWindow(data=None if remembered else bad)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.last_error is not None)
    assert w.last_error[0] == "Cannot open this data set"
    assert "bad.npz is a single .npy array, not an .npz archive" in w.last_error[1]
    assert w.session.dataset.is_sample
    w.close()
    again = MainWindow()  # the sample is what is remembered now: the next start is clean
    qtbot.addWidget(again)
    QApplication.processEvents()  # start-up errors are shown from a zero-time timer
    assert again.last_error is None and again.session.dataset.is_sample


def test_closing_acts_within_a_second_at_batch_10000(qtbot, chunk_calls):
    """A batch of 10,000 digits takes seconds; closing mid-batch used to freeze the window
    for 2 s and close after 4. The stop is now honoured between chunks of 512."""
    import time

    from core.data import Dataset

    rng = np.random.default_rng(0)
    data = Dataset("big", rng.integers(0, 256, (12_000, 28, 28), dtype=np.uint8),
                   rng.integers(0, 10, 12_000, dtype=np.uint8),
                   np.zeros((10, 28, 28), np.uint8), np.zeros(10, np.uint8), "synthetic")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.session.dataset = data
    w.train_tab.batch_spin.setValue(10_000)
    w.train_tab.validation_spin.setValue(0.0)
    w.train_tab.start_button.click()
    qtbot.waitUntil(chunk_calls.reached(3).is_set, timeout=30000)
    start = time.perf_counter()
    w.close()
    elapsed = time.perf_counter() - start
    assert not w.controller.is_running and not w.isVisible()
    assert elapsed < 1.0, f"closing took {elapsed:.2f} s"


def test_closing_with_an_unsaved_trained_model_asks_first(window, qtbot, tmp_path,
                                                          monkeypatch):
    trained(window, qtbot)
    window.close()
    box = window.findChild(QMessageBox, "unsavedModelBox")
    assert box is not None and window.isVisible() and "trained" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(10)
    assert window.isVisible()  # Cancel: nothing happens
    path = tmp_path / "kept.npz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.close()
    window.findChild(QMessageBox, "unsavedModelBox").button(
        QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)  # Save: saved, then closed
    assert path.exists() and not window.session.unsaved


def test_closing_with_nothing_new_to_save_just_closes(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.close()
    assert not w.isVisible() and w.findChild(QMessageBox, "unsavedModelBox") is None


def test_a_saved_or_loaded_model_is_not_unsaved(window, qtbot, tmp_path):
    trained(window, qtbot)
    assert window.save_model(tmp_path / "m.npz") and not window.session.unsaved
    trained(window, qtbot)
    assert window.load_model(tmp_path / "m.npz") and not window.session.unsaved


def test_the_next_start_says_it_restored_settings_and_can_go_back(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.train_tab.epochs_spin.setValue(50)
    first.train_tab.l1_spin.setValue(1e-4)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    note = second.statusBar().currentMessage()
    assert "Restored your last session's settings" in note
    assert "Epochs 50" in note and "L1 1e-4" in note
    second.train_tab.restore_tutorial_settings()
    assert second.train_tab.current_settings() == TrainingSettings()
    second.close()
    third = MainWindow()
    qtbot.addWidget(third)
    assert "Restored" not in third.statusBar().currentMessage()  # the tutorial's: nothing
