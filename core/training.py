"""A thread-safe trainer: ``fit`` that another thread can pause, step, steer and stop.

``Trainer.run()`` trains on whatever thread calls it and blocks until the run ends. Any
other thread may call :meth:`~Trainer.pause`, :meth:`~Trainer.resume`,
:meth:`~Trainer.step` (one batch, then pause), :meth:`~Trainer.stop`, and change the
learning rate, the L1/L2 strengths or the dropout rate; changes apply at the next batch.
Progress goes out through plain callables, called on the training thread:

* ``on_batch_end(logs)`` — floats ``loss, data_loss, penalty, accuracy, lr, samples_per_sec,
  eta_seconds`` and ints ``epoch, batch, batches, seen, total`` (samples in the run so far /
  in the whole run);
* ``on_epoch_end(logs, report)`` — the epoch means plus ``val_loss, val_accuracy``, and a
  :class:`ValidationReport` (confusion matrix, misclassified digits) or None;
* ``on_state_change(state, message)`` — ``running``, ``paused``, ``diverged`` (paused by a
  NaN/inf loss, weights rolled back to the last finite ones), ``stopped``, ``finished``.

The trainer imports no GUI toolkit and prints nothing.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.callbacks import Callback, History
from core.checks import real
from core.layers import Dropout
from core.model import Sequential, validation_split_index

BatchListener = Callable[[dict], None]

# A batch whose data loss exceeds both of these counts as diverged, like a NaN/inf one:
# with a numerically stable softmax the loss of a run blown up by a huge learning rate
# stays finite (thousands), but a cross-entropy of 10 already means p(true) ≈ e^-10.
EXPLOSION_FACTOR = 10.0   # times the run's first batch loss
EXPLOSION_FLOOR = 10.0


@dataclass(frozen=True)
class ValidationReport:
    """What the model got wrong on the validation set at the end of an epoch.

    confusion: (K, K) int64 counts, rows = true class, columns = predicted class;
    misclassified: indices into the validation arrays; predicted / true / confidence:
    (M,) for those indices (confidence = the predicted class's probability).
    """

    epoch: int
    confusion: np.ndarray
    misclassified: np.ndarray
    predicted: np.ndarray
    true: np.ndarray
    confidence: np.ndarray

    @property
    def accuracy(self) -> float:
        total = self.confusion.sum()
        return float(np.trace(self.confusion) / total) if total else 0.0


def validation_report(epoch: int, probs: np.ndarray, labels: np.ndarray) -> ValidationReport:
    """Build a :class:`ValidationReport` from predicted probabilities (N, K) and labels (N,)."""
    k = probs.shape[1]
    predicted = probs.argmax(axis=1)
    confusion = np.bincount(labels * k + predicted, minlength=k * k).reshape(k, k)
    wrong = np.flatnonzero(predicted != labels)
    return ValidationReport(epoch, confusion, wrong, predicted[wrong], labels[wrong],
                            probs[wrong, predicted[wrong]])


class Trainer:
    """Runs Keras-style training of ``model`` on ``(x, y)`` under outside control.

    x: (N, C, H, W) float32; y: (N,) integer labels or (N, K) one-hot.
    ``validation_split`` holds out the last fraction (before shuffling), as Keras does;
    ``validation_data`` overrides it. ``augment`` maps a training batch to a new batch.
    """

    def __init__(self, model: Sequential, x: np.ndarray, y: np.ndarray, *,
                 batch_size: int = 100, epochs: int = 10, validation_split: float = 0.2,
                 validation_data: tuple[np.ndarray, np.ndarray] | None = None,
                 shuffle: bool = True, augment: Callable[[np.ndarray], np.ndarray] | None = None,
                 callbacks: Sequence[Callback] = (), start_paused: bool = False,
                 on_batch_end: BatchListener | None = None,
                 on_epoch_end: Callable[[dict, ValidationReport | None], None] | None = None,
                 on_state_change: Callable[[str, str], None] | None = None) -> None:
        if model.optimizer is None:
            raise ValueError("compile() the model before training it")
        if batch_size <= 0 or epochs <= 0:
            raise ValueError("batch_size and epochs must be positive")
        if len(x) != len(y):
            raise ValueError(f"{len(x)} inputs but {len(y)} labels")
        self.model = model
        split_at = validation_split_index(len(x), validation_split)
        if validation_data is None and validation_split > 0:
            validation_data = (x[split_at:], y[split_at:])
            x, y = x[:split_at], y[:split_at]
        if len(x) == 0:
            raise ValueError("no training samples left after the validation split")
        self.x, self.y = x, y
        self.validation_data = validation_data
        self.batch_size = int(batch_size)
        self.epochs = int(epochs)
        self.shuffle = shuffle
        self.augment = augment
        self.callbacks = list(callbacks)
        self.on_batch_end = on_batch_end
        self.on_epoch_end = on_epoch_end
        self.on_state_change = on_state_change
        self.state = "idle"
        self.message = ""
        self._cond = threading.Condition()
        self._paused = start_paused
        self._steps = 0
        self._stop = threading.Event()
        self._pending: dict[str, float | tuple[float, float]] = {}

    # -- control, from any thread -----------------------------------------------------
    def pause(self) -> None:
        """Pause before the next batch."""
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        """Continue after a pause (or a divergence, once the cause is fixed)."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def step(self) -> None:
        """Train exactly one more batch, then stay paused."""
        with self._cond:
            self._paused = True
            self._steps += 1
            self._cond.notify_all()

    def stop(self) -> None:
        """End the run after the current batch (within one batch's time)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()

    @property
    def is_paused(self) -> bool:
        return self._paused

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def set_learning_rate(self, lr: float) -> None:
        """New base learning rate from the next batch on (decay still applies to it)."""
        self._set_pending("lr", real(lr, "the learning rate", low=0.0, low_open=True))

    def set_regularization(self, l1: float, l2: float) -> None:
        """New L1/L2 strengths for every kernel from the next batch on."""
        self._set_pending("regularization", (real(l1, "the L1 strength", low=0.0),
                                             real(l2, "the L2 strength", low=0.0)))

    def set_dropout(self, rate: float) -> None:
        """New rate for every Dropout layer from the next batch on."""
        self._set_pending("dropout", real(rate, "the dropout rate", 0.0, 1.0, high_open=True))

    def _set_pending(self, key: str, value) -> None:
        with self._cond:
            self._pending[key] = value

    # -- the run ----------------------------------------------------------------------
    def run(self) -> History:
        """Train until the epochs are done or :meth:`stop` is called; returns the History."""
        control = _Control(self)
        self._set_state("paused" if self._paused else "running", "")
        history = self.model.fit(
            self.x, self.y, batch_size=self.batch_size, epochs=self.epochs,
            shuffle=self.shuffle, validation_data=None, verbose=0, augment=self.augment,
            callbacks=[control, *self.callbacks], stop=self._stop)
        if self._stop.is_set():
            self._set_state("stopped", "Training stopped.")
        else:
            plural = "s" if self.epochs != 1 else ""
            self._set_state("finished", f"Finished {self.epochs} epoch{plural}.")
        return history

    def _set_state(self, state: str, message: str) -> None:
        if state == self.state and message == self.message:
            return
        self.state, self.message = state, message
        if self.on_state_change is not None:
            self.on_state_change(state, message)

    def _wait_for_turn(self) -> bool:
        """Block while paused; False when the run must stop."""
        with self._cond:
            while not self._stop.is_set() and self._paused and self._steps == 0:
                if self.state not in ("paused", "diverged"):
                    self._cond.release()
                    try:
                        self._set_state("paused", "Paused.")
                    finally:
                        self._cond.acquire()
                self._cond.wait(timeout=0.25)
            if self._stop.is_set():
                return False
            if self._steps:
                self._steps -= 1
            pending, self._pending = self._pending, {}
        self._apply(pending)
        if not self._paused and self.state != "running":
            self._set_state("running", "")
        return True

    def _apply(self, pending: dict) -> None:
        if "lr" in pending:
            self.model.optimizer.lr = pending["lr"]
        if "regularization" in pending:
            self.model.set_regularization(*pending["regularization"])
        if "dropout" in pending:
            for layer in self.model.layers:
                if isinstance(layer, Dropout):
                    layer.rate = pending["dropout"]

    def _diverged(self, logs: dict) -> None:
        with self._cond:
            self._paused = True
            self._steps = 0
        lr = self.model.optimizer.lr
        loss = logs.get("loss", float("nan"))
        what = (f"exploded to {loss:,.1f}" if math.isfinite(loss)
                else f"became {loss} (not a finite number)")
        self._set_state(
            "diverged",
            f"Training diverged: the loss {what} at epoch {logs['epoch'] + 1}, batch "
            f"{logs['batch'] + 1}. It was paused and the last weights with a sound loss were "
            f"restored. The learning rate ({lr:g}) is probably too high: lower it, then resume.")


class _Control(Callback):
    """The callback through which the trainer steers ``fit``: waits, timing, rollback."""

    def __init__(self, trainer: Trainer) -> None:
        super().__init__()
        self.trainer = trainer
        self.epoch = 0
        self.rate = 0.0
        self._batch_start = 0.0
        self._candidate: tuple[list[np.ndarray], dict] | None = None
        self._good: tuple[list[np.ndarray], dict] | None = None
        self._first_loss: float | None = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_begin(self, batch, logs=None):
        if not self.trainer._wait_for_turn():
            self.model.stop_training = True
            return
        self._candidate = self._snapshot(self._candidate)
        self._batch_start = time.perf_counter()

    def _snapshot(self, reuse):
        weights = list(self.model.named_params().values())
        if reuse is None:
            buffers = [w.copy() for w in weights]
        else:
            buffers = reuse[0]
            for buffer, w in zip(buffers, weights, strict=True):
                np.copyto(buffer, w)
        return buffers, self.model.optimizer.get_state()

    def on_batch_end(self, batch, logs=None):
        trainer = self.trainer
        logs = dict(logs or {})
        elapsed = time.perf_counter() - self._batch_start
        size = int(logs.get("size", 0))
        logs["epoch"] = self.epoch
        if self._is_diverged(logs):
            # back to the weights of the last sound batch (or, on the first, the start)
            restore = self._good if self._good is not None else self._candidate
            self.model.set_weights(restore[0])
            self.model.optimizer.set_state(restore[1])
            self.model.discard_batch = True  # keep it out of the epoch's means
            trainer._diverged(logs)
            return
        self._good, self._candidate = self._candidate, self._good
        instant = size / elapsed if elapsed > 0 else 0.0
        self.rate = instant if self.rate == 0.0 else 0.8 * self.rate + 0.2 * instant
        total = trainer.epochs * len(trainer.x)
        done_before = self.epoch * len(trainer.x)
        position = done_before + (batch + 1) * trainer.batch_size
        logs.update(
            lr=self.model.optimizer.current_lr(), samples_per_sec=self.rate,
            batches=-(-len(trainer.x) // trainer.batch_size), seen=min(position, total),
            total=total, eta_seconds=max(total - position, 0) / self.rate if self.rate else 0.0)
        if trainer.on_batch_end is not None:
            trainer.on_batch_end(logs)

    def _is_diverged(self, logs: dict) -> bool:
        loss = logs.get("data_loss", logs.get("loss", 0.0))
        if not (math.isfinite(logs.get("loss", 0.0)) and math.isfinite(loss)):
            return True
        if not all(np.isfinite(p).all() for p in self.model.named_params().values()):
            return True
        if self._first_loss is None:
            self._first_loss = loss
        return loss > max(EXPLOSION_FACTOR * self._first_loss, EXPLOSION_FLOOR)

    def on_epoch_end(self, epoch, logs=None):
        trainer = self.trainer
        if trainer.stop_requested:  # a stopped run ends now: no validation of a part-epoch
            return
        report = None
        if trainer.validation_data is not None and len(trainer.validation_data[0]) and logs:
            x_val, y_val = trainer.validation_data
            probs = self.model.predict(x_val)
            logs.update({f"val_{k}": v
                         for k, v in self.model.evaluate_predictions(probs, y_val).items()})
            labels = np.asarray(y_val)
            labels = labels.argmax(axis=1) if labels.ndim == 2 else labels.astype(np.int64)
            report = validation_report(epoch, probs, labels)
        if trainer.on_epoch_end is not None and logs:
            trainer.on_epoch_end(dict(logs, epoch=epoch), report)
