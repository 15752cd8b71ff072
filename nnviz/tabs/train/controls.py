"""The Train tab's controls, and the one table that binds them to the training settings.

:data:`FIELDS` maps a :class:`~nnviz.settings.TrainingSettings` path to the name of the
control that shows it; :func:`show_settings` (settings -> controls) and
:func:`read_settings` (controls -> settings) are one loop each over it. Adding an
option is one row here plus its control in a ``_*_box`` builder below.

The builders work like Qt Designer's ``setupUi``: they create the controls as attributes
of ``owner`` (the tab), so ``tab.lr_spin`` is the learning-rate box, and return the
widget that holds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PyQt6.QtCore import Qt, pyqtBoundSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core import optimizers as optimizer_defaults
from core.models import TUTORIAL_OPTIMIZER
from nnviz.settings import TrainingSettings, bounds
from nnviz.theme import SETTINGS_WARNING, train_colors
from nnviz.widgets.spin_boxes import float_spin, int_spin

__all__ = ["DEFAULT_LR", "FIELDS", "LIVE_FIELDS", "OPTIMIZERS", "SGD_FIELDS",
           "build_run_bar", "build_settings_column", "changed_signal", "control_value",
           "fill_dataset_combo", "lock_for_run", "read_settings", "set_control_value",
           "show_settings"]

FIELDS: dict[str, str] = {
    "optimizer": "optimizer_combo",
    "lr": "lr_spin",
    "momentum": "momentum_spin",
    "nesterov": "nesterov_check",
    "decay": "decay_spin",
    "batch_size": "batch_spin",
    "epochs": "epochs_spin",
    "validation_split": "validation_spin",
    "l1": "l1_spin",
    "l2": "l2_spin",
    "dropout": "dropout_spin",
    "augmentation.rotation_range": "rotation_spin",
    "shift_range": "shift_spin",
    "augmentation.horizontal_flip": "hflip_check",
    "augmentation.vertical_flip": "vflip_check",
    "augmentation.featurewise_center": "center_check",
    "augmentation.featurewise_std_normalization": "std_check",
    "augmentation.zca_whitening": "zca_check",
    "use_personal_digits": "personal_check",
}
"""Settings path -> the owner's attribute holding its control."""
LIVE_FIELDS = frozenset({"lr", "l1", "l2", "dropout"})
"""Settings a running run takes on at once (dropout only when the model has Dropout)."""
SGD_FIELDS = frozenset({"momentum", "nesterov", "decay"})
"""Settings only SGD has."""

OPTIMIZERS = {"sgd": "SGD (momentum, Nesterov, decay)", "adagrad": "Adagrad",
              "adadelta": "Adadelta", "adam": "Adam"}
DEFAULT_LR = {**optimizer_defaults.DEFAULT_LR, "sgd": TUTORIAL_OPTIMIZER["lr"]}


# -- one control's value -------------------------------------------------------------------
def control_value(widget: QWidget) -> Any:
    """What a combo box (its item data), check box or spin box holds."""
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    return widget.value()


def set_control_value(widget: QWidget, value: Any) -> None:
    """Show ``value`` in a combo box (the item with that data, else the first), check box
    or spin box."""
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value), 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    else:
        widget.setValue(value)


def changed_signal(widget: QWidget) -> pyqtBoundSignal:
    """The signal a control emits when the user changes its value."""
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return widget.valueChanged


# -- the table, both ways ------------------------------------------------------------------
def show_settings(owner: QWidget, settings: TrainingSettings) -> None:
    """Settings -> controls, with the controls' signals blocked (no echo back)."""
    for path, name in FIELDS.items():
        widget = getattr(owner, name)
        blocked = widget.blockSignals(True)
        set_control_value(widget, settings.get(path))
        widget.blockSignals(blocked)


def read_settings(owner: QWidget, settings: TrainingSettings,
                  paths: Iterable[str] | None = None) -> None:
    """Controls -> settings, for ``paths`` (default: every row of :data:`FIELDS`)."""
    for path in FIELDS if paths is None else paths:
        settings.set(path, control_value(getattr(owner, FIELDS[path])))


def lock_for_run(owner: QWidget, running: bool, has_dropout: bool) -> None:
    """Enable what may change now: everything when idle; while a run goes on only the
    live settings (dropout only with Dropout layers). SGD's own settings only for SGD."""
    sgd = control_value(owner.optimizer_combo) == "sgd"
    owner.dataset_combo.setEnabled(not running)
    for path, name in FIELDS.items():
        if path == "dropout":
            enabled = not running or has_dropout
        elif path in LIVE_FIELDS:
            enabled = True
        elif path in SGD_FIELDS:
            enabled = sgd and not running
        else:
            enabled = not running
        getattr(owner, name).setEnabled(enabled)


