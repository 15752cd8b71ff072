"""Data parallelism over threads, and one BLAS thread per worker.

The tutorial CNN is small: its matrix products are too thin for a multi-threaded BLAS
to use two cores well, and on a busy machine BLAS threads that spin while waiting for
each other slow training down many times over. So training splits each batch into
shards, one per worker thread, each run by a *replica* of the layer stack (same weight
arrays, its own caches and gradients), with BLAS held to one thread; the shards'
gradients are then summed. numpy releases the GIL inside its array loops, so the shards
really run at the same time. The result is the same as one pass over the whole batch —
except where a layer mixes the samples of a batch: BatchNormalization normalises by the
batch's own mean and variance, which a shard's would only estimate, so a network with it
trains in one pass (its inference, by the moving statistics, is still split).

A batch larger than :data:`CHUNK` samples is computed as a series of chunks of that many
(each split into shards), their gradients summed, so that a stop request can be honoured
between two chunks: a batch of 10,000 digits then stops within a fraction of a second
instead of several. The gradient is again the same as one pass.

:class:`DataParallel` does this for a model; the model only says how one layer stack
runs forward and backward (``step``) or infers (``infer``).
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from core.layers import BatchNormalization, Conv2D, Layer

Step = Callable[[list[Layer], np.ndarray, np.ndarray, float], tuple[float, np.ndarray]]
Infer = Callable[[list[Layer], np.ndarray, int], np.ndarray]

MIN_SHARD = 16  # smaller training shards cost more in overhead than they win
CHUNK = 512  # samples a pass: larger batches are computed chunk by chunk
MIN_PREDICT_SHARD = 512  # prediction splits only for validation-sized inputs
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))

_pool: ThreadPoolExecutor | None = None


class Interrupted(Exception):
    """A stop was requested between two chunks of a batch: the batch was abandoned and its
    partial gradients discarded (no weight has changed)."""


def pool() -> ThreadPoolExecutor:
    """The shared worker threads (created on first use); the calling thread is the other."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=max(1, DEFAULT_WORKERS - 1),
                                   thread_name_prefix="core")
    return _pool


class _BlasThreads:
    """BLAS held to one thread while any thread of the process is inside the block: the
    first to enter saves the libraries' thread counts and sets 1, the last to leave puts
    them back (so a GUI thread predicting while a worker trains cannot leave them wrong).
    The libraries are found once with threadpoolctl; a switch is then a C call (~1 µs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._libraries: list | None = None
        self._saved: list[int] = []

    def _found(self) -> list:
        if self._libraries is None:
            try:
                from threadpoolctl import ThreadpoolController
            except ImportError:
                self._libraries = []
            else:
                self._libraries = ThreadpoolController().select(user_api="blas").lib_controllers
        return self._libraries

    def enter(self) -> None:
        with self._lock:
            if self._inside == 0:
                libraries = self._found()
                self._saved = [library.num_threads for library in libraries]
                for library in libraries:
                    library.set_num_threads(1)
            self._inside += 1

    def leave(self) -> None:
        with self._lock:
            self._inside -= 1
            if self._inside == 0:
                for library, count in zip(self._found(), self._saved, strict=True):
                    library.set_num_threads(count)


_blas = _BlasThreads()


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold BLAS to one thread inside the block (no-op without threadpoolctl).

    Every matrix product here is small (at most a few hundred rows a side): a second BLAS
    thread saves little and, on a busy machine or beside another thread pool (PyTorch's),
    its spinning and waiting can cost many times the product itself.
    """
    _blas.enter()
    try:
        yield
    finally:
        _blas.leave()


