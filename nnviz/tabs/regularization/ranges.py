"""Plot ranges that stay still while a slider drags (no Qt here): shared by the lab and its
plots, so a small change of the data never jolts the axes."""

from __future__ import annotations


def sticky(current: tuple[float, float], wanted: tuple[float, float], slack: float) -> bool:
    """Whether a shown range can stay: it holds ``wanted`` with at most ``slack`` to spare on
    either side. Keeping ranges still while a slider drags avoids re-drawing the axes."""
    return (
        current[0] <= wanted[0] and current[1] >= wanted[1]
        and wanted[0] - current[0] <= slack and current[1] - wanted[1] <= slack
    )


def settle(
    current: tuple[float, float], wanted: tuple[float, float], slack: float
) -> tuple[float, float]:
    """The range to show: the current one if :func:`sticky`, else ``wanted`` with half the
    slack added on both sides, so that the next small change fits without a jump."""
    if sticky(current, wanted, slack):
        return current
    return wanted[0] - 0.5 * slack, wanted[1] + 0.5 * slack