# -- building ------------------------------------------------------------------------------
def build_settings_column(owner: QWidget) -> QScrollArea:
    """The scrolling column of settings: Data, Optimizer, Training, Regularization and
    Augmentation boxes."""
    column_widget = QWidget()
    column = QVBoxLayout(column_widget)
    column.setContentsMargins(4, 4, 4, 4)
    for build in (_data_box, _optimizer_box, _run_box, _regularization_box, _augmentation_box):
        column.addWidget(build(owner))
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidget(column_widget)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFixedWidth(column_widget.sizeHint().width()
                         + scroll.verticalScrollBar().sizeHint().width() + 4)
    return scroll


def fill_dataset_combo(combo: QComboBox, datasets: dict) -> None:
    """The shipped sample, the data sets found on this computer, and the two "Open…"."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("Shipped sample (5,000 MNIST digits)", "sample")
    if "mnist" in datasets:
        combo.addItem(f"MNIST (70,000) — {datasets['mnist']}", "mnist")
    if "fashion-mnist" in datasets:
        combo.addItem("Fashion-MNIST (70,000)", "fashion-mnist")
    combo.addItem("Open a folder of IDX files…", "open")
    combo.addItem("Open a Keras .npz file…", "open-npz")
    combo.blockSignals(False)


def _check(text: str, tip: str, name: str = "") -> QCheckBox:
    box = QCheckBox(text)
    box.setToolTip(tip)
    if name:
        box.setObjectName(name)
    return box


def _form_box(title: str, rows: list[tuple[str | None, QWidget]]) -> QGroupBox:
    """A titled box of (label, control) rows; a None label lets the control span the row."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, widget in rows:
        if label is None:
            form.addRow(widget)
        else:
            form.addRow(label, widget)
    return box


def _data_box(owner: QWidget) -> QGroupBox:
    box = QGroupBox("Data")
    layout = QVBoxLayout(box)
    owner.dataset_combo = QComboBox()
    owner.dataset_combo.setObjectName("datasetCombo")
    owner.dataset_combo.setToolTip(
        "Which digits to train on: the 5,000 MNIST digits shipped with nnviz, full MNIST "
        "or Fashion-MNIST when found on this computer (set NNVIZ_DATA, or keep them where "
        "Keras or torchvision put them), or a folder of IDX files / a Keras .npz you pick.")
    owner.dataset_info = QLabel()
    owner.dataset_info.setObjectName("datasetInfo")
    owner.dataset_info.setWordWrap(True)
    owner.sample_strip = QLabel()
    owner.sample_strip.setObjectName("sampleStrip")
    owner.sample_strip.setToolTip("The first training images of the data set.")
    owner.personal_check = _check(
        "Mix in my drawings", "Add the digits you labelled on the Draw tab to the training "
        "data, so the network learns your handwriting.", "personalCheck")
    for widget in (owner.dataset_combo, owner.dataset_info, owner.sample_strip,
                   owner.personal_check):
        layout.addWidget(widget)
    return box


def _optimizer_box(owner: QWidget) -> QGroupBox:
    owner.optimizer_combo = QComboBox()
    owner.optimizer_combo.setObjectName("optimizerCombo")
    for key, label in OPTIMIZERS.items():
        owner.optimizer_combo.addItem(label, key)
    owner.optimizer_combo.setToolTip(
        "How the weights follow the gradient. The tutorial uses SGD with Nesterov "
        "momentum; Adagrad, Adadelta and Adam adapt a step size per weight.")
    owner.lr_spin = float_spin(*bounds("lr"), 0.05, 5, 0.005, (
        "Learning rate: the size of each gradient step. Can be changed while training "
        "runs. Too high and the loss explodes (training pauses itself)."), "lrSpin")
    owner.momentum_spin = float_spin(*bounds("momentum"), 0.9, 3, 0.05, (
        "Momentum: each step keeps this share of the previous one, smoothing the path."),
        "momentumSpin")
    owner.nesterov_check = _check("Nesterov momentum", "Look ahead along the momentum before "
                                  "taking the gradient step (the tutorial uses it).",
                                  "nesterovCheck")
    owner.decay_spin = float_spin(*bounds("decay"), 1e-6, 7, 1e-6, (
        "Keras' decay: the learning rate at step t is lr / (1 + decay · t)."), "decaySpin")
    return _form_box("Optimizer", [
        ("Method", owner.optimizer_combo), ("Learning rate", owner.lr_spin),
        ("Momentum", owner.momentum_spin), ("", owner.nesterov_check),
        ("Decay", owner.decay_spin)])


