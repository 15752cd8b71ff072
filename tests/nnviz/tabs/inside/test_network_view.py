"""The network view: what it holds is the model's arrays; hover, pin and header clicks."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QEvent, Qt
from PyQt6.QtGui import QHelpEvent
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QApplication, QToolTip

from core.data import as_network_input, load_sample
from core.models import tutorial_cnn
from nnviz.tabs.inside.colors import DIVERGING, GREY, colorize, symmetric_limit
from nnviz.tabs.inside.network_view import NetworkView
from nnviz.tabs.inside.stages import Region, network_stages, stage_outputs


@pytest.fixture
def view(shown):
    model = tutorial_cnn()
    stages = network_stages(model)
    x = as_network_input(load_sample().x_test[:1])
    outputs = stage_outputs(stages, x[0], model.activations(x))
    widget = shown(NetworkView(), 1280, 440)
    widget.set_stages(stages)
    widget.set_outputs(outputs)
    return widget, outputs


def test_columns_hold_and_colour_the_given_arrays(view):
    widget, outputs = view
    for k, out in enumerate(outputs):
        assert widget.stage_values(k) is out
    conv = outputs[2]
    limit = symmetric_limit(conv)
    np.testing.assert_array_equal(widget.stage_rgba(2), colorize(conv, -limit, limit, DIVERGING))
    np.testing.assert_array_equal(widget.stage_rgba(0), colorize(outputs[0], 0, 1, GREY))
    grid = widget.stage_rgba(6)                     # flatten: one row per pooled map
    assert grid.shape == (16, 16, 4)
    limit = symmetric_limit(outputs[6])
    np.testing.assert_array_equal(grid, colorize(outputs[6].reshape(16, 16), -limit, limit))


def test_scale_modes_change_the_limits(view):
    widget, outputs = view
    widget.set_scale_mode("map")
    np.testing.assert_allclose(widget.stage_limits(4).reshape(-1),
                               np.abs(outputs[4]).max(axis=(1, 2)))
    assert "…" in widget.range_text(4)
    widget.set_scale_mode("global")
    shared = max(np.abs(out).max() for out in outputs[1:-1])
    assert widget.global_limit() == pytest.approx(shared)
    assert float(widget.stage_limits(1)) == pytest.approx(shared)
    widget.set_scale_mode("layer")
    assert widget.global_limit() is None
    assert widget.range_text(1) == f"±{np.abs(outputs[1]).max():.2g}"
    with pytest.raises(ValueError):
        widget.set_scale_mode("rainbow")


def test_every_value_is_found_where_it_is_drawn(view):
    widget, outputs = view
    for stage, index in [(0, (0, 27, 0)), (1, (3, 0, 23)), (2, (7, 21, 21)), (3, (0, 5, 5)),
                         (4, (15, 8, 8)), (5, (9, 3, 0)), (6, (255,)), (7, (0,)), (8, (9,))]:
        assert widget.target_at(widget.point_of(stage, index)) == (stage, index)
    assert widget.target_at(widget.rect().bottomRight().toPointF()) is None


def test_hover_click_and_header(view, qtbot):
    widget, _ = view
    point = widget.point_of(4, (3, 2, 5)).toPoint()
    with qtbot.waitSignal(widget.hovered) as hovered:
        QTest.mouseMove(widget, point)
    assert hovered.args == [(4, (3, 2, 5))]
    with qtbot.waitSignal(widget.pinned) as pinned:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    assert pinned.args == [(4, (3, 2, 5))] and widget.pin() == (4, (3, 2, 5))
    with qtbot.waitSignal(widget.pinned) as pinned:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    assert pinned.args == [None]
    with qtbot.waitSignal(widget.stageClicked) as clicked:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton,
                         pos=widget.header_rect(7).center().toPoint())
    assert clicked.args == [7]
    widget.set_trace((4, (3, 2, 5)), Region(tuple(range(8)), (2, 5), (5, 8)))
    widget.set_selected_stage(4)
    assert not widget.grab().isNull()


def test_columns_fit_the_width_at_common_sizes(view):
    """The columns fit any width down to the narrowest that keeps them readable, which
    the view will not go below (in the tab it scrolls sideways instead)."""
    widget, _ = view
    for width, height in [(1280, 440), (1000, 360), (780, 330), (1900, 600)]:
        widget.resize(width, height)
        assert widget.width() == max(width, widget.minimumWidth())
        right = widget.header_rect(len(widget.stages()) - 1).right()
        assert right <= widget.width()
        assert widget.tile_rect(4, 15).bottom() <= height
    assert 760 <= widget.minimumWidth() < 1100  # the tutorial CNN fits a 1366-wide laptop


def test_nothing_shown_and_bad_shapes(view):
    widget, outputs = view
    widget.set_outputs(None, "The canvas is empty.")
    assert widget.stage_values(3) is None and widget.range_text(3) == ""
    assert not widget.grab().isNull()
    with pytest.raises(ValueError):
        widget.set_outputs(outputs[:-1])
    bad = list(outputs)
    bad[2] = bad[2][:4]
    with pytest.raises(ValueError):
        widget.set_outputs(bad)


def _ask_tip(widget, pos):
    """Rest the mouse at ``pos`` as Qt does before a tooltip: send the ToolTip help event."""
    point = pos.toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point))
    QApplication.sendEvent(widget, event)


def test_range_labels_say_what_they_are(view):
    widget, outputs = view
    limit = f"±{np.abs(outputs[1]).max():.2g}"
    assert widget.range_label(1) == f"color range {limit}"
    assert widget.range_label(0) == widget.range_text(0) == "0 … 1 (gray)"
    widget.set_scale_mode("map")  # a longer range: a shorter label where it must
    assert widget.range_label(4).endswith(widget.range_text(4))


def test_no_tooltip_covers_the_maps_and_the_labels_explain_themselves(view, qtbot):
    """Over a feature map no tooltip appears (the explanation panel and the readout say what
    is there); a range label and a header box explain themselves, and moving onto a map
    hides their tooltip at once."""
    widget, outputs = view
    QToolTip.hideText()
    _ask_tip(widget, widget.tile_rect(2, 0).center())
    assert not QToolTip.isVisible()
    label = next(rect for rect, tip in widget.tip_areas() if tip.startswith("Color range"))
    _ask_tip(widget, label.center())
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith("Color range ±")
    assert "blue = −" in QToolTip.text() and "Colors" in QToolTip.text()
    QTest.mouseMove(widget, widget.tile_rect(2, 0).center().toPoint())
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
    _ask_tip(widget, widget.header_rect(1).center())
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text().startswith("conv2d_1") and "Click" in QToolTip.text()
    for rect, tip in widget.tip_areas():  # no tooltip area overlaps a map
        for stage in range(len(outputs)):
            assert not rect.intersects(widget.tile_rect(stage, 0)), tip
