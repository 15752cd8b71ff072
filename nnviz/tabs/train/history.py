"""The run history the training curves show: per-batch and per-epoch columns, their
smoothed versions, and CSV export. Qt-free.

x is "epochs done" as a float. Batches arrive a few at a time (the worker coalesces
them); columns grow by doubling and the smoothed series are extended incrementally, so
appending costs O(new points).

CSV export (:meth:`RunHistory.write_csv`), one row per batch and one per epoch, sorted
by ``epoch_position`` (an epoch row follows the batch that ended it). Columns:

=================  ===========================================================
``row``            ``batch`` or ``epoch``
``epoch_position`` epochs done as a float (batch rows); the epoch number (epoch rows)
``epoch``          the epoch number, 1-based (epoch rows only)
``loss``           training loss = data loss + penalty (batch), epoch mean (epoch)
``data_loss``      cross-entropy part of the loss (batch rows)
``penalty``        regularization penalty, alpha*sum|w| and/or alpha*sum w^2 (batch rows)
``accuracy``       training accuracy as a fraction 0..1 (batch), epoch mean (epoch)
``learning_rate``  learning rate used for the batch (batch rows)
``val_loss``       validation loss (epoch rows)
``val_accuracy``   validation accuracy, fraction 0..1 (epoch rows)
=================  ===========================================================

Empty cells mean "not measured in this row"; ``nan``/``inf`` are real values (a diverged run).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["BATCH_COLUMNS", "CSV_COLUMNS", "DEFAULT_SMOOTHING", "EPOCH_COLUMNS",
           "MAX_SMOOTHING", "SMOOTHED_COLUMNS", "Columns", "RunHistory", "smooth"]

BATCH_COLUMNS = ("epoch_position", "loss", "data_loss", "penalty", "accuracy", "lr")
"""Series given per batch to :meth:`RunHistory.add_batches`, in argument order."""
EPOCH_COLUMNS = ("epoch", "val_loss", "val_accuracy", "loss", "accuracy")
"""Series given per epoch to :meth:`RunHistory.add_epoch`, in argument order."""
SMOOTHED_COLUMNS = ("loss", "data_loss", "penalty", "accuracy")
"""Batch series that also have a smoothed version."""
CSV_COLUMNS = ("row", "epoch_position", "epoch", "loss", "data_loss", "penalty", "accuracy",
               "learning_rate", "val_loss", "val_accuracy")

DEFAULT_SMOOTHING = 0.6  # TensorBoard's default
MAX_SMOOTHING = 0.99
_MAX_CHUNK = 2048  # longest block of the vectorised moving average


def smooth(
    values: np.ndarray, weight: float, state: tuple[float, int] = (0.0, 0)
) -> tuple[np.ndarray, tuple[float, int]]:
    """TensorBoard's debiased exponential moving average of ``values`` (n,), continued.

    s_i = w*s_(i-1) + (1-w)*x_i from s = 0, shown as s_i / (1 - w**k) with k the number
    of values averaged so far, so the first points are not pulled towards 0. Non-finite
    values are skipped (they smooth to nan and do not poison what follows).
    ``state`` = (s, k) after the values already smoothed; returns (smoothed (n,), new
    state), so a live curve is extended without recomputing its past. Vectorised in
    blocks of m values: within a block s_j = w**(j+1)*s + (1-w)*w**j * cumsum(w**-i * x_i),
    with m chosen so that w**-m stays below 1e150 (no overflow, full precision).
    """
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"the smoothing weight must be in [0, 1), got {weight}")
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    x = values[finite]
    last, count = state
    if x.size == 0:
        return out, state
    if weight < 1e-6:
        out[finite] = x
        return out, (float(x[-1]), count + x.size)
    w = float(weight)
    chunk = int(min(_MAX_CHUNK, max(1.0, 150.0 / -np.log10(w))))
    inv = w ** -np.arange(chunk, dtype=np.float64)
    fwd = w ** np.arange(chunk, dtype=np.float64)
    result = np.empty(x.size)
    for start in range(0, x.size, chunk):
        block = x[start:start + chunk]
        k = block.size
        s = fwd[:k] * w * last + (1.0 - w) * fwd[:k] * np.cumsum(block * inv[:k])
        seen = count + start + 1 + np.arange(k)
        result[start:start + k] = s / (1.0 - w ** seen)
        last = float(s[-1])
    out[finite] = result
    return out, (last, count + x.size)


class Columns:
    """Growable float64 columns (capacity doubles), so appending a few points is O(new)."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = tuple(names)
        self._data = {name: np.empty(1024) for name in self._names}
        self.n = 0

    def append(self, arrays: dict[str, np.ndarray]) -> None:
        """Append m rows: ``arrays`` maps every column name to an (m,) array."""
        m = len(arrays[self._names[0]])
        need = self.n + m
        if need > len(self._data[self._names[0]]):
            size = max(need, 2 * len(self._data[self._names[0]]))
            for name in self._names:
                grown = np.empty(size)
                grown[:self.n] = self._data[name][:self.n]
                self._data[name] = grown
        for name in self._names:
            self._data[name][self.n:need] = arrays[name]
        self.n = need

    def __getitem__(self, name: str) -> np.ndarray:
        """A view of the filled part (do not keep it across appends)."""
        return self._data[name][:self.n]

    def clear(self) -> None:
        self.n = 0


