"""FloatSlider: linear and log mapping, and which moves emit valueChanged."""

from __future__ import annotations

import pytest

from nnviz.widgets.float_slider import FloatSlider, format_value


def test_log_slider_maps_positions_to_decades(qtbot):
    slider = FloatSlider("α", 1e-3, 1e1, 0.1, log=True, tooltip="tip")
    qtbot.addWidget(slider)
    assert slider.slider.value() == 500  # 0.1 is half-way between 1e-3 and 1e1 in log space
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        slider.set_position(750)
    assert blocker.args[0] == pytest.approx(1.0)
    assert slider.value() == pytest.approx(1.0)
    assert slider.toolTip() == "tip"


def test_set_value_is_silent_and_exact(qtbot):
    slider = FloatSlider("t", 0.0, 2.0, 0.5)
    qtbot.addWidget(slider)
    with qtbot.assertNotEmitted(slider.valueChanged):
        slider.set_value(1.2345)
    assert slider.value() == 1.2345
    assert slider.slider.value() == 617
    assert slider.value_label.text() == "1.234"
    slider.set_range(0.0, 4.0)
    assert slider.value() == 1.2345 and slider.slider.value() == 309


def test_zero_on_a_log_slider_sits_at_the_left_end(qtbot):
    slider = FloatSlider("α", 1e-3, 1.0, 0.1, log=True)
    qtbot.addWidget(slider)
    slider.set_value(0.0)
    assert slider.slider.value() == 0 and slider.value_label.text() == "0"


def test_format_value():
    assert format_value(0.0) == "0"
    assert format_value(12.3456) == "12.35"
    assert format_value(1.5e-5) == "1.500e-05"


def test_linear_slider_and_its_range(qtbot):
    slider = FloatSlider("t", -1.0, 1.0, 0.0)
    qtbot.addWidget(slider)
    assert slider.range() == (-1.0, 1.0) and slider.slider.value() == 500
    assert slider.value_at(1000) == 1.0 and slider.value_at(250) == -0.5
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        slider.set_position(750)
    assert blocker.args[0] == pytest.approx(0.5) and slider.value_label.text() == "0.5"
    slider.set_value(5.0)  # beyond the end: the knob stops there, the value is kept
    assert slider.slider.value() == 1000 and slider.value() == 5.0
