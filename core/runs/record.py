"""Recording a run while it trains, from the training thread.

Per batch, :meth:`RunRecorder.on_batch_end` writes one row into a preallocated array
(doubled when full) and, at the steps of the 1-2-5 series, copies the weights: no I/O.
At every epoch end (:meth:`~RunRecorder.on_epoch_end`) and on a pause or divergence
(:meth:`~RunRecorder.on_state_change`) it copies the new rows and hands them to a
background writer thread (:mod:`core.runs.writer`), which writes what is new: the
checkpoints taken since the last write, the curves, the checkpoint index and
``run.json``, each atomically; :meth:`~RunRecorder.finish` waits for that last write. A
write that fails (disk full...) never stops training: :attr:`~RunRecorder.problem` says
what went wrong and the next write tries again.

Another thread (the UI) may call :meth:`~RunRecorder.checkpoints`,
:meth:`~RunRecorder.load_checkpoint` (checkpoints not written yet come from memory),
:meth:`~RunRecorder.rename` and :meth:`~RunRecorder.on_setting_changed`.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np

from core.atomic_file import write_problem
from core.model import KERNEL_LAYERS, Sequential
from core.runs.curves import BATCH_FIELDS, EPOCH_FIELDS, write_curves
from core.runs.files import (
    CHECKPOINT_INDEX,
    CURVES_FILE,
    RUN_FILE,
    checkpoint_file,
    json_bytes,
    plain,
    remove_quietly,
    write_arrays,
    write_json,
)
from core.runs.run import (
    FORMAT,
    STATES,
    VERSION,
    CheckpointError,
    DatasetInfo,
    StartWeights,
    index_json,
    read_checkpoint,
)
from core.runs.timeline import (
    DEFAULT_BUDGET,
    Checkpoint,
    checkpoint_bytes,
    max_checkpoints,
    next_log_step,
    thin,
)
from core.runs.writer import LatestWriter

NAN = math.nan
ENDING_STATES = tuple(state for state in STATES if state != "recording")


class _Save(NamedTuple):
    """What one write saves: checkpoints not written yet (step -> weights), the index,
    written checkpoints to delete, copies of the curve rows, the run's duration."""

    pending: dict[int, dict[str, np.ndarray]]
    index: list[Checkpoint]
    doomed: list[int]
    batches: np.ndarray
    epochs: np.ndarray
    by_layer: np.ndarray
    duration: float


def _grown(rows: np.ndarray) -> np.ndarray:
    bigger = np.empty((2 * len(rows), *rows.shape[1:]), dtype=rows.dtype)
    bigger[: len(rows)] = rows
    return bigger


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"the figure {what!r} must be a number, got {value!r:.40}")
    return float(value)