def _run_box(owner: QWidget) -> QGroupBox:
    owner.batch_spin = int_spin(*bounds("batch_size"), 100, "Samples per gradient step "
                                "(the tutorial uses 100).", "batchSpin")
    owner.epochs_spin = int_spin(*bounds("epochs"), 10, "Passes over the training data.",
                                 "epochsSpin")
    owner.validation_spin = float_spin(*bounds("validation_split"), 0.2, 2, 0.05, (
        "Share of the training data held out to measure generalisation. As in Keras, "
        "it is the LAST part of the data, taken before shuffling."), "validationSpin")
    return _form_box("Training", [("Batch size", owner.batch_spin), ("Epochs", owner.epochs_spin),
                                  ("Validation split", owner.validation_spin)])


def _regularization_box(owner: QWidget) -> QGroupBox:
    owner.l1_spin = float_spin(*bounds("l1"), 0.0, 6, 1e-5, (
        "L1 strength α: adds α·Σ|w| to the loss of every kernel. Drives many weights to "
        "exactly zero (see the Inside and Regularization tabs). Live while training."),
        "l1Spin")
    owner.l2_spin = float_spin(*bounds("l2"), 0.0, 6, 1e-4, (
        "L2 strength α: adds α·Σw² to the loss (weight decay). Keeps all weights small. "
        "Live while training."), "l2Spin")
    owner.dropout_spin = float_spin(*bounds("dropout"), 0.0, 2, 0.05, (
        "Dropout before each dense layer: while training, zero this share of the "
        "activations at random (0 is the tutorial). Can change while training when the "
        "run started with dropout above 0."), "dropoutSpin")
    return _form_box("Regularization", [("L1", owner.l1_spin), ("L2", owner.l2_spin),
                                        ("Dropout", owner.dropout_spin)])


def _augmentation_box(owner: QWidget) -> QGroupBox:
    owner.rotation_spin = float_spin(*bounds("augmentation.rotation_range"), 0.0, 0, 5.0, (
        "Rotate each training digit by a random angle up to this (the tutorial: 20°)."),
        "rotationSpin", "°")
    owner.shift_spin = float_spin(*bounds("shift_range"), 0.0, 2, 0.05, (
        "Shift each digit by up to this share of the width and height (the tutorial: "
        "0.2)."), "shiftSpin")
    owner.hflip_check = _check("Horizontal flip", "Mirror half of the digits left-right. "
                               "Wrong for digits!", "hflipCheck")
    owner.vflip_check = _check("Vertical flip", "Mirror half of the digits top-bottom. "
                               "Wrong for digits!", "vflipCheck")
    owner.center_check = _check("Featurewise centre",
                                "Subtract the mean pixel value of the training data.")
    owner.std_check = _check("Featurewise std normalisation",
                             "Divide by the standard deviation of the training data.")
    owner.zca_check = _check("ZCA whitening", "Decorrelate the pixels (fitted on the "
                             "training data; slow for large data sets).")
    owner.augment_warning = QLabel()
    owner.augment_warning.setObjectName("augmentWarning")
    owner.augment_warning.setWordWrap(True)
    owner.augment_warning.setStyleSheet(f"color: {SETTINGS_WARNING};")
    owner.augment_warning.hide()
    return _form_box("Augmentation", [
        ("Rotation", owner.rotation_spin), ("Shift", owner.shift_spin),
        *((None, widget) for widget in (owner.hflip_check, owner.vflip_check, owner.center_check,
                                        owner.std_check, owner.zca_check,
                                        owner.augment_warning))])


def build_run_bar(owner: QWidget) -> QWidget:
    """Start, Pause, Step, Stop and Reset weights, and the line that names the model."""
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    icon = owner.style().standardIcon
    pixmaps = QStyle.StandardPixmap
    buttons = (
        ("start_button", pixmaps.SP_MediaPlay, "Start", "startButton",
         "Train with these settings, continuing from the current weights."),
        ("pause_button", pixmaps.SP_MediaPause, "Pause", "pauseButton",
         "Pause or resume after the current batch (Space)."),
        ("step_button", pixmaps.SP_MediaSkipForward, "Step", "stepButton",
         "Train exactly one batch, then pause (starts paused when idle)."),
        ("stop_button", pixmaps.SP_MediaStop, "Stop", "stopButton",
         "End the run; the weights trained so far are kept."),
        ("reset_button", pixmaps.SP_BrowserReload, "Reset weights", "resetButton",
         "Start again from random weights (stops a run first)."),
    )
    for attribute, pixmap, text, name, tip in buttons:
        button = QPushButton(icon(pixmap), text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        setattr(owner, attribute, button)
        row.addWidget(button)
    owner.model_label = QLabel()
    owner.model_label.setObjectName("modelLabel")
    owner.model_label.setStyleSheet(f"color: {train_colors().caption};")
    row.addWidget(owner.model_label, 1)
    return bar
