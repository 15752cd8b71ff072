"""Shared test set-up: Qt offscreen, the optional full MNIST folder and pen trajectories,
isolated user folders, a local MNIST mirror on 127.0.0.1, and a check that no test leaves a
thread running."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
SHARED_MNIST = SHARED_DATA / "mnist"
SHARED_PENDIGITS = SHARED_DATA / "pendigits" / "pendigits-orig.tra.gz"
THREAD_GRACE_SECONDS = 3.0


@pytest.fixture
def mnist_dir() -> Path:
    """The full MNIST folder beside the project; tests that need it skip cleanly without it."""
    if not (SHARED_MNIST / "train-labels-idx1-ubyte.gz").exists():
        pytest.skip("full MNIST not present in ../shared/data/mnist")
    return SHARED_MNIST


@pytest.fixture(scope="session")
def pen_digits():
    """Every real pen trajectory of ../shared/data/pendigits (30 writers), read once;
    tests that need them skip cleanly without them."""
    if not SHARED_PENDIGITS.exists():
        pytest.skip("pendigits trajectories not present in ../shared/data/pendigits")
    from core.pendigits import read_pendigits

    return read_pendigits(SHARED_PENDIGITS)


class ChunkCalls:
    """Counts the chunks the engine computes (calls of ``core.parallel.run_sharded``, one
    a chunk of a training batch); ``reached(n)`` is an Event set when the n-th begins."""

    def __init__(self, original) -> None:
        self.count = 0
        self._original = original
        self._events: dict[int, threading.Event] = {}

    def reached(self, n: int) -> threading.Event:
        return self._events.setdefault(n, threading.Event())

    def __call__(self, jobs):
        self.count += 1
        if self.count in self._events:
            self._events[self.count].set()
        return self._original(jobs)


@pytest.fixture
def chunk_calls(monkeypatch) -> ChunkCalls:
    """Watch the chunks of large training batches (see :class:`ChunkCalls`)."""
    from core import parallel

    calls = ChunkCalls(parallel.run_sharded)
    monkeypatch.setattr(parallel, "run_sharded", calls)
    return calls


@pytest.fixture
def mnist_mirror(monkeypatch):
    """A :class:`tests.local_mirror.LocalMirror` serving small IDX files on 127.0.0.1 for the
    test (``core.download.FILES`` patched to match), shut down after it."""
    from tests.local_mirror import local_mirror

    with local_mirror(monkeypatch) as mirror:
        yield mirror


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Settings and personal digits go to a fresh folder: tests never touch the user's."""
    home = tmp_path_factory.mktemp("nnviz-user")
    monkeypatch.setenv("NNVIZ_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("NNVIZ_USER_DIR", str(home / "data"))
    return home


def _lingering(before: set[threading.Thread]) -> list[threading.Thread]:
    """Python threads started during the test that still run (the engine's shared worker
    pool, named ``core_*``, lives as long as the process and is not counted)."""
    return [t for t in threading.enumerate()
            if t not in before and t.is_alive() and not t.daemon
            and not isinstance(t, threading._DummyThread)
            and not t.name.startswith("core")]


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """Fail a test that leaves a Python thread running after it ends."""
    before = set(threading.enumerate())
    yield
    for thread in _lingering(before):
        thread.join(THREAD_GRACE_SECONDS)
    left = _lingering(before)
    if left:
        pytest.fail(f"the test left threads running: {[t.name for t in left]}")
