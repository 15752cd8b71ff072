"""Teach the network one person's handwriting in seconds: fine-tune a copy on their
labelled digits without forgetting everyone else's.

The user's digits are few (three of each is enough), so every training batch mixes them,
oversampled and lightly varied (small rotations, shears, zooms and shifts), with replayed
digits of other writers (MNIST training digits, and real pen strokes when given) — the
replay is what keeps the network reading everyone else. Plain SGD with momentum, a small
learning rate, a fixed number of steps.

Before → after is measured honestly: a stratified third of the user's digits is held out
(phase 1 trains on the rest and is measured on it), then phase 2 goes on briefly with all
the user's digits. The original model is never modified (``TeachResult.previous``), so
teaching is undone by using it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.augmentation import Augmenter
from core.optimizers import SGD


@dataclass(frozen=True)
class TeachConfig:
    """How teaching runs: steps of each phase, batch size and the user's share of each
    batch, SGD learning rate and momentum, and the variation of the user's digits
    (degrees, fractions)."""

    steps: int = 120
    final_steps: int = 50
    batch_size: int = 100
    personal_share: float = 0.15
    lr: float = 0.01
    momentum: float = 0.9
    rotation: float = 12.0
    shear: float = 12.0
    zoom: float = 0.10
    shift: float = 0.06
    holdout: float = 1.0 / 3.0


@dataclass
class TeachResult:
    """What teaching gave: the taught ``model`` (None when it failed or was stopped), the
    untouched ``previous`` one, and the figures.

    ``personal_before`` / ``personal_after``: share of the held-out user digits read right
    (None when too few digits to hold any out), over ``personal_held_out`` digits;
    ``others_before`` / ``others_after`` on ``others_count`` test digits of other writers;
    ``seconds`` the wall time; ``message`` a plain sentence about the outcome.
    """

    model: object | None
    previous: object
    personal_before: float | None = None
    personal_after: float | None = None
    personal_held_out: int = 0
    personal_count: int = 0
    others_before: float | None = None
    others_after: float | None = None
    others_count: int = 0
    seconds: float = 0.0
    message: str = ""

    def summary(self) -> str:
        """One or two lines for the user: before → after on their digits and on others'."""
        parts = []
        if self.personal_before is not None:
            parts.append(f"your held-out digits {self.personal_before:.0%} → "
                         f"{self.personal_after:.0%} (of {self.personal_held_out})")
        if self.others_before is not None:
            parts.append(f"{self.others_count:,} test digits of other writers "
                         f"{self.others_before:.1%} → {self.others_after:.1%}")
        return "; ".join(parts)


class TeachStopped(Exception):
    """Teaching was asked to stop (the window closes)."""


