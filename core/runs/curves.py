"""A run's metrics: one row per batch and one per epoch, kept as columns.

Batch columns (:data:`BATCH_FIELDS`): ``step`` (batches of the run so far, from 1),
``position`` (epochs done as a float: epoch index from 0 + (batch + 1) / batches),
``loss`` (= ``data_loss`` + ``penalty``), ``data_loss``, ``penalty``, ``accuracy``
(a fraction 0..1) and ``lr`` (the learning rate the batch used).

Epoch columns (:data:`EPOCH_FIELDS`): ``epoch`` (1-based), ``step`` (the run's step at
the epoch's end), ``time`` (seconds since the run started), the epoch means ``loss``,
``data_loss``, ``penalty``, ``accuracy``, the validation ``val_loss`` and
``val_accuracy`` (NaN without a validation set), ``zero_share`` (the share of kernel
weights exactly 0, over every kernel) and ``zero_share_by_layer`` (E, L): the same for
each kernel layer (their names are the run's ``zero_layers``).

CSV (:func:`csv_rows`): one row per batch and one per epoch, in time order (an epoch row
follows the batch that ended it). Columns ``row`` (``batch`` or ``epoch``), ``step``,
``epoch_position``, ``epoch``, ``loss``, ``data_loss``, ``penalty``, ``accuracy``,
``learning_rate``, ``val_loss``, ``val_accuracy``, ``zero_share``; an empty cell is "not
measured in this row", ``nan``/``inf`` are real values (a diverged batch).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from core.atomic_file import atomic_write
from core.runs.files import RunFileError, read_arrays, write_arrays
from core.safe_npz import ArraySpec

BATCH_FIELDS = ("step", "position", "loss", "data_loss", "penalty", "accuracy", "lr")
EPOCH_FIELDS = ("epoch", "step", "time", "loss", "data_loss", "penalty", "accuracy",
                "val_loss", "val_accuracy", "zero_share")
BY_LAYER = "zero_share_by_layer"
CSV_COLUMNS = ("row", "step", "epoch_position", "epoch", "loss", "data_loss", "penalty",
               "accuracy", "learning_rate", "val_loss", "val_accuracy", "zero_share")
MAX_ROWS = 10_000_000
"""The most batches (or epochs) a curves file may declare."""


class Curves(Mapping):
    """Read-only columns of equal length: ``curves["loss"]`` is an (n,) float64 array
    (``zero_share_by_layer`` is (n, L)); ``rows`` is n."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        lengths = {len(column) for column in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"curves of different lengths: {sorted(lengths)}")
        self._columns = {}
        for name, column in columns.items():
            view = np.asarray(column).view()
            view.flags.writeable = False
            self._columns[name] = view
        self.rows = lengths.pop() if lengths else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"Curves({self.rows} rows: {', '.join(self._columns)})"


def empty_curves(n_layers: int) -> tuple[Curves, Curves]:
    """Batch and epoch curves without a row (a run before its first epoch end)."""
    epochs = {name: np.zeros(0) for name in EPOCH_FIELDS}
    epochs[BY_LAYER] = np.zeros((0, n_layers))
    return Curves({name: np.zeros(0) for name in BATCH_FIELDS}), Curves(epochs)


def write_curves(path: Path, batches: np.ndarray, epochs: np.ndarray,
                 by_layer: np.ndarray) -> None:
    """Write the rows held so far: ``batches`` (B, len(BATCH_FIELDS)), ``epochs``
    (E, len(EPOCH_FIELDS)), ``by_layer`` (E, L), all float64."""
    arrays = {f"batch.{name}": np.ascontiguousarray(batches[:, i])
              for i, name in enumerate(BATCH_FIELDS)}
    arrays.update({f"epoch.{name}": np.ascontiguousarray(epochs[:, i])
                   for i, name in enumerate(EPOCH_FIELDS)})
    arrays[f"epoch.{BY_LAYER}"] = np.ascontiguousarray(by_layer)
    write_arrays(path, arrays)


def read_curves(path: Path, n_layers: int, label: str) -> tuple[Curves, Curves]:
    """Read a curves file: (batch curves, epoch curves); RunFileError if it is damaged or
    its columns do not agree."""
    column = ArraySpec("f", (None,), MAX_ROWS * 8)
    specs = {f"batch.{name}": column for name in BATCH_FIELDS}
    specs.update({f"epoch.{name}": column for name in EPOCH_FIELDS})
    specs[f"epoch.{BY_LAYER}"] = ArraySpec("f", (None, n_layers), MAX_ROWS * 8 * max(n_layers, 1))
    arrays = read_arrays(path, specs, label)
    try:
        batches = Curves({name: arrays[f"batch.{name}"].astype(np.float64, copy=False)
                          for name in BATCH_FIELDS})
        epochs = Curves({name: arrays[f"epoch.{name}"].astype(np.float64, copy=False)
                         for name in (*EPOCH_FIELDS, BY_LAYER)})
    except ValueError as exc:
        raise RunFileError(f"{label} is corrupt: its {exc}") from None
    return batches, epochs


def _cell(value: float) -> str:
    return repr(float(value))


def csv_rows(batches: Curves, epochs: Curves) -> list[list[str]]:
    """The CSV rows after the header (see the module docstring), in time order."""
    rows: list[tuple[float, int, list[str]]] = []
    for i in range(batches.rows):
        position = batches["position"][i]
        rows.append((batches["step"][i], 0, [
            "batch", str(int(batches["step"][i])), _cell(position), "",
            *(_cell(batches[k][i]) for k in ("loss", "data_loss", "penalty", "accuracy", "lr")),
            "", "", ""]))
    for i in range(epochs.rows):
        rows.append((epochs["step"][i], 1, [
            "epoch", str(int(epochs["step"][i])), _cell(epochs["epoch"][i]),
            str(int(epochs["epoch"][i])),
            *(_cell(epochs[k][i]) for k in ("loss", "data_loss", "penalty", "accuracy")), "",
            *(_cell(epochs[k][i]) for k in ("val_loss", "val_accuracy", "zero_share"))]))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


def write_csv(path: str | Path, batches: Curves, epochs: Curves) -> Path:
    """Write the curves to ``path`` as CSV (header :data:`CSV_COLUMNS`), atomically."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(batches, epochs))
    payload = text.getvalue().encode("utf-8")
    return atomic_write(path, lambda f: f.write(payload))
