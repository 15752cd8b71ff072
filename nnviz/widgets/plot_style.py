"""Shared look of the Loss lab's plots: the theme's background and readable axes (like the
other labs), light or dark with the desktop (:mod:`nnviz.theme`)."""

from __future__ import annotations

import pyqtgraph as pg

from nnviz.theme import plot_colors


def title_colour() -> str:
    """The colour of plot titles and legend labels in the current theme."""
    return plot_colors().text


def style_plot(widget: pg.PlotWidget) -> pg.PlotItem:
    """Give ``widget`` the theme's plot background and readable axes; returns its PlotItem."""
    colors = plot_colors()
    widget.setBackground(colors.background)
    plot = widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(colors.axis))
        axis.setTextPen(pg.mkPen(colors.axis))
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot
