"""Weight penalties added to the loss: L1 (Lasso), L2 (Ridge, weight decay) and both.

A regularizer is called on a weight array and returns the penalty (a float) that is
added to the reported loss; :meth:`Regularizer.gradient` gives its derivative, which the
layer adds to the weight's gradient. As in Keras the penalty is *not* divided by the
batch size: J = J0 + l1·Σ|w| + l2·Σw².
"""

from __future__ import annotations

import numpy as np

from core.checks import real


class Regularizer:
    """J = l1·Σ|w| + l2·Σw²; the strengths are plain attributes, so they can change mid-run."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = real(l1, "the L1 strength", low=0.0)
        self.l2 = real(l2, "the L2 strength", low=0.0)

    def __call__(self, w: np.ndarray) -> float:
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * float(np.abs(w).sum())
        if self.l2:
            penalty += self.l2 * float(np.square(w).sum())
        return penalty

    def gradient(self, w: np.ndarray) -> np.ndarray:
        """d penalty / dw = l1·sign(w) + 2·l2·w (sign(0) = 0, the subgradient nearest zero)."""
        grad = np.zeros_like(w)
        if self.l1:
            grad += self.l1 * np.sign(w)
        if self.l2:
            grad += (2.0 * self.l2) * w
        return grad

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}

    def __repr__(self) -> str:
        return f"Regularizer(l1={self.l1:g}, l2={self.l2:g})"


def l1(a: float = 0.01) -> Regularizer:
    """L1 penalty a·Σ|w|: drives weights to exactly zero (sparsity, feature selection)."""
    return Regularizer(l1=a)


def l2(a: float = 0.01) -> Regularizer:
    """L2 penalty a·Σw²: keeps every weight small (weight decay)."""
    return Regularizer(l2=a)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> Regularizer:
    """Both penalties: l1·Σ|w| + l2·Σw² (elastic net)."""
    return Regularizer(l1=l1, l2=l2)


def get(identifier: None | str | dict | Regularizer) -> Regularizer | None:
    """Resolve None, a Regularizer, its config dict, or the names "l1", "l2", "l1_l2"."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, dict):
        unknown = set(identifier) - {"l1", "l2"}
        if unknown:
            raise ValueError(f"a regularizer has only the settings l1 and l2, not "
                             f"{sorted(map(str, unknown))}")
        return Regularizer(**identifier)
    factories = {"l1": l1, "l2": l2, "l1_l2": l1_l2}
    if isinstance(identifier, str) and identifier in factories:
        return factories[identifier]()
    raise ValueError(f"unknown regularizer {identifier!r:.40}; choose one of "
                     f"{sorted(factories)}")
