"""One kept training run: what it was (read from its small ``run.json``) and, on demand,
its curves and checkpoints.

``run.json`` (format ``nnviz-run``, version 1)::

    {"format": "nnviz-run", "version": 1, "id": "20250612-101530-123456-a1b2",
     "name": "L1 0.001", "started": 1749723330.12 (Unix seconds), "duration": 61.5,
     "state": "finished",
     "dataset": {"name": "sample", "source": "...", "train": 3200, "validation": 800,
                 "test": 1000},
     "architecture": {...Sequential.get_config()...},
     "settings": {...every training setting, as the app gave them...},
     "start": {"kind": "fresh", "seed": 0} | {"kind": "current", "description": "..."}
              | {"kind": "checkpoint", "run": "<parent id>", "step": 200},
     "steps": 320, "epochs": 10, "params": 35754,
     "figures": {"val_loss": 0.31, "val_accuracy": 0.91, "best_val_accuracy": 0.92,
                 "best_epoch": 8, "zero_share": 0.0, ...test figures the app adds...},
     "zero_layers": ["conv2d_1", ...], "changes": [[step, "lr", 0.01], ...]}

``changes`` are the settings changed while the run trained: from the batch after
``step`` on, ``path`` had ``value``. Missing figures are null.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from core.data import Dataset
from core.model import Sequential, validation_split_index
from core.runs.curves import Curves, empty_curves, read_curves
from core.runs.files import (
    CHECKPOINT_INDEX,
    CURVES_FILE,
    RUN_FILE,
    RunFileError,
    checkpoint_file,
    read_arrays,
    read_json,
)
from core.runs.timeline import KINDS, Checkpoint
from core.safe_npz import ArraySpec

FORMAT = "nnviz-run"
CHECKPOINTS_FORMAT = "nnviz-run-checkpoints"
VERSION = 1
STATES = ("recording", "finished", "stopped", "failed")
"""``recording``: still training, or interrupted (the app closed or crashed) before its
end; the curves up to its last saved epoch end are kept."""


class CheckpointError(RunFileError):
    """A checkpoint that cannot be loaded: gone, damaged, or not of the run's network."""


@dataclass(frozen=True)
class DatasetInfo:
    """The data set a run trained on: its name ("sample", "mnist" ...), where it came
    from, and how many samples trained, validated and were held out for testing."""

    name: str
    source: str = ""
    train: int = 0
    validation: int = 0
    test: int = 0

    @classmethod
    def of(cls, dataset: Dataset, validation_split: float) -> DatasetInfo:
        """The sizes of ``dataset`` when ``validation_split`` of its training part
        validates (the last fraction, as training cuts it)."""
        n = len(dataset.y_train)
        cut = validation_split_index(n, validation_split)
        return cls(dataset.name, dataset.source, cut, n - cut, len(dataset.y_test))

    def to_json(self) -> dict:
        return {"name": self.name, "source": self.source, "train": self.train,
                "validation": self.validation, "test": self.test}


class StartWeights:
    """Which weights a run began with (see the three subclasses)."""

    def describe(self) -> str:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class FreshWeights(StartWeights):
    """Newly initialised weights, drawn with ``seed`` (None: unseeded)."""

    seed: int | None = None

    def describe(self) -> str:
        return "fresh weights" + (f" (seed {self.seed})" if self.seed is not None else "")

    def to_json(self) -> dict:
        return {"kind": "fresh", "seed": self.seed}


@dataclass(frozen=True)
class CurrentWeights(StartWeights):
    """The weights the model had, e.g. "the shipped pre-trained model"."""

    description: str = "the current weights"

    def describe(self) -> str:
        return self.description

    def to_json(self) -> dict:
        return {"kind": "current", "description": self.description}


@dataclass(frozen=True)
class CheckpointWeights(StartWeights):
    """The weights of run ``run`` after ``step`` batches: this run continues that one."""

    run: str
    step: int

    def describe(self) -> str:
        return f"step {self.step} of run {self.run}"

    def to_json(self) -> dict:
        return {"kind": "checkpoint", "run": self.run, "step": self.step}


def start_from_json(data: object, label: str) -> StartWeights:
    """The :class:`StartWeights` a ``run.json`` records."""
    kind = data.get("kind") if isinstance(data, dict) else None
    try:
        if kind == "fresh":
            seed = data.get("seed")
            return FreshWeights(None if seed is None else _integer(seed, "seed"))
        if kind == "current":
            return CurrentWeights(_text(data.get("description"), "description"))
        if kind == "checkpoint":
            return CheckpointWeights(_text(data.get("run"), "run"),
                                     _integer(data.get("step"), "step"))
    except ValueError as exc:
        raise RunFileError(f"{label}: its starting weights are unreadable ({exc})") from None
    raise RunFileError(f"{label}: its starting weights are unreadable")


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a text")
    return value


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number")
    return float(value)


