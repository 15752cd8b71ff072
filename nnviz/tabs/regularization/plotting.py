"""Small pyqtgraph helpers shared by the regularization lab's plots."""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtWidgets import QGraphicsItem

from nnviz.widgets.plot_style import AXES, style_plot


def lab_plot(
    widget: pg.PlotWidget,
    title: str | None = None,
    labels: dict[str, str] | None = None,
    grid: float | None = None,
    left_width: int = 34,
) -> pg.PlotItem:
    """Style one of the lab's plots: the theme's look, fixed by the lab (no pan or zoom), a
    left axis ``left_width`` pixels wide so that plots side by side line up, cached axes."""
    plot = style_plot(widget, title, title_size="10pt", labels=labels, grid=grid, mouse=False)
    plot.getAxis("left").setWidth(left_width)
    cache_axes(widget)
    return plot


def cache_axes(plot: pg.PlotWidget) -> None:
    """Draw the axes from a pixmap cache: an axis with a grid spans the whole plot, so without
    it every curve update would re-render the tick labels (the costliest part of a frame)."""
    for name in AXES:
        axis = plot.getPlotItem().getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def swatch(colour: tuple[int, ...], text: str, bold: bool = False) -> str:
    """``text`` in an RGB(A) ``colour`` as Qt rich text, for the keys beside the plots."""
    r, g, b = colour[:3]
    weight = "; font-weight: bold" if bold else ""
    return f"<span style='color: rgb({r},{g},{b}){weight}'>{text}</span>"
