"""Gradient descent on the data term, with the penalty of Ridge, the Lasso or the elastic net.

Two kinds of step, each in its own penalty's scikit-learn units:

- L2 weight decay (Ridge's α): the plain gradient step on J(θ) = 1/(2m)·Σ(h_θ(x) − y)² plus
  α/(2m)·‖θ‖²; every step first multiplies θ by the decay factor 1 − ηα/m.
- L1 and elastic net (the Lasso's and ElasticNet's α): the proximal gradient step (ISTA).
  A gradient step on the smooth J0 alone, then the penalty's proximal map: every weight is
  moved ηαρ towards 0 and stopped *at* 0 (soft-thresholding), and the elastic net's L2 part
  divides by 1 + ηα(1 − ρ). A plain (sub)gradient step on |w| overshoots 0 and never lands
  on it; the soft-threshold lands on exact zeros, as the Lasso's optimum has them.
"""

from __future__ import annotations

import numpy as np

from core.regression.problems import as_problem, check_l1_ratio
from core.regression.solvers import check_penalty


def gd_step(X: np.ndarray, y: np.ndarray, theta: np.ndarray, lr: float,
            lam: float = 0.0) -> np.ndarray:
    """One gradient-descent step of linear regression, with L2 weight decay when ``lam`` > 0;
    θ (d,) → (d,).

    θ := θ·(1 − lr·λ/m) − lr·(1/m)·Σᵢ(h_θ(xᵢ) − yᵢ)·xᵢ, the gradient step on
    J(θ) = 1/(2m)·Σ(h_θ(x) − y)² + λ/(2m)·‖θ‖². The factor (1 − lr·λ/m) < 1 is the decay;
    λ is in Ridge's units (its fixed point is the Ridge optimum for α = λ).
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


def soft_threshold(v: np.ndarray, threshold: float) -> np.ndarray:
    """S(v, τ) = sign(v)·max(|v| − τ, 0): every entry moved τ ≥ 0 towards 0, and stopped at 0
    (exactly 0.0) if it would cross it; same shape as ``v``."""
    v = np.asarray(v, dtype=np.float64)
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)


def prox_gd_step(X: np.ndarray, y: np.ndarray, w: np.ndarray, lr: float, alpha: float,
                 l1_ratio: float = 1.0) -> np.ndarray:
    """One proximal gradient (ISTA) step of the Lasso (ρ = 1) or the ElasticNet; w (d,) → (d,).

    w := S(w − η·∇J0(w), ηαρ) / (1 + ηα(1 − ρ)), with J0(w) = (1/(2n))‖y − Xw‖² and
    ∇J0(w) = Xᵀ(Xw − y)/n. Its fixed points are exactly the optima of scikit-learn's
    (1/(2n))‖y − Xw‖² + αρ‖w‖₁ + ½α(1 − ρ)‖w‖²; it converges for η below
    2 / λ_max(XᵀX/n) whatever α is (:func:`gd_max_lr` without decay).
    """
    rho = check_l1_ratio(l1_ratio)
    n = X.shape[0]
    v = w - lr * (X.T @ (X @ w - y)) / n
    return soft_threshold(v, lr * alpha * rho) / (1.0 + lr * alpha * (1.0 - rho))


def proximal_gradient_descent(X: np.ndarray, y: np.ndarray, w0: np.ndarray, lr: float,
                              n_steps: int, alpha: float, l1_ratio: float = 1.0) -> np.ndarray:
    """The trajectory of :func:`prox_gd_step` from ``w0``, shape (n_steps + 1, d). Weights the
    optimum puts at 0 become exactly 0.0 after finitely many steps and stay there."""
    X, y = as_problem(X, y)
    out = np.empty((n_steps + 1, X.shape[1]))
    out[0] = np.asarray(w0, dtype=np.float64)
    for k in range(n_steps):
        out[k + 1] = prox_gd_step(X, y, out[k], lr, alpha, l1_ratio)
    return out


def penalised_gd_step(X: np.ndarray, y: np.ndarray, w: np.ndarray, lr: float, alpha: float,
                      penalty: str, l1_ratio: float = 0.5) -> np.ndarray:
    """One descent step of ``penalty`` at strength α in its scikit-learn units; w (d,) → (d,):
    "l2" weight decay (:func:`gd_step`, λ = Ridge's α), "l1" and "elasticnet" the proximal
    step (:func:`prox_gd_step`, ρ = 1 for "l1")."""
    check_penalty(penalty)
    if penalty == "l2":
        return gd_step(X, y, w, lr, alpha)
    return prox_gd_step(X, y, w, lr, alpha, 1.0 if penalty == "l1" else l1_ratio)


def gd_max_lr(X: np.ndarray, lam: float = 0.0) -> float:
    """The learning rate above which :func:`gd_step` diverges: 2 / (λ_max(XᵀX/m) + λ/m)."""
    X = np.asarray(X, dtype=np.float64)
    m = X.shape[0]
    top = float(np.linalg.eigvalsh(X.T @ X / m)[-1]) + lam / m
    return np.inf if top == 0.0 else 2.0 / top


def penalised_max_lr(X: np.ndarray, alpha: float, penalty: str) -> float:
    """The learning rate above which :func:`penalised_gd_step` diverges: weight decay adds
    α/m to the curvature (2 / (λ_max(XᵀX/m) + α/m)); a proximal step does not
    (2 / λ_max(XᵀX/m) for every α)."""
    check_penalty(penalty)
    return gd_max_lr(X, alpha if penalty == "l2" else 0.0)
