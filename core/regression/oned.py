"""The 1-D view of choosing the L1 coefficient: F(x) = f(x) + λ|x| for a smooth convex f."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SmoothLoss1D:
    """A smooth convex 1-D loss f(x) = ½·k·(x − c)² + ¼·q·(x − c)⁴ (k > 0, q ≥ 0).

    ``c`` is where f is smallest, ``k`` its curvature there, ``q`` stiffens the walls.
    """

    k: float = 1.0
    c: float = 1.0
    q: float = 0.0

    def __post_init__(self) -> None:
        if not (self.k > 0 and self.q >= 0):
            raise ValueError("need curvature k > 0 and quartic term q >= 0")

    def __call__(self, x: np.ndarray | float) -> np.ndarray | float:
        u = np.asarray(x, dtype=np.float64) - self.c
        return 0.5 * self.k * u * u + 0.25 * self.q * u**4

    def grad(self, x: np.ndarray | float) -> np.ndarray | float:
        """f'(x) = k(x − c) + q(x − c)³."""
        u = np.asarray(x, dtype=np.float64) - self.c
        return self.k * u + self.q * u**3


def penalised_1d(f: SmoothLoss1D, x: np.ndarray | float, lam: float) -> np.ndarray | float:
    """F(x) = f(x) + λ|x|: the loss with an L1 penalty of strength λ on one weight."""
    return f(x) + lam * np.abs(x)


def zero_threshold_1d(f: SmoothLoss1D) -> float:
    """The smallest λ for which x = 0 minimises F: λ ≥ |f'(0)|."""
    return float(abs(f.grad(0.0)))


def argmin_penalised_1d(f: SmoothLoss1D, lam: float) -> float:
    """The exact minimiser of F(x) = f(x) + λ|x| (unique: F is convex).

    0 when λ ≥ |f'(0)|; otherwise the root of f'(x) ± λ = 0 on the side f points to, i.e. of
    the monotone cubic q·u³ + k·u ± λ = 0 with u = x − c (Cardano, then Newton to polish).
    """
    if lam < 0:
        raise ValueError("lambda must be >= 0")
    g0 = float(f.grad(0.0))
    if abs(g0) <= lam:
        return 0.0
    shift = lam if g0 < 0 else -lam  # x > 0 solves f'(x) + λ = 0, x < 0 solves f'(x) − λ = 0
    if f.q == 0.0:
        u = -shift / f.k
    else:
        p, r = f.k / f.q, shift / f.q  # u³ + p·u + r = 0, p > 0: one real root
        disc = np.sqrt(r * r / 4.0 + p**3 / 27.0)
        u = float(np.cbrt(-r / 2.0 + disc) + np.cbrt(-r / 2.0 - disc))
        for _ in range(3):
            u -= (f.q * u**3 + f.k * u + shift) / (3.0 * f.q * u * u + f.k)
    return float(f.c + u)