def plain_settings(settings: Mapping) -> dict:
    """A deep copy of ``settings`` as plain JSON data; ValueError if JSON cannot hold it."""
    try:
        return json.loads(json_bytes(dict(settings)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the training settings must be plain data (texts, numbers, "
                         f"booleans, lists, dicts): {exc}") from None


class RunRecorder:
    """Records the run with id ``run_id`` into ``folder`` while ``model`` trains.

    Made by :meth:`core.runs.RunHistory.record`, which also writes the first ``run.json``.
    ``budget``: bytes of checkpoints kept (see :mod:`core.runs.timeline`).
    """

    def __init__(self, folder: Path, run_id: str, model: Sequential, *, dataset: DatasetInfo,
                 settings: Mapping, start: StartWeights, name: str,
                 budget: int = DEFAULT_BUDGET,
                 on_close: Callable[[RunRecorder], None] | None = None) -> None:
        if not model.built:
            raise ValueError("build the network (give it an input shape) before recording it")
        if not isinstance(dataset, DatasetInfo):
            raise TypeError(f"dataset must be a DatasetInfo, got {type(dataset).__name__}")
        if not isinstance(start, StartWeights):
            raise TypeError(f"start must be FreshWeights, CurrentWeights or CheckpointWeights, "
                            f"got {type(start).__name__}")
        self.folder = Path(folder)
        self.id = run_id
        self._model = model
        kernels = [layer.name for layer in model.layers if isinstance(layer, KERNEL_LAYERS)]
        self._meta = {
            "format": FORMAT, "version": VERSION, "id": run_id, "name": name,
            "started": time.time(), "duration": 0.0, "state": "recording",
            "dataset": dataset.to_json(), "architecture": model.get_config(),
            "settings": plain_settings(settings), "start": start.to_json(),
            "steps": 0, "epochs": 0, "params": model.count_params(), "figures": {},
            "zero_layers": kernels, "changes": [],
        }
        self._clock = time.monotonic()
        self._on_close = on_close
        self._batches = np.full((1024, len(BATCH_FIELDS)), NAN)
        self._epochs = np.full((16, len(EPOCH_FIELDS)), NAN)
        self._by_layer = np.full((16, len(kernels)), NAN)
        self._n = self._e = self._step = 0
        self._position = 0.0
        self._next_log = 1
        self._shapes = {name: p.shape for name, p in model.named_params().items()}
        self._max = max_checkpoints(budget, checkpoint_bytes(self._shapes))
        self._lock = threading.Lock()  # checkpoints and pending weights
        self._meta_lock = threading.Lock()  # self._meta and writing run.json
        self._writer = LatestWriter(self._write)
        self._checkpoints: list[Checkpoint] = []
        self._pending: dict[int, dict[str, np.ndarray]] = {}  # taken, not written yet
        self._doomed: list[int] = []  # written, then thinned out: files to delete
        self._closed = False
        self.problem: str | None = None
        """Why the last write failed (None after a write that worked)."""
        self._take("start", 0.0)

    # -- what it records --------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._meta["name"]

    @property
    def step(self) -> int:
        """Batches recorded so far."""
        return self._step

    @property
    def closed(self) -> bool:
        """True once :meth:`finish` ran: later calls record nothing."""
        return self._closed

    def meta(self) -> dict:
        """A copy of the ``run.json`` content as it is now."""
        with self._meta_lock:
            return plain(self._meta)

    # -- the training thread ----------------------------------------------------------
    def on_batch_end(self, logs: Mapping) -> None:
        """Record one trained batch from the trainer's batch logs (``loss``, ``data_loss``,
        ``penalty``, ``accuracy``, ``lr``, ``epoch``, ``batch``, ``batches``)."""
        if self._closed:
            return
        self._step = step = self._step + 1
        n = self._n
        if n == len(self._batches):
            self._batches = _grown(self._batches)
        get = logs.get
        self._position = position = get("epoch", 0) + (get("batch", 0) + 1) / (
            get("batches") or 1)
        self._batches[n] = (step, position, get("loss", NAN), get("data_loss", NAN),
                            get("penalty", NAN), get("accuracy", NAN), get("lr", NAN))
        self._n = n + 1
        if step == self._next_log:
            self._next_log = next_log_step(step)
            self._take("step", position)

    def on_epoch_end(self, logs: Mapping, report=None) -> None:
        """Record an epoch end (its mean metrics and ``val_`` ones; ``report``, a
        ValidationReport, gives the validation accuracy when ``logs`` lacks it), keep a
        checkpoint, and write everything new."""
        if self._closed:
            return
        e = self._e
        if e == len(self._epochs):
            self._epochs, self._by_layer = _grown(self._epochs), _grown(self._by_layer)
        kernels = [layer.params["W"] for layer in self._model.layers
                   if isinstance(layer, KERNEL_LAYERS)]
        zeros = np.array([w.size - np.count_nonzero(w) for w in kernels], dtype=np.float64)
        sizes = np.array([w.size for w in kernels], dtype=np.float64)
        overall = float(zeros.sum() / sizes.sum()) if sizes.sum() else NAN
        fallback = report.accuracy if report is not None else NAN
        get = logs.get
        values = {"epoch": e + 1, "step": self._step, "time": self._elapsed(),
                  "loss": get("loss", NAN), "data_loss": get("data_loss", NAN),
                  "penalty": get("penalty", NAN), "accuracy": get("accuracy", NAN),
                  "val_loss": get("val_loss", NAN),
                  "val_accuracy": get("val_accuracy", fallback), "zero_share": overall}
        self._epochs[e] = [values[name] for name in EPOCH_FIELDS]
        self._by_layer[e] = zeros / np.maximum(sizes, 1)
        self._e = e + 1
        with self._meta_lock:
            figures = self._meta["figures"]
            figures.update({k: float(values[k]) for k in (
                "loss", "accuracy", "val_loss", "val_accuracy", "zero_share")})
            best = figures.get("best_val_accuracy")
            accuracy = float(values["val_accuracy"])
            if math.isfinite(accuracy) and (best is None or accuracy > best):
                figures.update(best_val_accuracy=accuracy, best_epoch=e + 1)
        self._take("epoch", float(e + 1))
        self.flush()

    def on_state_change(self, state: str, message: str = "") -> None:
        """Follow the trainer's state: write on ``paused`` and ``diverged``, finish on
        ``stopped`` and ``finished``."""
        if state in ("stopped", "finished"):
            self.finish(state)
        elif state in ("paused", "diverged"):
            self.flush()

    def finish(self, state: str = "finished", figures: Mapping[str, float] | None = None) -> None:
        """End the recording: keep the last weights, add ``figures`` (e.g. test_loss,
        test_accuracy) and write everything. ``state``: finished, stopped or failed.
        Calls after the first do nothing."""
        if self._closed:
            return
        if state not in ENDING_STATES:
            raise ValueError(f"a run ends {', '.join(ENDING_STATES)}, not {state!r}")
        extra = {str(key): _number(value, key) for key, value in (figures or {}).items()}
        with self._lock:
            last = self._checkpoints[-1].step
        if last != self._step:
            self._take("end", self._position)
        with self._meta_lock:
            self._meta["state"] = state
            self._meta["figures"].update(extra)
        self.flush(wait=True)
        with self._lock:
            thinned_while_written = bool(self._doomed)
        if thinned_while_written:  # one more index without them, and away with their files
            self.flush(wait=True)
        self._closed = True
        if self._on_close is not None:
            self._on_close(self)

    # -- any thread -------------------------------------------------------------------
    def on_setting_changed(self, path: str, value: object) -> None:
        """Note that setting ``path`` became ``value`` from the next batch on (a learning
        rate or penalty changed while the run trains); written with the next save."""
        value = plain_settings({str(path): value})[str(path)]
        with self._meta_lock:
            self._meta["changes"].append([self._step, str(path), value])

    def rename(self, name: str) -> None:
        """Give the run a new name and write it at once (OSError if that fails; the
        name then stays as it was)."""
        with self._meta_lock:
            old, self._meta["name"] = self._meta["name"], name
            try:
                write_json(self.folder / RUN_FILE, plain(self._meta))
            except BaseException:
                self._meta["name"] = old
                raise

    def checkpoints(self) -> list[Checkpoint]:
        """The checkpoints kept so far, in step order (written or not)."""
        with self._lock:
            return list(self._checkpoints)

    def load_checkpoint(self, step: int) -> dict[str, np.ndarray]:
        """The weights after ``step`` batches (name -> float32 copy, ``named_params``
        order); CheckpointError when none is kept at that step."""
        with self._lock:
            weights = self._pending.get(step)
            if weights is not None:
                return {name: w.copy() for name, w in weights.items()}
            kept = any(c.step == step for c in self._checkpoints)
        if not kept:
            raise CheckpointError(f"run {self.id} keeps no checkpoint at step {step}")
        return read_checkpoint(self.folder, step, self._shapes, f"run {self.id}")

    def flush(self, wait: bool = False) -> bool:
        """Have everything recorded since the last write written by a background thread
        (the caller only copies the new rows: about a millisecond); ``wait``: until it is
        written. False when the last write failed (:attr:`problem` says why)."""
        if not self._closed:
            with self._lock:
                save = _Save(dict(self._pending), list(self._checkpoints), list(self._doomed),
                             self._batches[: self._n].copy(), self._epochs[: self._e].copy(),
                             self._by_layer[: self._e].copy(), self._elapsed())
            self._writer.submit(save)
        if wait:
            self._writer.wait()
        return self.problem is None

    def wait(self) -> None:
        """Block until everything handed to the background writer is written."""
        self._writer.wait()

    # -- inside -----------------------------------------------------------------------
    def _elapsed(self) -> float:
        return time.monotonic() - self._clock

    def _take(self, kind: str, position: float) -> None:
        """Keep the model's weights now as a checkpoint (thinning if over budget)."""
        step = self._step
        with self._lock:
            if self._checkpoints and self._checkpoints[-1].step == step:
                self._checkpoints[-1] = Checkpoint(step, position, kind)  # same weights
                return
        weights = {name: np.array(p, dtype=np.float32)
                   for name, p in self._model.named_params().items()}
        with self._lock:
            self._checkpoints.append(Checkpoint(step, position, kind))
            self._pending[step] = weights
            self._checkpoints, dropped = thin(self._checkpoints, self._max)
            for checkpoint in dropped:
                if self._pending.pop(checkpoint.step, None) is None:
                    self._doomed.append(checkpoint.step)

    def _write(self, save: _Save) -> None:
        """Write ``save`` (on the writer thread): new checkpoints, curves, index, run.json
        (last, so a reader never sees a summary ahead of its files), then delete the
        files of thinned checkpoints."""
        try:
            for step, weights in save.pending.items():
                write_arrays(checkpoint_file(self.folder, step), weights)
            write_curves(self.folder / CURVES_FILE, save.batches, save.epochs, save.by_layer)
            write_json(self.folder / CHECKPOINT_INDEX, index_json(save.index))
            with self._meta_lock:
                self._meta.update(steps=len(save.batches), epochs=len(save.epochs),
                                  duration=save.duration)
                write_json(self.folder / RUN_FILE, plain(self._meta))
        except Exception as exc:  # noqa: BLE001 - reported, and training goes on
            reason = write_problem(exc) if isinstance(exc, OSError) else str(exc)
            self.problem = f"The run {self.name!r} could not be saved: {reason}."
            return
        self.problem = None
        with self._lock:
            kept = {c.step for c in self._checkpoints}
            for step, weights in save.pending.items():
                if self._pending.get(step) is weights:
                    del self._pending[step]
                elif step not in kept:  # thinned out while it was being written
                    self._doomed.append(step)
            self._doomed = [step for step in self._doomed if step not in save.doomed]
        for step in save.doomed:
            remove_quietly(checkpoint_file(self.folder, step))
