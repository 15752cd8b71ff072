"""The shared look of the Inside, Regularization and Loss tabs' plots: the theme's
background, readable axes, no context menu or auto-range button, light or dark with the
desktop (:mod:`nnviz.theme`)."""

from __future__ import annotations

import pyqtgraph as pg

from nnviz.theme import plot_colors

AXES = ("left", "bottom")


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
) -> pg.PlotItem:
    """Give ``widget`` the theme's plot background and readable axes; returns its PlotItem.

    Optionally: a ``title`` (in the theme's text colour, ``title_size``), axis ``labels``
    ({"bottom": "x", "left": "y"}), a grid on both axes with opacity ``grid`` in [0, 1],
    ``mouse=False`` for a plot that does not pan or zoom, and ``si_prefix=False`` for tick
    labels without pyqtgraph's SI prefix (e.g. "(x1e-3)") scaling.
    """
    colors = plot_colors()
    widget.setBackground(colors.background)
    plot = widget.getPlotItem()
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