def shard_slices(n: int, workers: int, minimum: int = MIN_SHARD) -> list[slice]:
    """Split n samples into at most ``workers`` contiguous shards of >= ``minimum``."""
    count = max(1, min(workers, n // minimum))
    if count == 1:  # the common case of one digit or one small batch, without linspace
        return [slice(0, n)]
    bounds = np.linspace(0, n, count + 1).astype(int)
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def run_sharded(calls: list[tuple[Callable, tuple]]) -> list:
    """Run ``f(*args)`` for each call at once: the first on this thread, the others on
    the pool; returns their results in order (an exception in any is raised here)."""
    jobs = [pool().submit(f, *args) for f, args in calls[1:]]
    first = calls[0][0](*calls[0][1])
    return [first] + [job.result() for job in jobs]


def replicate(layer: Layer, rng: np.random.Generator) -> Layer:
    """A worker copy of ``layer``: shares its ``params`` dict (the same arrays), has its
    own gradients, caches and scratch buffers, no regularizers (their gradient is added
    once, after the shards are summed) and its own random generator."""
    twin = copy.copy(layer)
    twin.grads = {key: np.zeros_like(p) for key, p in layer.params.items()}
    twin.regularizers = {}
    twin.rng = rng
    if isinstance(layer, Conv2D):  # its scratch buffers must not be shared between threads
        twin._buffers = {}
    return twin


def mixes_samples(layers: list[Layer]) -> bool:
    """True when a layer's training output for one sample depends on the other samples of
    the batch (BatchNormalization's batch statistics): such a batch cannot be sharded."""
    return any(isinstance(layer, BatchNormalization) for layer in layers)


class DataParallel:
    """Data parallelism over threads for one model's layer stack.

    Holds the replicas of the stack (:func:`replicate`), made on first use and again
    when the layers change or more are needed; ``rng`` (the model's generator) seeds each
    replica's own generator, so dropout masks differ between shards.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._replicas: list[list[Layer]] = []
        self._replicas_of: tuple[int, ...] = ()

    def replicas(self, layers: list[Layer], count: int) -> list[list[Layer]]:
        """``count`` replicas of ``layers``; their settings (e.g. a dropout rate changed
        mid-run) are copied from the originals first (``Layer.sync_from``)."""
        key = tuple(id(layer) for layer in layers)
        if self._replicas_of != key or len(self._replicas) < count:
            self._replicas = [[replicate(layer, np.random.default_rng(self.rng.integers(1 << 63)))
                               for layer in layers] for _ in range(count)]
            self._replicas_of = key
        for replica in self._replicas[:count]:
            for twin, layer in zip(replica, layers, strict=True):
                twin.sync_from(layer)
        return self._replicas[:count]

    def forward_backward(self, step: Step, layers: list[Layer], x: np.ndarray, y: np.ndarray,
                         workers: int, chunk: int = CHUNK,
                         stop: threading.Event | None = None,
                         reduction: str = "mean") -> tuple[float, np.ndarray]:
        """Forward and backward over a batch x (N, ...), targets y (N, K), in chunks of at
        most ``chunk`` samples, each on up to ``workers`` shards; returns (mean data loss,
        outputs (N, K)) and leaves the whole batch's gradients (with the weight
        penalties' added once) in ``layers``. Raises :class:`Interrupted` when ``stop``
        is set before a chunk (``layers``' gradients are then meaningless).

        ``step(layers, x, y, scale)`` runs one stack over a shard for its loss times
        ``scale`` and leaves the gradients in the stack: ``scale`` is the shard's share of
        the batch when the loss is a mean over samples (``reduction="mean"``), 1 when it is
        a sum (``"sum"``), so the shards add up to the whole batch's loss and gradient.
        """
        n = len(x)
        if mixes_samples(layers):  # BatchNormalization needs the batch whole: one pass
            workers, chunk = 1, max(n, chunk)

        def weight(s: slice) -> float:
            return (s.stop - s.start) / n if reduction == "mean" else 1.0

        if n <= chunk and len(shard_slices(n, workers)) == 1:
            return step(layers, x, y, 1.0)
        totals: list[dict[str, np.ndarray]] = [{} for _ in layers]
        data_loss, outputs = 0.0, []
        for start in range(0, n, chunk):
            if stop is not None and stop.is_set():
                raise Interrupted
            xc, yc = x[start : start + chunk], y[start : start + chunk]
            shards = shard_slices(len(xc), workers)
            replicas = self.replicas(layers, len(shards))
            results = run_sharded(
                [(step, (replica, xc[s], yc[s], weight(s)))
                 for replica, s in zip(replicas, shards, strict=True)])
            for index, layer in enumerate(layers):
                for key in layer.params:
                    grad = sum(replica[index].grads[key] for replica in replicas)
                    total = totals[index].get(key)
                    totals[index][key] = grad if total is None else np.add(total, grad,
                                                                            out=total)
            data_loss += sum(loss * weight(s)
                             for (loss, _), s in zip(results, shards, strict=True))
            outputs += [probs for _, probs in results]
        for layer, total in zip(layers, totals, strict=True):
            layer.grads.update(total)
            layer._add_regularization_grads()
        return data_loss, np.concatenate(outputs)

    def predict(self, infer: Infer, layers: list[Layer], x: np.ndarray, batch_size: int,
                workers: int) -> np.ndarray:
        """``infer(layers, x, batch_size)`` over x (N, ...), split between the workers when
        N is validation-sized (:data:`MIN_PREDICT_SHARD` a shard); outputs (N, ...)."""
        parts = shard_slices(len(x), workers, minimum=MIN_PREDICT_SHARD)
        with single_threaded_blas():
            if len(parts) == 1:
                return infer(layers, x, batch_size)
            replicas = self.replicas(layers, len(parts))
            outputs = run_sharded(
                [(infer, (replica, x[part], batch_size))
                 for replica, part in zip(replicas, parts, strict=True)])
        return np.concatenate(outputs)
