"""Keras-shaped callbacks: hooks called by ``Sequential.fit`` with ``logs`` dicts of floats.

Batch logs hold ``loss``, ``data_loss``, ``penalty``, ``accuracy`` (when asked for),
``size`` and ``batch``; epoch logs hold the epoch means plus ``val_``-prefixed metrics
when there is validation data.
"""

from __future__ import annotations

import math
import sys
import time
from typing import TextIO


class Callback:
    """Base class: override any hook. ``self.model`` is set by ``fit`` before training."""

    def __init__(self) -> None:
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None: ...
    def on_train_end(self, logs: dict | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: dict | None = None) -> None: ...


class CallbackList:
    """Calls each hook on every callback in order."""

    def __init__(self, callbacks: list[Callback]) -> None:
        self.callbacks = list(callbacks)

    def __getattr__(self, hook: str):
        if not hook.startswith("on_") and hook not in ("set_model", "set_params"):
            raise AttributeError(hook)

        def call(*args, **kwargs):
            for callback in self.callbacks:
                getattr(callback, hook)(*args, **kwargs)

        return call


class History(Callback):
    """Records epoch logs: ``history["loss"]``, ``history["val_accuracy"]``..., one per epoch."""

    def __init__(self) -> None:
        super().__init__()
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            self.model.stop_training = True


class LambdaCallback(Callback):
    """Turns plain functions into a callback: ``LambdaCallback(on_epoch_end=f)``."""

    def __init__(self, **hooks) -> None:
        super().__init__()
        for hook, function in hooks.items():
            if not hook.startswith("on_"):
                raise ValueError(f"unknown hook {hook!r}")
            setattr(self, hook, function)


class ProgbarLogger(Callback):
    """A Keras-style text progress bar per epoch, with loss, accuracy, samples/s and ETA."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        super().__init__()
        self.stream = stream or sys.stdout
        self.width = width
        self._seen = 0
        self._sums: dict[str, float] = {}
        self._start = 0.0
        self._last_draw = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._seen = 0
        self._sums = {}
        self._start = time.perf_counter()
        self._last_draw = 0.0
        self.stream.write(f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}\n")

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = int(logs.get("size", 0))
        self._seen += size
        for key in ("loss", "accuracy"):
            if key in logs:
                self._sums[key] = self._sums.get(key, 0.0) + logs[key] * size
        now = time.perf_counter()
        if now - self._last_draw >= 0.1 and self._seen < self.params.get("samples", 0):
            self._last_draw = now
            self._draw(now, final=False)

    def on_epoch_end(self, epoch, logs=None):
        self._draw(time.perf_counter(), final=True, logs=logs)

    def _draw(self, now: float, final: bool, logs: dict | None = None) -> None:
        total = max(int(self.params.get("samples", 0)), 1)
        done = min(self._seen / total, 1.0)
        filled = int(round(self.width * done))
        bar = "=" * max(filled - 1, 0) + (">" if filled < self.width else "=") if filled else ""
        elapsed = now - self._start
        rate = self._seen / elapsed if elapsed > 0 else 0.0
        parts = [f"{self._seen}/{total} [{bar:<{self.width}}]"]
        if final:
            parts.append(f"{elapsed:.1f}s")
        else:
            eta = (total - self._seen) / rate if rate > 0 else 0.0
            parts.append(f"ETA {eta:.0f}s")
        parts.append(f"{rate:,.0f} samples/s")
        for key, value in self._sums.items():
            parts.append(f"{key}: {value / max(self._seen, 1):.4f}")
        if final and logs:
            parts += [f"{k}: {v:.4f}" for k, v in logs.items() if k.startswith("val_")]
        self.stream.write("\r" + " - ".join(parts) + ("\n" if final else ""))
        self.stream.flush()