def holdout_split(labels: np.ndarray, share: float,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indices (teach, held out): of every digit class with at least 2 samples, a share
    ``share`` (at least 1, at most all but 1) is held out; the others are all taught."""
    teach, held = [], []
    for label in np.unique(labels):
        index = rng.permutation(np.flatnonzero(labels == label))
        k = 0 if len(index) < 2 else min(max(int(round(share * len(index))), 1), len(index) - 1)
        held.extend(index[:k])
        teach.extend(index[k:])
    return np.sort(np.array(teach, dtype=np.int64)), np.sort(np.array(held, dtype=np.int64))


def _as_float(x: np.ndarray) -> np.ndarray:
    """Images as float32 in [0, 1] (uint8 is divided by 255)."""
    if x.dtype == np.uint8:
        return x.astype(np.float32) / np.float32(255.0)
    return np.asarray(x, np.float32)


def accuracy(model, x: np.ndarray, y: np.ndarray) -> float | None:
    """Share of x (N, 28, 28), float in [0, 1] or uint8, read as y by ``model`` (None for
    no digits)."""
    if len(y) == 0:
        return None
    predicted = model.predict(_as_float(np.asarray(x))[:, None]).argmax(axis=1)
    return float(np.mean(predicted == np.asarray(y)))


def _run(model, x_mine, y_mine, x_replay, y_replay, steps: int, config: TeachConfig,
         rng: np.random.Generator, vary: Augmenter, stop: threading.Event | None,
         progress: Callable[[float], None] | None, done: int, total: int) -> int:
    """``steps`` SGD steps on mixed batches; returns the step count so far."""
    mine = max(1, int(round(config.batch_size * config.personal_share)))
    others = config.batch_size - mine
    for _ in range(steps):
        if stop is not None and stop.is_set():
            raise TeachStopped
        pick = rng.integers(0, len(y_mine), mine)
        xb_mine = vary.random_geometry(x_mine[pick][:, None])
        if others:
            pick_r = rng.integers(0, len(y_replay), others)
            xb = np.concatenate([xb_mine, _as_float(x_replay[pick_r])[:, None]])
            yb = np.concatenate([y_mine[pick], y_replay[pick_r]])
        else:
            xb, yb = xb_mine, y_mine[pick]
        model.train_on_batch(xb, yb)
        done += 1
        if progress is not None and done % 10 == 0:
            progress(done / total)
    return done


def teach(model, x_mine: np.ndarray, y_mine: np.ndarray, x_replay: np.ndarray,
          y_replay: np.ndarray, x_test: np.ndarray | None = None,
          y_test: np.ndarray | None = None, *, config: TeachConfig | None = None,
          seed: int | None = 0, stop: threading.Event | None = None,
          progress: Callable[[float], None] | None = None) -> TeachResult:
    """Fine-tune a copy of ``model`` on the user's digits; ``model`` itself is not changed.

    Parameters
    ----------
    model : a compiled Sequential taking (N, 1, 28, 28).
    x_mine, y_mine : the user's digits (N, 28, 28) float32 in [0, 1] and labels (N,).
    x_replay, y_replay : other writers' digits to mix in (M, 28, 28) uint8 or float32
        in [0, 1], (M,).
    x_test, y_test : other writers' test digits for before → after (optional, same types).
    stop : when set, teaching ends early with ``model`` None in the result.
    progress : called with the fraction done (0..1), from the calling thread.
    """
    config = config or TeachConfig()
    start = time.perf_counter()
    result = TeachResult(model=None, previous=model, personal_count=int(len(y_mine)))
    x_mine = np.asarray(x_mine, np.float32)
    y_mine = np.asarray(y_mine, np.int64)
    if len(y_mine) == 0:
        result.message = "Add some labelled drawings first: teaching needs your digits."
        return result
    rng = np.random.default_rng(seed)
    vary = Augmenter(rotation_range=config.rotation, shear_range=config.shear,
                     zoom_range=config.zoom, width_shift_range=config.shift,
                     height_shift_range=config.shift, seed=int(rng.integers(1 << 31)))
    y_replay = np.asarray(y_replay, np.int64)
    teach_index, held = holdout_split(y_mine, config.holdout, rng)
    student = model.clone()
    student.optimizer = SGD(lr=config.lr, momentum=config.momentum, nesterov=True)
    total = config.steps + config.final_steps
    try:
        done = _run(student, x_mine[teach_index], y_mine[teach_index], x_replay, y_replay,
                    config.steps, config, rng, vary, stop, progress, 0, total)
        if len(held):
            result.personal_held_out = int(len(held))
            result.personal_before = accuracy(model, x_mine[held], y_mine[held])
            result.personal_after = accuracy(student, x_mine[held], y_mine[held])
        _run(student, x_mine, y_mine, x_replay, y_replay, config.final_steps, config, rng,
             vary, stop, progress, done, total)
    except TeachStopped:
        result.message = "Teaching was stopped; the model is unchanged."
        result.seconds = time.perf_counter() - start
        return result
    if x_test is not None and y_test is not None and len(y_test):
        result.others_count = int(len(y_test))
        result.others_before = accuracy(model, x_test, y_test)
        result.others_after = accuracy(student, x_test, y_test)
    result.model = student
    result.seconds = time.perf_counter() - start
    result.message = f"Taught in {result.seconds:.1f} s on {len(y_mine)} of your digits."
    if progress is not None:
        progress(1.0)
    return result


@dataclass(frozen=True)
class ReplayData:
    """Other writers' digits for teaching: ``x_train`` (M, 28, 28) uint8 and ``y_train``
    to mix in, ``x_test`` / ``y_test`` to measure before → after, ``name`` what the test
    digits are ("MNIST test" or "sample test")."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    name: str


def replay_data(test_count: int = 2000, seed: int = 0) -> ReplayData:
    """MNIST found on this machine (its training digits to mix in, ``test_count`` of its
    test digits to measure), else the shipped sample (4,000 + 1,000 digits)."""
    from core.data import DataError, find_dataset, load_dataset, load_sample

    data = None
    place = find_dataset("mnist")
    if place is not None:
        try:
            data = load_dataset(place)
        except DataError:
            data = None
    if data is None:
        data = load_sample()
    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(data.y_test))[:test_count]
    name = "MNIST test" if not data.is_sample else "sample test"
    return ReplayData(data.x_train, data.y_train.astype(np.int64), data.x_test[pick],
                      data.y_test[pick].astype(np.int64), name)
