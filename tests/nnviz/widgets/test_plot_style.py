"""The shared plot style: the theme's look, and log axes whose labels never crowd."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest

from nnviz.widgets.plot_style import ReadableLogAxis, log_tick_labels, log_ticks, style_plot

L = math.log10


def _values(ticks):
    return [10.0 ** t for t in ticks]


def test_log_ticks_choose_round_marks_that_keep_their_distance():
    assert _values(log_ticks(L(0.002), L(1.3), 130, 28)) == pytest.approx([0.01, 0.1, 1.0])
    assert _values(log_ticks(L(1.5), L(30), 400, 28)) == pytest.approx([2, 5, 10, 20])
    assert _values(log_ticks(-3, 4, 300, 28)) == pytest.approx(10.0 ** np.arange(-3, 5))
    many = log_ticks(-12, 2, 100, 28)  # 14 decades in 100 px: every few decades
    assert 2 <= len(many) <= 4 and all(t == round(t) for t in many)
    assert log_ticks(1.0, 0.0, 100, 28) == [] and log_ticks(0.0, float("inf"), 100, 28) == []


def test_log_ticks_inside_one_decade_are_round_values():
    ticks = log_ticks(L(1.28), L(1.29), 130, 28)
    assert _values(ticks) == pytest.approx([1.28, 1.29])
    assert log_tick_labels(ticks) == ["1.28", "1.29"]
    inside = log_tick_labels(log_ticks(L(1.281), L(1.289), 130, 28))
    assert len(inside) >= 2 and all(1.281 <= float(t) <= 1.289 for t in inside)


def test_a_short_axis_over_decades_still_gets_two_labels():
    """58 px for 0.001 … 0.5: no decade pair fits, two 1-2-5 values do."""
    ticks = log_ticks(L(0.00106), L(0.535), 58, 22.4)
    assert log_tick_labels(ticks) == ["0.02", "0.5"]
    assert log_tick_labels(log_ticks(L(4.43), L(22.9), 58, 22.4)) == ["5", "10", "20"]


@pytest.mark.parametrize("lo, hi, length", [(L(0.002), L(1.3), 90), (-5, 0.5, 120),
                                            (L(0.5), L(9), 100), (L(3.1), L(3.3), 60),
                                            (L(0.00106), L(0.535), 58), (L(5.5), L(14), 58)])
def test_no_two_log_labels_are_closer_than_the_gap(lo, hi, length):
    ticks = log_ticks(lo, hi, length, 28)
    assert len(ticks) >= 2
    assert min(np.diff(ticks)) * length / (hi - lo) >= 28 - 1e-9
    labels = log_tick_labels(ticks)
    assert len(set(labels)) == len(labels)


def test_log_labels_read_as_numbers():
    assert log_tick_labels([-2, -1, 0, L(2), L(5)]) == ["0.01", "0.1", "1", "2", "5"]
    assert log_tick_labels([-5, L(2e-5), 4]) == ["10⁻⁵", "2·10⁻⁵", "10⁴"]


def test_style_plot_installs_the_readable_log_axes(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = style_plot(widget, "loss", labels={"left": "loss"}, readable_log=True)
    plot.setLogMode(y=True)
    axis = plot.getAxis("left")
    assert isinstance(axis, ReadableLogAxis) and axis.logMode
    assert axis.labelText == "loss"
    levels = axis.tickValues(L(0.002), L(1.3), 130)
    assert _values(levels[0][1]) == pytest.approx([0.01, 0.1, 1.0]) and len(levels) == 1
    assert axis.tickStrings(levels[0][1], 1.0, 1.0) == ["0.01", "0.1", "1"]
    plot.setLogMode(y=False)  # linear: pyqtgraph's own ticks
    assert axis.tickStrings([0.5, 1.0], 1.0, 0.5) == ["0.5", "1.0"]


def test_labels_near_the_ends_of_a_gridded_log_axis_are_not_clipped(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    plot = style_plot(widget, grid=0.2, readable_log=True)
    axis = plot.getAxis("left")
    linear = axis.boundingRect()
    plot.setLogMode(y=True)
    tall = axis.boundingRect()
    assert tall.top() < linear.top() and tall.bottom() > linear.bottom()
