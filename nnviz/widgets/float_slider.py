"""A slider for a float on a linear or logarithmic scale, with a field to type the value
(the lab's α, t, ρ, the correlation), and that field on its own (:class:`FloatField`).

Typed values may use scientific notation: ``1e-3``, ``0.001``, ``1·10⁻³`` and ``1×10^-3``
all read as 0.001 (:func:`parse_number`).
"""

from __future__ import annotations

import math
import re

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QMouseEvent, QWheelEvent
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolTip,
    QWidget,
)

STEPS = 1000  # slider resolution: 1000 positions between the ends
SMALL_STEP = 10  # the arrow keys and page keys move 1 % of the way
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_TIMES_TEN = re.compile(r"\s*[·×x*]\s*10\s*\^?\s*")


def format_value(value: float) -> str:
    """Four significant digits, in scientific notation only when really needed."""
    if value == 0.0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.4g}"
    return f"{value:.3e}"


def parse_number(text: str) -> float | None:
    """The finite number ``text`` spells, or None: plain ("0.001", "−2", "1,5"), scientific
    ("1e-3", "1E-3") or written out ("1·10⁻³", "1×10^-3", "2*10^4", "10⁻³")."""
    s = text.strip().replace("−", "-").replace(",", ".").replace(" ", "")
    if not s:
        return None
    s = s.translate(_SUPERSCRIPT)
    if s.startswith("10^") or (s.startswith("10") and s[2:3] in ("-", "+")):
        s = "1e" + s[2:].lstrip("^")  # "10⁻³" alone
    s = _TIMES_TEN.sub("e", s, count=1)
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class FloatField(QLineEdit):
    """A line edit for one float in [low, high] that reads :func:`parse_number`'s notations.

    ``valueChanged(float)`` fires when the user finishes typing a new value (Enter or focus
    out), not on :meth:`setValue`. A value outside the range is clamped to it, text that is no
    number is refused: the field shows the value kept and a tooltip says why.
    """

    valueChanged = pyqtSignal(float)

    def __init__(self, low: float, high: float, value: float, tooltip: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._low, self._high = low, high
        self._value = float(value)
        self._message = ""
        self.setToolTip(tooltip)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("-0.000e-00") + 12)
        self.setText(format_value(self._value))
        self.editingFinished.connect(self._on_editing_finished)

    def value(self) -> float:
        """The current value (exactly what was set or typed)."""
        return self._value

    def setValue(self, value: float) -> None:  # noqa: N802 (a spin box's name)
        """Show ``value`` without emitting ``valueChanged``."""
        self._value = float(value)
        self.setText(format_value(self._value))

    def setRange(self, low: float, high: float) -> None:  # noqa: N802 (a spin box's name)
        """The ends a typed value is clamped to."""
        self._low, self._high = low, high

    def range(self) -> tuple[float, float]:
        """The ends (low, high)."""
        return self._low, self._high

    def message(self) -> str:
        """Why the last typed text was refused or clamped ("" when it was taken as typed)."""
        return self._message

    def _on_editing_finished(self) -> None:
        typed = parse_number(self.text())
        if typed is None:
            self._refuse(f"“{self.text().strip()}” is not a number: type e.g. 0.01, 1e-3 or "
                         f"1·10⁻³. Kept {format_value(self._value)}.")
            self.setText(format_value(self._value))
            return
        kept = min(max(typed, self._low), self._high)
        if kept != typed:
            self._refuse(f"{format_value(typed)} is outside {format_value(self._low)} … "
                         f"{format_value(self._high)}: set to {format_value(kept)}.")
        else:
            self._message = ""
        changed = kept != self._value
        self.setValue(kept)
        if changed:
            self.valueChanged.emit(kept)

    def _refuse(self, message: str) -> None:
        self._message = message
        QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), message, self)


