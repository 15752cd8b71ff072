"""The data term J0(w) = (1/(2n))‖y − Xw‖²: its values, a grid of it and its contours."""

from __future__ import annotations

import numpy as np

from core.regression.problems import as_problem, gram, ols, two_features


def j0(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray | float:
    """The data term J0(w) = (1/(2n))‖y − Xw‖² for ``w`` of shape (d,) or a stack (..., d)."""
    X, y = as_problem(X, y)
    w = np.asarray(w, dtype=np.float64)
    r = w @ X.T - y  # (..., n)
    out = 0.5 * np.mean(r * r, axis=-1)
    return float(out) if w.ndim == 1 else out


def j0_grid(X: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """J0 over the grid w1 × w2 for a two-feature problem, shape (len(w2), len(w1)).

    Row i, column j holds J0((w1[j], w2[i])): row-major, ready for an image whose rows run
    along w2. Uses the quadratic form, so it costs O(len(w1)·len(w2)) whatever n is.
    """
    X, y = two_features(X, y, "j0_grid")
    G, c = gram(X, y)
    a = np.asarray(w1, dtype=np.float64)[None, :]
    b = np.asarray(w2, dtype=np.float64)[:, None]
    quad = G[0, 0] * a * a + 2.0 * G[0, 1] * a * b + G[1, 1] * b * b
    return 0.5 * quad - (c[0] * a + c[1] * b) + 0.5 * float(y @ y) / X.shape[0]


def j0_contour(X: np.ndarray, y: np.ndarray, level: float, n_points: int = 256) -> np.ndarray:
    """The closed contour J0(w) = level of a two-feature problem, shape (n_points, 2).

    J0 is a quadratic bowl, J0(w) = J0* + ½(w − ŵ)ᵀG(w − ŵ), so its contours are exact
    ellipses around the least-squares point ŵ. Returns an empty (0, 2) array when the level is
    below the minimum or the bowl is flat in some direction (XᵀX singular).
    """
    X, y = two_features(X, y, "j0_contour")
    G, _ = gram(X, y)
    lam, Q = np.linalg.eigh(G)
    if lam[0] <= 1e-14 * max(lam[1], 1e-300):
        return np.empty((0, 2))
    w_hat = ols(X, y)
    excess = float(level) - float(j0(X, y, w_hat))
    if excess <= 0:
        return np.empty((0, 2))
    theta = np.linspace(0.0, 2.0 * np.pi, n_points)
    radii = np.sqrt(2.0 * excess / lam)  # semi-axes along the eigenvectors
    circle = np.stack([np.cos(theta) * radii[0], np.sin(theta) * radii[1]], axis=1)
    return w_hat + circle @ Q.T
