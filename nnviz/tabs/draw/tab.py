"""The Draw tab: draw a digit (or open a picture), watch it become an MNIST-style input and
get classified live, ask why, and teach the network your handwriting.

A QWidget facade over a DrawCanvas, the preprocessing stages (each switchable, to show
why it matters), probability bars with a "Why?" map, and the Teach box. What they show
lives in a :class:`~nnviz.tabs.draw.state.DrawState` (``state``): the tab hands it the
canvas drawing and the user's choices and shows its results. It owns no training state:
the main window hands it a model (or the session's view model, refreshed from training
snapshots) with :meth:`DrawTab.set_model`, and the tab only runs forward passes on it.

Teaching runs on a thread of its own (:class:`~nnviz.tabs.draw.teach_runner.TeachRunner`)
and fine-tunes a copy. The tab then classifies with the taught model and reports it with
``modelReplaced(model, origin)`` — the hook through which the window gives it to the
session, so that every view uses it; "Undo teaching" reports the previous model the same
way. The window must call :meth:`DrawTab.stop_teaching` before it closes.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QFont, QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from core.personal import PersonalDigits
from core.saliency import Explanation
from nnviz.tabs.draw.canvas import BRUSH_MAX, BRUSH_MIN, DrawCanvas
from nnviz.tabs.draw.picture_actions import PictureActions
from nnviz.tabs.draw.preprocess_panel import PreprocessPanel
from nnviz.tabs.draw.probability_bars import ProbabilityBars
from nnviz.tabs.draw.state import DrawState, frame_rect
from nnviz.tabs.draw.teach_actions import TeachActions
from nnviz.tabs.draw.teach_box import TeachBox, button
from nnviz.tabs.draw.teach_runner import TeachRunner
from nnviz.tabs.draw.why import legend_sentence, overlay
from nnviz.theme import DRAW

_BRUSH_TIP = (
    "Brush diameter as a share of the canvas width (for new strokes).\n"
    "The network does not see this width: with 'strokes to scale' on, your strokes are\n"
    "redrawn in proportion to the digit's size, as MNIST's are."
)
_WHY_TIP = (
    "Show which ink made the network give its answer (green) and which pulled it toward\n"
    "its second guess (blue), on the 28x28 input and on the canvas. Each bit of ink is\n"
    "wiped out in turn and the gap between the two class scores is measured again:\n"
    "where the gap shrinks, that ink spoke for the answer; where it grows, for the runner-up."
)
WHY_DELAY_MS = 80
"""While drawing, the "Why?" map is recomputed at most this often."""


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


class DrawTab(PictureActions, TeachActions, QWidget):
    """Draw a digit and see the model's prediction update while you draw.

    Public API for the main window and tests: :meth:`current_prediction`,
    :meth:`current_input`, :meth:`current_logits`, :meth:`current_explanation`,
    :meth:`set_model`, :meth:`clear`, :meth:`undo`, :meth:`open_picture`,
    :meth:`choose_picture`, :meth:`set_why`, :meth:`teach`, :meth:`undo_teaching`,
    :meth:`is_teaching`, :meth:`stop_teaching`, :meth:`set_teach_blocked`; the attributes
    ``canvas``, ``personal_digits``, ``state`` and ``teach_box``, the controls
    (``undo_button``, ``clear_button``, ``eraser_button``, ``brush_slider``, ``why_button``,
    ``label_spin``, ``add_button``, ``remove_button``, ``teach_button``,
    ``undo_teach_button``, ``preprocess_panel``) and labels (``digit_label``,
    ``confidence_label``, ``second_label``, ``why_text``, ``picture_status``,
    ``brush_value``, ``count_label``, ``teach_status``, ``teach_result``, ``bars``); the
    signals ``predictionChanged``, ``personalDigitsChanged``, ``teachFinished`` and
    ``modelReplaced``. Pictures: :class:`~nnviz.tabs.draw.picture_actions.PictureActions`;
    the Teach box: :class:`~nnviz.tabs.draw.teach_actions.TeachActions`.
    """

    predictionChanged = pyqtSignal()
    """The predicted digit or its probabilities changed (also while a stroke is drawn)."""
    personalDigitsChanged = pyqtSignal()
    """The user added (or removed) a labelled drawing in ``personal_digits``."""
    teachFinished = pyqtSignal(object)
    """Teaching ended: a :class:`core.teach.TeachResult` (its ``model`` is None when it
    failed or was stopped)."""
    modelReplaced = pyqtSignal(object, str)
    """The tab now classifies with another model — taught, or the one from before teaching
    (undo): (a copy of it, where it came from). The window gives it to the session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = DrawState()
        self._digit_styled: bool | None = None
        self._previous_model = None
        self._teach_blocked: str | None = None
        self.canvas = DrawCanvas(self)
        self.teach_runner = TeachRunner(self)
        self._why_timer = QTimer(self)
        self._why_timer.setSingleShot(True)
        self._why_timer.setInterval(WHY_DELAY_MS)
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

    def current_explanation(self) -> Explanation | None:
        """The "Why?" map shown (None while it is off or there is nothing to explain)."""
        return self.state.explanation if self.why_button.isChecked() else None

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

    def set_why(self, on: bool) -> None:
        """Show (True) or hide the "Why?" map."""
        self.why_button.setChecked(on)

    # --------------------------------------------------------------------- set-up
    def _build_ui(self) -> None:
        self.preprocess_panel = PreprocessPanel()
        self.teach_box = TeachBox()
        for name in ("label_spin", "add_button", "remove_button", "count_label",
                     "teach_status", "teach_button", "undo_teach_button", "teach_result"):
            setattr(self, name, getattr(self.teach_box, name))
        root = QHBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.setSpacing(12)
        root.addLayout(self._build_canvas_column(), stretch=5)
        root.addWidget(self.preprocess_panel, stretch=0)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self._build_prediction_box(), stretch=1)
        right.addWidget(self.teach_box, stretch=0)
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
            "Ctrl+Z undoes, Esc or Delete clears. Or drop a picture of a digit here."))
        self.undo_button = button("Undo", "Take back the last stroke, or the last clear "
                                   "(Ctrl+Z).")
        self.clear_button = button("Clear", "Wipe the canvas (Delete, Backspace or Escape). "
                                    "Undo brings it back.")
        self.eraser_button = button("Eraser", "While on, the left button erases instead of "
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
        self.picture_status = _label()
        self.picture_status.setObjectName("pictureStatus")
        self.picture_status.setStyleSheet(f"color: {DRAW.detail};")
        column.addWidget(self.picture_status)
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
        self.why_button = button("Why?", _WHY_TIP, "whyButton")
        self.why_button.setCheckable(True)
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(self.confidence_label)
        text.addWidget(self.second_label)
        text.addStretch(1)
        headline = QHBoxLayout()
        headline.addWidget(self.digit_label)
        headline.addLayout(text, stretch=1)
        headline.addWidget(self.why_button, alignment=Qt.AlignmentFlag.AlignTop)
        self.why_text = _label(tip=_WHY_TIP)
        self.why_text.setObjectName("whyText")
        self.why_text.setTextFormat(Qt.TextFormat.RichText)
        self.why_text.setVisible(False)
        self.bars = ProbabilityBars()
        layout = QVBoxLayout(box)
        layout.addLayout(headline)
        layout.addWidget(self.why_text)
        layout.addWidget(self.bars, stretch=1)
        return box

    def _connect(self) -> None:
        self.canvas.imageChanged.connect(self._on_canvas_image_changed)
        self.canvas.pictureDropped.connect(self._on_canvas_picture_dropped)
        self.undo_button.clicked.connect(self.undo)
        self.clear_button.clicked.connect(self.clear)
        self.eraser_button.toggled.connect(self._on_eraser_toggled)
        self.brush_slider.valueChanged.connect(self._on_brush_value_changed)
        self.preprocess_panel.switchesChanged.connect(self._on_switches_changed)
        self._connect_teach()
        self.why_button.toggled.connect(self._on_why_toggled)
        self._why_timer.timeout.connect(self._refresh_why)
        self._on_brush_value_changed(self.brush_slider.value())

    # --------------------------------------------------------------------- slots
    def _on_canvas_image_changed(self) -> None:
        if not self.canvas.has_picture():
            self.picture_status.setText("")
        self._refresh_input()

    def _on_switches_changed(self) -> None:
        self._refresh_input()

    def _on_eraser_toggled(self, on: bool) -> None:
        self.canvas.set_eraser(on)

    def _on_brush_value_changed(self, value: int) -> None:
        self.canvas.set_brush_width(value / 100.0)
        self.brush_value.setText(f"{value} %")

    def _on_why_toggled(self, on: bool) -> None:
        self.why_button.setText("Hide why" if on else "Why?")
        self.why_text.setVisible(on)
        self._refresh_why()

    # ---------------------------------------------------------------- refreshing
    def _refresh_input(self) -> None:
        """Preprocess the canvas (or the picture), update the stage views, re-classify."""
        switches = self.preprocess_panel.switches()
        if self.canvas.has_picture() and self.state.picture is not None:
            self.state.set_picture(self.state.picture, switches)
        else:
            self.state.set_drawing(self.canvas.image(), self.canvas.brush_width(),
                                   self.canvas.stroke_count(), switches, self.canvas.strokes())
        self._show_stages()
        self._classify()

    def _show_stages(self) -> None:
        self.preprocess_panel.show_result(self.state.preprocessed, self.state.switches,
                                          self.state.captions())

    def _classify(self) -> None:
        """Run the model on the current input and update the prediction widgets."""
        changed = self.state.classify()
        self._show_prediction()
        self.add_button.setEnabled(self.state.can_add())
        self.undo_button.setEnabled(self.canvas.can_undo())
        self.clear_button.setEnabled(self.canvas.stroke_count() > 0 or
                                     self.canvas.has_picture())
        if self.why_button.isChecked() and not self._why_timer.isActive():
            self._why_timer.start()  # at most every WHY_DELAY_MS while the pen moves
        if changed:
            self.predictionChanged.emit()

    def _refresh_why(self) -> None:
        """Recompute the "Why?" map and show it on the input and the canvas."""
        self._why_timer.stop()
        explanation = self.state.explain() if self.why_button.isChecked() else None
        result = self.state.preprocessed
        if explanation is None or result is None or result["empty"]:
            self.preprocess_panel.set_input_overlay(None)
            self.canvas.set_overlay(None)
            if self.why_button.isChecked():
                self.why_text.setText("Draw a digit to see why the network answers what "
                                      "it does." if self.state.digit is None else
                                      "This model cannot be explained here.")
            return
        rgba = overlay(explanation, DRAW.why_answer, DRAW.why_second)
        self.preprocess_panel.set_input_overlay(rgba)
        self.canvas.set_overlay(rgba, self._frame_on_canvas(result))
        self.why_text.setText(
            f"<span style='color:{DRAW.why_answer}'>■</span> for {explanation.top} &nbsp; "
            f"<span style='color:{DRAW.why_second}'>■</span> for {explanation.second}<br>"
            + legend_sentence(explanation))

    def _frame_on_canvas(self, result: dict) -> QRectF:
        """The 28×28 input frame in the canvas's unit coordinates."""
        left, top, side = frame_rect(result)
        height, width = result["raw"].shape
        scale = float(max(height, width))
        origin = self.canvas.picture_rect() if self.canvas.has_picture() else QRectF(0, 0, 1, 1)
        return QRectF(origin.x() + left / scale, origin.y() + top / scale,
                      side / scale, side / scale)

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
