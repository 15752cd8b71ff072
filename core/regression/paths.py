"""Regularisation paths: the weights as functions of α, and the Lasso path's exact knots."""

from __future__ import annotations

import numpy as np

from core.regression.problems import centred, check_alphas, check_l1_ratio, gram
from core.regression.solvers import enet_gram


def alpha_max(X: np.ndarray, y: np.ndarray, l1_ratio: float = 1.0,
              fit_intercept: bool = False) -> float:
    """The smallest α at which the Lasso (ElasticNet) solution is all zeros: max|Xᵀy|/(nρ).

    ``inf`` for ρ = 0 (a pure L2 penalty never reaches zero).
    """
    rho = check_l1_ratio(l1_ratio)
    X, y = centred(X, y, fit_intercept)
    top = float(np.abs(X.T @ y).max()) / X.shape[0]
    return np.inf if rho == 0.0 else top / rho


def alpha_grid(X: np.ndarray, y: np.ndarray, n_alphas: int = 100, eps: float = 1e-3,
               l1_ratio: float = 1.0, fit_intercept: bool = False) -> np.ndarray:
    """scikit-learn's default path grid: ``n_alphas`` values from α_max down to eps·α_max.

    Log-spaced and decreasing, shape (n_alphas,).
    """
    top = alpha_max(X, y, l1_ratio, fit_intercept)
    if not np.isfinite(top):
        raise ValueError("a pure L2 penalty has no alpha_max; choose the alphas yourself")
    return np.geomspace(top, top * eps, n_alphas)


def ridge_path(X: np.ndarray, y: np.ndarray, alphas: np.ndarray,
               fit_intercept: bool = False) -> np.ndarray:
    """Ridge weights for every α in ``alphas`` (k,), shape (k, d), in the order given.

    One eigen-decomposition XᵀX = QΛQᵀ gives them all: w(α) = Q·diag(1/(λ + α))·QᵀXᵀy.
    """
    alphas = check_alphas(alphas)
    X, y = centred(X, y, fit_intercept)
    lam, Q = np.linalg.eigh(X.T @ X)
    b = Q.T @ (X.T @ y)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = b[None, :] / (lam[None, :] + alphas[:, None])
    scaled[~np.isfinite(scaled)] = 0.0  # α = 0 along a null direction: minimum-norm answer
    return scaled @ Q.T


def elastic_net_path(X: np.ndarray, y: np.ndarray, alphas: np.ndarray, l1_ratio: float,
                     fit_intercept: bool = False) -> np.ndarray:
    """Exact ElasticNet weights for every α in ``alphas`` (k,), shape (k, d), order kept.

    Solved from the largest α down, each warm-started from the previous one.
    """
    alphas = check_alphas(alphas)
    rho = check_l1_ratio(l1_ratio)
    X, y = centred(X, y, fit_intercept)
    G, c = gram(X, y)
    out = np.zeros((alphas.shape[0], X.shape[1]))
    w = None
    for i in np.argsort(-alphas, kind="stable"):
        w = enet_gram(G, c, alphas[i] * rho, alphas[i] * (1.0 - rho), w0=w)
        out[i] = w
    return out


def lasso_path(X: np.ndarray, y: np.ndarray, alphas: np.ndarray,
               fit_intercept: bool = False) -> np.ndarray:
    """Exact Lasso weights for every α in ``alphas`` (k,), shape (k, d), order kept."""
    return elastic_net_path(X, y, alphas, 1.0, fit_intercept)


