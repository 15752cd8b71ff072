"""The filter grids hold the conv kernels and colour them on a symmetric scale."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QEvent, QPointF
from PyQt6.QtGui import QHelpEvent
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QApplication, QToolTip

from core.layers import Conv2D
from core.models import tutorial_cnn
from nnviz.tabs.inside.colors import DIVERGING, colorize
from nnviz.tabs.inside.filter_grid import FiltersPanel


@pytest.fixture
def panel(shown):
    model = tutorial_cnn()
    layers = [(layer.name, layer.params["W"]) for layer in model.layers
              if isinstance(layer, Conv2D)]
    widget = shown(FiltersPanel(), 420, 300)
    widget.set_layers(layers)
    return widget, dict(layers)


def test_kernels_and_pixels_are_the_weights(panel):
    widget, weights = panel
    assert widget.layer_names() == ["conv2d_1", "conv2d_2", "conv2d_3"]
    for name, w in weights.items():
        np.testing.assert_array_equal(widget.kernels(name), w)
        assert widget.kernels(name) is not w          # a copy: never the model's array
        limit = np.abs(w).max()
        np.testing.assert_array_equal(widget.rgba(name), colorize(w, -limit, limit, DIVERGING))
        assert widget.range_text(name) == f"±{limit:.2g}"


def test_new_values_and_scale_modes(panel):
    widget, weights = panel
    w = weights["conv2d_2"] * -2.0
    widget.set_kernels("conv2d_2", w)
    widget.refresh()
    np.testing.assert_array_equal(widget.kernels("conv2d_2"), w)
    widget.set_scale_mode("map")
    np.testing.assert_allclose(widget.limits("conv2d_2").reshape(-1),
                               np.abs(w).max(axis=(1, 2, 3)))
    widget.set_scale_mode("global")
    assert widget.scale_mode() == "global"
    shared = max(np.abs(widget.kernels(n)).max() for n in widget.layer_names())
    assert float(widget.limits("conv2d_1")) == pytest.approx(shared)
    with pytest.raises(KeyError):
        widget.kernels("dense_1")


def test_every_kernel_has_its_own_cell_inside_the_widget(panel):
    widget, weights = panel
    for width, height in [(420, 300), (300, 220), (800, 500)]:
        widget.resize(width, height)
        for name, w in weights.items():
            f, c = w.shape[:2]
            rects = [widget.kernel_rect(name, i, j) for i in range(f) for j in range(c)]
            assert all(widget.rect().toRectF().contains(r) for r in rects)
            centers = {(round(r.center().x()), round(r.center().y())) for r in rects}
            assert len(centers) == f * c
        for name, f, c in [("conv2d_1", 3, 0), ("conv2d_3", 15, 7)]:
            assert widget.kernel_at(widget.kernel_rect(name, f, c).center()) == (name, f, c)
    widget.set_highlight("conv2d_3", 5)
    assert widget.highlight() == ("conv2d_3", 5)
    assert widget.kernel_at(QPointF(-5, -5)) is None
    assert not widget.grab().isNull()


def _ask_tip(widget, pos):
    point = pos.toPoint()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point,
                                              widget.mapToGlobal(point)))


def test_tooltips_belong_to_what_is_under_the_mouse(panel, qtbot):
    """A kernel shows its own numbers, bound to its square; the general description shows
    over the titles only; leaving the kernel hides its numbers."""
    widget, weights = panel
    QToolTip.hideText()
    kernel = widget.kernel_rect("conv2d_1", 2, 0)
    _ask_tip(widget, kernel.center())
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith("conv2d_1, filter 2, input channel 0")
    title = widget.tip_areas()[0][0]
    assert not title.intersects(kernel)
    elsewhere = QPointF(3, widget.height() - 3)  # the legend strip, no kernel there
    assert widget.kernel_at(elsewhere) is None
    QTest.mouseMove(widget, elsewhere.toPoint())
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
    _ask_tip(widget, title.center())
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith(widget.toolTip()) and "conv2d_1: colors run" in \
        QToolTip.text()
