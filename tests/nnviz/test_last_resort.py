"""The last resort: an exception no code caught is said in the window, in one sentence,
with the traceback behind "Show Details…" and still on stderr."""

from __future__ import annotations

import threading

import pytest
from PyQt6.QtWidgets import QMessageBox, QPushButton

from nnviz import last_resort
from nnviz.app import MainWindow


@pytest.fixture
def window(shown):
    w = shown(MainWindow())
    yield w
    last_resort.uninstall()


def broken_action():
    raise ValueError("the widget asked for a digit 11")


@pytest.mark.qt_no_exception_capture  # the app's own hook is what is tested
def test_an_exception_in_a_slot_is_said_in_the_window(window, qtbot, capfd):
    button = QPushButton("Break", window)
    button.clicked.connect(broken_action)
    button.click()
    title, text = window.last_error
    assert title == last_resort.TITLE
    assert text == ("An unexpected ValueError stopped the last action: the widget asked for a "
                    "digit 11. The details are below and on the terminal.")
    assert window.statusBar().currentMessage().startswith(f"{last_resort.TITLE}: An unexpected")
    box = window.findChild(QMessageBox, "errorBox")
    assert "Traceback (most recent call last)" in box.detailedText()
    assert "Traceback (most recent call last)" in capfd.readouterr().err  # still on stderr


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_nnviz_code_names_the_function(window, monkeypatch):
    def failing_start(paused):
        raise RuntimeError("the engine is gone")

    monkeypatch.setattr(window.session, "make_trainer", lambda *a, **k: failing_start(False))
    window.train_tab.start_button.click()
    title, text = window.last_error
    assert title == last_resort.TITLE
    assert text == ("An unexpected RuntimeError in TrainTab._start (nnviz/tabs/train/tab.py) "
                    "stopped the last action: the engine is gone. The details are below and "
                    "on the terminal.")
    assert not window.controller.is_running


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_an_exception_in_a_thread_reaches_the_window_through_a_queued_signal(window, qtbot):
    thread = threading.Thread(target=broken_action, name="nnviz-test-thread")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: window.last_error is not None)
    assert window.last_error[0] == last_resort.TITLE
    assert "the widget asked for a digit 11" in window.last_error[1]


def test_describe_keeps_it_to_one_short_sentence():
    try:
        raise OSError("x" * 1000 + "\n" + "second line")
    except OSError as error:
        text = last_resort.describe(error, error.__traceback__)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("An unexpected OSError stopped the last action: xxx")


def test_install_chains_the_previous_hooks_and_uninstall_restores_them(window):
    import sys

    hook = sys.excepthook
    assert hook.previous is not None and threading.excepthook.previous is not None
    last_resort.install(window)  # again: no second layer
    assert sys.excepthook is hook
    last_resort.uninstall()
    assert not isinstance(sys.excepthook, type(hook))
