"""nnviz as a desktop app on a real X server: the xcb platform, real input, the real command.

Mouse clicks, strokes and key presses are made by the X server (XTEST), so they reach the
widgets through xcb exactly as a user's would; screenshots are read back from the X
server's framebuffer (the root window), i.e. what a user sees.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PyQt6.QtCore import QEvent, QObject, QPoint, QRect
from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import QApplication, QMessageBox, QWidget

from nnviz.app import MainWindow, prepare_application
from nnviz.main_window import TAB_NAMES
from tests.strokes import DIGITS, to_canvas

pytestmark = pytest.mark.xvfb


class _MouseLog(QObject):
    """Counts the mouse events a widget receives, and whether they came from the window
    system (spontaneous) rather than from QTest or a direct call."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.kinds: list[QEvent.Type] = []
        self.spontaneous = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                            QEvent.Type.MouseButtonRelease):
            self.kinds.append(event.type())
            self.spontaneous += event.spontaneous()
        return False


def _on_screen(widget: QWidget, point: QPoint) -> tuple[int, int]:
    """Root-window pixel of ``point`` (widget coordinates)."""
    p = widget.mapToGlobal(point)
    ratio = widget.screen().devicePixelRatio()
    return round(p.x() * ratio), round(p.y() * ratio)


def _grab_screen(widget: QWidget) -> QImage:
    """The X screen as the server has it (root window), not Qt's own rendering."""
    return widget.screen().grabWindow(0).toImage()


def _click(xserver, qtbot, widget: QWidget, point: QPoint | None = None) -> None:
    log = _MouseLog(widget)
    xserver.click(*_on_screen(widget, point if point is not None else widget.rect().center()))
    qtbot.waitUntil(lambda: QEvent.Type.MouseButtonRelease in log.kinds, timeout=5000)
    log.setParent(None)
    widget.removeEventFilter(log)


