"""The numbers the Loss tab shows, computed by the engine's own losses (no Qt here).

Keeping this apart from the widgets means the plotted values are exactly what
``core.losses`` computes when the CNN trains, and they can be tested without a window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.functional import log_softmax, softmax
from core.losses import BinaryCrossentropy, categorical_crossentropy

N_CLASSES = 10


@dataclass(frozen=True)
class BinaryCurves:
    """Binary cross-entropy and squared error on a grid of probabilities, for y = 1 and y = 0.

    All arrays have the shape of ``p`` (M,).  ``*_unclipped`` are the textbook formulas
    without the eps clip: +inf where the log hits log(0) (NaN would appear for
    0·log 0, which the unclipped curves replace by the limit 0 so they can be drawn).
    """

    p: np.ndarray
    bce_y1: np.ndarray
    bce_y0: np.ndarray
    unclipped_y1: np.ndarray
    unclipped_y0: np.ndarray
    squared_y1: np.ndarray
    squared_y0: np.ndarray
    epsilon: float
    cap: float  # -log(eps): the largest loss the clip lets through

    def drawable_unclipped(self) -> tuple[np.ndarray, np.ndarray]:
        """The unclipped curves for y = 1 and y = 0 with +inf as NaN, so a plot leaves a gap."""
        return tuple(np.where(np.isfinite(c), c, np.nan)
                     for c in (self.unclipped_y1, self.unclipped_y0))


@dataclass(frozen=True)
class BinaryProbe:
    """Every binary-loss number at one probed probability p, for y = 1 and y = 0.

    ``clipped`` is p̂ = clip(p, eps, 1 − eps); ``bce_*`` the clipped cross-entropy;
    ``raw_*`` the textbook formula without the clip in IEEE arithmetic (+inf for −log 0,
    NaN for 0·log 0); ``squared_*`` the squared error (y − p)².
    """

    p: float
    epsilon: float
    clipped: float
    bce_y1: float
    bce_y0: float
    raw_y1: float
    raw_y0: float
    squared_y1: float
    squared_y0: float

    @property
    def raw_finite(self) -> bool:
        """Whether the unclipped formula gives finite losses for both labels."""
        return math.isfinite(self.raw_y1) and math.isfinite(self.raw_y0)


def binary_probe(epsilon: float, p: float) -> BinaryProbe:
    """The binary losses at one p in [0, 1], clipped with ``epsilon`` and unclipped."""
    curves = binary_curves(epsilon, np.array([p], dtype=np.float64))
    return BinaryProbe(
        p=float(p),
        epsilon=float(epsilon),
        clipped=min(max(float(p), epsilon), 1.0 - epsilon),
        bce_y1=float(curves.bce_y1[0]),
        bce_y0=float(curves.bce_y0[0]),
        raw_y1=float(unclipped_bce(1.0, p)),
        raw_y0=float(unclipped_bce(0.0, p)),
        squared_y1=float(curves.squared_y1[0]),
        squared_y0=float(curves.squared_y0[0]),
    )


def probability_grid(epsilon: float, n_linear: int = 801, n_log: int = 160) -> np.ndarray:
    """Probabilities in [0, 1], shape (M,): an even grid plus log-spaced points near 0 and 1.

    The log-spaced points (down to eps / 100) let the steep ends of -log p reach the clip
    on a linear axis; p = eps and p = 1 - eps are included exactly.
    """
    lo = max(epsilon / 100.0, 1e-300)
    near_zero = np.geomspace(lo, 0.02, n_log)
    grid = np.concatenate(
        [np.linspace(0.0, 1.0, n_linear), near_zero, 1.0 - near_zero, [epsilon, 1.0 - epsilon]]
    )
    return np.unique(np.clip(grid, 0.0, 1.0))


def binary_curves(epsilon: float, p: np.ndarray | None = None) -> BinaryCurves:
    """Clipped and unclipped binary cross-entropy and squared error for y = 1 and y = 0."""
    if not 0.0 < epsilon < 0.5:
        raise ValueError(f"eps must lie in (0, 0.5), got {epsilon}")
    if p is None:
        p = probability_grid(epsilon)
    bce = BinaryCrossentropy(epsilon=epsilon)
    ones, zeros = np.ones_like(p), np.zeros_like(p)
    return BinaryCurves(
        p=p,
        bce_y1=bce.elementwise(ones, p),
        bce_y0=bce.elementwise(zeros, p),
        unclipped_y1=unclipped_bce(1.0, p, limit_zero_times_log=True),
        unclipped_y0=unclipped_bce(0.0, p, limit_zero_times_log=True),
        squared_y1=(1.0 - p) ** 2,
        squared_y0=p**2,
        epsilon=epsilon,
        cap=float(-np.log(epsilon)),
    )


def unclipped_bce(
    y: float, p: np.ndarray | float, limit_zero_times_log: bool = False
) -> np.ndarray:
    """-(y log p + (1 - y) log(1 - p)) with no clip: what log(0) does to the loss.

    IEEE arithmetic gives +inf where the weighted log is log(0), and NaN for 0·log(0)
    (0 · -inf).  With ``limit_zero_times_log`` the 0·log 0 terms are taken as their limit
    0 instead, as a plotted curve needs.
    """
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p, log_q = np.log(p), np.log(1.0 - p)
        if limit_zero_times_log:
            first = np.where(y == 0.0, 0.0, y * log_p)
            second = np.where(y == 1.0, 0.0, (1.0 - y) * log_q)
        else:
            first, second = y * log_p, (1.0 - y) * log_q
        return -(first + second)


@dataclass(frozen=True)
class SoftmaxReadout:
    """Softmax + categorical cross-entropy of one score vector, everything shape (K,).

    ``probabilities`` = softmax(z / T); ``neg_log_p`` = -log p_k for every class (the loss
    is the true class's entry); ``gradient`` = p - y, the gradient w.r.t. the scaled
    scores z / T; ``gradient_logits`` = (p - y) / T, the gradient w.r.t. z itself.
    """

    logits: np.ndarray
    temperature: float
    true_class: int
    scaled: np.ndarray
    probabilities: np.ndarray
    neg_log_p: np.ndarray
    loss: float
    gradient: np.ndarray
    gradient_logits: np.ndarray

    @property
    def one_hot(self) -> np.ndarray:
        """The target y, one-hot on the true class, (K,)."""
        y = np.zeros_like(self.probabilities)
        y[self.true_class] = 1.0
        return y

    @property
    def shift(self) -> float:
        """m = max_k z_k / T, subtracted before exp so that no exp overflows."""
        return float(np.max(self.scaled))

    @property
    def denominator(self) -> float:
        """Σ_j exp(z_j / T − m), the softmax's normaliser after the shift."""
        return float(np.sum(np.exp(self.scaled - self.shift)))

    @property
    def top_other(self) -> int:
        """The most probable class that is not the true one."""
        p = self.probabilities.copy()
        p[self.true_class] = -np.inf
        return int(np.argmax(p))


def softmax_readout(
    logits: np.ndarray, true_class: int, temperature: float = 1.0
) -> SoftmaxReadout:
    """Probabilities, per-class -log p, the loss and its gradient for scores z (K,)."""
    z = np.asarray(logits, dtype=np.float64).reshape(-1)
    k = z.size
    if not 0 <= true_class < k:
        raise ValueError(f"true class must be in 0..{k - 1}, got {true_class}")
    if not temperature > 0.0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    scaled = z / temperature
    y = np.zeros((1, k))
    y[0, true_class] = 1.0
    row = scaled[None, :]
    gradient = categorical_crossentropy.gradient_from_logits(y, row)[0]  # (p - y) / N, N = 1
    return SoftmaxReadout(
        logits=z,
        temperature=float(temperature),
        true_class=int(true_class),
        scaled=scaled,
        probabilities=softmax(row)[0],
        neg_log_p=-log_softmax(row)[0],
        loss=categorical_crossentropy.from_logits(y, row),
        gradient=gradient,
        gradient_logits=gradient / temperature,
    )


def validate_scores(logits: np.ndarray, n_classes: int = N_CLASSES) -> np.ndarray:
    """Scores as a float64 vector (n_classes,), or a ValueError that says what is wrong."""
    z = np.asarray(logits, dtype=np.float64)
    if z.size != n_classes or (z.ndim > 1 and max(z.shape) != z.size):
        raise ValueError(f"expected {n_classes} scores, got an array of shape {z.shape}")
    z = z.reshape(n_classes)
    if not np.all(np.isfinite(z)):
        raise ValueError("the scores contain inf or NaN")
    return z
