"""Shared look of the Loss lab's plots: white background, dark axes (like the other labs)."""

from __future__ import annotations

import pyqtgraph as pg

AXIS_COLOUR = (60, 60, 60)
TITLE_COLOUR = "#202020"


def light_plot(widget: pg.PlotWidget) -> pg.PlotItem:
    """Give ``widget`` a white background and dark, readable axes; returns its PlotItem."""
    widget.setBackground("w")
    plot = widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(AXIS_COLOUR))
        axis.setTextPen(pg.mkPen(AXIS_COLOUR))
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot
