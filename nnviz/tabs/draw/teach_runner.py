"""Teaching off the UI thread: :func:`core.teach.teach` on a QThread of its own.

A parentless worker QObject is moved to the thread; ``thread.started`` runs it and its
``finished`` quits the thread. Stopping is a ``threading.Event`` the UI sets directly (a
queued slot would never run while the worker is busy). The replayed digits of other
writers (:func:`core.teach.replay_data`: MNIST when found, else the shipped sample) are
loaded by the first run, on the worker thread, and kept for the next ones.
"""

from __future__ import annotations

import threading

import numpy as np
from PyQt6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, pyqtSignal, pyqtSlot

from core.teach import ReplayData, TeachConfig, TeachResult, replay_data, teach
from nnviz.training.worker import return_to_main_thread


class _TeachWorker(QObject):
    progressed = pyqtSignal(float)
    finished = pyqtSignal(object, object)
    """(TeachResult, ReplayData or None)."""

    def __init__(self, model, x: np.ndarray, y: np.ndarray, replay: ReplayData | None,
                 config: TeachConfig, stop: threading.Event) -> None:
        super().__init__()
        self._model, self._x, self._y = model, x, y
        self._replay, self._config, self._stop = replay, config, stop

    def run(self) -> None:
        replay = self._replay
        try:
            if replay is None:
                replay = replay_data()
            result = teach(self._model, self._x, self._y, replay.x_train, replay.y_train,
                           replay.x_test, replay.y_test, config=self._config, seed=None,
                           stop=self._stop,
                           progress=self.progressed.emit)
        except Exception as exc:  # report, never kill the thread with a traceback
            result = TeachResult(model=None, previous=self._model,
                                 message=f"Teaching failed: {exc}")
        return_to_main_thread(self)  # deleted on the UI thread (see there why)
        self.finished.emit(result, replay)


class TeachRunner(QObject):
    """Runs one teaching at a time; ``progressed(fraction)`` while it runs and
    ``finished(result)`` (a :class:`core.teach.TeachResult`) when it ends, on the UI
    thread. ``config`` says how teaching runs (:class:`core.teach.TeachConfig`)."""

    progressed = pyqtSignal(float)
    finished = pyqtSignal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _TeachWorker | None = None
        self._busy = False
        self._stop = threading.Event()
        self._replay: ReplayData | None = None
        self.config = TeachConfig()

    def is_running(self) -> bool:
        """True from :meth:`start` until ``finished`` is emitted."""
        return self._busy

    def replay(self) -> ReplayData | None:
        """The other writers' digits, once a run has loaded them."""
        return self._replay

    def set_replay(self, replay: ReplayData) -> None:
        """Use these other writers' digits instead of loading them on the first run."""
        self._replay = replay

    def start(self, model, x: np.ndarray, y: np.ndarray) -> bool:
        """Teach a copy of ``model`` the digits x (N, 28, 28) float32 with labels y (N,);
        False (nothing starts) while a run is going on."""
        if self._busy:
            return False
        if self._thread is not None:  # the last run's thread is still winding down
            self._thread.wait(2000)
            self._on_thread_finished()
        self._stop = threading.Event()
        thread = QThread(self)  # owned by the runner: never destroyed by a garbage collection
        worker = _TeachWorker(model, x, y, self._replay, self.config, self._stop)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self.progressed)
        worker.finished.connect(self._on_worker_finished)
        # direct: quit() is thread-safe, and a queued call would never run while the UI
        # thread waits for the thread in stop()
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self._busy = True
        thread.start()
        return True

    def stop(self, wait_ms: int = 3000) -> bool:
        """Ask a run to stop and wait up to ``wait_ms`` for its thread to end; True when
        nothing runs any more."""
        if self._thread is None:
            return True
        self._stop.set()
        thread = self._thread
        if not thread.wait(wait_ms):
            return False
        # deliver the run's queued result now, so ``finished`` comes before we return
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall.value)
        self._on_thread_finished()
        return True

    @pyqtSlot(object, object)  # a real slot, so its queued call is posted to this object
    def _on_worker_finished(self, result: TeachResult, replay: ReplayData | None) -> None:
        self._busy = False
        if replay is not None:
            self._replay = replay
        if self._stop.is_set() and result.model is None and not result.message:
            result.message = "Teaching was stopped; the model is unchanged."
        self.finished.emit(result)

    def _on_thread_finished(self) -> None:
        if self._thread is None:
            return
        thread, self._thread, self._worker = self._thread, None, None
        thread.deleteLater()
