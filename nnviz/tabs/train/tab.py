"""The Train tab: choose data and hyper-parameters, run training live, see what it gets wrong.

A facade over the session (data, model, settings) and the training controller (the
worker thread). Controls default to the tutorial's settings; the learning rate, the
L1/L2 strengths and dropout may change while a run is going, everything else is locked
until it ends. Results arrive through the controller's throttled signals.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core import optimizers as optimizer_defaults
from core.data import DataError
from core.model import validation_split_index
from core.models import TUTORIAL_OPTIMIZER
from core.training import ValidationReport
from nnviz.session import Session, TrainingSettings
from nnviz.tabs.train.confusion_matrix import ConfusionMatrix
from nnviz.tabs.train.curves import TrainCurves
from nnviz.tabs.train.progress import TrainProgress
from nnviz.training.controller import TrainingController
from nnviz.widgets.digit_gallery import DigitGallery
from nnviz.widgets.digit_image import digit_pixmap

OPTIMIZERS = {"sgd": "SGD (momentum, Nesterov, decay)", "adagrad": "Adagrad",
              "adadelta": "Adadelta", "adam": "Adam"}
DEFAULT_LR = {**optimizer_defaults.DEFAULT_LR, "sgd": TUTORIAL_OPTIMIZER["lr"]}
SAMPLE_STRIP = 10


def _spin(minimum: float, maximum: float, value: float, decimals: int, step: float,
          tip: str, name: str, suffix: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(minimum, maximum)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setToolTip(tip)
    box.setObjectName(name)
    box.setKeyboardTracking(False)
    return box


def _int_spin(minimum: int, maximum: int, value: int, tip: str, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, maximum)
    box.setValue(value)
    box.setToolTip(tip)
    box.setObjectName(name)
    box.setKeyboardTracking(False)
    return box


class TrainTab(QWidget):
    """Train the CNN live. Signals: ``errorOccurred(title, text)`` for the main window's
    message box, ``statusMessage(text)`` for its status bar."""

    errorOccurred = pyqtSignal(str, str)
    statusMessage = pyqtSignal(str)

    def __init__(self, session: Session, controller: TrainingController,
                 settings: TrainingSettings | None = None,
                 personal_digits=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.session = session
        self.controller = controller
        self.settings = settings or TrainingSettings()
        self.personal_digits = personal_digits
        self._datasets = session.available_datasets()
        self._validation: tuple[np.ndarray, np.ndarray] | None = None
        self._last_position = 0.0   # where the curves end, in epochs
        self._report_shown = True   # False while the latest epoch's results wait to be drawn
        self._epoch_offset = 0
        self._build_ui()
        self._load_settings_into_controls()
        self._connect()
        self._show_dataset()
        self._update_buttons()

    # -- building -----------------------------------------------------------------------
    def _build_ui(self) -> None:
        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self._build_data_box())
        column.addWidget(self._build_optimizer_box())
        column.addWidget(self._build_run_box())
        column.addWidget(self._build_regularization_box())
        column.addWidget(self._build_augmentation_box())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(controls.sizeHint().width()
                             + scroll.verticalScrollBar().sizeHint().width() + 4)

        self.progress = TrainProgress()
        self.curves = TrainCurves()
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
        right_layout.addWidget(self._build_buttons())
        right_layout.addWidget(self.progress)
        right_layout.addWidget(right, 1)

        layout = QHBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(right_box, 1)

    def _build_data_box(self) -> QGroupBox:
        box = QGroupBox("Data")
        layout = QVBoxLayout(box)
        self.dataset_combo = QComboBox()
        self.dataset_combo.setObjectName("datasetCombo")
        self.dataset_combo.setToolTip(
            "Which digits to train on: the 5,000 MNIST digits shipped with nnviz, full MNIST "
            "or Fashion-MNIST when found on this computer (set NNVIZ_DATA, or keep them where "
            "Keras or torchvision put them), or a folder of IDX files / a Keras .npz you pick.")
        self._fill_dataset_combo()
        self.dataset_info = QLabel()
        self.dataset_info.setObjectName("datasetInfo")
        self.dataset_info.setWordWrap(True)
        self.sample_strip = QLabel()
        self.sample_strip.setObjectName("sampleStrip")
        self.sample_strip.setToolTip("The first training images of the data set.")
        self.personal_check = QCheckBox("Mix in my drawings")
        self.personal_check.setObjectName("personalCheck")
        self.personal_check.setToolTip(
            "Add the digits you labelled on the Draw tab to the training data, so the "
            "network learns your handwriting.")
        layout.addWidget(self.dataset_combo)
        layout.addWidget(self.dataset_info)
        layout.addWidget(self.sample_strip)
        layout.addWidget(self.personal_check)
        return box

    def _fill_dataset_combo(self) -> None:
        self.dataset_combo.blockSignals(True)
        self.dataset_combo.clear()
        self.dataset_combo.addItem("Shipped sample (5,000 MNIST digits)", "sample")
        if "mnist" in self._datasets:
            self.dataset_combo.addItem(f"MNIST (70,000) — {self._datasets['mnist']}", "mnist")
        if "fashion-mnist" in self._datasets:
            self.dataset_combo.addItem("Fashion-MNIST (70,000)", "fashion-mnist")
        self.dataset_combo.addItem("Open a folder of IDX files…", "open")
        self.dataset_combo.addItem("Open a Keras .npz file…", "open-npz")
        self.dataset_combo.blockSignals(False)

    def _build_optimizer_box(self) -> QGroupBox:
        box = QGroupBox("Optimizer")
        form = QFormLayout(box)
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setObjectName("optimizerCombo")
        for key, label in OPTIMIZERS.items():
            self.optimizer_combo.addItem(label, key)
        self.optimizer_combo.setToolTip(
            "How the weights follow the gradient. The tutorial uses SGD with Nesterov "
            "momentum; Adagrad, Adadelta and Adam adapt a step size per weight.")
        self.lr_spin = _spin(1e-5, 10.0, 0.05, 5, 0.005, (
            "Learning rate: the size of each gradient step. Can be changed while training "
            "runs. Too high and the loss explodes (training pauses itself)."), "lrSpin")
        self.momentum_spin = _spin(0.0, 0.999, 0.9, 3, 0.05, (
            "Momentum: each step keeps this share of the previous one, smoothing the path."),
            "momentumSpin")
        self.nesterov_check = QCheckBox("Nesterov momentum")
        self.nesterov_check.setObjectName("nesterovCheck")
        self.nesterov_check.setToolTip("Look ahead along the momentum before taking the "
                                       "gradient step (the tutorial uses it).")
        self.decay_spin = _spin(0.0, 0.1, 1e-6, 7, 1e-6, (
            "Keras' decay: the learning rate at step t is lr / (1 + decay · t)."), "decaySpin")
        form.addRow("Method", self.optimizer_combo)
        form.addRow("Learning rate", self.lr_spin)
        form.addRow("Momentum", self.momentum_spin)
        form.addRow("", self.nesterov_check)
        form.addRow("Decay", self.decay_spin)
        return box

    def _build_run_box(self) -> QGroupBox:
        box = QGroupBox("Training")
        form = QFormLayout(box)
        self.batch_spin = _int_spin(1, 10000, 100, "Samples per gradient step (the tutorial "
                                    "uses 100).", "batchSpin")
        self.epochs_spin = _int_spin(1, 1000, 10, "Passes over the training data.",
                                     "epochsSpin")
        self.validation_spin = _spin(0.0, 0.9, 0.2, 2, 0.05, (
            "Share of the training data held out to measure generalisation. As in Keras, "
            "it is the LAST part of the data, taken before shuffling."), "validationSpin")
        form.addRow("Batch size", self.batch_spin)
        form.addRow("Epochs", self.epochs_spin)
        form.addRow("Validation split", self.validation_spin)
        return box

    def _build_regularization_box(self) -> QGroupBox:
        box = QGroupBox("Regularization")
        form = QFormLayout(box)
        self.l1_spin = _spin(0.0, 1.0, 0.0, 6, 1e-5, (
            "L1 strength α: adds α·Σ|w| to the loss of every kernel. Drives many weights to "
            "exactly zero (see the Inside and Regularization tabs). Live while training."),
            "l1Spin")
        self.l2_spin = _spin(0.0, 1.0, 0.0, 6, 1e-4, (
            "L2 strength α: adds α·Σw² to the loss (weight decay). Keeps all weights small. "
            "Live while training."), "l2Spin")
        self.dropout_spin = _spin(0.0, 0.9, 0.0, 2, 0.05, (
            "Dropout before each dense layer: while training, zero this share of the "
            "activations at random (0 is the tutorial). Can change while training when the "
            "run started with dropout above 0."), "dropoutSpin")
        form.addRow("L1", self.l1_spin)
        form.addRow("L2", self.l2_spin)
        form.addRow("Dropout", self.dropout_spin)
        return box

    def _build_augmentation_box(self) -> QGroupBox:
        box = QGroupBox("Augmentation")
        form = QFormLayout(box)
        self.rotation_spin = _spin(0.0, 180.0, 0.0, 0, 5.0, (
            "Rotate each training digit by a random angle up to this (the tutorial: 20°)."),
            "rotationSpin", "°")
        self.shift_spin = _spin(0.0, 0.5, 0.0, 2, 0.05, (
            "Shift each digit by up to this share of the width and height (the tutorial: "
            "0.2)."), "shiftSpin")
        self.hflip_check = QCheckBox("Horizontal flip")
        self.hflip_check.setObjectName("hflipCheck")
        self.hflip_check.setToolTip("Mirror half of the digits left-right. Wrong for digits!")
        self.vflip_check = QCheckBox("Vertical flip")
        self.vflip_check.setObjectName("vflipCheck")
        self.vflip_check.setToolTip("Mirror half of the digits top-bottom. Wrong for digits!")
        self.center_check = QCheckBox("Featurewise centre")
        self.center_check.setToolTip("Subtract the mean pixel value of the training data.")
        self.std_check = QCheckBox("Featurewise std normalisation")
        self.std_check.setToolTip("Divide by the standard deviation of the training data.")
        self.zca_check = QCheckBox("ZCA whitening")
        self.zca_check.setToolTip("Decorrelate the pixels (fitted on the training data; slow "
                                  "for large data sets).")
        self.augment_warning = QLabel()
        self.augment_warning.setObjectName("augmentWarning")
        self.augment_warning.setWordWrap(True)
        self.augment_warning.setStyleSheet("color: #b45309;")
        self.augment_warning.hide()
        form.addRow("Rotation", self.rotation_spin)
        form.addRow("Shift", self.shift_spin)
        form.addRow(self.hflip_check)
        form.addRow(self.vflip_check)
        form.addRow(self.center_check)
        form.addRow(self.std_check)
        form.addRow(self.zca_check)
        form.addRow(self.augment_warning)
        return box

    def _build_buttons(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        icon = self.style().standardIcon
        pixmaps = QStyle.StandardPixmap
        self.start_button = QPushButton(icon(pixmaps.SP_MediaPlay), "Start")
        self.start_button.setObjectName("startButton")
        self.start_button.setToolTip("Train with these settings, continuing from the current "
                                     "weights.")
        self.pause_button = QPushButton(icon(pixmaps.SP_MediaPause), "Pause")
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setToolTip("Pause or resume after the current batch (Space).")
        self.step_button = QPushButton(icon(pixmaps.SP_MediaSkipForward), "Step")
        self.step_button.setObjectName("stepButton")
        self.step_button.setToolTip("Train exactly one batch, then pause (starts paused when "
                                    "idle).")
        self.stop_button = QPushButton(icon(pixmaps.SP_MediaStop), "Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip("End the run; the weights trained so far are kept.")
        self.reset_button = QPushButton(icon(pixmaps.SP_BrowserReload), "Reset weights")
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setToolTip("Start again from random weights (stops a run first).")
        for button in (self.start_button, self.pause_button, self.step_button,
                       self.stop_button, self.reset_button):
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        self.model_label = QLabel()
        self.model_label.setObjectName("modelLabel")
        self.model_label.setStyleSheet("color: #475569;")
        row.addWidget(self.model_label, 1)
        return bar

    # -- settings <-> controls ------------------------------------------------------------
    def _load_settings_into_controls(self) -> None:
        s = self.settings
        self.optimizer_combo.setCurrentIndex(max(self.optimizer_combo.findData(s.optimizer), 0))
        self.lr_spin.setValue(s.lr)
        self.momentum_spin.setValue(s.momentum)
        self.nesterov_check.setChecked(s.nesterov)
        self.decay_spin.setValue(s.decay)
        self.batch_spin.setValue(s.batch_size)
        self.epochs_spin.setValue(s.epochs)
        self.validation_spin.setValue(s.validation_split)
        self.l1_spin.setValue(s.l1)
        self.l2_spin.setValue(s.l2)
        self.dropout_spin.setValue(s.dropout)
        self.rotation_spin.setValue(s.rotation_range)
        self.shift_spin.setValue(s.shift_range)
        self.hflip_check.setChecked(s.horizontal_flip)
        self.vflip_check.setChecked(s.vertical_flip)
        self.center_check.setChecked(s.featurewise_center)
        self.std_check.setChecked(s.featurewise_std_normalization)
        self.zca_check.setChecked(s.zca_whitening)
        self.personal_check.setChecked(s.use_personal_digits)
        self._update_optimizer_controls()
        self._update_augment_warning()

    def _read_controls(self) -> None:
        s = self.settings
        s.optimizer = self.optimizer_combo.currentData()
        s.lr = self.lr_spin.value()
        s.momentum = self.momentum_spin.value()
        s.nesterov = self.nesterov_check.isChecked()
        s.decay = self.decay_spin.value()
        s.batch_size = self.batch_spin.value()
        s.epochs = self.epochs_spin.value()
        s.validation_split = self.validation_spin.value()
        s.l1 = self.l1_spin.value()
        s.l2 = self.l2_spin.value()
        s.dropout = self.dropout_spin.value()
        s.rotation_range = self.rotation_spin.value()
        s.shift_range = self.shift_spin.value()
        s.horizontal_flip = self.hflip_check.isChecked()
        s.vertical_flip = self.vflip_check.isChecked()
        s.featurewise_center = self.center_check.isChecked()
        s.featurewise_std_normalization = self.std_check.isChecked()
        s.zca_whitening = self.zca_check.isChecked()
        s.use_personal_digits = self.personal_check.isChecked()

    def _connect(self) -> None:
        self.dataset_combo.activated.connect(self._on_dataset_combo_activated)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_changed)
        self.lr_spin.valueChanged.connect(self._on_lr_changed)
        for box in (self.l1_spin, self.l2_spin):
            box.valueChanged.connect(self._on_regularization_changed)
        self.dropout_spin.valueChanged.connect(self._on_dropout_changed)
        for check in (self.hflip_check, self.vflip_check, self.center_check, self.std_check,
                      self.zca_check):
            check.toggled.connect(self._update_augment_warning)
        self.rotation_spin.valueChanged.connect(self._update_augment_warning)
        self.validation_spin.valueChanged.connect(self._show_dataset)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.step_button.clicked.connect(self.step)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset_weights)
        self.confusion.cellClicked.connect(self._on_confusion_cell_clicked)
        c = self.controller
        c.batchesReady.connect(self._on_batches_ready)
        c.epochFinished.connect(self._on_epoch_finished)
        c.stateChanged.connect(self._on_state_changed)
        c.failed.connect(self._on_run_failed)
        c.runFinished.connect(self._on_run_finished)
        self.session.datasetChanged.connect(self._show_dataset)
        self.session.modelChanged.connect(self._show_model)
        self.session.weightsChanged.connect(self._show_model)
        self._show_model()

    # -- actions (public, used by menus, shortcuts and tests) -----------------------------
    def current_settings(self) -> TrainingSettings:
        """The settings as the controls show them now."""
        self._read_controls()
        return self.settings

    def start(self) -> None:
        """Start a run with the current settings (continues from the current weights)."""
        self._start(paused=False)

    def _start(self, paused: bool) -> None:
        if self.controller.is_running:
            return
        self._read_controls()
        personal = None
        if self.settings.use_personal_digits and self.personal_digits is not None \
                and len(self.personal_digits):
            personal = self.personal_digits.training_arrays()
        try:
            trainer = self.session.make_trainer(self.settings, personal, start_paused=paused)
        except (ValueError, MemoryError) as error:
            self.errorOccurred.emit("Cannot start training", str(error))
            return
        self._validation = self.session.validation_images(self.settings)
        self._epoch_offset = math.ceil(self._last_position)  # curves continue after earlier runs
        self.progress.reset()
        self.controller.start(trainer)
        self._update_buttons()
        self.statusMessage.emit("Training started." if not paused else "Stepping one batch.")

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
        if self.controller.is_running:
            self.controller.step()
        else:
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
        self._read_controls()
        self.session.reset_model(self.settings)
        self._last_position = 0.0
        self.curves.clear()
        self.confusion.clear()
        self.gallery.clear()
        self.progress.reset()
        self.statusMessage.emit("Weights reset to random values.")

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
        self.statusMessage.emit(f"Data: {data.describe()}")
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

    # -- slots --------------------------------------------------------------------------
    def _on_dataset_combo_activated(self, index: int) -> None:
        key = self.dataset_combo.itemData(index)
        if key == "open":
            self.choose_dataset_folder()
        elif key == "open-npz":
            self.choose_dataset_file()
        elif key == "sample":
            self.open_dataset("sample")
        elif key == "custom":
            return
        else:
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
            f"images.<br><span style='color:#64748b'>{data.source}</span>")
        strip = np.concatenate(list(data.x_train[:SAMPLE_STRIP]), axis=1) if n else None
        if strip is not None:
            self.sample_strip.setPixmap(digit_pixmap(strip, 1))
        self._select_current_dataset()

    def _show_model(self) -> None:
        origin = self.session.model_origin
        steps = self.session.steps_trained
        self.model_label.setText(f"Model: {origin}" + (f" · {steps:,} steps" if steps else ""))

    def _on_optimizer_changed(self, _index: int) -> None:
        key = self.optimizer_combo.currentData()
        self.lr_spin.setValue(DEFAULT_LR[key])
        self._update_optimizer_controls()

    def _update_optimizer_controls(self) -> None:
        sgd = self.optimizer_combo.currentData() == "sgd"
        running = self.controller.is_running
        for widget in (self.momentum_spin, self.nesterov_check, self.decay_spin):
            widget.setEnabled(sgd and not running)

    def _on_lr_changed(self, value: float) -> None:
        self.settings.lr = value
        self.controller.set_learning_rate(value)

    def _on_regularization_changed(self, _value: float) -> None:
        self.settings.l1, self.settings.l2 = self.l1_spin.value(), self.l2_spin.value()
        self.controller.set_regularization(self.settings.l1, self.settings.l2)

    def _on_dropout_changed(self, value: float) -> None:
        self.settings.dropout = value
        self.controller.set_dropout(value)

    def _update_augment_warning(self, *_args) -> None:
        self._read_augmentation_only()
        notes = self.settings.augmentation().warnings()
        if self.zca_check.isChecked() and len(self.session.dataset.y_train) > 20000:
            notes.append("ZCA whitening fits a 784×784 matrix: starting takes a few seconds.")
        self.augment_warning.setText("⚠ " + "\n⚠ ".join(notes) if notes else "")
        self.augment_warning.setVisible(bool(notes))

    def _read_augmentation_only(self) -> None:
        s = self.settings
        s.horizontal_flip = self.hflip_check.isChecked()
        s.vertical_flip = self.vflip_check.isChecked()
        s.rotation_range = self.rotation_spin.value()

    def _on_batches_ready(self, payload: dict) -> None:
        position = payload["position"] + self._epoch_offset
        self._last_position = float(position[-1])
        self.curves.add_batches(position, payload["loss"], payload["data_loss"],
                                payload["penalty"], payload["accuracy"], payload["lr"])
        progress = payload.get("progress")
        if progress:
            self.progress.update_progress(
                progress["epoch"] + 1, self.settings.epochs, progress["batch"] + 1,
                progress["batches"], progress["seen"], progress["total"],
                progress["samples_per_sec"], progress["eta_seconds"])

    def _on_epoch_finished(self, logs: dict, report: ValidationReport | None) -> None:
        epoch = int(logs.get("epoch", 0))
        self.curves.add_epoch(self._epoch_offset + epoch + 1, logs.get("val_loss", math.nan),
                              logs.get("val_accuracy", math.nan), logs.get("loss", math.nan),
                              logs.get("accuracy", math.nan))
        if report is not None:
            self.session.report = report
            self._report_shown = False
            if self.isVisible():  # else when the tab is shown (see showEvent)
                self._show_report()
        val = logs.get("val_accuracy")
        self.statusMessage.emit(f"Epoch {epoch + 1} done" + (
            f": validation accuracy {val:.2%}" if val is not None else ""))

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
        self.confusion.set_matrix(report.confusion, self.session.dataset.class_names)
        self._show_misclassified(report)

    def _show_misclassified(self, report: ValidationReport) -> None:
        if self._validation is None:
            return
        images = self._validation[0][report.misclassified]
        names = self.session.dataset.class_names
        captions = [f"said {names[p]} ({c:.0%})\ntrue {names[t]}"
                    for p, t, c in zip(report.predicted, report.true, report.confidence,
                                       strict=True)]
        self.gallery.set_digits(images, captions, f"Misclassified validation digits after "
                                f"epoch {report.epoch + 1}: {len(images):,}")

    def _on_confusion_cell_clicked(self, true_class: int, predicted_class: int) -> None:
        report = self.session.report
        if report is None or self._validation is None:
            return
        x_val, y_val = self._validation
        if true_class == predicted_class:
            # the report lists only the mistakes: the right ones are the class's others
            right = (y_val == true_class) & ~np.isin(np.arange(len(y_val)),
                                                     report.misclassified)
            images = x_val[right]
            captions = [f"true {true_class}"] * len(images)
        else:
            mask = (report.true == true_class) & (report.predicted == predicted_class)
            images = x_val[report.misclassified[mask]]
            captions = [f"said {predicted_class} ({c:.0%})" for c in report.confidence[mask]]
        names = self.session.dataset.class_names
        self.gallery.set_digits(images, captions, f"True {names[true_class]}, predicted "
                                f"{names[predicted_class]}: {len(images):,} digits")

    def _on_state_changed(self, state: str, message: str) -> None:
        self.progress.set_state(state, message)
        if state == "diverged":
            self.errorOccurred.emit("Training diverged", message)
        self._update_buttons()
        if message:
            self.statusMessage.emit(message)

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
        for widget in (self.dataset_combo, self.optimizer_combo, self.batch_spin,
                       self.epochs_spin, self.validation_spin, self.rotation_spin,
                       self.shift_spin, self.hflip_check, self.vflip_check, self.center_check,
                       self.std_check, self.zca_check, self.personal_check):
            widget.setEnabled(not running)
        self._update_optimizer_controls()
        # live dropout needs Dropout layers, which a run started at 0 does not have
        has_dropout = any(layer.kind == "dropout" for layer in self.session.model.layers)
        self.dropout_spin.setEnabled(not running or has_dropout)
