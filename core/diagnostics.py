"""Statistics for the views: per-layer norms, histograms, zero fractions, update ratios.

Computed on the training thread between batches and handed to the GUI as small immutable
snapshots, so views never read arrays that an optimizer is writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.model import Sequential

HISTOGRAM_BINS = 40


@dataclass(frozen=True)
class ParamStats:
    """Statistics of one weight array ``"<layer>.<key>"`` and its latest gradient.

    histogram: (counts (bins,), edges (bins + 1,)); update_ratio: ‖Δw‖ / ‖w‖ since the
    previous snapshot (NaN for the first one); zero_fraction: share of entries exactly 0.
    """

    name: str
    layer: str
    shape: tuple[int, ...]
    weight_norm: float
    grad_norm: float
    update_ratio: float
    zero_fraction: float
    mean: float
    std: float
    min: float
    max: float
    histogram: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Snapshot:
    """A copy of the model's weights plus statistics, taken at optimizer step ``step``.

    weights: name -> array copy; stats: name -> :class:`ParamStats` (kernels and biases);
    state: name -> copy of each non-trained array (BatchNormalization's moving statistics,
    which inference uses), keyed like ``Sequential.named_state``.
    """

    step: int
    epoch: int
    weights: dict[str, np.ndarray]
    stats: dict[str, ParamStats]
    state: dict[str, np.ndarray] = field(default_factory=dict)

    def zero_fractions(self) -> dict[str, float]:
        """Layer name -> fraction of its kernel entries that are exactly zero."""
        return {s.layer: s.zero_fraction for s in self.stats.values() if s.name.endswith(".W")}


def param_stats(name: str, w: np.ndarray, grad: np.ndarray | None,
                previous: np.ndarray | None = None, bins: int = HISTOGRAM_BINS) -> ParamStats:
    """Statistics of one weight array (and optionally its gradient and previous value)."""
    w64 = w.astype(np.float64, copy=False)
    norm = float(np.linalg.norm(w64))
    if previous is not None and previous.shape == w.shape and norm > 0:
        ratio = float(np.linalg.norm(w64 - previous) / norm)
    else:
        ratio = float("nan")
    lo, hi = float(w64.min()), float(w64.max())
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(w64, bins=bins, range=(lo, hi))
    return ParamStats(
        name=name, layer=name.rsplit(".", 1)[0], shape=tuple(w.shape), weight_norm=norm,
        grad_norm=float(np.linalg.norm(grad)) if grad is not None else float("nan"),
        update_ratio=ratio, zero_fraction=float(np.mean(w == 0)),
        mean=float(w64.mean()), std=float(w64.std()), min=float(w64.min()),
        max=float(w64.max()), histogram=(counts, edges))


def take_snapshot(model: Sequential, epoch: int = 0,
                  previous: Snapshot | None = None) -> Snapshot:
    """Copy the weights and compute every parameter's statistics (update ratios against
    ``previous``). Call it on the thread that trains."""
    params, grads = model.named_params(), model.named_grads()
    weights = {name: p.copy() for name, p in params.items()}
    old = previous.weights if previous is not None else {}
    stats = {name: param_stats(name, weights[name], grads.get(name), old.get(name))
             for name in weights}
    step = model.optimizer.iterations if model.optimizer is not None else 0
    state = {name: a.copy() for name, a in model.named_state().items()}
    return Snapshot(step, epoch, weights, stats, state)
