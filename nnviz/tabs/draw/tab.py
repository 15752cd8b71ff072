"""The Draw tab: draw a digit, watch it become an MNIST-style input and get classified live.

A QWidget facade over a DrawCanvas, the preprocessing stages (each switchable, to show
why it matters), probability bars and the user's personal digits. It owns no training
state: the main window hands it a model (or a fresh snapshot copy of the model being
trained) with :meth:`DrawTab.set_model`, and the tab only runs forward passes on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QFont, QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.functional import softmax
from core.personal import PersonalDigits, PersonalDigitsError
from core.preprocess import BOX, CENTER, FRAME, stages
from nnviz.tabs.draw.canvas import BRUSH_MAX, BRUSH_MIN, DrawCanvas
from nnviz.tabs.draw.probability_bars import ProbabilityBars
from nnviz.tabs.draw.stage_view import StageView

_RECENT = 8
"""How many of the latest personal digits are shown."""
_STAGE_SIDE = 120
"""Side of each preprocessing-stage view in pixels."""
_STAGE_TEXT = 150
"""Width of the text beside each stage view (fixed, so the column never jumps)."""

_CROP_TIP = (
    "Crop to the ink: cut the drawing down to the bounding box of its strokes (green).\n"
    "Switch it off and the whole canvas is shrunk instead: a digit drawn small or in a "
    "corner\nstays small in the 28x28 input. MNIST digits always fill a 20-px box, so the "
    "network\nhas never seen tiny digits and misreads them."
)
_SCALE_TIP = (
    "Scale to 20 px: resize the box so its longer side is 20 px, keeping the aspect ratio\n"
    "(area averaging gives the grey anti-aliased edges MNIST has).\n"
    "Switch it off and the digit keeps the size it had on the canvas (the canvas is just\n"
    "shrunk to 28 px): small drawings become a few pixels, thick-brushed ones a blob."
)
_CENTER_TIP = (
    "Centre by mass: shift the digit so the centre of mass of its ink (red dot) lands on\n"
    "the centre of the 28x28 frame (blue cross), exactly how MNIST was made.\n"
    "Switch it off and the digit stays where you drew it: the convolutions and pooling\n"
    "tolerate small shifts, but the dense layers at the end learned digits at the centre,\n"
    "so an off-centre digit is misread."
)


def _home_relative(path: Path) -> str:
    """``path`` with the home folder written as ~ (shorter in labels)."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class DrawTab(QWidget):
    """Draw a digit and see the model's prediction update while you draw.

    Public API for the main window and tests: :meth:`current_prediction`,
    :meth:`current_input`, :meth:`current_logits`, :meth:`set_model`, :meth:`clear`,
    :meth:`undo`, the attributes ``canvas`` and ``personal_digits``, and the signals
    ``predictionChanged`` and ``personalDigitsChanged``.
    """

    predictionChanged = pyqtSignal()
    """The predicted digit or its probabilities changed (also while a stroke is drawn)."""
    personalDigitsChanged = pyqtSignal()
    """The user added (or removed) a labelled drawing in ``personal_digits``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = None
        self._stages: dict | None = None
        self._input: np.ndarray | None = None
        self._digit: int | None = None
        self._probabilities: np.ndarray | None = None
        self._logits: np.ndarray | None = None
        self._label_follows_prediction = True
        self._digit_styled: bool | None = None
        self.personal_digits, self._personal_error = self._open_personal_digits()

        self.canvas = DrawCanvas(self)
        self._build_ui()
        self._connect()
        self._refresh_personal()
        self._refresh_input()

    # ----------------------------------------------------------------- public API
    def current_prediction(self) -> tuple[int | None, np.ndarray | None]:
        """(digit, probabilities (10,)) for the drawing, or (None, None) when the canvas
        is empty or nearly empty, or no model is loaded."""
        if self._digit is None or self._probabilities is None:
            return None, None
        return self._digit, self._probabilities.copy()

    def current_input(self) -> np.ndarray | None:
        """The (28, 28) float32 input the model sees (ink = 1), or None when empty."""
        return None if self._input is None else self._input.copy()

    def current_logits(self) -> np.ndarray | None:
        """The model's 10 scores before softmax, (10,), or None (no model / empty)."""
        return None if self._logits is None else self._logits.copy()

    def set_model(self, model: object | None) -> None:
        """Classify with ``model`` from now on (None: no model) and re-classify at once.

        ``model`` needs ``activations(x) -> list of arrays`` for x (N, 1, 28, 28) whose
        last entry is the (N, 10) softmax output. Only a forward pass runs here, so the
        main window may call this several times a second with training snapshots.
        """
        self._model = model
        self._classify()

    def clear(self) -> None:
        """Empty the canvas (undoable with :meth:`undo`)."""
        self.canvas.clear()

    def undo(self) -> None:
        """Undo the last stroke (or the last clear)."""
        self.canvas.undo()

    # --------------------------------------------------------------------- set-up
    @staticmethod
    def _open_personal_digits() -> tuple[PersonalDigits, str | None]:
        """Load the user's saved digits; a corrupt file is reported and left untouched."""
        try:
            return PersonalDigits(), None
        except PersonalDigitsError as exc:
            return PersonalDigits(load=False), str(exc)

    def _build_ui(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.setSpacing(12)
        root.addLayout(self._build_canvas_column(), stretch=5)
        root.addWidget(self._build_stages_box(), stretch=0)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self._build_prediction_box(), stretch=1)
        right.addWidget(self._build_teach_box(), stretch=0)
        root.addLayout(right, stretch=4)

        shortcuts = [
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo),
            (QKeySequence(Qt.Key.Key_Delete), self.clear),
            (QKeySequence(Qt.Key.Key_Backspace), self.clear),
            (QKeySequence(Qt.Key.Key_Escape), self.clear),
        ]
        self._shortcuts = []
        for keys, slot in shortcuts:
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

    def _build_canvas_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(6)
        hint = QLabel(
            "Draw one digit, big or small, anywhere on the black square: the network "
            "answers while you draw. Left button draws, right button erases; "
            "Ctrl+Z undoes, Esc or Delete clears."
        )
        hint.setWordWrap(True)
        column.addWidget(hint)

        tools = QHBoxLayout()
        self._undo_button = QPushButton("Undo")
        self._undo_button.setToolTip("Take back the last stroke, or the last clear (Ctrl+Z).")
        self._clear_button = QPushButton("Clear")
        self._clear_button.setToolTip(
            "Wipe the canvas (Delete, Backspace or Escape). Undo brings it back."
        )
        self._eraser_button = QPushButton("Eraser")
        self._eraser_button.setCheckable(True)
        self._eraser_button.setToolTip(
            "While on, the left button erases instead of drawing.\n"
            "The right mouse button and a pen's eraser end always erase."
        )
        brush_label = QLabel("Brush")
        self._brush_slider = QSlider(Qt.Orientation.Horizontal)
        self._brush_slider.setRange(round(BRUSH_MIN * 100), round(BRUSH_MAX * 100))
        self._brush_slider.setValue(round(self.canvas.brush_width() * 100))
        self._brush_slider.setMinimumWidth(90)
        brush_tip = (
            "Brush diameter as a share of the canvas width (for new strokes).\n"
            "The default gives strokes about as thick as MNIST's when the digit fills\n"
            "most of the canvas; a thin brush on a big digit comes out faint and thin."
        )
        self._brush_slider.setToolTip(brush_tip)
        brush_label.setToolTip(brush_tip)
        self._brush_value = QLabel()
        self._brush_value.setMinimumWidth(36)
        self._brush_value.setToolTip(brush_tip)
        for widget in (self._undo_button, self._clear_button, self._eraser_button):
            tools.addWidget(widget)
        tools.addSpacing(12)
        tools.addWidget(brush_label)
        tools.addWidget(self._brush_slider, stretch=1)
        tools.addWidget(self._brush_value)
        column.addLayout(tools)
        column.addWidget(self.canvas, stretch=1)
        return column

    def _build_stages_box(self) -> QGroupBox:
        box = QGroupBox("What the network sees")
        box.setToolTip(
            "How your drawing becomes the 28x28 input, step by step, the way MNIST was "
            "made.\nSwitch a step off to see why it matters."
        )
        grid = QGridLayout(box)
        grid.setVerticalSpacing(4)
        grid.setHorizontalSpacing(8)
        self._raw_view = StageView(side=_STAGE_SIDE)
        self._box_view = StageView(side=_STAGE_SIDE)
        self._scaled_view = StageView(side=_STAGE_SIDE)
        self._input_view = StageView(side=_STAGE_SIDE)
        self._raw_view.setToolTip("1. Your drawing as the canvas holds it; green: the ink's box.")
        self._box_view.setToolTip(_CROP_TIP)
        self._scaled_view.setToolTip(
            _SCALE_TIP + "\nShown at the model's pixel size; green: the 20x20 box."
        )
        self._input_view.setToolTip(
            _CENTER_TIP + "\nThis 28x28 image is exactly what the network classifies."
        )
        self._crop_check = QCheckBox("2. Crop to the ink")
        self._crop_check.setToolTip(_CROP_TIP)
        self._scale_check = QCheckBox("3. Scale to 20 px")
        self._scale_check.setToolTip(_SCALE_TIP)
        self._center_check = QCheckBox("4. Centre by mass")
        self._center_check.setToolTip(_CENTER_TIP)
        for check in (self._crop_check, self._scale_check, self._center_check):
            check.setChecked(True)
        raw_title = QLabel("1. Your drawing")
        raw_title.setToolTip(self._raw_view.toolTip())
        self._raw_detail = QLabel()
        self._box_detail = QLabel()
        self._scaled_detail = QLabel()
        self._input_detail = QLabel()
        rows = [
            (self._raw_view, raw_title, self._raw_detail),
            (self._box_view, self._crop_check, self._box_detail),
            (self._scaled_view, self._scale_check, self._scaled_detail),
            (self._input_view, self._center_check, self._input_detail),
        ]
        for r, (view, title, detail) in enumerate(rows):
            view.setFixedSize(_STAGE_SIDE, _STAGE_SIDE)
            detail.setFixedWidth(_STAGE_TEXT)
            detail.setStyleSheet("color: gray;")
            detail.setWordWrap(True)
            detail.setToolTip(title.toolTip())
            text = QVBoxLayout()
            text.setSpacing(2)
            text.addStretch(1)
            text.addWidget(title)
            text.addWidget(detail)
            text.addStretch(1)
            grid.addWidget(view, r, 0)
            grid.addLayout(text, r, 1)
            grid.setRowStretch(r, 1)
        legend = QLabel(
            "<span style='color:#50c878'>■</span> box &nbsp; "
            "<span style='color:#5aa0e6'>+</span> centre &nbsp; "
            "<span style='color:#f05a3c'>●</span> centre of mass"
        )
        legend.setToolTip(
            "Green: the ink's bounding box (and the 20x20 target box).\n"
            "Blue cross: the centre of the 28x28 frame.\n"
            "Red dot: the intensity-weighted centre of mass of the digit."
        )
        grid.addWidget(legend, len(rows), 0, 1, 2)
        box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        return box

    def _build_prediction_box(self) -> QGroupBox:
        box = QGroupBox("Prediction")
        layout = QVBoxLayout(box)
        headline = QHBoxLayout()
        self._digit_label = QLabel("?")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 4.0)
        big.setBold(True)
        self._digit_label.setFont(big)
        self._digit_label.setMinimumWidth(80)
        self._digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._digit_label.setToolTip("The digit the network thinks you drew (its top class).")
        self._confidence_label = QLabel()
        bigger = QFont(self.font())
        bigger.setPointSizeF(bigger.pointSizeF() * 1.4)
        self._confidence_label.setFont(bigger)
        self._confidence_label.setWordWrap(True)
        self._confidence_label.setToolTip(
            "How sure the network is: the probability of its top class.\n"
            "High confidence is not the same as being right."
        )
        self._second_label = QLabel()
        self._second_label.setToolTip(
            "The runner-up class and its probability: what the network would answer next."
        )
        self._second_label.setWordWrap(True)
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(self._confidence_label)
        text.addWidget(self._second_label)
        text.addStretch(1)
        headline.addWidget(self._digit_label)
        headline.addLayout(text, stretch=1)
        layout.addLayout(headline)
        self._bars = ProbabilityBars()
        layout.addWidget(self._bars, stretch=1)
        return box

    def _build_teach_box(self) -> QGroupBox:
        box = QGroupBox("Teach it your handwriting")
        box.setToolTip(
            "Your labelled drawings form a personal set, saved in your data folder and "
            "loaded next time;\ntraining can mix them in so the network learns your hand."
        )
        layout = QVBoxLayout(box)
        explain = QLabel(
            "Wrong answer, or a style it should know? Confirm or correct the label and add "
            "the drawing: training can mix your digits in."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        row = QHBoxLayout()
        this_is = QLabel("This is a")
        self._label_spin = QSpinBox()
        self._label_spin.setRange(0, 9)
        label_tip = "The true digit of your drawing. It follows the prediction until you change it."
        self._label_spin.setToolTip(label_tip)
        this_is.setToolTip(label_tip)
        self._add_button = QPushButton("Add to training data")
        self._add_button.setToolTip(
            "Save the 28x28 input shown under 'What the network sees' with this label\n"
            "to your personal digits, then clear the canvas for the next one."
        )
        row.addWidget(this_is)
        row.addWidget(self._label_spin)
        row.addWidget(self._add_button, stretch=1)
        layout.addLayout(row)

        self._recent_views: list[StageView] = []
        self._recent_labels: list[QLabel] = []
        strip = QGridLayout()
        strip.setHorizontalSpacing(4)
        strip.setVerticalSpacing(0)
        for k in range(_RECENT):
            view = StageView(side=40)
            view.setMinimumSize(32, 32)
            caption = QLabel()
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setStyleSheet("color: gray;")
            strip.addWidget(view, 0, k)
            strip.addWidget(caption, 1, k)
            self._recent_views.append(view)
            self._recent_labels.append(caption)
        strip.setColumnStretch(_RECENT, 1)
        layout.addLayout(strip)

        count_row = QHBoxLayout()
        self._count_label = QLabel()
        self._count_label.setWordWrap(True)
        self._remove_button = QPushButton("Remove last")
        self._remove_button.setToolTip("Delete the most recently added drawing from your set.")
        count_row.addWidget(self._count_label, stretch=1)
        count_row.addWidget(self._remove_button)
        layout.addLayout(count_row)
        self._teach_status = QLabel()
        self._teach_status.setWordWrap(True)
        layout.addWidget(self._teach_status)
        return box

    def _connect(self) -> None:
        self.canvas.imageChanged.connect(self._on_canvas_image_changed)
        self._undo_button.clicked.connect(self.undo)
        self._clear_button.clicked.connect(self.clear)
        self._eraser_button.toggled.connect(self._on_eraser_toggled)
        self._brush_slider.valueChanged.connect(self._on_brush_value_changed)
        for check in (self._crop_check, self._scale_check, self._center_check):
            check.toggled.connect(self._on_step_toggled)
        self._label_spin.valueChanged.connect(self._on_label_value_changed)
        self._add_button.clicked.connect(self._on_add_clicked)
        self._remove_button.clicked.connect(self._on_remove_clicked)
        self._on_brush_value_changed(self._brush_slider.value())

    # --------------------------------------------------------------------- slots
    def _on_canvas_image_changed(self) -> None:
        self._refresh_input()

    def _on_step_toggled(self, _checked: bool) -> None:
        self._refresh_input()

    def _on_eraser_toggled(self, on: bool) -> None:
        self.canvas.set_eraser(on)

    def _on_brush_value_changed(self, value: int) -> None:
        self.canvas.set_brush_width(value / 100.0)
        self._brush_value.setText(f"{value} %")

    def _on_label_value_changed(self, _value: int) -> None:
        self._label_follows_prediction = False

    def _on_add_clicked(self) -> None:
        if self._input is None or self._personal_error is not None:
            return
        label = self._label_spin.value()
        try:
            self.personal_digits.add(self._input, label)
        except ValueError as exc:
            self._teach_status.setText(f"Not added: {exc}")
            return
        try:
            self.personal_digits.save()
        except OSError as exc:
            self.personal_digits.remove(-1)
            self._teach_status.setText(f"Not added: could not save your digits ({exc}).")
            return
        self._teach_status.setText(f"Added as a {label}. Draw the next one.")
        self._refresh_personal()
        self.personalDigitsChanged.emit()
        self.clear()

    def _on_remove_clicked(self) -> None:
        if len(self.personal_digits) == 0 or self._personal_error is not None:
            return
        image = self.personal_digits.images[-1].copy()
        label = int(self.personal_digits.labels[-1])
        self.personal_digits.remove(-1)
        try:
            self.personal_digits.save()
        except OSError as exc:
            self.personal_digits.add(image, label)
            self._teach_status.setText(f"Not removed: could not save your digits ({exc}).")
            return
        self._teach_status.setText(f"Removed the last drawing (a {label}).")
        self._refresh_personal()
        self.personalDigitsChanged.emit()

    # ---------------------------------------------------------------- refreshing
    def _refresh_input(self) -> None:
        """Preprocess the canvas, update the stage views, then re-classify."""
        crop = self._crop_check.isChecked()
        scale = self._scale_check.isChecked()
        center = self._center_check.isChecked()
        # A dot the size of the brush is not a digit.
        min_extent = max(0.08, 1.3 * self.canvas.brush_width())
        result = stages(self.canvas.image(), crop, scale, center, min_extent=min_extent)
        self._stages = result
        self._input = result["input"]
        if self.canvas.stroke_count() == 0:
            # A fresh drawing: the label box follows the prediction again.
            self._label_follows_prediction = True
        self._show_stages(result, crop, scale)
        self._classify()

    def _show_stages(self, result: dict, crop: bool, scale: bool) -> None:
        raw = result["raw"]
        height, width = raw.shape
        self._raw_detail.setText(f"{width}x{height} px, ink = white")
        if result["empty"]:
            self._raw_view.set_image(raw, smooth=True)
            for view in (self._box_view, self._scaled_view, self._input_view):
                view.set_image(None, placeholder="empty")
            self._box_detail.setText("nothing to crop yet")
            self._scaled_detail.setText("")
            self._input_detail.setText("28x28: draw a digit")
            return
        top, bottom, left, right = result["bbox"]
        self._raw_view.set_image(
            raw, smooth=True, boxes=((top, bottom, left, right),) if crop else ()
        )
        box = result["box"]
        self._box_view.set_image(box, smooth=True)
        self._box_detail.setText(
            f"{box.shape[1]}x{box.shape[0]} px box" if crop else "off: the whole canvas is used"
        )
        scaled = result["scaled"]
        sh, sw = scaled.shape
        margin = (FRAME - BOX) // 2
        self._scaled_view.set_image(
            scaled,
            frame=(FRAME, FRAME),
            offset=((FRAME - sh) // 2, (FRAME - sw) // 2),
            boxes=((margin, margin + BOX, margin, margin + BOX),),
        )
        factor = result["scale"]
        self._scaled_detail.setText(
            f"{sw}x{sh} px (x{factor:.2f})"
            if scale
            else f"off: {sw}x{sh} px, canvas size x{factor:.2f}"
        )
        com = result["com"]
        self._input_view.set_image(result["input"], cross=(CENTER, CENTER), mass=com)
        placement = "centred" if self._center_check.isChecked() else "off: where you drew it"
        self._input_detail.setText(f"28x28 model input, {placement}")

    def _classify(self) -> None:
        """Run the model on the current input and update the prediction widgets."""
        digit = probabilities = logits = None
        if self._model is None:
            message = "No model loaded. Train one or open a model file to classify."
        elif self._input is None:
            message = "draw a digit"
        else:
            message = ""
            try:
                probabilities, logits = self._forward(self._input)
            except Exception as exc:  # a foreign or broken model must not crash the tab
                message = f"The model could not classify this drawing: {exc}"
            else:
                if not np.all(np.isfinite(probabilities)):
                    message = "The model's output is not a number (did training diverge?)"
                    probabilities = logits = None
                else:
                    digit = int(np.argmax(probabilities))
        changed = digit != self._digit or not _same(probabilities, self._probabilities)
        self._digit, self._probabilities, self._logits = digit, probabilities, logits
        self._show_prediction(message)
        self._add_button.setEnabled(self._input is not None and self._personal_error is None)
        self._undo_button.setEnabled(self.canvas.can_undo())
        self._clear_button.setEnabled(self.canvas.stroke_count() > 0)
        if changed:
            self.predictionChanged.emit()

    def _forward(self, x28: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One forward pass: probabilities (10,) and logits (10,).

        The last activation is the softmax output; when the one before it is the input
        to that softmax, those are the logits. Otherwise the log-probabilities are
        returned, which equal the logits up to an additive constant.
        """
        activations = self._model.activations(x28[None, None].astype(np.float32, copy=False))
        probabilities = np.asarray(activations[-1], dtype=np.float64).reshape(-1)
        if probabilities.shape != (10,):
            raise ValueError(f"expected 10 class probabilities, got shape {probabilities.shape}")
        logits = None
        if len(activations) >= 2:
            before = np.asarray(activations[-2], dtype=np.float64).reshape(-1)
            if before.shape == (10,) and np.allclose(softmax(before), probabilities, atol=1e-4):
                logits = before
        if logits is None:
            logits = np.log(np.clip(probabilities, 1e-12, 1.0))
        return probabilities, logits

    def _show_prediction(self, message: str) -> None:
        self._set_digit_style(self._digit is not None)
        if self._digit is None:
            self._digit_label.setText("?")
            self._confidence_label.setText(message)
            self._second_label.setText("")
            self._bars.set_probabilities(None)
            return
        p = self._probabilities
        order = np.argsort(-p, kind="stable")
        second = int(order[1])
        self._digit_label.setText(str(self._digit))
        self._confidence_label.setText(f"{100.0 * p[self._digit]:.1f} % sure")
        self._second_label.setText(f"second guess: {second} ({100.0 * p[second]:.1f} %)")
        self._bars.set_probabilities(p)
        if self._label_follows_prediction:
            self._label_spin.blockSignals(True)
            self._label_spin.setValue(self._digit)
            self._label_spin.blockSignals(False)

    def _set_digit_style(self, has_digit: bool) -> None:
        """Green digit when there is a prediction, grey "?" otherwise (restyled only on
        change: style sheets are not free and this runs on every mouse move)."""
        if has_digit == self._digit_styled:
            return
        self._digit_styled = has_digit
        self._digit_label.setStyleSheet("color: #2ea05a;" if has_digit else "color: gray;")

    def _refresh_personal(self) -> None:
        store = self.personal_digits
        where = _home_relative(store.folder)
        if self._personal_error is not None:
            self._count_label.setText("Your saved digits could not be read.")
            self._teach_status.setText(
                f"{self._personal_error}\nThe file was left untouched; fix or move it away "
                "to add new drawings."
            )
            self._add_button.setEnabled(False)
            self._remove_button.setEnabled(False)
            self._label_spin.setEnabled(False)
            return
        n = len(store)
        self._count_label.setText(f"{n} personal digit{'s' if n != 1 else ''} (saved in {where})")
        self._count_label.setToolTip(f"Your labelled drawings are saved in {store.path}")
        self._remove_button.setEnabled(n > 0)
        images, labels = store.images, store.labels
        recent = range(max(n - _RECENT, 0), n)
        for slot, (view, caption) in enumerate(
            zip(self._recent_views, self._recent_labels, strict=True)
        ):
            index = list(recent)[slot] if slot < len(recent) else None
            view.setVisible(index is not None)
            caption.setVisible(index is not None)
            if index is None:
                continue
            view.set_image(images[index].astype(np.float32) / 255.0)
            view.setToolTip(f"Personal digit #{index + 1}, labelled {int(labels[index])}")
            caption.setText(str(int(labels[index])))


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """True when both are None or both hold equal arrays."""
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b))
