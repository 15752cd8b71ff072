"""Data parallelism over threads, and one BLAS thread per worker.

The tutorial CNN is small: its matrix products are too thin for a multi-threaded BLAS
to use two cores well, and on a busy machine BLAS threads that spin while waiting for
each other slow training down many times over. So training splits each batch into
shards, one per worker thread, each run by a *replica* of the layer stack (same weight
arrays, its own caches and gradients), with BLAS held to one thread; the shards'
gradients are then summed. numpy releases the GIL inside its array loops, so the shards
really run at the same time.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

MIN_SHARD = 16  # smaller training shards cost more in overhead than they win
MIN_PREDICT_SHARD = 512  # prediction splits only for validation-sized inputs
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))

_pool: ThreadPoolExecutor | None = None
_controller = None


def pool() -> ThreadPoolExecutor:
    """The shared worker threads (created on first use); the calling thread is the other."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=max(1, DEFAULT_WORKERS - 1),
                                   thread_name_prefix="core")
    return _pool


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold BLAS to one thread inside the block (no-op without threadpoolctl)."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _controller = False
        else:
            _controller = ThreadpoolController()
    if not _controller:
        yield
        return
    with _controller.limit(limits=1, user_api="blas"):
        yield


def shard_slices(n: int, workers: int, minimum: int = MIN_SHARD) -> list[slice]:
    """Split n samples into at most ``workers`` contiguous shards of >= ``minimum``."""
    count = max(1, min(workers, n // minimum))
    bounds = np.linspace(0, n, count + 1).astype(int)
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def run_sharded(calls: list[tuple[Callable, tuple]]) -> list:
    """Run ``f(*args)`` for each call at once: the first on this thread, the others on
    the pool; returns their results in order (an exception in any is raised here)."""
    jobs = [pool().submit(f, *args) for f, args in calls[1:]]
    first = calls[0][0](*calls[0][1])
    return [first] + [job.result() for job in jobs]


def replicate(layer, rng: np.random.Generator):
    """A worker copy of ``layer``: shares its ``params`` dict (the same arrays), has its
    own gradients, caches and scratch buffers, no regularizers (their gradient is added
    once, after the shards are summed) and its own random generator."""
    twin = copy.copy(layer)
    twin.grads = {key: np.zeros_like(p) for key, p in layer.params.items()}
    twin.regularizers = {}
    twin.rng = rng
    if hasattr(layer, "_buffers"):
        twin._buffers = {}
    return twin
