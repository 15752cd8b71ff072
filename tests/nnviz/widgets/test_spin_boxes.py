"""The number box for rates and strengths: scientific notation in and out, refusals that
show, and arrows that step along 1, 2, 5."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QEvent, Qt
from PyQt6.QtGui import QKeyEvent
from PyQt6.QtWidgets import QApplication

from nnviz.widgets.spin_boxes import format_number, parse_number, scientific_spin


@pytest.mark.parametrize(("text", "value"), [
    ("1e-4", 1e-4), ("1E-4", 1e-4), ("0.0001", 1e-4), (".5", 0.5), ("0,5", 0.5),
    ("1·10⁻⁴", 1e-4), ("1×10^-4", 1e-4), ("1 × 10^−4", 1e-4), ("2.5*10**-3", 2.5e-3),
    ("10^-4", 1e-4), ("10⁻⁶", 1e-6), ("3x10^2", 300.0), ("  0.05 ", 0.05), ("-2e-3", -2e-3),
])
def test_numbers_are_read_in_every_common_notation(text, value) -> None:
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "1e", "1·10", "e-4", "nan", "inf", "1_000",
                                  "1..2", "10^", "1e-4x"])
def test_what_is_not_a_number_is_not_read(text) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (1e-4, "1e-4"), (2.5e-6, "2.5e-6"), (1e-6, "1e-6"), (0.05, "0.05"),
    (0.001, "0.001"), (0.9, "0.9"), (10.0, "10"), (0.0123, "0.0123"), (3e-3, "0.003"),
])
def test_small_values_read_as_people_write_them(value, text) -> None:
    assert format_number(value) == text


@pytest.fixture
def box(shown):
    return shown(scientific_spin(0.0, 1.0, 0.0, 1e-5, "L1 strength", "l1Spin"))


def type_into(qtbot, box, text: str) -> None:
    """Type ``text`` over the box's text as key presses (any character: "·", "⁻"), then
    Return."""
    box.setFocus()
    box.lineEdit().selectAll()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box.lineEdit(), QKeyEvent(
                kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


@pytest.mark.parametrize("typed", ["1e-4", "0.0001", "1·10⁻⁴", "1×10^-4"])
def test_typed_scientific_notation_becomes_the_value(qtbot, box, typed) -> None:
    with qtbot.waitSignal(box.valueChanged) as blocker:
        type_into(qtbot, box, typed)
    assert blocker.args[0] == pytest.approx(1e-4) and box.value() == pytest.approx(1e-4)
    assert box.text() == "1e-4" and box.problem() == ""


def test_text_it_cannot_read_is_refused_visibly_and_changes_nothing(qtbot, box) -> None:
    box.setValue(3e-3)
    with qtbot.assertNotEmitted(box.valueChanged), \
            qtbot.waitSignal(box.inputRefused) as refused:
        type_into(qtbot, box, "one e minus four")
    assert box.value() == pytest.approx(3e-3) and box.text() == "0.003"
    assert "not a number" in refused.args[0] and "1e-4" in refused.args[0]
    assert box.problem() == refused.args[0]
    assert "border" in box.styleSheet() and box.toolTip().startswith("⚠")
    type_into(qtbot, box, "2e-3")  # a good value clears the red frame and the tooltip
    assert box.problem() == "" and box.styleSheet() == "" and box.toolTip() == "L1 strength"


def test_a_value_out_of_range_is_refused_not_clamped(qtbot, box) -> None:
    box.setValue(1e-4)
    with qtbot.waitSignal(box.inputRefused) as refused:
        type_into(qtbot, box, "5")
    assert box.value() == pytest.approx(1e-4)
    assert "above the largest value allowed here, 1" in refused.args[0]


def test_the_arrows_step_along_one_two_five(box) -> None:
    values = []
    for _ in range(5):
        box.stepBy(1)
        values.append(box.value())
    assert values == pytest.approx([1e-5, 2e-5, 5e-5, 1e-4, 2e-4])
    box.setValue(1e-3)
    box.stepBy(-2)
    assert box.value() == pytest.approx(2e-4)
    box.setValue(1e-5)
    box.stepBy(-1)
    assert box.value() == 0.0
    box.setValue(0.6)
    box.stepBy(3)
    assert box.value() == 1.0  # not past the maximum
