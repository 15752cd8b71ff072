"""The Train tab: choose data and hyper-parameters, run training live, see what it gets wrong.

A facade over the session (data, model, the latest report) and the training controller
(the worker thread). Controls (built in :mod:`nnviz.tabs.train.controls`) default to the
tutorial's settings; the learning rate, the L1/L2 strengths and dropout may change while
a run is going, everything else is locked until it ends. Results arrive through the
controller's throttled signals: batches and epochs go into the run history the curves
show, the epoch's report into the session, whose ``reportChanged`` brings the confusion
matrix and the misclassified digits.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QFileDialog, QHBoxLayout, QSplitter, QStyle, QVBoxLayout, QWidget

from core.data import DataError
from core.model import validation_split_index
from core.training import ValidationReport
from nnviz.session import Session
from nnviz.settings import TrainingSettings
from nnviz.tabs.train.confusion_matrix import ConfusionMatrix
from nnviz.tabs.train.controls import (
    DEFAULT_LR,
    FIELDS,
    OPTIMIZERS,
    build_run_bar,
    build_settings_column,
    changed_signal,
    fill_dataset_combo,
    lock_for_run,
    read_settings,
    show_settings,
)
from nnviz.tabs.train.curves import TrainCurves
from nnviz.tabs.train.history import RunHistory
from nnviz.tabs.train.progress import TrainProgress
from nnviz.tabs.train.report import DigitSelection, cell_digits, misclassified_digits
from nnviz.theme import plot_colors
from nnviz.training.controller import TrainingController
from nnviz.widgets.digit_gallery import DigitGallery
from nnviz.widgets.digit_image import digit_pixmap

# DEFAULT_LR and OPTIMIZERS now live in controls; they stay importable from here
__all__ = ["DEFAULT_LR", "OPTIMIZERS", "SAMPLE_STRIP", "TrainTab"]

SAMPLE_STRIP = 10


class TrainTab(QWidget):
    """Train the CNN live. Signals: ``errorOccurred(title, text)`` for the main window's
    message box, ``statusMessageChanged(text)`` (alias ``statusMessage``) for its status bar."""

    errorOccurred = pyqtSignal(str, str)
    statusMessageChanged = pyqtSignal(str)
    statusMessage = statusMessageChanged  # the earlier name

    def __init__(self, session: Session, controller: TrainingController,
                 settings: TrainingSettings | None = None,
                 personal_digits=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.session = session
        self.controller = controller
        self.settings = settings or TrainingSettings()
        self.personal_digits = personal_digits
        self.history = RunHistory()
        """Every batch and epoch since the last weight reset (what the curves show)."""
        self._datasets = session.available_datasets()
        self._report_shown = True   # False while the latest epoch's results wait to be drawn
        self._build_ui()
        show_settings(self, self.settings)
        self._connect()
        self._update_augment_warning()
        self._show_dataset()
        self._update_buttons()

    # -- building -----------------------------------------------------------------------
    def _build_ui(self) -> None:
        settings_column = build_settings_column(self)
        fill_dataset_combo(self.dataset_combo, self._datasets)
        self.progress = TrainProgress()
        self.curves = TrainCurves(history=self.history)
        self.confusion = ConfusionMatrix()
        self.gallery = DigitGallery()
        self.confusion.setToolTip("Validation digits by true class (rows) and predicted class "
                                  "(columns) at the end of the last epoch. Click a cell to see "
                                  "those digits.")
        results = QSplitter(Qt.Orientation.Horizontal)
        results.addWidget(self.confusion)
        results.addWidget(self.gallery)
        results.setStretchFactor(0, 2)
        results.setStretchFactor(1, 3)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.curves)
        right.addWidget(results)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right_box = QWidget()
        right_layout = QVBoxLayout(right_box)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(build_run_bar(self))
        right_layout.addWidget(self.progress)
        right_layout.addWidget(right, 1)

        layout = QHBoxLayout(self)
        layout.addWidget(settings_column)
        layout.addWidget(right_box, 1)

    def _connect(self) -> None:
        for path, name in FIELDS.items():
            changed_signal(getattr(self, name)).connect(
                lambda *_, p=path: self._on_setting_changed(p))
        self.dataset_combo.activated.connect(self._on_dataset_combo_activated)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.step_button.clicked.connect(self.step)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset_weights)
        self.confusion.cellClicked.connect(self._on_confusion_cell_clicked)
        c = self.controller
        c.batchesReady.connect(self._on_batches_ready)
        c.epochFinished.connect(self.session.record_epoch)
        c.epochFinished.connect(self._on_epoch_finished)
        c.stateChanged.connect(self._on_state_changed)
        c.failed.connect(self._on_run_failed)
        c.runFinished.connect(self._on_run_finished)
        self.session.datasetChanged.connect(self._show_dataset)
        self.session.modelChanged.connect(self._show_model)
        self.session.weightsChanged.connect(self._show_model)
        self.session.reportChanged.connect(self._on_report_changed)
        self._show_model()

    # -- actions (public, used by menus, shortcuts and tests) -----------------------------
    def current_settings(self) -> TrainingSettings:
        """The settings as the controls show them now."""
        read_settings(self, self.settings)
        return self.settings

    def start(self) -> None:
        """Start a run with the current settings (continues from the current weights)."""
        self._start(paused=False)

    def _start(self, paused: bool) -> None:
        if self.controller.is_running:
            return
        settings = self.current_settings()
        personal = None
        if settings.use_personal_digits and self.personal_digits is not None \
                and len(self.personal_digits):
            personal = self.personal_digits.training_arrays()
        try:
            trainer = self.session.make_trainer(settings, personal, start_paused=paused)
        except (ValueError, MemoryError) as error:
            self.errorOccurred.emit("Cannot start training", str(error))
            return
        self.history.begin_run()  # the curves continue after earlier runs
        self.progress.reset()
        self.controller.start(trainer)
        self._update_buttons()
        self.statusMessageChanged.emit("Training started." if not paused
                                       else "Stepping one batch.")

    def toggle_pause(self) -> None:
        """Pause a running run, or resume a paused one (Space)."""
        if not self.controller.is_running:
            return
        if self.controller.is_paused:
            self.controller.resume()
        else:
            self.controller.pause()
        self._update_buttons()

    def step(self) -> None:
        """Train one batch and pause (starting a paused run when idle)."""
        if not self.controller.is_running:
            self._start(paused=True)
        self.controller.step()
        self._update_buttons()

    def stop(self) -> None:
        """End the run after the current batch."""
        self.controller.stop()

    def reset_weights(self) -> None:
        """Fresh random weights (stopping any run first) and cleared curves."""
        if self.controller.is_running and not self.controller.shutdown(2000):
            self.errorOccurred.emit("Cannot reset", "The training thread did not stop in time.")
            return
        self.session.reset_model(self.current_settings())
        self.curves.clear()
        self.confusion.clear()
        self.gallery.clear()
        self.progress.reset()
        self.statusMessageChanged.emit("Weights reset to random values.")

    def open_dataset(self, source: str | Path, dataset: str = "mnist") -> bool:
        """Switch data sets; on a bad file or folder say why and keep the current one."""
        if self.controller.is_running:
            self.errorOccurred.emit("Training is running",
                                    "Stop training before changing the data set.")
            self._select_current_dataset()
            return False
        try:
            data = self.session.open_dataset(source, dataset)
        except DataError as error:
            self.errorOccurred.emit("Cannot open this data set",
                                    f"{error}\n\nThe data set in use is unchanged.")
            self._select_current_dataset()
            return False
        self.statusMessageChanged.emit(f"Data: {data.describe()}")
        return True

    def choose_dataset_folder(self) -> None:
        """Ask for a folder of IDX files and open it."""
        folder = QFileDialog.getExistingDirectory(self, "Folder with the four IDX files")
        if folder:
            self.open_dataset(folder)
        else:
            self._select_current_dataset()

    def choose_dataset_file(self) -> None:
        """Ask for a Keras .npz file and open it."""
        path, _ = QFileDialog.getOpenFileName(self, "A Keras MNIST or Fashion-MNIST file", "",
                                              "Keras data sets (*.npz)")
        if path:
            self.open_dataset(path)
        else:
            self._select_current_dataset()

    # -- settings -------------------------------------------------------------------------
    def _on_setting_changed(self, path: str) -> None:
        """A control changed: copy it into the settings and act on what changes at once."""
        read_settings(self, self.settings, (path,))
        s = self.settings
        if path == "optimizer":
            self.lr_spin.setValue(DEFAULT_LR[s.optimizer])  # -> "lr" below
            self._update_buttons()
        elif path == "lr":
            self.controller.set_learning_rate(s.lr)
        elif path in ("l1", "l2"):
            self.controller.set_regularization(s.l1, s.l2)
        elif path == "dropout":
            self.controller.set_dropout(s.dropout)
        elif path == "validation_split":
            self._show_dataset()
        self._update_augment_warning()

    def _update_augment_warning(self) -> None:
        notes = self.settings.augmentation.warnings()
        if self.settings.augmentation.zca_whitening and len(self.session.dataset.y_train) > 20000:
            notes.append("ZCA whitening fits a 784×784 matrix: starting takes a few seconds.")
        self.augment_warning.setText("⚠ " + "\n⚠ ".join(notes) if notes else "")
        self.augment_warning.setVisible(bool(notes))

    # -- data and model -------------------------------------------------------------------
    def _on_dataset_combo_activated(self, index: int) -> None:
        key = self.dataset_combo.itemData(index)
        if key == "open":
            self.choose_dataset_folder()
        elif key == "open-npz":
            self.choose_dataset_file()
        elif key == "sample":
            self.open_dataset("sample")
        elif key != "custom":
            self.open_dataset(self._datasets[key], key)

    def _select_current_dataset(self) -> None:
        """Show the data set in use in the combo (an extra entry for one opened by hand)."""
        data = self.session.dataset
        combo = self.dataset_combo
        combo.blockSignals(True)
        custom = combo.findData("custom")
        if custom >= 0:
            combo.removeItem(custom)
        found = self._datasets.get(data.name)
        if data.is_sample:
            index = combo.findData("sample")
        elif found is not None and str(found) == data.source:
            index = combo.findData(data.name)
        else:
            index = combo.count() - 2  # before the two "Open…" entries
            combo.insertItem(index, f"{data.name}: {data.source}", "custom")
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def _show_dataset(self) -> None:
        data = self.session.dataset
        split = self.validation_spin.value()
        n = len(data.y_train)
        n_val = n - validation_split_index(n, split)
        self.dataset_info.setText(
            f"<b>{data.name}</b>: {n:,} training images → {n - n_val:,} to train on and "
            f"{n_val:,} for validation (the last {split:.0%}); {len(data.y_test):,} test "
            f"images.<br><span style='color:{plot_colors().muted}'>{data.source}</span>")
        if n:
            strip = np.concatenate(list(data.x_train[:SAMPLE_STRIP]), axis=1)
            self.sample_strip.setPixmap(digit_pixmap(strip, 1))
        self._select_current_dataset()
        self._update_augment_warning()

    def _show_model(self) -> None:
        origin = self.session.model_origin
        steps = self.session.steps_trained
        self.model_label.setText(f"Model: {origin}" + (f" · {steps:,} steps" if steps else ""))

    # -- results --------------------------------------------------------------------------
    def _on_batches_ready(self, payload: dict) -> None:
        position = payload["position"] + self.history.run_start
        self.curves.add_batches(position, payload["loss"], payload["data_loss"],
                                payload["penalty"], payload["accuracy"], payload["lr"])
        progress = payload.get("progress")
        if progress:
            self.progress.update_progress(
                progress["epoch"] + 1, self.settings.epochs, progress["batch"] + 1,
                progress["batches"], progress["seen"], progress["total"],
                progress["samples_per_sec"], progress["eta_seconds"])

    def _on_epoch_finished(self, logs: dict, _report: ValidationReport | None) -> None:
        epoch = int(logs.get("epoch", 0))
        self.curves.add_epoch(self.history.run_start + epoch + 1,
                              logs.get("val_loss", math.nan), logs.get("val_accuracy", math.nan),
                              logs.get("loss", math.nan), logs.get("accuracy", math.nan))
        val = logs.get("val_accuracy")
        self.statusMessageChanged.emit(f"Epoch {epoch + 1} done" + (
            f": validation accuracy {val:.2%}" if val is not None else ""))

    def _on_report_changed(self) -> None:
        self._report_shown = False
        if self.isVisible():  # else when the tab is shown (see showEvent)
            self._show_report()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._report_shown:
            self._show_report()

    def _show_report(self) -> None:
        """The confusion matrix and misclassified digits of the latest epoch."""
        report = self.session.report
        self._report_shown = True
        if report is None:
            return
        names = self.session.dataset.class_names
        self.confusion.set_matrix(report.confusion, names)
        validation = self.session.validation_digits
        if validation is not None:
            self._show_digits(misclassified_digits(report, validation[0], names))

    def _on_confusion_cell_clicked(self, true_class: int, predicted_class: int) -> None:
        report, validation = self.session.report, self.session.validation_digits
        if report is None or validation is None:
            return
        self._show_digits(cell_digits(report, *validation, true_class, predicted_class,
                                      self.session.dataset.class_names))

    def _show_digits(self, selection: DigitSelection) -> None:
        self.gallery.set_digits(selection.images, selection.captions, selection.title)

    # -- run state ------------------------------------------------------------------------
    def _on_state_changed(self, state: str, message: str) -> None:
        self.progress.set_state(state, message)
        if state == "diverged":
            self.errorOccurred.emit("Training diverged", message)
        self._update_buttons()
        if message:
            self.statusMessageChanged.emit(message)

    def _on_run_failed(self, details: str) -> None:
        self.errorOccurred.emit("Training failed", details.strip().splitlines()[-1]
                                + "\n\n" + details)

    def _on_run_finished(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.controller.is_running
        paused = self.controller.is_paused
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause))
        self.stop_button.setEnabled(running)
        # live dropout needs Dropout layers, which a run started at 0 does not have
        lock_for_run(self, running, self.session.has_dropout())
