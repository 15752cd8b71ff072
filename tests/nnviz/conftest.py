"""GUI test set-up: pyqtgraph configured once as the app does, a ``shown`` helper, a
shown main ``window``, and a check that no test leaves a QThread running."""

from __future__ import annotations

import traceback
from weakref import WeakKeyDictionary

import pytest
from PyQt6.QtCore import QThread
from PyQt6.QtWidgets import QWidget

from nnviz.app import MainWindow, collect_garbage_on_the_ui_thread, configure_pyqtgraph

QTHREAD_GRACE_MS = 3000


@pytest.fixture(scope="session", autouse=True)
def pyqtgraph_configured(qapp):
    """The pyqtgraph options the app sets at start-up, and its garbage collection on the
    UI thread only (what a test leaves in reference cycles is then never freed on a later
    test's training thread), once for every GUI test."""
    configure_pyqtgraph()
    collect_garbage_on_the_ui_thread(qapp)


@pytest.fixture
def shown(qtbot):
    """``shown(widget, width, height)``: register, size and show a widget, wait until it is
    exposed, and return it."""

    def show(widget: QWidget, width: int | None = None, height: int | None = None) -> QWidget:
        qtbot.addWidget(widget)
        if width is not None and height is not None:
            widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return show


@pytest.fixture
def window(shown):
    """A shown main window on its defaults; afterwards its training thread has ended.
    (Test modules that need another window define their own ``window``.)"""
    w = shown(MainWindow())
    yield w
    w.controller.shutdown(3000)
    assert not w.controller.is_running


@pytest.fixture(autouse=True)
def no_qthread_left_running(monkeypatch):
    """Fail a test that leaves a QThread running (a run its window never stopped)."""
    started: WeakKeyDictionary[QThread, str] = WeakKeyDictionary()
    original_start = QThread.start

    def start(self, *args):
        started[self] = "".join(traceback.format_stack(limit=6)[:-1])
        original_start(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    running = []
    for thread, where in list(started.items()):
        try:
            if thread.isRunning() and not thread.wait(QTHREAD_GRACE_MS):
                running.append(where)
        except RuntimeError:  # the C++ thread is already gone
            continue
    if running:
        pytest.fail("the test left a QThread running, started at:\n" + "\n".join(running))
