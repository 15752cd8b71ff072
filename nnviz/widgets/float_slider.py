"""A labelled slider for a float on a linear or logarithmic scale (the lab's α, t and λ)."""

from __future__ import annotations

import math

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

STEPS = 1000  # slider resolution: 1000 positions between the ends


def format_value(value: float) -> str:
    """Four significant digits, in scientific notation only when really needed."""
    if value == 0.0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.4g}"
    return f"{value:.3e}"


class FloatSlider(QWidget):
    """A QSlider mapped onto [low, high], linearly or in log space, with its value shown.

    ``valueChanged(float)`` fires when the user moves the slider (not on :meth:`set_value`).
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
        self.name_label = QLabel(name, minimumWidth=18, toolTip=tooltip)
        self.slider = QSlider(
            Qt.Orientation.Horizontal, minimum=0, maximum=STEPS, minimumWidth=80, toolTip=tooltip
        )
        self.value_label = QLabel(
            minimumWidth=64, toolTip=tooltip,
            alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget, stretch in ((self.name_label, 0), (self.slider, 1), (self.value_label, 0)):
            layout.addWidget(widget, stretch)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.set_value(value)

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
        self.set_value(self._value)

    def set_value(self, value: float) -> None:
        """Show ``value`` without emitting ``valueChanged`` (for linked sliders)."""
        self._value = float(value)
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_position(self._value))
        self.slider.blockSignals(False)
        self.value_label.setText(format_value(self._value))

    def set_position(self, position: int) -> None:
        """Move the knob as a user would: emits ``valueChanged``."""
        self.slider.setValue(position)

    def _on_slider_moved(self, position: int) -> None:
        self._value = self._to_value(position)
        self.value_label.setText(format_value(self._value))
        self.valueChanged.emit(self._value)
