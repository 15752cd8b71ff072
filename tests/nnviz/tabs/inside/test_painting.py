"""The painted views' shared set-up, fonts and cell tooltips."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QPointF, Qt
from PyQt6.QtGui import QFont, QMouseEvent
from PyQt6.QtWidgets import QSizePolicy, QToolTip, QWidget

from nnviz.tabs.inside.painting import SMALLEST, fonts, init_painted, show_cell_tip


def test_init_painted(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    init_painted(widget, 300, 200, "what it shows")
    assert widget.hasMouseTracking() and widget.toolTip() == "what it shows"
    assert (widget.minimumWidth(), widget.minimumHeight()) == (300, 200)
    assert widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Expanding
    assert widget.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Expanding


@pytest.mark.parametrize(("points", "small"), [(10.0, 8.5), (6.0, SMALLEST)])
def test_fonts(qapp, points, small):
    font = QFont()
    font.setPointSizeF(points)
    base, bold, smaller = fonts(font)
    assert base.pointSizeF() == points and not base.bold()
    assert bold.bold() and bold.pointSizeF() == points
    assert smaller.pointSizeF() == pytest.approx(small)
    assert fonts(font, small=0.5)[2].pointSizeF() == max(SMALLEST, points / 2)


def test_show_cell_tip(shown, qtbot):
    widget = shown(QWidget(), 200, 100)
    center = QPointF(100, 50)
    event = QMouseEvent(QMouseEvent.Type.MouseMove, center, widget.mapToGlobal(center),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    show_cell_tip(widget, event, "input 0.5 × weight 2 = 1")
    qtbot.waitUntil(lambda: QToolTip.text() == "input 0.5 × weight 2 = 1", timeout=2000)
    show_cell_tip(widget, event, None)
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
