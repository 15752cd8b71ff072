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
from core.download import FILES, TITLES
from core.models import TUTORIAL_OPTIMIZER
from nnviz.settings import TrainingSettings, bounds
from nnviz.tabs.train.penalty import SUGGESTED_L1
from nnviz.theme import SETTINGS_WARNING, train_colors
from nnviz.widgets.spin_boxes import float_spin, format_number, int_spin, scientific_spin

__all__ = ["DEFAULT_LR", "FIELDS", "LIVE_FIELDS", "OPTIMIZERS", "SGD_FIELDS", "SPEEDS",
           "build_run_bar", "build_settings_column", "build_speed_box", "changed_signal",
           "control_value", "download_label", "field_label", "fill_dataset_combo",
           "lock_for_run", "read_settings", "set_control_value", "settings_changes",
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
SPEEDS = {"full": ("Full speed", 0.0), "watch": ("Watch (≈ 5 batches/s)", 0.2),
          "slow": ("Slow (≈ 1 batch/s)", 1.0)}
"""Speed key -> (label, least seconds per batch). Only the wait between batches changes:
each batch still trains at full speed."""


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


def field_label(owner: QWidget, path: str) -> str:
    """What the user reads beside a setting's control ("Learning rate", "L1", a check
    box's own text), taken from the form it sits in."""
    widget = getattr(owner, FIELDS[path])
    if isinstance(widget, QCheckBox):
        return widget.text()
    parent = widget.parentWidget()
    form = parent.layout() if parent is not None else None
    if isinstance(form, QFormLayout):
        label = form.labelForField(widget)
        if isinstance(label, QLabel) and label.text():
            return label.text()
    return path


def _shown_value(widget: QWidget) -> str:
    """A control's value as it reads on screen (a combo's text, "on"/"off", the box's text)."""
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QCheckBox):
        return "on" if widget.isChecked() else "off"
    return widget.textFromValue(widget.value()) + widget.suffix()


def settings_changes(owner: QWidget, reference: TrainingSettings) -> list[str]:
    """The settings the controls show away from ``reference``, as "Epochs 50", "L1 1e-4"."""
    changes = []
    for path, name in FIELDS.items():
        widget = getattr(owner, name)
        value, wanted = control_value(widget), reference.get(path)
        same = (abs(value - wanted) <= 1e-12 * max(1.0, abs(wanted))
                if isinstance(wanted, float) else value == wanted)
        if not same:
            changes.append(f"{field_label(owner, path)} {_shown_value(widget)}")
    return changes


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
    """The scrolling column of settings: the "tutorial's settings" button, then the Data,
    Optimizer, Training, Regularization and Augmentation boxes."""
    column_widget = QWidget()
    column = QVBoxLayout(column_widget)
    column.setContentsMargins(4, 4, 4, 4)
    owner.tutorial_button = QPushButton("Restore the tutorial's settings")
    owner.tutorial_button.setObjectName("tutorialSettingsButton")
    owner.tutorial_button.setToolTip(
        "Put every setting back to the tutorial's: SGD with lr 0.05, momentum 0.9 "
        "(Nesterov), decay 1e-6, batch 100, 10 epochs, 20 % validation, no penalty, no "
        "dropout, no augmentation. The weights and the data set stay as they are.")
    column.addWidget(owner.tutorial_button)
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


def download_label(dataset: str) -> str:
    """ "Download full MNIST (≈ 11.6 MB)…": the entry that fetches a data set, with its size."""
    megabytes = sum(f.size for f in FILES[dataset]) / 1e6
    full = "full " if dataset == "mnist" else ""
    return f"Download {full}{TITLES[dataset]} (≈ {megabytes:.1f} MB)…"


