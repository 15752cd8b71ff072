"""Owns the training thread's lifecycle: start, control, and a clean shutdown.

A QThread with a parentless TrainingWorker moved to it; ``thread.started`` runs the
worker, ``worker.finished`` quits the thread, and both are deleted later. Pause, resume,
step, stop and live hyper-parameter changes go straight to the core Trainer (thread-safe
by design): a queued "stop" slot would never run while the worker is busy. A run started
with a :class:`core.runs.RunRecorder` is kept by the worker, and the live changes of the
learning rate, L1, L2 and dropout are noted in it (from the next batch on).
"""

from __future__ import annotations

from functools import partial

from PyQt6.QtCore import QObject, Qt, QThread, pyqtSignal

from core.runs import RunRecorder
from core.training import Trainer
from nnviz.training.worker import TrainingWorker


class TrainingController(QObject):
    """Starts one training run at a time and relays the worker's signals."""

    batchesReady = pyqtSignal(dict)
    epochFinished = pyqtSignal(dict, object)
    snapshotReady = pyqtSignal(object)
    stateChanged = pyqtSignal(str, str)
    failed = pyqtSignal(str)
    recordingProblem = pyqtSignal(str)
    runFinished = pyqtSignal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.trainer: Trainer | None = None
        self.recorder: RunRecorder | None = None
        """The recorder of the run in progress (None: the run is not kept, or none runs)."""
        self.pace = 0.0
        """Least seconds per batch given to every run (0: full speed): see :meth:`set_pace`."""
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._runs_started = 0

    @property
    def is_running(self) -> bool:
        """True from start() until the worker has finished (paused counts as running)."""
        return self._thread is not None

    @property
    def run_thread(self) -> QThread | None:
        """The QThread of the run in progress, or None between runs."""
        return self._thread

    @property
    def is_paused(self) -> bool:
        return self.trainer is not None and self.is_running and self.trainer.is_paused

    def start(self, trainer: Trainer, recorder: RunRecorder | None = None) -> None:
        """Run ``trainer`` on a new thread (kept by ``recorder`` when one is given)."""
        if self.is_running:
            raise RuntimeError("a training run is already in progress")
        self.trainer = trainer
        self.recorder = recorder
        trainer.set_pace(self.pace)
        # a child of the controller, so Python's garbage collector, which may run on any
        # thread, never destroys it: deleteLater does, on the UI thread
        thread = QThread(self)
        thread.setObjectName("nnviz-training")
        worker = TrainingWorker(trainer, recorder)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.batchesReady.connect(self.batchesReady)
        worker.epochFinished.connect(self.epochFinished)
        worker.snapshotReady.connect(self.snapshotReady)
        worker.stateChanged.connect(self.stateChanged)
        worker.failed.connect(self.failed)
        worker.recordingProblem.connect(self.recordingProblem)
        # direct: quit() is thread-safe, and a queued call would wait for the UI thread,
        # which may itself be blocked in shutdown()'s wait()
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater)
        self._runs_started += 1
        # the run's number, not sender(): when shutdown() has already ended and dropped the
        # thread, its queued ``finished`` still arrives, and sender() would then point at a
        # deleted object (a segmentation fault)
        thread.finished.connect(partial(self._on_thread_finished, self._runs_started))
        thread.finished.connect(thread.deleteLater)
        self._thread, self._worker = thread, worker
        thread.start()

    def _on_thread_finished(self, run_number: int) -> None:
        if self._thread is not None and run_number == self._runs_started:  # not a stale one
            self._forget_run()

    def _forget_run(self) -> None:
        # ``finished`` comes from the thread's very end; wait for it to be truly over
        # before the last Python reference goes (deleting a running QThread aborts).
        self._thread.wait()
        self._thread = None
        self._worker = None
        self.recorder = None
        self.runFinished.emit()

    # -- control (any time; no-ops without a run) -------------------------------------
    def pause(self) -> None:
        if self.trainer is not None:
            self.trainer.pause()

    def resume(self) -> None:
        if self.trainer is not None:
            self.trainer.resume()

    def step(self) -> None:
        if self.trainer is not None:
            self.trainer.step()

    def stop(self) -> None:
        if self.trainer is not None:
            self.trainer.stop()

    def set_learning_rate(self, lr: float) -> None:
        if self.trainer is not None and self.is_running:
            self.trainer.set_learning_rate(lr)
            self._note("lr", lr)

    def set_regularization(self, l1: float, l2: float) -> None:
        if self.trainer is not None and self.is_running:
            self.trainer.set_regularization(l1, l2)
            self._note("l1", l1)
            self._note("l2", l2)

    def set_dropout(self, rate: float) -> None:
        if self.trainer is not None and self.is_running:
            self.trainer.set_dropout(rate)
            self._note("dropout", rate)

    def _note(self, path: str, value: float) -> None:
        """Keep a live change of setting ``path`` in the run's record."""
        if self.recorder is not None and not self.recorder.closed:
            self.recorder.on_setting_changed(path, float(value))

    def set_pace(self, seconds: float) -> None:
        """At least ``seconds`` per batch from now on (0: full speed); remembered for the
        runs that follow."""
        self.pace = float(seconds)
        if self.trainer is not None and self.is_running:
            self.trainer.set_pace(self.pace)

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop any run and wait for its thread to end; True when no thread is left."""
        thread = self._thread
        if thread is None:
            return True
        self.stop()
        ended = thread.wait(timeout_ms)
        if ended:
            self._forget_run()
        return ended