class Run:
    """A stored run. Built from ``run.json`` alone; :attr:`batches`, :attr:`epochs` and
    :meth:`checkpoints` read their files the first time they are asked for.

    Attributes: ``id``, ``name``, ``started`` (Unix seconds), ``duration`` (seconds from
    start to the last save), ``state`` (:data:`STATES`), ``dataset``
    (:class:`DatasetInfo`), ``architecture`` (``Sequential.get_config()``), ``settings``
    (the training settings), ``start`` (:class:`StartWeights`), ``steps`` and
    ``epochs_done`` (batches and epochs trained), ``params`` (weights in the network),
    ``figures`` (final and best metrics, None where not measured), ``zero_layers``,
    ``changes`` ((step, setting, value) while it trained), ``folder``.
    """

    def __init__(self, folder: Path, data: dict) -> None:
        self.folder = Path(folder)
        label = f"run {self.folder.name}"
        self._label = label
        if data.get("format") != FORMAT:
            raise RunFileError(f"{label}: {RUN_FILE} is not an nnviz run file")
        if data.get("version") != VERSION:
            raise RunFileError(f"{label}: {RUN_FILE} has version {data.get('version')!r:.20}, "
                               f"which this nnviz does not read (it reads {VERSION})")
        try:
            self.id = _text(data.get("id"), "id")
            if self.id != self.folder.name:
                raise ValueError(f"it names the run {self.id!r:.40}")
            self.name = _text(data.get("name"), "name")
            self.started = _number(data.get("started"), "started")
            self.duration = _number(data.get("duration"), "duration")
            self.state = _text(data.get("state"), "state")
            if self.state not in STATES:
                raise ValueError(f"unknown state {self.state!r:.20}")
            dataset = data.get("dataset")
            if not isinstance(dataset, dict):
                raise ValueError("dataset must be an object")
            self.dataset = DatasetInfo(
                _text(dataset.get("name"), "dataset name"),
                _text(dataset.get("source", ""), "dataset source"),
                *(_integer(dataset.get(k, 0), f"dataset {k}")
                  for k in ("train", "validation", "test")))
            self.architecture = data.get("architecture")
            if not (isinstance(self.architecture, dict)
                    and isinstance(self.architecture.get("layers"), list)):
                raise ValueError("architecture must be a network config")
            self.settings = data.get("settings")
            if not isinstance(self.settings, dict):
                raise ValueError("settings must be an object")
            self.steps = _integer(data.get("steps"), "steps")
            self.epochs_done = _integer(data.get("epochs"), "epochs")
            self.params = _integer(data.get("params"), "params")
            figures = data.get("figures")
            if not isinstance(figures, dict):
                raise ValueError("figures must be an object")
            self.figures = {str(k): v if v is None or isinstance(v, int) and not isinstance(
                v, bool) else _number(v, f"figure {k}") for k, v in figures.items()}
            layers = data.get("zero_layers")
            if not isinstance(layers, list):
                raise ValueError("zero_layers must be a list")
            self.zero_layers = [_text(name, "a layer name") for name in layers]
            changes = data.get("changes", [])
            if not isinstance(changes, list) or not all(
                    isinstance(c, list) and len(c) == 3 for c in changes):
                raise ValueError("changes must be a list of [step, setting, value]")
            self.changes = [(_integer(s, "a change's step"), _text(p, "a setting"), v)
                            for s, p, v in changes]
        except ValueError as exc:
            raise RunFileError(f"{label}: {RUN_FILE} is damaged ({exc})") from None
        self.start = start_from_json(data.get("start"), label)
        self._data = data
        self._curves: tuple[Curves, Curves] | None = None
        self._checkpoints: list[Checkpoint] | None = None
        self._weight_shapes: dict[str, tuple[int, ...]] | None = None

    @classmethod
    def read(cls, folder: Path) -> Run:
        """The run stored in ``folder`` (RunFileError if its ``run.json`` is unusable)."""
        return cls(folder, read_json(Path(folder) / RUN_FILE,
                                     f"run {Path(folder).name}: {RUN_FILE}"))

    def to_json(self) -> dict:
        """The ``run.json`` this run was read from."""
        return dict(self._data)

    def __repr__(self) -> str:
        return (f"Run({self.id}, {self.name!r}, {self.state}, {self.steps} steps, "
                f"{self.epochs_done} epochs)")

    # -- the summary ------------------------------------------------------------------
    @property
    def started_at(self) -> datetime:
        """The start as a local, timezone-aware time."""
        return datetime.fromtimestamp(self.started).astimezone()

    @property
    def parent(self) -> tuple[str, int] | None:
        """(run id, step) of the checkpoint this run continued, or None."""
        if isinstance(self.start, CheckpointWeights):
            return self.start.run, self.start.step
        return None

    @property
    def best_val_accuracy(self) -> float | None:
        return self.figures.get("best_val_accuracy")

    @property
    def zero_share(self) -> float | None:
        """The share of kernel weights exactly 0 at the last epoch end."""
        return self.figures.get("zero_share")

    # -- the curves -------------------------------------------------------------------
    @property
    def batches(self) -> Curves:
        """Per-batch curves (see :mod:`core.runs.curves`); read on first use."""
        return self._load_curves()[0]

    @property
    def epochs(self) -> Curves:
        """Per-epoch curves (see :mod:`core.runs.curves`); read on first use."""
        return self._load_curves()[1]

    def _load_curves(self) -> tuple[Curves, Curves]:
        if self._curves is None:
            path = self.folder / CURVES_FILE
            if path.exists():
                self._curves = read_curves(path, len(self.zero_layers),
                                           f"{self._label}: {CURVES_FILE}")
            else:  # before its first epoch end
                self._curves = empty_curves(len(self.zero_layers))
        return self._curves

    # -- the checkpoints --------------------------------------------------------------
    def checkpoints(self) -> list[Checkpoint]:
        """The kept checkpoints in step order (the index is read on first use)."""
        if self._checkpoints is None:
            path = self.folder / CHECKPOINT_INDEX
            self._checkpoints = read_index(path, f"{self._label}: {CHECKPOINT_INDEX}") \
                if path.exists() else []
        return list(self._checkpoints)

    def weight_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every weight's name and shape, in ``named_params`` order, from the network."""
        if self._weight_shapes is None:
            self._weight_shapes = network_shapes(self.architecture, self._label)
        return dict(self._weight_shapes)

    def load_checkpoint(self, step: int) -> dict[str, np.ndarray]:
        """The weights kept after ``step`` batches: name -> float32 array, in
        ``named_params`` order. CheckpointError if there is none at that step, or its
        file is damaged or does not fit the run's network."""
        if not any(c.step == step for c in self.checkpoints()):
            kept = ", ".join(str(c.step) for c in self.checkpoints()[:12]) or "none"
            raise CheckpointError(f"{self._label} has no checkpoint at step {step} "
                                  f"(kept: {kept})")
        return read_checkpoint(self.folder, step, self.weight_shapes(), self._label)

    def model(self, step: int | None = None) -> Sequential:
        """A new, uncompiled network of this run with the weights of checkpoint ``step``
        (default: the last one)."""
        checkpoints = self.checkpoints()
        if step is None:
            if not checkpoints:
                raise CheckpointError(f"{self._label} has no checkpoint yet")
            step = checkpoints[-1].step
        weights = self.load_checkpoint(step)
        model = Sequential.from_config(self.architecture)
        model.set_weights(list(weights.values()))
        return model