@pytest.fixture
def window(qapp, qtbot):
    prepare_application(qapp)
    w = MainWindow(restore=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    w.controller.shutdown(3000)


def test_the_window_is_a_real_x11_window_with_nnvizs_icon_and_class(window, xserver):
    assert QApplication.platformName() == "xcb"
    assert not window.windowIcon().isNull()
    ours = [w for w in xserver.top_level_windows() if w == int(window.winId())]
    assert ours, "the main window is not a top-level window of the X server"
    icon = xserver.cardinals(ours[0], "_NET_WM_ICON")
    assert len(icon) > 2 and icon[0] * icon[1] <= len(icon) - 2  # width, height, pixels
    assert xserver.window_class(ours[0]) == ("nnviz", "nnviz")  # = StartupWMClass
    assert xserver.cardinals(ours[0], "_NET_WM_PID") == [os.getpid()]


def test_default_size_is_90_percent_of_the_screen_capped_and_on_screen(window):
    available = window.screen().availableGeometry()
    wanted_w = min(1400, int(available.width() * 0.9))
    wanted_h = min(900, int(available.height() * 0.9))
    minimum = window.minimumSizeHint()
    assert window.width() == max(wanted_w, minimum.width())
    assert window.height() == max(wanted_h, minimum.height())
    if minimum.width() <= wanted_w and minimum.height() <= wanted_h:
        assert available.contains(window.frameGeometry())


def test_smoke_switch_every_tab_train_draw_and_quit_with_real_input(
        window, qtbot, xserver, screenshot_dir):
    bar = window.tabs.tabBar()
    shots = {}
    for index, name in enumerate(TAB_NAMES):
        _click(xserver, qtbot, bar, bar.tabRect(index).center())
        qtbot.waitUntil(lambda i=index: window.tabs.currentIndex() == i, timeout=5000)
        qtbot.waitExposed(window.tabs.widget(index))
        QApplication.processEvents()
        image = _grab_screen(window)
        image.save(str(screenshot_dir / f"xvfb_tab_{index + 1}_{name.lower()}.png"))
        shots[name] = image
    for name, image in shots.items():  # the server shows the window: many colours, no blank
        frame = window.frameGeometry()
        sample = image.copy(QRect(frame.x(), frame.y(), frame.width(), frame.height()))
        pixels = np.frombuffer(sample.convertToFormat(QImage.Format.Format_RGB32).constBits()
                               .asstring(sample.sizeInBytes()), np.uint32)
        assert len(np.unique(pixels)) > 50, f"{name}: the window looks blank on the X screen"

    # Train: a few batches, started and stopped with real clicks
    train = window.train_tab
    _click(xserver, qtbot, bar, bar.tabRect(TAB_NAMES.index("Train")).center())
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == TAB_NAMES.index("Train"),
                    timeout=5000)
    train.epochs_spin.setValue(1)
    train.set_start_choice("current")  # continue the pre-trained model: it must still read
    batches = []
    window.controller.batchesReady.connect(batches.append)
    _click(xserver, qtbot, train.start_button)
    qtbot.waitUntil(lambda: len(batches) >= 3, timeout=30000)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        _click(xserver, qtbot, train.stop_button)
    assert not window.controller.is_running
    assert len(train.curves.batch_data()["loss"]) >= 3
    _grab_screen(window).save(str(screenshot_dir / "xvfb_trained.png"))

    # Draw: a 7 in two strokes, drawn by the X server's pointer on the canvas
    draw = window.draw_tab
    _click(xserver, qtbot, bar, bar.tabRect(TAB_NAMES.index("Draw")).center())
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == TAB_NAMES.index("Draw"),
                    timeout=5000)
    canvas = draw.canvas
    qtbot.waitExposed(canvas)
    log = _MouseLog(canvas)
    strokes = to_canvas(canvas, DIGITS[7]["crossed"], size=0.7)
    for n, points in enumerate(strokes, start=1):
        points = points[::3] + ([points[-1]] if (len(points) - 1) % 3 else [])
        xserver.move(*_on_screen(canvas, points[0]))
        xserver.button(True)
        for point in points[1:]:
            seen = len(log.kinds)
            xserver.move(*_on_screen(canvas, point))
            qtbot.waitUntil(lambda s=seen: len(log.kinds) > s, timeout=3000)
        xserver.button(False)
        qtbot.waitUntil(lambda n=n: canvas.stroke_count() == n, timeout=5000)
    assert log.spontaneous == len(log.kinds) > 20  # all from the window system
    digit, probabilities = draw.current_prediction()
    assert digit == 7, probabilities
    QApplication.processEvents()
    screen = _grab_screen(window)
    screen.save(str(screenshot_dir / "xvfb_drawn_seven.png"))
    x, y = _on_screen(canvas, strokes[0][len(strokes[0]) // 2])  # on the 7's stem
    assert screen.pixelColor(x, y).lightness() > 200  # white ink on the X screen
    x, y = _on_screen(canvas, canvas.rect().topLeft() + QPoint(6, 6))
    assert screen.pixelColor(x, y).lightness() < 60  # black paper around it

    # Quit with the keyboard (Ctrl+Q) through the X server: the geometry is remembered
    xserver.move(*_on_screen(window, window.rect().center()))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    xserver.key_combo("Control_L", "q")
    # the model was trained and not saved: nnviz asks first; Discard, clicked for real
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "unsavedModelBox") is not None
                    and window.findChild(QMessageBox, "unsavedModelBox").isVisible(),
                    timeout=5000)
    box = window.findChild(QMessageBox, "unsavedModelBox")
    qtbot.waitExposed(box)
    discard = box.button(QMessageBox.StandardButton.Discard)
    xserver.click(*_on_screen(discard, discard.rect().center()))  # the box goes with it
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    store = window._store
    store.sync()
    assert not store.value("geometry").isEmpty()
    assert int(store.value("tab")) == TAB_NAMES.index("Draw")


def test_the_nnviz_command_opens_its_window_and_quits_on_ctrl_q(qtbot, xserver):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # as a user starts it: Qt picks xcb from DISPLAY
    process = subprocess.Popen([sys.executable, "-m", "nnviz", "--fresh"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def nnviz_windows() -> list[int]:
            assert process.poll() is None, process.communicate()[1]
            return [w for w in xserver.windows_of_process(process.pid)
                    if xserver.window_class(w) == ("nnviz", "nnviz")
                    and xserver.cardinals(w, "_NET_WM_ICON")]

        qtbot.waitUntil(lambda: bool(nnviz_windows()), timeout=60000)
        window = nnviz_windows()[0]
        err = ""
        for _ in range(20):  # retry while the new window is still being mapped
            xserver.focus(window)  # no window manager here to give it the keyboard
            xserver.key_combo("Control_L", "q")
            try:
                _, err = process.communicate(timeout=1)
                break
            except subprocess.TimeoutExpired:
                continue
        assert process.returncode == 0, err
        assert "Could not load the Qt platform plugin" not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