def lasso_knots(X: np.ndarray, y: np.ndarray,
                fit_intercept: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The corners of the Lasso path, exactly: α (K,) decreasing from α_max to 0, w (K, d).

    Between two knots the active set and signs are fixed, so the optimum solves
    G_AA·w_A = c_A − α·s_A and is linear in α; a knot is where a weight joins (its correlation
    |c_j − G_j·w| reaches α) or leaves (it crosses zero). Interpolating linearly between knots
    gives the exact Lasso solution at every α (homotopy / LARS-Lasso). Needs XᵀX to be
    non-singular on every active set; raises ``numpy.linalg.LinAlgError`` otherwise.
    """
    X, y = centred(X, y, fit_intercept)
    G, c = gram(X, y)
    d = c.shape[0]
    alpha = float(np.abs(c).max())
    alphas, coefs = [alpha], [np.zeros(d)]
    if alpha == 0.0:
        return np.array(alphas), np.array(coefs)
    first = int(np.argmax(np.abs(c)))
    active, signs = [first], np.zeros(d)
    signs[first] = np.sign(c[first])
    last_changed = first
    for _ in range(20 * d + 20):
        A = np.array(active)
        GAA = G[np.ix_(A, A)]
        a = np.linalg.solve(GAA, c[A])  # w_A(α) = a − α·b on this segment
        b = np.linalg.solve(GAA, signs[A])
        best, event, who = 0.0, "", -1
        near = alpha * (1.0 - 1e-8)
        ceiling = alpha * (1.0 - 1e-13)
        for k, j in enumerate(A):  # a weight reaching zero leaves
            if b[k] != 0.0:
                hit = a[k] / b[k]
                if best < hit < ceiling and not (j == last_changed and hit > near):
                    best, event, who = hit, "leave", j
        inactive = np.setdiff1d(np.arange(d), A)
        if inactive.size:
            e = c[inactive] - G[np.ix_(inactive, A)] @ a  # correlation r_j(α) = e + α·f
            f = G[np.ix_(inactive, A)] @ b
            for k, j in enumerate(inactive):
                for side in (1.0, -1.0):  # r_j(α) = +α or −α
                    den = side - f[k]
                    if den == 0.0:
                        continue
                    hit = e[k] / den
                    if best < hit < ceiling and not (j == last_changed and hit > near):
                        best, event, who = hit, "join", j
        w = np.zeros(d)
        w[A] = a - best * b
        if event == "leave":
            w[who] = 0.0
        alphas.append(best)
        coefs.append(w)
        if event == "":
            break
        if event == "leave":
            active.remove(who)
            signs[who] = 0.0
        else:
            active.append(who)
            signs[who] = np.sign(c[who] - G[who] @ w)
        alpha, last_changed = best, who
    return np.array(alphas), np.array(coefs)


def lasso_at(knot_alphas: np.ndarray, knot_coefs: np.ndarray,
             alpha: float | np.ndarray) -> np.ndarray:
    """The exact Lasso weights from :func:`lasso_knots`' output: (d,) for a scalar α, (k, d)
    for an array of k alphas. Linear interpolation between knots is exact for the Lasso."""
    alphas = np.asarray(alpha, dtype=np.float64)
    if np.any(~np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError("alpha must be finite and >= 0")
    flat = alphas.reshape(-1)
    a_up, w_up = knot_alphas[::-1], knot_coefs[::-1]  # increasing α for np.interp
    out = np.stack([np.interp(flat, a_up, w_up[:, j]) for j in range(knot_coefs.shape[1])], 1)
    # weights that are 0 at both ends of their segment are exactly 0 inside it
    k = np.clip(np.searchsorted(a_up, flat, side="right"), 1, len(a_up) - 1)
    both_zero = (w_up[k - 1] == 0.0) & (w_up[k] == 0.0)
    out[both_zero | (flat[:, None] >= knot_alphas[0])] = 0.0
    return out[0] if alphas.ndim == 0 else out


def zero_alphas(X: np.ndarray, y: np.ndarray, l1_ratio: float = 1.0,
                fit_intercept: bool = False) -> np.ndarray:
    """For each weight, the α from which on it is exactly zero for every larger α; (d,).

    This is the moment the lab marks: "from α = … on, w2 is exactly 0". For the Lasso it comes
    exactly from the knots; for an elastic net it is bracketed on a grid and bisected to
    machine precision; a pure L2 penalty never zeroes a weight (``inf``).
    """
    rho = check_l1_ratio(l1_ratio)
    X, y = centred(X, y, fit_intercept)
    d = X.shape[1]
    if rho == 0.0:
        return np.full(d, np.inf)
    if rho == 1.0:
        knot_a, knot_w = lasso_knots(X, y)
        out = np.zeros(d)
        done = np.zeros(d, dtype=bool)
        for k in range(len(knot_a) - 1):
            mid = 0.5 * (knot_w[k] + knot_w[k + 1])
            fresh = (mid != 0.0) & ~done
            out[fresh] = knot_a[k]
            done |= fresh
        return out
    G, c = gram(X, y)
    top = alpha_max(X, y, rho)
    if top == 0.0:  # Xᵀy = 0: every weight is 0 for every α
        return np.zeros(d)
    grid = np.geomspace(top, top * 1e-8, 81)
    path = elastic_net_path(X, y, grid, rho)
    out = np.zeros(d)
    for j in range(d):
        if abs(c[j]) * (1.0 + 1e-12) >= float(np.abs(c).max()):
            out[j] = top  # the first weight to enter, exactly at α_max
            continue
        nonzero = np.flatnonzero(path[:, j] != 0.0)
        if nonzero.size == 0:
            continue
        i = int(nonzero[0])
        lo, hi = grid[i], grid[i - 1]  # w_j(lo) != 0, w_j(hi) == 0
        w = path[i]
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if not lo < mid < hi:
                break
            w = enet_gram(G, c, mid * rho, mid * (1.0 - rho), w0=w)
            if w[j] != 0.0:
                lo = mid
            else:
                hi = mid
        out[j] = hi
    return out
