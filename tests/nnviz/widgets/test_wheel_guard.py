"""The wheel changes a field only when it has the focus; otherwise the panel scrolls."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QWheelEvent
from PyQt6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.widgets.wheel_guard import install_wheel_guard


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the wheel over the middle of ``widget`` (negative: towards the user)."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def panel(shown):
    install_wheel_guard()
    inner = QWidget()
    layout = QVBoxLayout(inner)
    fields = {"spin": QSpinBox(), "double": QDoubleSpinBox(), "combo": QComboBox(),
              "slider": QSlider(Qt.Orientation.Horizontal)}
    fields["spin"].setRange(0, 100)
    fields["spin"].setValue(50)
    fields["double"].setValue(0.5)
    fields["combo"].addItems(["a", "b", "c"])
    fields["combo"].setCurrentIndex(1)
    fields["slider"].setValue(50)
    for widget in fields.values():
        layout.addWidget(widget)
    for _ in range(30):  # something to scroll
        layout.addWidget(QSpinBox())
    area = QScrollArea()
    area.setWidget(inner)
    shown(area, 240, 200)
    area.setFocus()  # no field has the focus (the first one gets it when the window shows)
    return area, fields


def values(fields) -> dict:
    return {name: (w.currentIndex() if isinstance(w, QComboBox) else w.value())
            for name, w in fields.items()}


def test_the_wheel_over_a_field_without_focus_scrolls_the_panel(panel) -> None:
    area, fields = panel
    before = values(fields)
    for name, widget in fields.items():
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus, name  # the wheel gives none
        scrolled = area.verticalScrollBar().value()
        wheel(widget)
        assert values(fields) == before, name
        assert area.verticalScrollBar().value() > scrolled, name


def test_a_focused_field_still_takes_the_wheel(panel) -> None:
    _, fields = panel
    spin = fields["spin"]
    spin.setFocus()
    assert spin.hasFocus()
    wheel(spin, steps=1)
    assert spin.value() == 51


def test_the_guard_is_installed_once_and_scroll_bars_are_left_alone(panel) -> None:
    area, _ = panel
    assert install_wheel_guard() is install_wheel_guard()
    bar = area.verticalScrollBar()
    bar.setValue(0)
    wheel(bar)
    assert bar.value() > 0
