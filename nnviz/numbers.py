"""Numbers as people write them, for labels, tables and spin boxes. Qt-free."""

from __future__ import annotations

__all__ = ["format_number"]


def format_number(value: float) -> str:
    """``value`` as people write it: 0.05, 0.001, 0.9, 10, and 1e-4, 2.5e-6 below 0.001
    (at most 6 significant digits, no trailing zeros, no "e-04")."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.6g}"
    mantissa, exponent = f"{value:.4e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"
