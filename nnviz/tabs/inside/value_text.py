"""Numbers as the Inside tab prints them: signed, with a true minus sign. Qt-free."""

from __future__ import annotations

import numpy as np


def format_value(value: float, digits: int = 3) -> str:
    """A signed number with ``digits`` significant decimals, e.g. '+0.123', '−1.5e-05'."""
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 10 ** -(digits - 1) or abs(value) >= 1e4):
        text = f"{value:+.{max(digits - 1, 1)}e}"
    else:
        text = f"{value:+.{digits}f}"
    return text.replace("-", "−")


def compact(value: float) -> str:
    """A short signed number for a grid cell: '+.42', '−1.3', '0'."""
    value = float(value)
    if value == 0:
        return "0"
    if abs(value) >= 9.995:
        return f"{value:+.0f}".replace("-", "−")
    text = f"{value:+.2f}".replace("+0.", "+.").replace("-0.", "−.").replace("-", "−")
    return "0" if text in ("+.00", "−.00") else text
