"""Regression problems: drawing data, validating it, and the least-squares basics.

Shapes: ``X`` is (n, d), ``y`` is (n,), a weight vector ``w`` is (d,); float64 throughout.
:func:`as_problem`, :func:`centred`, :func:`gram` and the ``check_`` functions are the
helpers every other module of the package starts from.
"""

from __future__ import annotations

import numpy as np


def make_data(n: int, noise: float, corr: float, w_true: np.ndarray,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw a regression problem y = X·w_true + noise·ε with equicorrelated Gaussian features.

    Each feature has unit variance and every pair has correlation ``corr``.
    Returns ``X`` (n, d) and ``y`` (n,), d = len(w_true).
    """
    w_true = np.asarray(w_true, dtype=np.float64)
    d = w_true.shape[0]
    if n < 1:
        raise ValueError("need at least one sample")
    if noise < 0:
        raise ValueError("noise must be >= 0")
    if d > 1 and not (-1.0 / (d - 1) < corr < 1.0):
        raise ValueError(f"correlation {corr} does not give a valid covariance for {d} features")
    cov = np.full((d, d), float(corr))
    np.fill_diagonal(cov, 1.0)
    X = rng.standard_normal((n, d)) @ np.linalg.cholesky(cov).T
    y = X @ w_true + noise * rng.standard_normal(n)
    return X, y


def as_problem(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert to float64: X (n, d), y (n,)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"need X of shape (n, d) and y of shape (n,), got {X.shape} and {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must be finite")
    return X, y


def two_features(X: np.ndarray, y: np.ndarray, what: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`as_problem` for the (w1, w2) plane: X must be (n, 2); ``what`` names the caller."""
    X, y = as_problem(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"{what} needs exactly two features")
    return X, y


def centred(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> tuple[np.ndarray, np.ndarray]:
    """The problem the weights are fitted on: centred columns when an intercept is fitted."""
    X, y = as_problem(X, y)
    if fit_intercept:
        return X - X.mean(axis=0), y - y.mean()
    return X, y


def gram(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """G = XᵀX/n (d, d) and c = Xᵀy/n (d,): J0(w) = ½wᵀGw − cᵀw + yᵀy/(2n)."""
    n = X.shape[0]
    return X.T @ X / n, X.T @ y / n


def check_alpha(alpha: float) -> float:
    """``alpha`` as a float, refused unless finite and >= 0."""
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha >= 0.0):
        raise ValueError(f"alpha must be finite and >= 0, got {alpha}")
    return alpha


def check_alphas(alphas: np.ndarray) -> np.ndarray:
    """A path's alphas (k,) as float64, each checked by :func:`check_alpha`."""
    alphas = np.asarray(alphas, dtype=np.float64)
    for a in alphas:
        check_alpha(a)
    return alphas


def check_l1_ratio(l1_ratio: float) -> float:
    """``l1_ratio`` (ρ) as a float, refused outside [0, 1]."""
    l1_ratio = float(l1_ratio)
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must lie in [0, 1], got {l1_ratio}")
    return l1_ratio


def intercept(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The intercept that goes with weights fitted using ``fit_intercept=True``.

    As in scikit-learn the intercept is not penalised: the weights are fitted on centred X and
    y, and the intercept is then mean(y) − mean(X)·w.
    """
    X, y = as_problem(X, y)
    return float(y.mean() - X.mean(axis=0) @ np.asarray(w, dtype=np.float64))


def ols(X: np.ndarray, y: np.ndarray, fit_intercept: bool = False) -> np.ndarray:
    """Unregularised least squares (the minimum-norm solution if XᵀX is singular); (d,)."""
    X, y = centred(X, y, fit_intercept)
    return np.linalg.lstsq(X, y, rcond=None)[0]
