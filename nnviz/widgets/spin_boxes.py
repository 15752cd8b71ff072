"""Spin boxes built in one call: range, value, step, tooltip and objectName together.

Keyboard tracking is off, so typing "0.05" emits one ``valueChanged`` when the user is
done (Enter or focus out), not one for "0", "0.0" and "0.05" on the way.
"""

from __future__ import annotations

from PyQt6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox

__all__ = ["float_spin", "int_spin"]


def float_spin(minimum: float, maximum: float, value: float, decimals: int, step: float,
               tip: str, name: str, suffix: str = "") -> QDoubleSpinBox:
    """A QDoubleSpinBox over [minimum, maximum] showing ``decimals`` decimals."""
    box = QDoubleSpinBox()
    box.setDecimals(decimals)  # before the value, which it rounds
    box.setSingleStep(step)
    box.setSuffix(suffix)
    return _configured(box, minimum, maximum, value, tip, name)


def int_spin(minimum: int, maximum: int, value: int, tip: str, name: str) -> QSpinBox:
    """A QSpinBox over [minimum, maximum]."""
    return _configured(QSpinBox(), minimum, maximum, value, tip, name)


def _configured(box: QAbstractSpinBox, minimum, maximum, value, tip: str,
                name: str) -> QAbstractSpinBox:
    box.setRange(minimum, maximum)
    box.setValue(value)
    box.setToolTip(tip)
    box.setObjectName(name)
    box.setKeyboardTracking(False)
    return box
