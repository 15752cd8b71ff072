"""The shared look of the Inside, Regularization and Loss tabs' plots: the theme's
background, readable axes, no context menu or auto-range button, light or dark with the
desktop (:mod:`nnviz.theme`); and a log axis whose tick labels never crowd
(:class:`ReadableLogAxis`)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtGui import QFontMetricsF

from nnviz.theme import plot_colors

AXES = ("left", "bottom")
DECADE_MARKS = (((1, 2, 5), 1), ((1, 3), 1), ((1,), 1), ((1,), 2), ((1,), 3), ((1,), 5),
                ((1,), 10), ((1,), 20))
"""Candidate log ticks, densest first: (mantissas, every how many decades)."""
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def log_ticks(lo: float, hi: float, length: float, min_gap: float) -> list[float]:
    """Tick positions for a log axis that shows log10 values ``lo`` … ``hi`` over ``length``
    pixels, no two closer than ``min_gap`` pixels. The densest of 1-2-5, 1-3 or 1 per decade
    (or every few decades) that keeps that gap; else as many 1-2-5 values as keep it; within
    a very short range, round values evenly spaced. Returns log10 values, increasing (at
    least two whenever two can be placed at all)."""
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo and length > 0):
        return []
    per_px = length / (hi - lo)
    first, last = math.floor(lo), math.ceil(hi)

    def marks(mantissas: tuple[int, ...], every: int, offset: int) -> list[float]:
        ticks = [k + math.log10(m) for k in range(first, last + 1)
                 if (k - offset) % every == 0 for m in mantissas]
        return [t for t in ticks if lo <= t <= hi]

    def spaced(ticks: list[float]) -> bool:
        return len(ticks) >= 2 and min(np.diff(ticks)) * per_px >= min_gap

    def thinned(ticks: list[float]) -> list[float]:
        """From the top down, every tick at least the gap below the last one kept."""
        kept: list[float] = []
        for t in sorted(ticks, reverse=True):
            if not kept or (kept[-1] - t) * per_px >= min_gap:
                kept.append(t)
        return kept[::-1]

    for mantissas, every in DECADE_MARKS:
        ticks = max((marks(mantissas, every, o) for o in range(every)), key=len)
        if spaced(ticks):
            return ticks
    best = thinned(marks((1, 2, 5), 1, 0))
    if len(best) >= 2:
        return best
    low, high = 10.0 ** lo, 10.0 ** hi  # a short range: round values, finer and finer
    top = math.ceil(math.log10(high - low))
    for step in (m * 10.0 ** k for k in range(top, top - 12, -1) for m in (1, 0.5, 0.2)):
        values = np.arange(math.ceil(low / step) * step, high + 1e-9 * step, step)
        ticks = thinned([math.log10(v) for v in values if v > 0])
        if len(ticks) >= 2:
            return ticks
        best = max(best, ticks, key=len)
    return best


def log_tick_labels(ticks: list[float]) -> list[str]:
    """Labels for log ticks (log10 values): plain numbers from 0.001 to 9999, else
    m·10ⁿ; as many significant digits as it takes to tell neighbours apart."""
    values = [10.0 ** t for t in ticks]
    for digits in range(1, 7):
        labels = [_log_label(v, digits) for v in values]
        if len(set(labels)) == len(labels):
            return labels
    return labels


def _log_label(value: float, digits: int) -> str:
    if 1e-3 <= value < 1e4:
        return f"{float(f'{value:.{digits}g}'):g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPTS)
    return power if float(mantissa) == 1.0 else f"{float(mantissa):g}·{power}"


class ReadableLogAxis(pg.AxisItem):
    """An axis that, in log mode, places its labelled ticks with :func:`log_ticks` (at least
    two text heights apart on a vertical axis), so that labels never crowd or overlap; in
    linear mode it is pyqtgraph's own."""

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        height = QFontMetricsF(self.style.get("tickFont") or self.font()).height()
        vertical = self.orientation in ("left", "right")
        gap = 1.6 * height if vertical else 4.0 * height
        return [(None, log_ticks(minVal, maxVal, size, gap))]

    def boundingRect(self):  # noqa: N802 (Qt name)
        """With a grid pyqtgraph clips a vertical axis's labels to the plot, hiding one
        that sits near an end; let labels stand out by half their height, as without."""
        rect = super().boundingRect()
        if self.logMode and self.orientation in ("left", "right") and self.grid is not False:
            half = QFontMetricsF(self.style.get("tickFont") or self.font()).height() / 2
            rect = rect.adjusted(0, -half, 0, half)
        return rect

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return log_tick_labels([float(v) + math.log10(scale) for v in values])


def title_colour() -> str:
    """The colour of plot titles and legend labels in the current theme."""
    return plot_colors().text


def style_plot(
    widget: pg.PlotWidget,
    title: str | None = None,
    *,
    title_size: str = "9pt",
    labels: dict[str, str] | None = None,
    grid: float | None = None,
    mouse: bool = True,
    si_prefix: bool = True,
    readable_log: bool = False,
) -> pg.PlotItem:
    """Give ``widget`` the theme's plot background and readable axes; returns its PlotItem.

    Optionally: a ``title`` (in the theme's text colour, ``title_size``), axis ``labels``
    ({"bottom": "x", "left": "y"}), a grid on both axes with opacity ``grid`` in [0, 1],
    ``mouse=False`` for a plot that does not pan or zoom, and ``si_prefix=False`` for tick
    labels without pyqtgraph's SI prefix (e.g. "(x1e-3)") scaling, and ``readable_log=True``
    for :class:`ReadableLogAxis` axes (call it before ``setLogMode``).
    """
    colors = plot_colors()
    widget.setBackground(colors.background)
    plot = widget.getPlotItem()
    if readable_log:
        plot.setAxisItems({name: ReadableLogAxis(name) for name in AXES})
    for name in AXES:
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(colors.axis))
        axis.setTextPen(pg.mkPen(colors.axis))
        if not si_prefix:
            axis.enableAutoSIPrefix(False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    if title is not None:
        plot.setTitle(title, size=title_size, color=colors.text)
    for side, text in (labels or {}).items():
        plot.setLabel(side, text)
    if grid is not None:
        plot.showGrid(x=True, y=True, alpha=grid)
    if not mouse:
        plot.setMouseEnabled(x=False, y=False)
    return plot
