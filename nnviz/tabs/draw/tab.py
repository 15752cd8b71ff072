"""The Draw tab: draw a digit, watch it become an MNIST-style input and get classified live.

A QWidget facade over a DrawCanvas, the preprocessing stages (each switchable, to show
why it matters), probability bars and the user's personal digits. What they show lives
in a :class:`~nnviz.tabs.draw.state.DrawState` (``state``): the tab hands it the canvas
image and the user's choices and shows its results. It owns no training state: the main
window hands it a model (or the session's view model, refreshed from training snapshots)
with :meth:`DrawTab.set_model`, and the tab only runs forward passes on it.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QFont, QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.personal import PersonalDigits
from nnviz.tabs.draw.canvas import BRUSH_MAX, BRUSH_MIN, DrawCanvas
from nnviz.tabs.draw.preprocess_panel import PreprocessPanel, detail_label
from nnviz.tabs.draw.probability_bars import ProbabilityBars
from nnviz.tabs.draw.stage_view import StageView
from nnviz.tabs.draw.state import RECENT, DrawState
from nnviz.theme import DRAW

_BRUSH_TIP = (
    "Brush diameter as a share of the canvas width (for new strokes).\n"
    "The default gives strokes about as thick as MNIST's when the digit fills\n"
    "most of the canvas; a thin brush on a big digit comes out faint and thin."
)
_LABEL_TIP = "The true digit of your drawing. It follows the prediction until you change it."


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _label(text: str = "", tip: str = "", scale: float = 1.0, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setToolTip(tip)
    label.setWordWrap(True)
    if scale != 1.0 or bold:
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(bold)
        label.setFont(font)
    return label


class DrawTab(QWidget):
    """Draw a digit and see the model's prediction update while you draw.

    Public API for the main window and tests: :meth:`current_prediction`,
    :meth:`current_input`, :meth:`current_logits`, :meth:`set_model`, :meth:`clear`,
    :meth:`undo`, the attributes ``canvas``, ``personal_digits`` and ``state``, the
    controls (``undo_button``, ``clear_button``, ``eraser_button``, ``brush_slider``,
    ``label_spin``, ``add_button``, ``remove_button``, ``preprocess_panel``) and labels
    (``digit_label``, ``confidence_label``, ``second_label``, ``brush_value``,
    ``count_label``, ``teach_status``, ``bars``), and the signals ``predictionChanged``
    and ``personalDigitsChanged``.
    """

    predictionChanged = pyqtSignal()
    """The predicted digit or its probabilities changed (also while a stroke is drawn)."""
    personalDigitsChanged = pyqtSignal()
    """The user added (or removed) a labelled drawing in ``personal_digits``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = DrawState()
        self._digit_styled: bool | None = None
        self.canvas = DrawCanvas(self)
        self._build_ui()
        self._connect()
        self._refresh_personal()
        self._refresh_input()

    # ----------------------------------------------------------------- public API
    @property
    def personal_digits(self) -> PersonalDigits:
        """The user's labelled drawings (saved in their data folder)."""
        return self.state.personal

    def current_prediction(self) -> tuple[int | None, np.ndarray | None]:
        """(digit, probabilities (10,)) for the drawing, or (None, None) when the canvas
        is empty or nearly empty, or no model is loaded."""
        s = self.state
        if s.digit is None or s.probabilities is None:
            return None, None
        return s.digit, s.probabilities.copy()

    def current_input(self) -> np.ndarray | None:
        """The (28, 28) float32 input the model sees (ink = 1), or None when empty."""
        return None if self.state.input is None else self.state.input.copy()

    def current_logits(self) -> np.ndarray | None:
        """The model's 10 scores before softmax, (10,), or None (no model / empty)."""
        return None if self.state.logits is None else self.state.logits.copy()

    def set_model(self, model: object | None) -> None:
        """Classify with ``model`` from now on (None: no model) and re-classify at once.

        ``model`` needs ``activations(x) -> list of arrays`` for x (N, 1, 28, 28) whose
        last entry is the (N, 10) softmax output. Only a forward pass runs here, so the
        main window may call this several times a second with training snapshots.
        """
        self.state.model = model
        self._classify()

    def clear(self) -> None:
        """Empty the canvas (undoable with :meth:`undo`)."""
        self.canvas.clear()

    def undo(self) -> None:
        """Undo the last stroke (or the last clear)."""
        self.canvas.undo()

    # --------------------------------------------------------------------- set-up
    def _build_ui(self) -> None:
        self.preprocess_panel = PreprocessPanel()
        root = QHBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.setSpacing(12)
        root.addLayout(self._build_canvas_column(), stretch=5)
        root.addWidget(self.preprocess_panel, stretch=0)
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
        column.addWidget(_label(
            "Draw one digit, big or small, anywhere on the black square: the network "
            "answers while you draw. Left button draws, right button erases; "
            "Ctrl+Z undoes, Esc or Delete clears."))
        self.undo_button = _button("Undo", "Take back the last stroke, or the last clear "
                                   "(Ctrl+Z).")
        self.clear_button = _button("Clear", "Wipe the canvas (Delete, Backspace or Escape). "
                                    "Undo brings it back.")
        self.eraser_button = _button("Eraser", "While on, the left button erases instead of "
                                     "drawing.\nThe right mouse button and a pen's eraser "
                                     "end always erase.")
        self.eraser_button.setCheckable(True)
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setRange(round(BRUSH_MIN * 100), round(BRUSH_MAX * 100))
        self.brush_slider.setValue(round(self.canvas.brush_width() * 100))
        self.brush_slider.setMinimumWidth(90)
        self.brush_slider.setToolTip(_BRUSH_TIP)
        self.brush_value = QLabel()
        self.brush_value.setMinimumWidth(36)
        self.brush_value.setToolTip(_BRUSH_TIP)
        brush_label = QLabel("Brush")
        brush_label.setToolTip(_BRUSH_TIP)
        tools = QHBoxLayout()
        for widget in (self.undo_button, self.clear_button, self.eraser_button):
            tools.addWidget(widget)
        tools.addSpacing(12)
        tools.addWidget(brush_label)
        tools.addWidget(self.brush_slider, stretch=1)
        tools.addWidget(self.brush_value)
        column.addLayout(tools)
        column.addWidget(self.canvas, stretch=1)
        return column

    def _build_prediction_box(self) -> QGroupBox:
        box = QGroupBox("Prediction")
        self.digit_label = _label("?", "The digit the network thinks you drew (its top "
                                  "class).", scale=4.0, bold=True)
        self.digit_label.setWordWrap(False)
        self.digit_label.setMinimumWidth(80)
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence_label = _label(
            tip="How sure the network is: the probability of its top class.\n"
                "High confidence is not the same as being right.", scale=1.4)
        self.second_label = _label(tip="The runner-up class and its probability: what the "
                                       "network would answer next.")
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(self.confidence_label)
        text.addWidget(self.second_label)
        text.addStretch(1)
        headline = QHBoxLayout()
        headline.addWidget(self.digit_label)
        headline.addLayout(text, stretch=1)
        self.bars = ProbabilityBars()
        layout = QVBoxLayout(box)
        layout.addLayout(headline)
        layout.addWidget(self.bars, stretch=1)
        return box

    def _build_teach_box(self) -> QGroupBox:
        box = QGroupBox("Teach it your handwriting")
        box.setToolTip("Your labelled drawings form a personal set, saved in your data folder "
                       "and loaded next time;\ntraining can mix them in so the network learns "
                       "your hand.")
        layout = QVBoxLayout(box)
        layout.addWidget(_label("Wrong answer, or a style it should know? Confirm or correct "
                                "the label and add the drawing: training can mix your "
                                "digits in."))
        this_is = QLabel("This is a")
        this_is.setToolTip(_LABEL_TIP)
        self.label_spin = QSpinBox()
        self.label_spin.setRange(0, 9)
        self.label_spin.setToolTip(_LABEL_TIP)
        self.add_button = _button("Add to training data",
                                  "Save the 28x28 input shown under 'What the network sees' "
                                  "with this label\nto your personal digits, then clear the "
                                  "canvas for the next one.")
        row = QHBoxLayout()
        row.addWidget(this_is)
        row.addWidget(self.label_spin)
        row.addWidget(self.add_button, stretch=1)
        layout.addLayout(row)

        self._recent_views: list[StageView] = []
        self._recent_labels: list[QLabel] = []
        strip = QGridLayout()
        strip.setHorizontalSpacing(4)
        strip.setVerticalSpacing(0)
        for k in range(RECENT):
            view = StageView(side=40)
            view.setMinimumSize(32, 32)
            caption = detail_label()
            caption.setWordWrap(False)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            strip.addWidget(view, 0, k)
            strip.addWidget(caption, 1, k)
            self._recent_views.append(view)
            self._recent_labels.append(caption)
        strip.setColumnStretch(RECENT, 1)
        layout.addLayout(strip)

        self.count_label = _label()
        self.remove_button = _button("Remove last",
                                     "Delete the most recently added drawing from your set.")
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label, stretch=1)
        count_row.addWidget(self.remove_button)
        layout.addLayout(count_row)
        self.teach_status = _label()
        layout.addWidget(self.teach_status)
        return box

    def _connect(self) -> None:
        self.canvas.imageChanged.connect(self._on_canvas_image_changed)
        self.undo_button.clicked.connect(self.undo)
        self.clear_button.clicked.connect(self.clear)
        self.eraser_button.toggled.connect(self._on_eraser_toggled)
        self.brush_slider.valueChanged.connect(self._on_brush_value_changed)
        self.preprocess_panel.switchesChanged.connect(self._on_switches_changed)
        self.label_spin.valueChanged.connect(self._on_label_value_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self._on_brush_value_changed(self.brush_slider.value())

    # --------------------------------------------------------------------- slots
    def _on_canvas_image_changed(self) -> None:
        self._refresh_input()

    def _on_switches_changed(self) -> None:
        self._refresh_input()

    def _on_eraser_toggled(self, on: bool) -> None:
        self.canvas.set_eraser(on)

    def _on_brush_value_changed(self, value: int) -> None:
        self.canvas.set_brush_width(value / 100.0)
        self.brush_value.setText(f"{value} %")

    def _on_label_value_changed(self, _value: int) -> None:
        self.state.label_follows_prediction = False

    def _on_add_clicked(self) -> None:
        added, message = self.state.add_personal(self.label_spin.value())
        if message:
            self.teach_status.setText(message)
        if added:
            self._refresh_personal()
            self.personalDigitsChanged.emit()
            self.clear()

    def _on_remove_clicked(self) -> None:
        removed, message = self.state.remove_last_personal()
        if message:
            self.teach_status.setText(message)
        if removed:
            self._refresh_personal()
            self.personalDigitsChanged.emit()

    # ---------------------------------------------------------------- refreshing
    def _refresh_input(self) -> None:
        """Preprocess the canvas, update the stage views, then re-classify."""
        switches = self.preprocess_panel.switches()
        result = self.state.set_drawing(self.canvas.image(), self.canvas.brush_width(),
                                        self.canvas.stroke_count(), switches)
        self.preprocess_panel.show_result(result, switches)
        self._classify()

    def _classify(self) -> None:
        """Run the model on the current input and update the prediction widgets."""
        changed = self.state.classify()
        self._show_prediction()
        self.add_button.setEnabled(self.state.can_add())
        self.undo_button.setEnabled(self.canvas.can_undo())
        self.clear_button.setEnabled(self.canvas.stroke_count() > 0)
        if changed:
            self.predictionChanged.emit()

    def _show_prediction(self) -> None:
        s = self.state
        self._set_digit_style(s.digit is not None)
        if s.digit is None:
            self.digit_label.setText("?")
            self.confidence_label.setText(s.message)
            self.second_label.setText("")
            self.bars.set_probabilities(None)
            return
        p = s.probabilities
        second = s.runner_up()
        self.digit_label.setText(str(s.digit))
        self.confidence_label.setText(f"{100.0 * p[s.digit]:.1f} % sure")
        self.second_label.setText(f"second guess: {second} ({100.0 * p[second]:.1f} %)")
        self.bars.set_probabilities(p)
        if s.label_follows_prediction:
            self.label_spin.blockSignals(True)
            self.label_spin.setValue(s.digit)
            self.label_spin.blockSignals(False)

    def _set_digit_style(self, has_digit: bool) -> None:
        """Green digit when there is a prediction, grey "?" otherwise (restyled only on
        change: style sheets are not free and this runs on every mouse move)."""
        if has_digit == self._digit_styled:
            return
        self._digit_styled = has_digit
        colour = DRAW.prediction if has_digit else DRAW.detail
        self.digit_label.setStyleSheet(f"color: {colour};")

    def _refresh_personal(self) -> None:
        s = self.state
        self.count_label.setText(s.personal_summary())
        if s.personal_error is not None:
            self.teach_status.setText(
                f"{s.personal_error}\nThe file was left untouched; fix or move it away "
                "to add new drawings."
            )
            for control in (self.add_button, self.remove_button, self.label_spin):
                control.setEnabled(False)
            return
        self.count_label.setToolTip(f"Your labelled drawings are saved in {s.personal.path}")
        self.remove_button.setEnabled(len(s.personal) > 0)
        recent = s.recent_personal()
        for slot, (view, caption) in enumerate(
            zip(self._recent_views, self._recent_labels, strict=True)
        ):
            shown = slot < len(recent)
            view.setVisible(shown)
            caption.setVisible(shown)
            if not shown:
                continue
            index, image, label = recent[slot]
            view.set_image(image)
            view.setToolTip(f"Personal digit #{index + 1}, labelled {label}")
            caption.setText(str(label))
