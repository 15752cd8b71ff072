"""The Inside tab's state, kept without Qt: what it looks at, for which input, and why.

:class:`InsideState` holds the model the tab was given (never a copy of its own: the
session keeps that model's weights current), the network's stages, the digits to choose
from and the chosen one, every stage's output for that input, the value hovered and the
value pinned, the kernel-norm history of the snapshots seen so far and whether the
pictures are out of date while the tab is hidden. The tab's views only show what it
holds; everything here is testable without a QApplication.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from core import saliency
from core.data import as_network_input
from core.diagnostics import ParamStats, Snapshot, param_stats
from core.model import Sequential
from nnviz.tabs.inside.stages import (
    Explanation,
    Stage,
    StageKind,
    explain,
    network_stages,
    stage_outputs,
)

DRAWN = "drawn"
"""The choice of the digit drawn on the Draw tab (the other choices are strip slots)."""
PER_PAGE = 20
"""Digits on the picker's strip: two of each class."""
PREDICT_EVERY = 1.0
"""Seconds between updates of the strip's guesses while training runs: a forward pass of
20 digits is the costliest part of a refresh."""
MAX_UNIT_PICTURES = 24
"""Most units of a dense layer whose weights the filter grids draw as pictures."""
MAX_POINTS = 20000
"""Most steps a :class:`NormHistory` keeps before it drops every other one."""

class ViewModel(Protocol):
    """What the tab needs of a model: a Sequential, or the session's standardising wrapper."""

    layers: list
    input_shape: tuple[int, ...] | None

    def named_params(self) -> dict[str, np.ndarray]: ...
    def activations(self, x: np.ndarray) -> list[np.ndarray]: ...
    def predict(self, x: np.ndarray) -> np.ndarray: ...
    def count_params(self) -> int: ...


Target = tuple[int, tuple[int, ...]]
"""(stage index, index into that stage's per-sample output)."""
Choice = int | str | None
"""A slot on the strip (0-based), :data:`DRAWN`, or None (nothing chosen)."""


