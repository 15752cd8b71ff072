"""Download full MNIST or Fashion-MNIST from the app: off the UI thread, with progress.

:class:`DatasetDownload` runs :func:`core.data.download_mnist` on a background thread and
shows a progress dialog: the bytes so far, the file being fetched and from where, and a
Cancel button (the download's ``progress`` callback answers False once it is pressed, so
nothing half-written is kept). It ends with exactly one of ``succeeded(dataset, folder)``,
``failed(dataset, message)`` (the :class:`~core.download.DownloadError`'s one sentence,
e.g. that no mirror could be reached and nnviz goes on with the sample) or
``cancelled(dataset)``, then ``finished()``.

The thread is a daemon: a download stuck in a slow connection never keeps the app from
closing, and cancelling ends it at the next chunk (or when the connection times out).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtWidgets import QProgressDialog, QWidget

from core.data import DownloadCancelled, DownloadError, download_mnist
from core.download import DEFAULT_TIMEOUT, TITLES

__all__ = ["DatasetDownload", "progress_text"]

_STEPS = 1000


def progress_text(done: int, total: int, message: str) -> str:
    """The dialog's text: what is being fetched, then "3.2 of 11.6 MB"."""
    if total <= 0:
        return message
    return f"{message}\n{done / 1e6:.1f} of {total / 1e6:.1f} MB"


class DatasetDownload(QObject):
    """One download of ``dataset`` ("mnist" or "fashion-mnist") into ``dest`` (default: the
    cache folder the app finds data sets in). Call :meth:`start` once."""

    progressed = pyqtSignal(int, int, str)
    """(bytes done, bytes in all, what is happening), from the download thread."""
    succeeded = pyqtSignal(str, object)
    """(data set, the folder with its four files)."""
    failed = pyqtSignal(str, str)
    """(data set, why, in one sentence)."""
    cancelled = pyqtSignal(str)
    finished = pyqtSignal()

    def __init__(self, dataset: str, dest: str | Path | None = None,
                 parent: QWidget | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(parent)
        if dataset not in TITLES:
            raise ValueError(f"unknown data set {dataset!r}; one of {', '.join(TITLES)}")
        self.dataset = dataset
        self.dest = dest
        self.timeout = float(timeout)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        title = TITLES[dataset]
        self.dialog = QProgressDialog(f"Connecting to a {title} mirror…", "Cancel", 0, _STEPS,
                                      parent)
        """The progress dialog (shown by :meth:`start`)."""
        self.dialog.setObjectName("downloadDialog")
        self.dialog.setWindowTitle(f"Downloading {title}")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0)
        self.dialog.setMinimumWidth(460)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.hide()
        self.progressed.connect(self._on_progressed)
        self.finished.connect(self.dialog.close)

    # -- control ------------------------------------------------------------------------
    def start(self) -> None:
        """Show the dialog and begin downloading on a background thread."""
        if self._thread is not None:
            raise RuntimeError("this download has already been started")
        self.dialog.setValue(0)
        self.dialog.show()
        self._thread = threading.Thread(target=self._run, name="nnviz-download", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop at the next chunk; nothing half-written is kept."""
        self._cancel.set()
        self.dialog.setLabelText("Cancelling…")

    def is_running(self) -> bool:
        return self._thread is not None and not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the download thread has ended; True when it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def text(self) -> str:
        """What the dialog says now."""
        return self.dialog.labelText()

    # -- the thread ---------------------------------------------------------------------
    def _run(self) -> None:
        try:
            folder = download_mnist(self.dest, self.dataset, self._progress, timeout=self.timeout)
        except DownloadCancelled:
            self._emit(self.cancelled, self.dataset)
        except DownloadError as error:
            self._emit(self.failed, self.dataset, str(error))
        except Exception as error:  # noqa: BLE001 - every failure ends in a message
            self._emit(self.failed, self.dataset, f"The download failed: {error}")
        else:
            self._emit(self.succeeded, self.dataset, Path(folder))
        finally:
            self._done.set()
            self._emit(self.finished)

    def _progress(self, done: int, total: int, message: str) -> bool:
        if self._cancel.is_set():
            return False
        self._emit(self.progressed, int(done), int(total), message)
        return True

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window is gone: nobody is listening any more
            pass

    # -- UI thread ----------------------------------------------------------------------
    def _on_progressed(self, done: int, total: int, message: str) -> None:
        if self._cancel.is_set():
            return
        self.dialog.setLabelText(progress_text(done, total, message))
        self.dialog.setValue(round(_STEPS * done / total) if total > 0 else 0)
