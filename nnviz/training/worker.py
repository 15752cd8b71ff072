"""The training worker: a QObject that runs a core Trainer on its own QThread.

It turns the trainer's plain callbacks into queued Qt signals, throttled at the source
so the UI thread is never flooded: batch metrics are coalesced and sent at most every
``METRICS_INTERVAL`` seconds, weight snapshots at most every ``SNAPSHOT_INTERVAL`` seconds,
and always at epoch end. Everything it sends is a copy or a reduced statistic; the
trainer's own arrays never leave the worker thread.

With a :class:`core.runs.RunRecorder` the worker also keeps the run, on the training
thread: every batch, epoch end and state change goes to the recorder first (a few
microseconds a batch; the files are written by the recorder's own writer thread), and a
run that raises ends its recording as "failed". A save that fails is reported once by
``recordingProblem`` and training goes on.
"""

from __future__ import annotations

import time
import traceback

import numpy as np
from PyQt6.QtCore import QCoreApplication, QObject, pyqtSignal, pyqtSlot

from core.diagnostics import Snapshot, take_snapshot
from core.runs import RunRecorder
from core.training import Trainer, ValidationReport

METRICS_INTERVAL = 0.1
SNAPSHOT_INTERVAL = 0.25
BATCH_KEYS = ("loss", "data_loss", "penalty", "accuracy", "lr", "position")



def return_to_main_thread(worker: QObject) -> None:
    """Give a worker, at the end of its run (called on its own thread), back to the UI
    thread, so that its deleteLater runs there.

    Destroyed on its own thread, a worker makes Qt tell its senders (the QThread that
    started it) with disconnectNotify while holding a signal lock; PyQt's override of
    that needs the GIL, and a UI thread holding the GIL while it waits for the same lock
    (any connect that hashes to it) deadlocked the app. On the UI thread the two never
    wait for each other."""
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())

class TrainingWorker(QObject):
    """Runs ``trainer.run()`` when its thread starts; emits progress as signals.

    Signals (all queued to the UI thread):
      ``batchesReady(dict)``: arrays under BATCH_KEYS for the batches since the last
      emission (``position`` = epochs as a float), plus the latest progress figures;
      ``epochFinished(dict, object)``: epoch logs and the ValidationReport (or None);
      ``snapshotReady(object)``: a core.diagnostics.Snapshot;
      ``stateChanged(str, str)``: the trainer's state and message;
      ``failed(str)``: an unexpected error, with its traceback;
      ``recordingProblem(str)``: keeping the run failed to save (once per new problem);
      ``finished()``: the run is over (the thread may quit).
    """

    batchesReady = pyqtSignal(dict)
    epochFinished = pyqtSignal(dict, object)
    snapshotReady = pyqtSignal(object)
    stateChanged = pyqtSignal(str, str)
    failed = pyqtSignal(str)
    recordingProblem = pyqtSignal(str)
    finished = pyqtSignal()

    def __init__(self, trainer: Trainer, recorder: RunRecorder | None = None) -> None:
        super().__init__()
        self.trainer = trainer
        self.recorder = recorder
        self._problem: str | None = None  # the recording problem last reported
        trainer.on_batch_end = self._on_trainer_batch_end
        trainer.on_epoch_end = self._on_trainer_epoch_end
        trainer.on_state_change = self._on_trainer_state_change
        self._pending: dict[str, list[float]] = {key: [] for key in BATCH_KEYS}
        self._last_metrics = 0.0
        self._last_snapshot = 0.0
        self._snapshot: Snapshot | None = None
        self._epoch = 0
        self._last_logs: dict | None = None  # the latest batch, for the final progress

    @pyqtSlot()
    def run(self) -> None:
        """Train until done or stopped; always emits ``finished``."""
        try:
            self.trainer.run()
        except Exception:  # noqa: BLE001 - reported to the UI, never swallowed
            self._finish_recording("failed")
            self.failed.emit(traceback.format_exc())
        finally:
            self._finish_recording("stopped")  # a run that ended without saying how
            self._flush_metrics()
            return_to_main_thread(self)
            self.finished.emit()

    def _finish_recording(self, state: str) -> None:
        recorder = self.recorder
        if recorder is not None and not recorder.closed:
            recorder.finish(state)
        self._check_recording()

    def _check_recording(self) -> None:
        """Report a new recording problem (a failed save), once."""
        problem = self.recorder.problem if self.recorder is not None else None
        if problem != self._problem:
            self._problem = problem
            if problem:
                self.recordingProblem.emit(problem)

    # -- trainer callbacks (worker thread) -------------------------------------------
    def _on_trainer_batch_end(self, logs: dict) -> None:
        if self.recorder is not None:
            self.recorder.on_batch_end(logs)
        self._epoch = logs["epoch"]
        logs = self._gather(logs)
        self._last_logs = logs
        now = time.perf_counter()
        paused = self.trainer.is_paused  # a single step must show at once
        if now - self._last_metrics >= METRICS_INTERVAL or paused:
            self._last_metrics = now
            self._flush_metrics(progress=logs)
            self._check_recording()
        if now - self._last_snapshot >= SNAPSHOT_INTERVAL or paused:
            self._last_snapshot = now
            self._emit_snapshot()

    def _gather(self, logs: dict) -> dict:
        """Queue one batch's metrics for the next emission; returns ``logs`` with its
        ``position`` (epochs done as a float)."""
        batches = max(logs["batches"], 1)
        logs = dict(logs, position=logs["epoch"] + (logs["batch"] + 1) / batches)
        for key in BATCH_KEYS:
            self._pending[key].append(float(logs.get(key, np.nan)))
        return logs

    def _flush_metrics(self, progress: dict | None = None) -> None:
        """Send the batches gathered so far, with ``progress`` (default: the latest batch's)."""
        if not self._pending["loss"]:
            return
        progress = progress or self._last_logs
        payload = {key: np.array(values) for key, values in self._pending.items()}
        for values in self._pending.values():
            values.clear()
        if progress is not None:
            payload["progress"] = {k: progress[k] for k in (
                "epoch", "batch", "batches", "seen", "total", "samples_per_sec", "eta_seconds")}
        self.batchesReady.emit(payload)

    def _emit_snapshot(self, force: bool = False) -> None:
        """Publish the weights, unless nothing trained since the last snapshot."""
        model = self.trainer.model
        if (not force and self._snapshot is not None
                and self._snapshot.step == model.optimizer.iterations):
            return
        self._snapshot = take_snapshot(model, self._epoch, previous=self._snapshot)
        self.snapshotReady.emit(self._snapshot)

    def _on_trainer_epoch_end(self, logs: dict, report: ValidationReport | None) -> None:
        if self.recorder is not None:
            self.recorder.on_epoch_end(logs, report)
        self._flush_metrics()
        self._emit_snapshot()
        self._last_snapshot = time.perf_counter()
        self.epochFinished.emit(dict(logs), report)

    def _on_trainer_state_change(self, state: str, message: str) -> None:
        if self.recorder is not None:
            self.recorder.on_state_change(state, message)  # "stopped", "finished": it ends
            self._check_recording()
        if state == "diverged" and self.trainer.diverged_batch is not None:
            # the spike that made the run pause: the epoch means leave it out, the curves
            # show it (it is why the run stopped)
            self._gather(self.trainer.diverged_batch)
        if state in ("paused", "diverged", "stopped", "finished"):
            self._flush_metrics()
            # after a divergence the weights were rolled back: show the restored ones
            self._emit_snapshot(force=state == "diverged")
        self.stateChanged.emit(state, message)
