"""Exact solvers: Ridge, Lasso and ElasticNet with scikit-learn's objectives.

Ridge is one linear solve. Lasso and ElasticNet run coordinate descent until the zero
pattern and signs of the weights are right, then a linear solve on the non-zero weights
gives the exact optimum, accepted only when the optimality (KKT) conditions hold.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from core.regression.problems import centred, check_alpha, check_l1_ratio, gram

Penalty = Literal["l1", "l2", "elasticnet"]
PENALTIES: tuple[str, ...] = ("l1", "l2", "elasticnet")

_KKT_RTOL = 1e-9  # slack when checking |gradient| <= l1 for the weights held at zero


def check_penalty(penalty: str) -> None:
    """Refuse a penalty name that is not one of :data:`PENALTIES`."""
    if penalty not in PENALTIES:
        raise ValueError(f"unknown penalty {penalty!r}; expected one of {PENALTIES}")


def _solve_sym(H: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve H x = b for symmetric positive semi-definite H (least squares if singular)."""
    try:
        return np.linalg.solve(H, b)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(H, b, rcond=None)[0]


def _kkt_polish(H: np.ndarray, c: np.ndarray, l1: float, w: np.ndarray) -> np.ndarray | None:
    """The exact optimum with the zero pattern and signs of ``w``, or None if ``w``'s is wrong.

    On the support S with signs s the optimality condition is linear, H_SS w_S = c_S − l1·s;
    the result is accepted only if the signs come out as assumed and every weight held at
    zero satisfies |c_j − H_j·w| ≤ l1 (the subgradient condition).
    """
    d = c.shape[0]
    S = np.flatnonzero(w)
    out = np.zeros(d)
    if S.size:
        s = np.sign(w[S])
        if S.size == 1:  # the common small cases without fancy indexing
            h = H[S[0], S[0]]
            wS = (c[S] - l1 * s) / h if h > 0 else s * 0.0
        else:
            H_SS = H if S.size == d else H[np.ix_(S, S)]
            try:
                wS = np.linalg.solve(H_SS, c[S] - l1 * s)
            except np.linalg.LinAlgError:
                return None
        if np.any(np.sign(wS) != s):
            return None
        out[S] = wS
    zero = np.ones(d, dtype=bool)
    zero[S] = False
    if np.any(zero):
        g = c[zero] - H[zero] @ out
        slack = l1 * (1.0 + _KKT_RTOL) + 1e-14 * max(float(np.abs(c).max()), 1.0)
        if np.any(np.abs(g) > slack):
            return None
    return out


def enet_gram(G: np.ndarray, c: np.ndarray, l1: float, l2: float, w0: np.ndarray | None = None,
              max_sweeps: int = 100_000) -> np.ndarray:
    """Exactly minimise ½wᵀGw − cᵀw + l1‖w‖₁ + ½l2‖w‖²; G (d, d) PSD, c (d,) → w (d,).

    Coordinate descent (each step the soft-threshold of one weight) until the zero pattern is
    right, then :func:`_kkt_polish` turns it into the exact optimum. A column that is all zero
    (H_jj = 0) keeps weight 0, as in scikit-learn.
    """
    d = c.shape[0]
    H = G + l2 * np.eye(d)
    if l1 == 0.0:
        return _solve_sym(H, c)
    diag = np.diag(H).copy()
    live = np.flatnonzero(diag > 0)
    w = np.zeros(d) if w0 is None else np.array(w0, dtype=np.float64)
    w[diag <= 0] = 0.0
    polish_every = 1 if d <= 50 else 10
    for sweep in range(max_sweeps):
        biggest = 0.0
        for j in live:
            r = c[j] - H[j] @ w + diag[j] * w[j]
            new = np.sign(r) * max(abs(r) - l1, 0.0) / diag[j]
            biggest = max(biggest, abs(new - w[j]))
            w[j] = new
        if sweep % polish_every == 0 or biggest == 0.0:
            exact = _kkt_polish(H, c, l1, w)
            if exact is not None:
                return exact
        if biggest <= 1e-15 * max(1.0, float(np.abs(w).max())):
            break
    exact = _kkt_polish(H, c, l1, w)
    return w if exact is None else exact


def ridge(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool = False) -> np.ndarray:
    """scikit-learn's Ridge: minimise ‖y − Xw‖² + α‖w‖²; returns w (d,).

    The optimum solves (XᵀX + αI)w = Xᵀy. With ``fit_intercept`` X and y are centred first
    and the (unpenalised) intercept is :func:`intercept`.
    """
    alpha = check_alpha(alpha)
    X, y = centred(X, y, fit_intercept)
    return _solve_sym(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


def elastic_net(X: np.ndarray, y: np.ndarray, alpha: float, l1_ratio: float,
                fit_intercept: bool = False) -> np.ndarray:
    """scikit-learn's ElasticNet, solved exactly; returns w (d,).

    Minimises (1/(2n))‖y − Xw‖² + α·ρ‖w‖₁ + ½·α·(1 − ρ)‖w‖² with ρ = ``l1_ratio``. With
    ``fit_intercept`` X and y are centred first and the intercept is :func:`intercept`.
    """
    alpha = check_alpha(alpha)
    rho = check_l1_ratio(l1_ratio)
    X, y = centred(X, y, fit_intercept)
    G, c = gram(X, y)
    return enet_gram(G, c, alpha * rho, alpha * (1.0 - rho))


def lasso(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool = False) -> np.ndarray:
    """scikit-learn's Lasso, (1/(2n))‖y − Xw‖² + α‖w‖₁, solved exactly; returns w (d,).

    Weights that the optimum puts at zero come back as exactly 0.0.
    """
    return elastic_net(X, y, alpha, 1.0, fit_intercept)


def penalised(X: np.ndarray, y: np.ndarray, alpha: float, penalty: Penalty, l1_ratio: float = 0.5,
              fit_intercept: bool = False) -> np.ndarray:
    """Dispatch by penalty name: "l1" → :func:`lasso`, "l2" → :func:`ridge`, "elasticnet"."""
    check_penalty(penalty)
    if penalty == "l1":
        return lasso(X, y, alpha, fit_intercept)
    if penalty == "l2":
        return ridge(X, y, alpha, fit_intercept)
    return elastic_net(X, y, alpha, l1_ratio, fit_intercept)
