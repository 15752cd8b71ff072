"""The last resort for exceptions no code caught: the window says what failed.

Every failure nnviz foresees ends in its own dialog or status line. One it did not
foresee — escaping a slot, an event handler or a Python thread — would only print a
traceback on the terminal, which a user of the desktop app never sees. :func:`install`
chains a hook into ``sys.excepthook`` (PyQt6 calls it for exceptions in slots, and keeps
running instead of aborting once a hook is set) and ``threading.excepthook``: the
previous hook still runs, so the traceback stays on stderr, and the window shows one
sentence saying what failed, with the traceback under "Show Details…". A report from
another thread reaches the window through a queued signal.
"""

from __future__ import annotations

import sys
import threading
import traceback
import weakref
from pathlib import Path
from types import TracebackType

from PyQt6 import sip
from PyQt6.QtCore import QObject, pyqtSignal

import core
import nnviz
from core.safe_npz import reason

__all__ = ["TITLE", "describe", "install", "uninstall"]

TITLE = "Something went wrong"
_OURS = tuple(Path(package.__file__).resolve().parent for package in (core, nnviz))


class _Reporter(QObject):
    """Lives on the UI thread; ``failed`` (queued from other threads) reaches the window."""

    failed = pyqtSignal(str, str)  # one sentence, the traceback

    def __init__(self) -> None:
        super().__init__()
        self.window: weakref.ref | None = None
        self.failed.connect(self._on_failed)

    def _on_failed(self, text: str, details: str) -> None:
        window = self.window() if self.window is not None else None
        if window is None or sip.isdeleted(window):
            return
        try:
            window.show_error(TITLE, text, details)
        except Exception:  # noqa: BLE001 - a failing report must not hide the first error
            traceback.print_exc()


class _Hook:
    """A ``sys.excepthook`` that reports to the window, then calls the one it replaced."""

    def __init__(self, previous) -> None:
        self.previous = previous

    def __call__(self, kind: type[BaseException], error: BaseException,
                 tb: TracebackType | None) -> None:
        _report(kind, error, tb)
        self.previous(kind, error, tb)


class _ThreadHook:
    """A ``threading.excepthook`` that reports to the window, then calls the one it replaced."""

    def __init__(self, previous) -> None:
        self.previous = previous

    def __call__(self, args) -> None:
        _report(args.exc_type, args.exc_value, args.exc_traceback)
        self.previous(args)


_reporter: _Reporter | None = None


def install(window) -> None:
    """Report uncaught exceptions to ``window`` (anything with ``show_error(title, text,
    details)``) from now on; call it on the UI thread. Installing again only changes the
    window."""
    global _reporter
    if _reporter is None:
        _reporter = _Reporter()
    _reporter.window = weakref.ref(window)
    if not isinstance(sys.excepthook, _Hook):
        sys.excepthook = _Hook(sys.excepthook)
    if not isinstance(threading.excepthook, _ThreadHook):
        threading.excepthook = _ThreadHook(threading.excepthook)


def uninstall() -> None:
    """Put back the hooks :func:`install` replaced."""
    if isinstance(sys.excepthook, _Hook):
        sys.excepthook = sys.excepthook.previous
    if isinstance(threading.excepthook, _ThreadHook):
        threading.excepthook = threading.excepthook.previous
    if _reporter is not None:
        _reporter.window = None


def describe(error: BaseException, tb: TracebackType | None) -> str:
    """One sentence: which of nnviz's functions failed, how, and that nothing more was done."""
    where = ""
    for frame, _ in traceback.walk_tb(tb):  # the innermost frame of nnviz's own code
        path = Path(frame.f_code.co_filename).resolve()
        for root in _OURS:
            if path.is_relative_to(root):
                where = (f" in {frame.f_code.co_qualname} "
                         f"({path.relative_to(root.parent).as_posix()})")
    return (f"An unexpected {type(error).__name__}{where} stopped the last action: "
            f"{reason(error, 160)}. The details are below and on the terminal.")


def _report(kind: type[BaseException], error: BaseException,
            tb: TracebackType | None) -> None:
    if _reporter is None or issubclass(kind, KeyboardInterrupt):
        return
    details = "".join(traceback.format_exception(kind, error, tb))
    _reporter.failed.emit(describe(error, tb), details)