def fill_dataset_combo(combo: QComboBox, datasets: dict) -> None:
    """The shipped sample, the data sets found on this computer (a download entry for
    each one that is not), and the two "Open…"."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem("Shipped sample (5,000 MNIST digits)", "sample")
    if "mnist" in datasets:
        combo.addItem(f"MNIST (70,000) — {datasets['mnist']}", "mnist")
    if "fashion-mnist" in datasets:
        combo.addItem("Fashion-MNIST (70,000)", "fashion-mnist")
    for dataset in TITLES:
        if dataset not in datasets:
            combo.addItem(download_label(dataset), f"download:{dataset}")
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


_TYPING = "Type 0.0001, 1e-4 or 1×10^-4; the arrows step 1, 2, 5, 10 …"


def _optimizer_box(owner: QWidget) -> QGroupBox:
    owner.optimizer_combo = QComboBox()
    owner.optimizer_combo.setObjectName("optimizerCombo")
    for key, label in OPTIMIZERS.items():
        owner.optimizer_combo.addItem(label, key)
    owner.optimizer_combo.setToolTip(
        "How the weights follow the gradient. The tutorial uses SGD with Nesterov "
        "momentum; Adagrad, Adadelta and Adam adapt a step size per weight.")
    owner.lr_spin = scientific_spin(*bounds("lr"), 0.05, 1e-5, (
        "Learning rate: the size of each gradient step. Can be changed while training "
        "runs. Too high and the loss explodes (training pauses itself).\n"
        f"{_TYPING}"), "lrSpin")
    owner.momentum_spin = float_spin(*bounds("momentum"), 0.9, 3, 0.05, (
        "Momentum: each step keeps this share of the previous one, smoothing the path."),
        "momentumSpin")
    owner.nesterov_check = _check("Nesterov momentum", "Look ahead along the momentum before "
                                  "taking the gradient step (the tutorial uses it).",
                                  "nesterovCheck")
    owner.decay_spin = scientific_spin(*bounds("decay"), 1e-6, 1e-7, (
        "Keras' decay: the learning rate at step t is lr / (1 + decay · t).\n"
        f"{_TYPING}"), "decaySpin")
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
    owner.l1_spin = scientific_spin(*bounds("l1"), 0.0, 1e-5, (
        "L1 strength α: adds α·Σ|w| to the loss of every kernel. Drives many weights to "
        "exactly zero (see the readout below, and the Inside and Regularization tabs). "
        "Live while training.\n"
        f"Try {format_number(SUGGESTED_L1)}: within the default 10 epochs on the shipped "
        "sample about 40 % of the weights become exactly 0, at 93–95 % validation accuracy; "
        "0.01 and above stop a fresh network from learning.\n"
        f"{_TYPING}"), "l1Spin")
    owner.l2_spin = scientific_spin(*bounds("l2"), 0.0, 1e-5, (
        "L2 strength α: adds α·Σw² to the loss (weight decay). Keeps all weights small. "
        "Live while training.\n"
        f"{_TYPING}"), "l2Spin")
    owner.zeros_label = QLabel("exact zeros: –")
    owner.zeros_label.setObjectName("zerosLabel")
    owner.zeros_label.setStyleSheet(f"color: {train_colors().caption};")
    owner.dropout_spin = float_spin(*bounds("dropout"), 0.0, 2, 0.05, (
        "Dropout: while training, zero this share of the activations at random (0 is the "
        "tutorial). It is the rate of every Dropout layer of the network; a network without "
        "any (the tutorial CNN, the presets) gets one before each Dense layer when a run "
        "starts with a rate above 0. Build on the Network tab sets it to the rate of the "
        "network's own Dropout layers. Can change while training when the network has "
        "Dropout layers."), "dropoutSpin")
    return _form_box("Regularization", [("L1", owner.l1_spin), ("", owner.zeros_label),
                                        ("L2", owner.l2_spin), ("Dropout", owner.dropout_spin)])


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


def build_speed_box(owner: QWidget) -> QWidget:
    """ "Speed" and its combo box (``owner.speed_combo``, keys of :data:`SPEEDS`)."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    owner.speed_combo = QComboBox()
    owner.speed_combo.setObjectName("speedCombo")
    for key, (label, _) in SPEEDS.items():
        owner.speed_combo.addItem(label, key)
    tip = ("How fast to show training. Full speed trains as fast as the computer can; Watch "
           "and Slow wait between batches so the curves, filters and maps can be followed by "
           "eye. Each batch itself still trains at full speed; can be changed while training.")
    owner.speed_combo.setToolTip(tip)
    caption = QLabel("Speed")
    caption.setToolTip(tip)
    row.addWidget(caption)
    row.addWidget(owner.speed_combo)
    return box


def build_run_bar(owner: QWidget) -> QWidget:
    """Start, Pause, Step, Stop and Reset weights; ``owner.model_label``, the line that
    names the model, is made here for the owner to place (a line of its own: beside the
    buttons a small window cut it off)."""
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
         "Start again from random weights (stops a run first). Undo brings the weights "
         "and curves back (Training → Undo)."),
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
    owner.model_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    row.addStretch(1)
    return bar
