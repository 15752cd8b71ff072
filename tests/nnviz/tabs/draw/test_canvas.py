"""DrawCanvas with real (simulated) mouse events: drawing, erasing, undo, clear, signals;
its pixels equal core.strokes.render of its polylines; pictures, drops and overlays."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QUrl
from PyQt6.QtGui import QDragEnterEvent, QDropEvent, QInputDevice, QPointingDevice, QTabletEvent
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QApplication

from core.pendigits import placed
from core.preprocess import to_mnist
from core.strokes import render
from nnviz.tabs.draw.canvas import DrawCanvas
from tests.strokes import DIGITS, all_digits, draw_digit, replay_strokes

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


# ------------------------------------------- the canvas's pixels, repainted in numpy
@pytest.mark.parametrize("brush", [0.03, 0.09, 0.18])
@pytest.mark.parametrize("size", [0.15, 0.45, 0.85])
def test_the_stroke_renderer_gives_the_canvas_pixels(canvas, brush, size):
    """core.strokes.render repaints the canvas's own polylines with the canvas's pixels:
    equal up to anti-aliasing at stroke edges (Qt draws round caps as polygons a hair
    inside the circle: up to 2 % less ink with a thin brush), and equal inputs after
    preprocessing."""
    canvas.set_brush_width(brush)
    for label, style, strokes in all_digits()[::4]:
        canvas.clear()
        draw_digit(canvas, strokes, size=size, center=(0.45, 0.55))
        polylines = canvas.strokes()
        assert all(s.width == pytest.approx(brush) for s in polylines)
        painted, repainted = canvas.image(), render(polylines, canvas.resolution())
        difference = np.abs(painted - repainted)
        assert difference.max() < 0.3, f"{label} {style}"
        assert difference.mean() < 2e-3, f"{label} {style}"
        assert abs(painted.sum() - repainted.sum()) < 0.02 * painted.sum()
        np.testing.assert_allclose(to_mnist(repainted), to_mnist(painted), atol=0.06)


def test_strokes_are_the_mouse_path_in_unit_coordinates(canvas):
    stroke(canvas, [(28, 56), (140, 56), (140, 224)])
    stroke(canvas, [(70, 70), (90, 90)], button=RIGHT)
    first, second = canvas.strokes()
    np.testing.assert_allclose(first.points, [[0.1, 0.2], [0.5, 0.2], [0.5, 0.8]])
    assert not first.erase and second.erase and first.width == canvas.brush_width()


def test_the_renderer_equals_the_canvas_on_real_pen_strokes(canvas, pen_digits):
    """Real trajectories (sparse, fast segments), replayed through mouse events."""
    rng = np.random.default_rng(0)
    for index in rng.choice(len(pen_digits), 12, replace=False):
        size = rng.uniform(0.12, 0.9)
        canvas.clear()
        replay_strokes(canvas, placed(pen_digits[index], size, (0.5, 0.5), width=0.09))
        difference = np.abs(canvas.image() - render(canvas.strokes()))
        assert difference.max() < 0.3 and difference.mean() < 2e-3


def test_a_picture_is_shown_until_the_next_stroke(canvas, qtbot):
    ink = np.zeros((40, 80), np.float32)
    ink[10:30, 20:60] = 1.0
    stroke(canvas, horizontal(140))
    canvas.set_picture(ink)
    assert canvas.has_picture() and canvas.stroke_count() == 0
    assert canvas.picture_rect().height() == pytest.approx(0.5)
    shot = canvas.grab().toImage()
    assert shot.pixelColor(140, 140).lightness() > 240  # the picture's ink, centred
    with qtbot.waitSignal(canvas.imageChanged):
        stroke(canvas, horizontal(40))
    assert not canvas.has_picture() and canvas.stroke_count() == 1
    canvas.set_picture(ink)
    with qtbot.waitSignal(canvas.imageChanged):
        canvas.clear()
    assert not canvas.has_picture()


def test_a_dropped_file_is_reported(canvas, qtbot, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "seven.png"))])
    enter = QDragEnterEvent(QPoint(100, 100), Qt.DropAction.CopyAction, mime, LEFT, NONE)
    QApplication.sendEvent(canvas, enter)
    assert enter.isAccepted()  # a local file is welcome
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, LEFT, NONE)
    with qtbot.waitSignal(canvas.pictureDropped) as blocker:
        QApplication.sendEvent(canvas, drop)
    assert blocker.args == [str(tmp_path / "seven.png")]


def test_an_overlay_is_painted_over_its_square(canvas):
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[..., 2] = rgba[..., 3] = 255
    canvas.set_overlay(rgba, QRectF(0.25, 0.25, 0.5, 0.5))
    assert canvas.has_overlay()
    shot = canvas.grab().toImage()
    assert shot.pixelColor(140, 140).blue() > 200 and shot.pixelColor(30, 30).blue() < 30
    canvas.set_overlay(None)
    assert not canvas.has_overlay()
