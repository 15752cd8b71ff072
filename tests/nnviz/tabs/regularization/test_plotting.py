"""The lab's plot helpers: the shared style, fixed plots with cached axes, colour keys."""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtWidgets import QGraphicsItem

from nnviz.tabs.regularization.plotting import lab_plot, swatch
from nnviz.theme import plot_colors


def test_lab_plot_is_fixed_themed_and_cached(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    item = lab_plot(widget, "title", {"bottom": "x"}, grid=0.25, left_width=40)
    assert item.getViewBox().state["mouseEnabled"] == [False, False]
    assert item.getAxis("left").fixedWidth == 40
    assert item.getAxis("bottom").pen().color().name() == plot_colors().axis
    for name in ("left", "bottom"):
        assert item.getAxis(name).cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert item.getAxis("bottom").labelText == "x"


def test_swatch_is_rich_text_in_the_colour():
    assert swatch((1, 2, 3, 40), "━ w₁") == "<span style='color: rgb(1,2,3)'>━ w₁</span>"
    assert "font-weight: bold" in swatch((0, 0, 0), "✕", bold=True)