class JumpSlider(QSlider):
    """A horizontal QSlider whose groove, when clicked, puts the knob where it was clicked
    (and a drag continues from there), rather than jumping a page towards the click; the
    mouse wheel moves it only while it has focus, so scrolling a panel past it changes
    nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, STEPS)
        self.setSingleStep(1)
        self.setPageStep(SMALL_STEP)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def position_at(self, x: float) -> int:
        """The slider position under widget x-coordinate ``x`` (the knob's centre there)."""
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        style = self.style()
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                      QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        offset = int(round(x - groove.x() - handle.width() / 2))
        return QStyle.sliderValueFromPosition(self.minimum(), self.maximum(),
                                              min(max(offset, 0), max(span, 0)), max(span, 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            opt = QStyleOptionSlider()
            self.initStyleOption(opt)
            handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                                 QStyle.SubControl.SC_SliderHandle, self)
            if not handle.contains(event.position().toPoint()):
                self.setValue(self.position_at(event.position().x()))
        super().mousePressEvent(event)  # the knob is under the mouse now: a drag follows

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # let the scroll area scroll


class FloatSlider(QWidget):
    """A slider mapped onto [low, high], linearly or in log space, beside a field that shows
    the value and takes a typed one; the two are bound both ways.

    ``valueChanged(float)`` fires when the user moves the slider or types a value (not on
    :meth:`set_value`).
    """

    valueChanged = pyqtSignal(float)

    def __init__(
        self,
        name: str,
        low: float,
        high: float,
        value: float,
        log: bool = False,
        tooltip: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._log = log
        self._low, self._high = low, high
        self._value = value
        self.setToolTip(tooltip)
        self.name_label = QLabel(name, toolTip=tooltip)
        if name:
            self.name_label.setMinimumWidth(18)
        self.slider = JumpSlider()
        self.slider.setMinimumWidth(80)
        self.slider.setToolTip(tooltip)
        self.field = FloatField(low, high, value, tooltip + "\nType a value (e.g. 0.01 or 1e-3) "
                                "and press Enter." if tooltip else "")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget, stretch in ((self.name_label, 0), (self.slider, 1), (self.field, 0)):
            layout.addWidget(widget, stretch)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.field.valueChanged.connect(self._on_field_typed)
        self.set_value(value)

    @property
    def value_label(self) -> FloatField:
        """The value's field (the name it had while it was a read-only label)."""
        return self.field

    # ------------------------------------------------------------------ mapping
    def _to_position(self, value: float) -> int:
        lo, hi = self._low, self._high
        if self._log:
            value, lo, hi = (math.log10(max(v, 1e-300)) for v in (value, lo, hi))
        if hi == lo:
            return 0
        return int(round(min(max((value - lo) / (hi - lo), 0.0), 1.0) * STEPS))

    def value_at(self, position: int) -> float:
        """The value a knob position stands for."""
        return self._to_value(position)

    def _to_value(self, position: int) -> float:
        f = position / STEPS
        if self._log:
            lo, hi = math.log10(self._low), math.log10(self._high)
            return 10.0 ** (lo + f * (hi - lo))
        return self._low + f * (self._high - self._low)

    # ------------------------------------------------------------------ API
    def value(self) -> float:
        """The current value (exactly what was set, not rounded to a slider position)."""
        return self._value

    def range(self) -> tuple[float, float]:
        """The ends (low, high)."""
        return self._low, self._high

    def set_range(self, low: float, high: float) -> None:
        """Change the ends; the value is kept (and the knob moved to it) without a signal."""
        self._low, self._high = low, high
        self.field.setRange(low, high)
        self.set_value(self._value)

    def set_value(self, value: float) -> None:
        """Show ``value`` without emitting ``valueChanged`` (for linked sliders)."""
        self._value = float(value)
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_position(self._value))
        self.slider.blockSignals(False)
        self.field.setValue(self._value)

    def set_position(self, position: int) -> None:
        """Move the knob as a user would: emits ``valueChanged``."""
        self.slider.setValue(position)

    def _on_slider_moved(self, position: int) -> None:
        self._value = self._to_value(position)
        self.field.setValue(self._value)
        self.valueChanged.emit(self._value)

    def _on_field_typed(self, value: float) -> None:
        self.set_value(value)  # the knob follows, silently
        self.valueChanged.emit(self._value)
