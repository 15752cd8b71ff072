"""A run's timeline: which weights are kept as checkpoints, within a memory budget.

When: the starting weights (step 0, kind ``"start"``); the weights after the steps of
the 1-2-5 series 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, ... (kind ``"step"``: dense
early, where the filters change fastest); after every epoch (kind ``"epoch"``); and at
the end of a run stopped between two of these (kind ``"end"``). A step that is also an
epoch end is kept once, as an epoch end.

How many: at most ``budget // checkpoint_bytes`` (the size of one checkpoint file: 4
bytes a float32 weight, and some 250 bytes for each array's zip entry and header), never
fewer than two. The default budget of 50 MB holds 360 checkpoints of the tutorial
CNN (35,754 weights in 10 arrays, 145.6 kB a file); a 10-epoch run on full MNIST (4,800
steps) needs 22.

Which go first when the budget is full (:func:`thin`, one at a time):

1. never the first checkpoint (the start) nor the last (the newest);
2. ``"step"`` ones before epoch ends, so epoch ends stay as long as possible;
3. within a kind, every other one, oldest first: a checkpoint's *level* is how often 2
   divides its number within its kind (step 1 is number 1, step 2 number 2, step 5
   number 3, step 10 number 4 ...; epoch e is number e), and the lowest level goes
   first. The odd-numbered go (steps 1, 5, 20, 100 ...; epochs 1, 3, 5 ...), then those
   numbered 2 mod 4, and so on. What stays is every 2^k-th one, and towards the old
   end of the run every 2^(k+1)-th: e.g. 40 epoch ends in room for 7 keep epochs
   8, 16, 24, 28, 32, 36 and 40.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_BUDGET = 50 * 1024 * 1024
"""Bytes of checkpoints kept per run (50 MB)."""

KINDS = ("start", "step", "epoch", "end")
_DROP_ORDER = {"step": 0, "epoch": 1, "end": 2, "start": 3}
_SERIES = (1, 2, 5)


@dataclass(frozen=True)
class Checkpoint:
    """One kept set of weights: after ``step`` batches of the run (0 = its start),
    ``position`` epochs into it (a float), of ``kind`` "start", "step", "epoch" or "end"."""

    step: int
    position: float
    kind: str


def next_log_step(step: int) -> int:
    """The first step of the 1-2-5 series (1, 2, 5, 10, 20, 50 ...) after ``step``."""
    if step < 1:
        return 1
    scale = 10 ** (len(str(int(step))) - 1)  # the power of ten at or below step
    return next(digit * scale for digit in (*_SERIES, 10) if digit * scale > step)


def series_number(step: int) -> int:
    """The 1-based place of ``step`` in the 1-2-5 series (1 -> 1, 2 -> 2, 5 -> 3, 10 -> 4 ...);
    ValueError for a step outside it."""
    decade = len(str(step)) - 1
    digit = step // 10 ** decade
    if step < 1 or digit not in _SERIES or step != digit * 10 ** decade:
        raise ValueError(f"{step} is not in the 1-2-5 series")
    return 3 * decade + _SERIES.index(digit) + 1


def checkpoint_bytes(shapes: Mapping[str, Sequence[int]]) -> int:
    """The size of one checkpoint file of float32 arrays named and shaped as ``shapes``:
    4 bytes a value, and for each array its .npy header (128 bytes) and two zip records
    (96 bytes and twice its member name), and 22 bytes for the zip's end record."""
    return 22 + sum(4 * math.prod(shape) + 128 + 96 + 2 * len(f"{name}.npy")
                    for name, shape in shapes.items())


def max_checkpoints(budget: int, bytes_each: int) -> int:
    """How many checkpoints of ``bytes_each`` bytes fit in ``budget`` (at least two)."""
    return max(2, int(budget) // max(int(bytes_each), 1))


def _level(checkpoint: Checkpoint) -> int:
    if checkpoint.kind == "step":
        number = series_number(checkpoint.step)
    elif checkpoint.kind == "epoch":
        number = max(int(round(checkpoint.position)), 1)
    else:
        return 0
    return (number & -number).bit_length() - 1


def drop_order_key(checkpoint: Checkpoint) -> tuple[int, int, int]:
    """Sort key of the thinning rule: the smallest key is dropped first."""
    return _DROP_ORDER[checkpoint.kind], _level(checkpoint), checkpoint.step


def thin(checkpoints: Iterable[Checkpoint], keep: int) -> tuple[list[Checkpoint],
                                                                list[Checkpoint]]:
    """Apply the thinning rule until at most ``keep`` (>= 2) remain.

    ``checkpoints`` in step order; returns (kept, dropped), both in step order.
    """
    kept = sorted(checkpoints, key=lambda c: c.step)
    dropped = []
    while len(kept) > max(keep, 2):
        victim = min(kept[1:-1], key=drop_order_key)
        kept.remove(victim)
        dropped.append(victim)
    return kept, sorted(dropped, key=lambda c: c.step)