def _nearest(xs: np.ndarray, x: float) -> int:
    """Index of the value of the sorted, non-empty ``xs`` nearest to ``x`` (ties: the left)."""
    i = int(np.searchsorted(xs, x))
    if i >= xs.size or (i > 0 and x - xs[i - 1] <= xs[i] - x):
        i -= 1
    return i


class RunHistory:
    """Every batch and epoch of the runs since the last :meth:`clear`, and their smoothing.

    Runs follow each other on one x axis: :meth:`begin_run` puts a new run's epoch 0 at
    the next whole epoch after the last batch held (``run_start``).
    """

    def __init__(self, smoothing: float = DEFAULT_SMOOTHING) -> None:
        self.batches = Columns(BATCH_COLUMNS + tuple(name + "_s" for name in SMOOTHED_COLUMNS))
        """Per-batch columns :data:`BATCH_COLUMNS`, and ``<name>_s`` smoothed (read only)."""
        self.epochs = Columns(EPOCH_COLUMNS)
        """Per-epoch columns :data:`EPOCH_COLUMNS` (read only)."""
        self.run_start = 0
        """Where the current run's epoch 0 sits on the x axis, in epochs."""
        self._weight = float(np.clip(smoothing, 0.0, MAX_SMOOTHING))
        self._states: dict[str, tuple[float, int]] = {}

    # -- adding -------------------------------------------------------------------------
    def add_batches(self, epoch_position, loss, data_loss, penalty, accuracy, lr) -> None:
        """Append B batches, all arrays (B,) (scalars count as B = 1).

        ``epoch_position``: epochs done as a float at the end of each batch (epoch index
        from 0 + (batch + 1) / batches, so batch 37 of 100 in the second epoch is 1.37);
        ``loss`` = ``data_loss`` + ``penalty``; ``accuracy`` a fraction 0..1; ``lr`` the
        learning rate used for the batch. Arrays of different lengths raise ValueError
        and add nothing.
        """
        arrays = [np.atleast_1d(np.asarray(a, dtype=np.float64)).ravel()
                  for a in (epoch_position, loss, data_loss, penalty, accuracy, lr)]
        if len({a.size for a in arrays}) != 1:
            raise ValueError(f"add_batches needs arrays of one length, got sizes "
                             f"{[a.size for a in arrays]}")
        if arrays[0].size == 0:
            return
        columns = dict(zip(BATCH_COLUMNS, arrays, strict=True))
        for name in SMOOTHED_COLUMNS:
            columns[name + "_s"], self._states[name] = smooth(
                columns[name], self._weight, self._states.get(name, (0.0, 0)))
        self.batches.append(columns)

    def add_epoch(self, epoch: int, val_loss: float, val_accuracy: float, loss: float,
                  accuracy: float) -> None:
        """Append the end of epoch ``epoch`` (1-based; at x = epoch).

        ``loss``/``accuracy`` are the training means over the epoch, the ``val_`` values
        the validation ones (accuracies as fractions 0..1; nan or None when there is no
        validation set).
        """
        values = [np.nan if v is None else float(v)
                  for v in (epoch, val_loss, val_accuracy, loss, accuracy)]
        self.epochs.append({k: np.array([v]) for k, v in zip(EPOCH_COLUMNS, values,
                                                              strict=True)})

    def begin_run(self) -> int:
        """Start a run after the ones held: returns (and keeps) its ``run_start``."""
        positions = self.batches["epoch_position"]
        finite = positions[np.isfinite(positions)]
        self.run_start = math.ceil(finite[-1]) if finite.size else 0
        return self.run_start

    def clear(self) -> None:
        """Forget every point (new weights); the smoothing weight stays."""
        self.batches.clear()
        self.epochs.clear()
        self._states.clear()
        self.run_start = 0

    # -- smoothing ----------------------------------------------------------------------
    @property
    def smoothing(self) -> float:
        """The moving-average weight w in [0, :data:`MAX_SMOOTHING`]."""
        return self._weight

    def set_smoothing(self, weight: float) -> None:
        """Use weight ``weight`` (clipped to [0, 0.99]) and re-smooth every batch series."""
        self._weight = float(np.clip(weight, 0.0, MAX_SMOOTHING))
        b = self.batches
        for name in SMOOTHED_COLUMNS:
            b[name + "_s"][:], self._states[name] = smooth(b[name], self._weight)

    # -- reading ------------------------------------------------------------------------
    def batch_data(self) -> dict[str, np.ndarray]:
        """Copies of the batch series, keys :data:`BATCH_COLUMNS`, each (n,)."""
        return {name: self.batches[name].copy() for name in BATCH_COLUMNS}

    def epoch_data(self) -> dict[str, np.ndarray]:
        """Copies of the epoch series, keys :data:`EPOCH_COLUMNS`, each (m,)."""
        return {name: self.epochs[name].copy() for name in EPOCH_COLUMNS}

    def smoothed(self, name: str) -> np.ndarray:
        """A copy of the smoothed batch series ``name`` (one of :data:`SMOOTHED_COLUMNS`)."""
        return self.batches[name + "_s"].copy()

    def has_penalty(self) -> bool:
        """Whether any batch had a finite penalty other than 0 (L1 or L2 was on)."""
        penalty = self.batches["penalty"]
        return bool(np.any(penalty[np.isfinite(penalty)] != 0))

    def last_whole_epoch(self) -> float:
        """The whole epoch at or after the last point held (1 when empty): the x axis end."""
        ends = [a[np.isfinite(a)] for a in (self.batches["epoch_position"],
                                            self.epochs["epoch"])]
        return max([1.0] + [float(np.ceil(a.max())) for a in ends if a.size])

    def nearest_batch(self, x: float) -> int | None:
        """Index of the batch whose position is nearest to ``x`` (None without batches)."""
        return _nearest(self.batches["epoch_position"], x) if self.batches.n else None

    def nearest_epoch(self, x: float) -> int | None:
        """Index of the epoch end nearest to ``x`` (None without epochs)."""
        return _nearest(self.epochs["epoch"], x) if self.epochs.n else None

    # -- CSV ----------------------------------------------------------------------------
    def csv_rows(self) -> list[list[str]]:
        """The CSV rows after the header (see the module docstring), batch and epoch rows
        sorted by position."""
        b, e = self.batches, self.epochs
        rows: list[tuple[float, int, list[str]]] = []
        for i in range(b.n):
            rows.append((b["epoch_position"][i], 0, [
                "batch", repr(float(b["epoch_position"][i])), "",
                *(repr(float(b[k][i])) for k in ("loss", "data_loss", "penalty", "accuracy",
                                                 "lr")),
                "", ""]))
        for i in range(e.n):
            epoch = float(e["epoch"][i])
            rows.append((epoch, 1, [
                "epoch", repr(epoch), str(int(epoch)), repr(float(e["loss"][i])), "", "",
                repr(float(e["accuracy"][i])), "", repr(float(e["val_loss"][i])),
                repr(float(e["val_accuracy"][i]))]))
        rows.sort(key=lambda r: (r[0], r[1]))
        return [r[2] for r in rows]

    def write_csv(self, path: str | Path) -> None:
        """Write every series to ``path`` as CSV: header :data:`CSV_COLUMNS`, then rows."""
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(self.csv_rows())