def network_shapes(architecture: dict, label: str) -> dict[str, tuple[int, ...]]:
    """The weight shapes of the network ``architecture`` describes (nothing allocated)."""
    try:
        config = {k: v for k, v in architecture.items() if k != "input_shape"}
        shape = architecture.get("input_shape")
        if not shape:
            raise ValueError("it has no input shape")
        return Sequential.from_config(config).weight_shapes(tuple(shape))
    except (ValueError, TypeError) as exc:
        raise RunFileError(f"{label}: its network cannot be rebuilt ({exc})") from None


def read_index(path: Path, label: str) -> list[Checkpoint]:
    """Read a ``checkpoints.json``: the checkpoints in step order."""
    data = read_json(path, label)
    entries = data.get("checkpoints")
    if data.get("format") != CHECKPOINTS_FORMAT or not isinstance(entries, list):
        raise RunFileError(f"{label} is not a checkpoint index")
    try:
        checkpoints = [Checkpoint(_integer(e[0], "step"), _number(e[1], "position"),
                                  _text(e[2], "kind"))
                       for e in entries if isinstance(e, list) and len(e) == 3]
    except ValueError as exc:
        raise RunFileError(f"{label} is damaged ({exc})") from None
    if len(checkpoints) != len(entries) or any(c.kind not in KINDS for c in checkpoints):
        raise RunFileError(f"{label} is damaged (an entry is not [step, position, kind])")
    return sorted(checkpoints, key=lambda c: c.step)


def index_json(checkpoints: list[Checkpoint]) -> dict:
    """The ``checkpoints.json`` of ``checkpoints``."""
    return {"format": CHECKPOINTS_FORMAT, "version": VERSION,
            "checkpoints": [[c.step, c.position, c.kind] for c in checkpoints]}


def read_checkpoint(folder: Path, step: int, shapes: dict[str, tuple[int, ...]],
                    label: str) -> dict[str, np.ndarray]:
    """Read checkpoint ``step`` of the run in ``folder``, checked name by name and shape
    by shape against ``shapes`` (the network's weights) before anything is allocated."""
    path = checkpoint_file(folder, step)
    where = f"{label}: the checkpoint at step {step}"
    if not path.exists():
        raise CheckpointError(f"{where} is gone (thinned out or deleted); list the "
                              "checkpoints again")
    specs = {name: ArraySpec("f", shape, math.prod(shape) * 8) for name, shape in shapes.items()}
    try:
        arrays = read_arrays(path, specs, where)
    except RunFileError as exc:  # damaged, or other names or shapes than the network's
        raise CheckpointError(str(exc)) from None
    return {name: arrays[name].astype(np.float32, copy=False) for name in shapes}
