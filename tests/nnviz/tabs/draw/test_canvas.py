"""DrawCanvas with real (simulated) mouse events: drawing, erasing, undo, clear, signals."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QApplication

from nnviz.tabs.draw.canvas import DrawCanvas
from tests.strokes import DIGITS, draw_digit

NONE = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton
RIGHT = Qt.MouseButton.RightButton


@pytest.fixture
def canvas(shown):
    widget = shown(DrawCanvas(), 280, 280)
    return widget


def stroke(canvas, points, button=LEFT):
    """Press at the first point, move through the rest, release at the last."""
    QTest.mousePress(canvas, button, NONE, QPoint(*points[0]))
    for p in points[1:]:
        QTest.mouseMove(canvas, QPoint(*p))
    QTest.mouseRelease(canvas, button, NONE, QPoint(*points[-1]))


def horizontal(y, x0=40, x1=240, step=10):
    return [(x, y) for x in range(x0, x1 + 1, step)]


def test_object_name_and_blank_image(canvas):
    assert canvas.objectName() == "drawCanvas"
    image = canvas.image()
    assert image.shape == (280, 280) and image.dtype == np.float32
    assert image.max() == 0.0 and canvas.is_empty() and not canvas.can_undo()


def test_a_mouse_stroke_paints_white_ink_along_its_path(canvas):
    stroke(canvas, horizontal(140))
    image = canvas.image()
    assert image.max() == pytest.approx(1.0)
    assert image[140, 60:220].min() == pytest.approx(1.0)  # solid along the line
    assert image[20, :].max() == 0.0 and image[260, :].max() == 0.0
    # round brush: thickness about brush_width * side
    thickness = int((image[:, 140] > 0.5).sum())
    assert abs(thickness - canvas.brush_width() * 280) <= 2
    assert canvas.stroke_count() == 1 and not canvas.is_empty()


def test_moving_without_a_button_does_not_draw(canvas, qtbot):
    with qtbot.assertNotEmitted(canvas.imageChanged):
        for p in horizontal(100):
            QTest.mouseMove(canvas, QPoint(*p))
    assert canvas.image().max() == 0.0


def test_image_changed_is_emitted_while_drawing(canvas, qtbot):
    count = []
    canvas.imageChanged.connect(lambda: count.append(1))
    QTest.mousePress(canvas, LEFT, NONE, QPoint(40, 40))
    for x in range(50, 200, 10):
        QTest.mouseMove(canvas, QPoint(x, 40))
    during = len(count)
    QTest.mouseRelease(canvas, LEFT, NONE, QPoint(200, 40))
    assert during >= 10  # the press plus every move, before any release
    assert canvas.image()[40, 60:190].min() > 0.9


def test_right_button_and_eraser_toggle_erase(canvas):
    stroke(canvas, horizontal(140))
    stroke(canvas, [(140, 100), (140, 180)], button=RIGHT)
    image = canvas.image()
    assert image[140, 140] == 0.0 and image[140, 60] == pytest.approx(1.0)
    canvas.set_eraser(True)
    stroke(canvas, [(60, 100), (60, 180)])
    assert canvas.image()[140, 60] == 0.0
    canvas.set_eraser(False)
    stroke(canvas, [(100, 100), (100, 180)])
    assert canvas.image()[140, 100] == pytest.approx(1.0)


def test_undo_removes_one_stroke_at_a_time(canvas):
    stroke(canvas, horizontal(80))
    stroke(canvas, horizontal(200))
    canvas.undo()
    image = canvas.image()
    assert image[80, 140] == pytest.approx(1.0) and image[200, 140] == 0.0
    canvas.undo()
    assert canvas.image().max() == 0.0 and not canvas.can_undo()
    canvas.undo()  # nothing left: harmless
    assert canvas.image().max() == 0.0


def test_clear_empties_and_undo_brings_it_back(canvas, qtbot):
    stroke(canvas, horizontal(80))
    before = canvas.image()
    with qtbot.waitSignal(canvas.imageChanged, timeout=1000):
        canvas.clear()
    assert canvas.image().max() == 0.0 and canvas.is_empty()
    stroke(canvas, horizontal(200))
    canvas.undo()  # the new stroke
    assert canvas.image().max() == 0.0
    canvas.undo()  # the clear
    np.testing.assert_array_equal(canvas.image(), before)


def test_brush_width_changes_new_strokes_only(canvas):
    canvas.set_brush_width(0.03)
    stroke(canvas, horizontal(60))
    canvas.set_brush_width(0.15)
    stroke(canvas, horizontal(200))
    image = canvas.image()
    thin = int((image[:, 140][:130] > 0.5).sum())
    thick = int((image[:, 140][130:] > 0.5).sum())
    assert thin < 12 and thick > 38
    canvas.set_brush_width(5.0)
    assert canvas.brush_width() == pytest.approx(0.2)  # clamped


def test_data_image_does_not_depend_on_widget_size(canvas, qtbot):
    draw_digit(canvas, DIGITS[7]["crossed"], size=0.7)
    small = canvas.image()
    canvas.resize(500, 420)
    qtbot.wait_until(lambda: canvas.width() == 500)
    assert canvas.square_rect().width() == 420  # stays square
    np.testing.assert_array_equal(canvas.image(), small)
    canvas.clear()
    draw_digit(canvas, DIGITS[7]["crossed"], size=0.7)
    big = canvas.image()
    assert big.shape == (280, 280)
    # the same strokes, drawn on a bigger widget, give nearly the same data image
    assert np.abs(big - small).mean() < 0.02


def test_paint_draws_the_strokes_on_screen(canvas):
    stroke(canvas, horizontal(140))
    shot = canvas.grab().toImage()
    assert shot.pixelColor(140, 140).lightness() > 240
    assert shot.pixelColor(140, 30).lightness() < 20


def pen_stroke(canvas, points, pointer=QPointingDevice.PointerType.Pen):
    """A stylus stroke as real QTabletEvents (press, moves, release)."""
    device = QPointingDevice(
        "test pen",
        1,
        QInputDevice.DeviceType.Stylus,
        pointer,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )
    kinds = [QTabletEvent.Type.TabletPress]
    kinds += [QTabletEvent.Type.TabletMove] * (len(points) - 2)
    kinds += [QTabletEvent.Type.TabletRelease]
    for kind, (x, y) in zip(kinds, points, strict=True):
        buttons = Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletRelease else LEFT
        event = QTabletEvent(
            kind, device, QPointF(x, y), QPointF(x, y), 0.5, 0, 0, 0, 0, 0, NONE, LEFT, buttons
        )
        QApplication.sendEvent(canvas, event)


def test_pen_draws_and_its_eraser_end_erases(canvas):
    pen_stroke(canvas, horizontal(140))
    assert canvas.image()[140, 60:220].min() == pytest.approx(1.0)
    pen_stroke(canvas, [(140, 100), (140, 140), (140, 180)], QPointingDevice.PointerType.Eraser)
    assert canvas.image()[140, 140] == 0.0 and canvas.stroke_count() == 2
