"""Spin boxes built in one call: range, value, step, tooltip and objectName together.

Keyboard tracking is off, so typing "0.05" emits one ``valueChanged`` when the user is
done (Enter or focus out), not one for "0", "0.0" and "0.05" on the way.

:class:`ScientificSpinBox` is the box for strengths and rates that span decades (the
learning rate, its decay, L1 and L2): it reads ``1e-4``, ``0.0001``, ``1·10⁻⁴`` and
``1×10^-4`` alike, shows small values as ``1e-4`` rather than ``0.000100``, steps along
1, 2, 5, 10, 20 … and refuses what it cannot read with a red frame and a tooltip that
says why, keeping the value it had.
"""

from __future__ import annotations

import math
import re

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtGui import QValidator
from PyQt6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget

from nnviz.numbers import format_number
from nnviz.theme import INPUT_REFUSED_BORDER

__all__ = ["ScientificSpinBox", "float_spin", "format_number", "int_spin", "parse_number",
           "scientific_spin"]

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_TIMES_TEN = re.compile(
    r"^(?:(?P<mantissa>[+-]?(?:\d+(?:\.\d*)?|\.\d+))[·×x*⋅])?10(?:\^|\*\*)(?P<exponent>[+-]?\d+)$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$")
EXAMPLES = "0.0001, 1e-4 or 1×10^-4"


def parse_number(text: str) -> float | None:
    """The number in ``text``, or None when it is not one.

    Reads plain decimals (``0.0001``, ``.5``, a decimal comma ``0,5``), e-notation
    (``1e-4``, ``1E-4``) and powers of ten written out (``1·10⁻⁴``, ``1×10^-4``,
    ``1*10**-4``, ``10^-4``); spaces, thin spaces and the minus sign − are allowed.
    """
    s = re.sub(r"\s", "", text).replace("−", "-").replace("–", "-").lower()
    superscript = re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+$", s)
    if superscript:  # 10⁻⁴ is 10^-4
        s = s[:superscript.start()] + "^" + superscript.group().translate(_SUPERSCRIPTS)
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    match = _TIMES_TEN.match(s)
    if match:
        mantissa = float(match["mantissa"]) if match["mantissa"] else 1.0
        try:
            value = mantissa * 10.0 ** int(match["exponent"])
        except OverflowError:
            return None
    elif _PLAIN.match(s):
        value = float(s)
    else:
        return None
    return value if math.isfinite(value) else None


def _ladder_step(value: float, up: bool) -> float:
    """The next value of the ladder 1, 2, 5, 10, 20, 50 … above (``up``) or below ``value`` > 0."""
    decade = 10.0 ** math.floor(math.log10(value))
    candidates = [m * decade * 10.0 ** k for k in (-1, 0, 1) for m in (1, 2, 5)]
    if up:
        return min(c for c in candidates if c > value * (1 + 1e-9))
    return max(c for c in candidates if c < value * (1 - 1e-9))


class ScientificSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox for values spanning decades: reads and shows scientific notation.

    The arrows (and the wheel, when focused) step along 1, 2, 5, 10 …; from 0 the first
    step up goes to ``singleStep()``, and a step down from there goes back to 0 (or the
    minimum). Text that is not a number, or is out of range, is refused when the user
    commits it (Enter or leaving the field): the value stays, the frame turns red, the
    tooltip says why and ``inputRefused(message)`` is emitted; the next accepted value
    clears it. Signals: ``inputRefused(str)``.
    """

    inputRefused = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(15)  # Qt rounds values to this; what shows is textFromValue's
        self._typed: str | None = None
        self._problem = ""
        self._plain_tip = ""
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._on_editing_finished)
        self.valueChanged.connect(self._on_value_changed)

    # -- Qt's number <-> text --------------------------------------------------------------
    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return format_number(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        value = parse_number(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Anything may be typed (so nothing is silently swallowed); only a number in range
        is Acceptable, the rest is refused visibly when committed."""
        value = parse_number(text)
        if value is not None and self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        return text  # nothing to repair: a refused text falls back to the value it had

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        value = self.value()
        for _ in range(abs(steps)):
            if steps > 0:
                value = self.singleStep() if value <= 0 else _ladder_step(value, up=True)
            elif value <= self.singleStep() * (1 + 1e-9):
                value = 0.0
            else:
                value = _ladder_step(value, up=False)
        self.setValue(min(max(value, self.minimum()), self.maximum()))
        self.selectAll()

    # -- refusing visibly ---------------------------------------------------------------------
    def problem(self) -> str:
        """Why the last committed text was refused ("" when it was taken)."""
        return self._problem

    def problem_with(self, text: str) -> str:
        """Why ``text`` cannot be taken ("" when it can)."""
        value = parse_number(text)
        if value is None:
            return (f"“{text.strip()}” is not a number: type it like {EXAMPLES}; "
                    f"kept {format_number(self.value())}.")
        if value > self.maximum():
            return (f"{format_number(value)} is above the largest value allowed here, "
                    f"{format_number(self.maximum())}; kept {format_number(self.value())}.")
        if value < self.minimum():
            return (f"{format_number(value)} is below the smallest value allowed here, "
                    f"{format_number(self.minimum())}; kept {format_number(self.value())}.")
        return ""

    def _on_text_edited(self, text: str) -> None:
        self._typed = text

    def _on_editing_finished(self) -> None:
        typed, self._typed = self._typed, None
        if typed is None:
            return
        problem = self.problem_with(typed)
        if problem:
            self._show_problem(problem)
            self.inputRefused.emit(problem)
        else:
            self._show_problem("")

    def _on_value_changed(self, _value: float) -> None:
        self._show_problem("")

    def _show_problem(self, problem: str) -> None:
        if problem == self._problem:
            return
        if not self._problem:
            self._plain_tip = self.toolTip()
        self._problem = problem
        if problem:
            self.setStyleSheet(f"QDoubleSpinBox {{ border: 2px solid {INPUT_REFUSED_BORDER}; "
                               "border-radius: 3px; }")
            self.setToolTip(f"⚠ {problem}\n\n{self._plain_tip}")
        else:
            self.setStyleSheet("")
            self.setToolTip(self._plain_tip)


def float_spin(minimum: float, maximum: float, value: float, decimals: int, step: float,
               tip: str, name: str, suffix: str = "") -> QDoubleSpinBox:
    """A QDoubleSpinBox over [minimum, maximum] showing ``decimals`` decimals."""
    box = QDoubleSpinBox()
    box.setDecimals(decimals)  # before the value, which it rounds
    box.setSingleStep(step)
    box.setSuffix(suffix)
    return _configured(box, minimum, maximum, value, tip, name)


def scientific_spin(minimum: float, maximum: float, value: float, step: float, tip: str,
                    name: str) -> ScientificSpinBox:
    """A :class:`ScientificSpinBox` over [minimum, maximum]; ``step`` is the first value
    the up arrow reaches from 0."""
    box = ScientificSpinBox()
    box.setSingleStep(step)
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