def page_indices(labels: np.ndarray, page: int, per_class: int = 2,
                 per_page: int = PER_PAGE) -> np.ndarray:
    """Indices of the digits on ``page``: the next ``per_class`` of each class (in order),
    or a plain slice of ``per_page`` when the labels are not 10 well-filled classes."""
    labels = np.asarray(labels).reshape(-1)
    n = len(labels)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    classes = np.unique(labels)
    by_class = [np.flatnonzero(labels == c) for c in classes]
    pages = min(len(ix) for ix in by_class) // per_class
    if len(classes) * per_class != per_page or pages == 0:
        pages = max(-(-n // per_page), 1)
        start = (page % pages) * per_page
        return np.arange(start, min(start + per_page, n))
    page %= pages
    chosen = [ix[page * per_class:(page + 1) * per_class] for ix in by_class]
    return np.stack(chosen, axis=1).reshape(-1)  # 0 1 2 ... 9 0 1 2 ... 9


class NormHistory:
    """Kernel norms per layer over optimizer steps (grows by doubling; thinned past a cap).

    ``steps`` (n,) and, per layer name, ``weight`` / ``grad`` (n,) float64 arrays.
    A snapshot with a smaller step than the last one starts a new history (a new run).
    """

    def __init__(self, layers: list[str]) -> None:
        self.layers = list(layers)
        self.clear()

    def clear(self) -> None:
        self._n = 0
        self._steps = np.zeros(256)
        self._weight = np.full((len(self.layers), 256), np.nan)
        self._grad = np.full((len(self.layers), 256), np.nan)

    def __len__(self) -> int:
        return self._n

    def append(self, snapshot: Snapshot) -> None:
        """Add the kernel norms of ``snapshot`` (layers without stats get NaN)."""
        if self._n and snapshot.step < self._steps[self._n - 1]:
            self.clear()
        if self._n and snapshot.step == self._steps[self._n - 1]:
            self._n -= 1  # the same step again (e.g. epoch end right after a batch): replace
        if self._n == len(self._steps):
            if self._n >= MAX_POINTS:
                keep = slice(0, self._n, 2)
                half = len(self._steps[keep])
                self._steps[:half] = self._steps[keep]
                self._weight[:, :half] = self._weight[:, keep]
                self._grad[:, :half] = self._grad[:, keep]
                self._n = half
            else:
                self._steps = np.concatenate([self._steps, np.zeros(self._n)])
                pad = np.full((len(self.layers), self._n), np.nan)
                self._weight = np.concatenate([self._weight, pad], axis=1)
                self._grad = np.concatenate([self._grad, pad], axis=1)
        k = self._n
        self._steps[k] = snapshot.step
        for i, layer in enumerate(self.layers):
            stats = snapshot.stats.get(f"{layer}.W")
            self._weight[i, k] = stats.weight_norm if stats is not None else np.nan
            self._grad[i, k] = stats.grad_norm if stats is not None else np.nan
        self._n += 1

    @property
    def steps(self) -> np.ndarray:
        return self._steps[: self._n]

    def weight(self, layer: str) -> np.ndarray:
        return self._weight[self.layers.index(layer), : self._n]

    def grad(self, layer: str) -> np.ndarray:
        return self._grad[self.layers.index(layer), : self._n]


class InsideState:
    """Everything the Inside tab shows, and the arithmetic behind it.

    The model is used as given (``set_model``): a caller that trains elsewhere keeps
    its weights current before :meth:`record` is called with the snapshot they came from
    (the session's view model is such a model). Only ever touch it from one thread.
    """

    def __init__(self) -> None:
        self.model: ViewModel | None = None
        self.stages: list[Stage] = []
        self.history = NormHistory([])
        self.stats: dict[str, ParamStats] = {}
        self.snapshot_step: tuple[int, int] | None = None  # (step, epoch) of the last snapshot
        self.samples = np.zeros((0, 28, 28), dtype=np.uint8)
        self.labels = np.zeros(0, dtype=np.int64)
        self.page = 0
        self.shown = np.zeros(0, dtype=np.int64)
        self.choice: Choice = None
        self.drawn: np.ndarray | None = None
        self.input: np.ndarray | None = None           # (C, H, W) float32
        self.activations: list[np.ndarray] | None = None
        self.outputs: list[np.ndarray] | None = None
        self.hover: Target | None = None
        self.pin: Target | None = None
        self.dirty = False
        self.predicted_at = -np.inf

    # -- the model ------------------------------------------------------------------------
    def set_model(self, model: ViewModel) -> None:
        """Look inside ``model``; clears the history, the hover and the pin."""
        self.model = model
        self.stages = network_stages(model)
        self.history = NormHistory(self.weighted_layers)
        self.stats = {name: param_stats(name, p, None)
                      for name, p in model.named_params().items()}
        self.snapshot_step = None
        self.hover = self.pin = None
        self.activations = self.outputs = None
        self.predicted_at = -np.inf
        self._load_input()

    def stage(self, name: str) -> Stage:
        """The stage whose first layer is called ``name``."""
        return next(s for s in self.stages if s.name == name)

    @property
    def conv_layers(self) -> list[str]:
        """Names of the convolution stages, in network order."""
        return [s.name for s in self.stages if s.kind is StageKind.CONV]

    @property
    def weighted_layers(self) -> list[str]:
        """Names of the stages whose first layer has a kernel ``W``, in network order."""
        return [s.name for s in self.stages
                if s.main is not None and "W" in self.model.layers[s.main].params]

    @property
    def filter_layers(self) -> list[str]:
        """The layers the filter grids show: every convolution; in a network without any,
        the first Dense layer when it reads the flattened digit itself (each unit's
        weights are then a picture over the input's pixels)."""
        if self.conv_layers:
            return self.conv_layers
        dense = next((s for s in self.stages if s.kind is StageKind.DENSE), None)
        if (dense is not None and dense.index >= 2
                and self.stages[dense.index - 1].kind is StageKind.FLATTEN
                and self.stages[dense.index - 2].kind is StageKind.INPUT):
            return [dense.name]
        return []

    def filter_kernels(self, name: str) -> np.ndarray:
        """Layer ``name``'s weights as pictures (F, C, kh, kw): a conv kernel as it is; a
        dense layer's as one input-shaped picture for each of its first
        :data:`MAX_UNIT_PICTURES` units, W (inputs, units) -> (units, C, H, W) (a copy)."""
        w = self.kernel(name)
        if w.ndim == 4:
            return w
        units = min(w.shape[1], MAX_UNIT_PICTURES)
        return w[:, :units].T.reshape(units, *self.model.input_shape)

    def kernel(self, name: str) -> np.ndarray:
        """The model's own kernel array of layer ``name`` (read it, never write it)."""
        return self.model.layers[self.stage(name).main].params["W"]

    def kernel_sizes(self) -> dict[str, int]:
        """Number of kernel weights of every weighted layer."""
        return {name: int(self.kernel(name).size) for name in self.weighted_layers}

    def fits(self, snapshot: Snapshot) -> bool:
        """Whether ``snapshot`` holds exactly the model's weights (names and shapes)."""
        if self.model is None:
            return False
        params = self.model.named_params()
        return set(snapshot.weights) == set(params) and all(
            snapshot.weights[k].shape == p.shape for k, p in params.items())

    def record(self, snapshot: Snapshot) -> bool:
        """Add ``snapshot``'s statistics to the history; False (nothing changes) when it
        does not fit the model."""
        if not self.fits(snapshot):
            return False
        self.history.append(snapshot)
        self.stats = dict(snapshot.stats)
        self.snapshot_step = (snapshot.step, snapshot.epoch)
        return True

    def caption(self) -> str:
        """Which weights are shown, for the line under the network."""
        if self.model is None:
            return ""
        if self.snapshot_step is None:
            return (f"{self.model.count_params():,} parameters · weights as loaded "
                    "(no training snapshot yet)")
        step, epoch = self.snapshot_step
        return f"Weights of training step {step:,} (epoch {epoch + 1})."

    # -- the inputs ------------------------------------------------------------------------
    def set_samples(self, images: np.ndarray, labels: np.ndarray) -> None:
        """The digits to choose from, (N, H, W) uint8 and (N,) labels; shows the first page
        (the choice stays on its slot, or moves to slot 0)."""
        images = np.asarray(images)
        labels = np.asarray(labels).reshape(-1)
        if images.ndim != 3 or len(images) != len(labels):
            raise ValueError(f"expected images (N, H, W) and N labels, got {images.shape} "
                             f"and {labels.shape}")
        self.samples, self.labels = images, labels.astype(np.int64)
        self.page = -1
        self.next_page()

    def next_page(self) -> None:
        """The next ~20 digits (wrapping around); a chosen slot stays the same slot."""
        self.page += 1
        self.shown = page_indices(self.labels, self.page)
        if self.choice != DRAWN:
            slot = self.choice if isinstance(self.choice, int) else 0
            self.choice = (slot if slot < len(self.shown) else 0) if len(self.shown) else None
        self._load_input()

    def choose(self, choice: Choice) -> bool:
        """Choose slot ``choice`` of the strip, :data:`DRAWN` or None; True when it changed.

        Raises IndexError for a slot not on the strip, ValueError for anything else.
        """
        if isinstance(choice, int | np.integer) and not isinstance(choice, bool):
            if not 0 <= int(choice) < len(self.shown):
                raise IndexError(f"slot {choice} is not on the strip ({len(self.shown)} digits)")
            choice = int(choice)
        elif choice not in (None, DRAWN):
            raise ValueError(f"unknown choice {choice!r}")
        if choice == self.choice:
            return False
        self.choice = choice
        self._load_input()
        return True

    def selected_sample(self) -> int | None:
        """The index into the samples of the chosen digit (None for drawn / nothing)."""
        return int(self.shown[self.choice]) if isinstance(self.choice, int) else None

    def set_drawn(self, image: np.ndarray | None) -> bool:
        """The Draw tab's (H, W) input in [0, 1] (None: the canvas is empty); True when the
        drawn digit is the chosen input (so the maps must follow)."""
        if image is not None:
            image = np.asarray(image, dtype=np.float32)
            if image.ndim != 2:
                raise ValueError(f"expected a 2-D image, got shape {image.shape}")
            image = image.copy()
        self.drawn = image
        if self.choice != DRAWN:
            return False
        self._load_input()
        return True

    def _load_input(self) -> None:
        image = None
        if self.choice == DRAWN:
            image = self.drawn
        elif (sample := self.selected_sample()) is not None:
            image = as_network_input(self.samples[sample: sample + 1])[0, 0]
        self.input = None if image is None else np.asarray(image, np.float32)[None].copy()

    def why_maps(self) -> tuple[list[saliency.Explanation], saliency.Explanation | None] | None:
        """The "Why?" map (:func:`core.saliency.explain_many`: which ink pushed toward the
        answer, which toward the runner-up) of every digit on the strip, and of the drawn
        digit (None without one); None when the model cannot be explained this way (not a
        plain model of 1×28×28 digits)."""
        model = self.model
        if not isinstance(model, Sequential) or tuple(model.input_shape or ()) != (1, 28, 28):
            return None
        images = as_network_input(self.samples[self.shown])[:, 0]
        if self.drawn is not None and self.drawn.shape == (28, 28):
            images = np.concatenate([images, self.drawn[None]])
        maps = saliency.explain_many(model, images)
        if self.drawn is not None and self.drawn.shape == (28, 28):
            return maps[:-1], maps[-1]
        return maps, None

    def input_fits(self) -> bool:
        return (self.model is not None and self.input is not None
                and tuple(self.input.shape) == tuple(self.model.input_shape))

    def input_problem(self) -> str:
        """Why there are no maps to show ("" when there are)."""
        if self.input_fits():
            return ""
        if self.choice == DRAWN:
            return "The canvas on the Draw tab is empty: draw a digit there."
        if self.input is None:
            return "Choose an input digit above."
        return "This input does not fit the model's input shape."

    def run_forward(self) -> bool:
        """Every stage's output for the chosen input (one forward pass); False when there
        is no model or the input does not fit it (``outputs`` is then None)."""
        if not self.input_fits():
            self.activations = self.outputs = None
            return False
        self.activations = self.model.activations(self.input[None])
        self.outputs = stage_outputs(self.stages, self.input, self.activations)
        return True

    # -- the strip's guesses ------------------------------------------------------------
    def prediction_wait(self, now: float) -> float:
        """Seconds until the strip's guesses may be updated again (0: now)."""
        return max(self.predicted_at + PREDICT_EVERY - now, 0.0)

    def predictions(self, now: float) -> np.ndarray | None:
        """The model's guesses (len(shown),) for the digits on the strip, None when there
        is no model, no digit or they do not fit it; ``now`` is remembered for
        :meth:`prediction_wait`."""
        self.predicted_at = now
        if self.model is None or not len(self.shown):
            return None
        x = as_network_input(self.samples[self.shown])
        if tuple(x.shape[1:]) != tuple(self.model.input_shape):
            return None
        return self.model.predict(x).argmax(axis=1)

    # -- hover and pin ----------------------------------------------------------------------
    def set_hover(self, target: Target | None) -> bool:
        """The value under the mouse; True when the explanation shown changes with it
        (nothing is pinned)."""
        self.hover = target
        return self.pin is None

    def set_pin(self, target: Target | None) -> None:
        """Pin ``target`` (None: release the pin); a pinned value is also the hovered one."""
        self.pin = target
        if target is not None:
            self.hover = target

    @property
    def target(self) -> Target | None:
        """The value explained: the pinned one, else the hovered one."""
        return self.pin or self.hover

    def explanation(self) -> Explanation | None:
        """How the explained value was computed (None: nothing to explain)."""
        target = self.target
        if target is None or self.outputs is None or target[0] >= len(self.stages):
            return None
        stage, index = target
        return explain(self.model, self.stages, self.outputs, self.activations, stage, index)

    @staticmethod
    def filter_of(explanation: Explanation | None) -> tuple[str, int] | None:
        """(conv layer, filter index) that computed an explained conv pixel, else None."""
        if explanation is None or explanation.kind is not StageKind.CONV:
            return None
        return explanation.stage.name, explanation.index[0]

    # -- hidden tab --------------------------------------------------------------------------
    def take_dirty(self) -> bool:
        """Whether the pictures went out of date while hidden; clears the mark."""
        dirty, self.dirty = self.dirty, False
        return dirty
