"""Gradient descent on J(θ) = 1/(2m)·Σ(h_θ(x) − y)², with and without L2 weight decay."""

from __future__ import annotations

import numpy as np

from core.regression.problems import as_problem


def gd_step(X: np.ndarray, y: np.ndarray, theta: np.ndarray, lr: float,
            lam: float = 0.0) -> np.ndarray:
    """One gradient-descent step of linear regression, with L2 weight decay when ``lam`` > 0;
    θ (d,) → (d,).

    θ := θ·(1 − lr·λ/m) − lr·(1/m)·Σᵢ(h_θ(xᵢ) − yᵢ)·xᵢ, the gradient step on
    J(θ) = 1/(2m)·Σ(h_θ(x) − y)² + λ/(2m)·‖θ‖². The factor (1 − lr·λ/m) < 1 is the decay.
    """
    m = X.shape[0]
    grad = X.T @ (X @ theta - y) / m
    return theta * (1.0 - lr * lam / m) - lr * grad


def gradient_descent(X: np.ndarray, y: np.ndarray, theta0: np.ndarray, lr: float, n_steps: int,
                     lam: float = 0.0) -> np.ndarray:
    """The trajectory of :func:`gd_step` from ``theta0``, shape (n_steps + 1, d).

    Without decay it converges (for a small enough lr) to least squares; with decay λ to
    the Ridge solution with α = λ, since its fixed point solves (XᵀX + λI)θ = Xᵀy.
    """
    X, y = as_problem(X, y)
    out = np.empty((n_steps + 1, X.shape[1]))
    out[0] = np.asarray(theta0, dtype=np.float64)
    for k in range(n_steps):
        out[k + 1] = gd_step(X, y, out[k], lr, lam)
    return out


def gd_max_lr(X: np.ndarray, lam: float = 0.0) -> float:
    """The learning rate above which :func:`gd_step` diverges: 2 / (λ_max(XᵀX/m) + λ/m)."""
    X = np.asarray(X, dtype=np.float64)
    m = X.shape[0]
    top = float(np.linalg.eigvalsh(X.T @ X / m)[-1]) + lam / m
    return np.inf if top == 0.0 else 2.0 / top
