"""FloatSlider: linear and log mapping, typed values, groove clicks, and which moves emit
valueChanged."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QWheelEvent

from nnviz.widgets.float_slider import FloatSlider, format_value, parse_number


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


@pytest.mark.parametrize(
    "text, value",
    [("0.001", 1e-3), ("1e-3", 1e-3), ("1E-3", 1e-3), (" 2.5e2 ", 250.0), ("1·10⁻³", 1e-3),
     ("1×10^-3", 1e-3), ("2*10^4", 2e4), ("10⁻⁴", 1e-4), ("−0.5", -0.5), ("1,5", 1.5)],
)
def test_parse_number_reads_scientific_notation(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "1e", "nan", "inf", "1e999", "0.1.2"])
def test_parse_number_refuses_what_is_no_finite_number(text):
    assert parse_number(text) is None


def _type(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_typed_value_moves_the_knob_and_emits_once(shown, qtbot):
    slider = shown(FloatSlider("α", 1e-4, 1.0, 0.1, log=True, tooltip="tip"), 300, 40)
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        _type(qtbot, slider.field, "1e-3")
    assert blocker.args[0] == pytest.approx(1e-3) and slider.value() == pytest.approx(1e-3)
    assert slider.slider.value() == 250  # a quarter of the way in log space
    assert slider.field.text() == "0.001"
    with qtbot.assertNotEmitted(slider.valueChanged):  # the same value again: no signal
        _type(qtbot, slider.field, "0.001")


def test_bad_text_is_refused_visibly_and_changes_nothing(shown, qtbot):
    slider = shown(FloatSlider("α", 1e-4, 1.0, 0.1, log=True), 300, 40)
    with qtbot.assertNotEmitted(slider.valueChanged):
        _type(qtbot, slider.field, "lots")
    assert slider.value() == 0.1 and slider.field.text() == "0.1"
    assert "not a number" in slider.field.message()
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        _type(qtbot, slider.field, "1e3")  # beyond the end: clamped, and said so
    assert blocker.args[0] == 1.0 and "outside" in slider.field.message()
    assert slider.slider.value() == 1000


def test_a_click_on_the_groove_puts_the_knob_there(shown, qtbot):
    slider = shown(FloatSlider("t", 0.0, 1.0, 0.0), 400, 40)
    groove = slider.slider
    for fraction in (0.8, 0.3):
        x = groove.width() * fraction
        with qtbot.waitSignal(slider.valueChanged):
            qtbot.mouseClick(groove, Qt.MouseButton.LeftButton,
                             pos=QPoint(int(x), groove.height() // 2))
        assert groove.value() == pytest.approx(groove.position_at(x), abs=1)
        assert slider.value() == pytest.approx(fraction, abs=0.05)  # where clicked, not a page


def test_the_wheel_moves_the_slider_only_with_focus(shown, qtbot):
    slider = shown(FloatSlider("t", 0.0, 1.0, 0.5), 300, 40)
    groove = slider.slider
    event = QWheelEvent(QPointF(10, 10), QPointF(groove.mapToGlobal(QPoint(10, 10))),
                        QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    groove.clearFocus()
    with qtbot.assertNotEmitted(slider.valueChanged):
        groove.wheelEvent(event)
    assert not event.isAccepted()
