"""Linear regression with L1 / L2 / elastic-net penalties, with scikit-learn's exact objectives.

The regularization lab (SPEC §3) teaches that L1 gives weights that are *exactly* zero, so
everything here is solved exactly rather than approximately:

- Ridge, ``‖y − Xw‖² + α‖w‖²``: one linear solve.
- Lasso, ``(1/(2n))‖y − Xw‖² + α‖w‖₁``, and ElasticNet,
  ``(1/(2n))‖y − Xw‖² + αρ‖w‖₁ + ½α(1 − ρ)‖w‖²``: coordinate descent finds which weights are
  zero and their signs, then a linear solve on the non-zero weights gives the exact optimum;
  the optimality (KKT) conditions are checked before it is returned.
- The Lasso path is piecewise linear in α; :func:`lasso_knots` finds its corners exactly.
- The constrained forms, minimise J0 subject to ‖w‖₁ ≤ t or ‖w‖₂ ≤ t, are solved through
  their KKT conditions (:func:`constrained`) and, for two weights, also by walking the
  boundary of the region (:func:`walk_boundary`), the explained.ai rule.

Shapes: ``X`` is (n, d), ``y`` is (n,), a weight vector ``w`` is (d,). Unless said otherwise
J0 is the plain data term ``(1/(2n))‖y − Xw‖²`` (SPEC §3's J(θ)); each model's α is in its own
scikit-learn units, so a Ridge α and a Lasso α of the same size are not equally strong.
numpy only, float64 throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Penalty = Literal["l1", "l2", "elasticnet"]
PENALTIES: tuple[str, ...] = ("l1", "l2", "elasticnet")

_KKT_RTOL = 1e-9  # slack when checking |gradient| <= l1 for the weights held at zero


# --------------------------------------------------------------------------- problems


def make_data(
    n: int,
    noise: float,
    corr: float,
    w_true: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
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


def _as_problem(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert to float64: X (n, d), y (n,)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"need X of shape (n, d) and y of shape (n,), got {X.shape} and {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must be finite")
    return X, y


def _centred(
    X: np.ndarray, y: np.ndarray, fit_intercept: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The problem the weights are fitted on: centred columns when an intercept is fitted."""
    X, y = _as_problem(X, y)
    if fit_intercept:
        return X - X.mean(axis=0), y - y.mean()
    return X, y


def _gram(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """G = XᵀX/n (d, d) and c = Xᵀy/n (d,): J0(w) = ½wᵀGw − cᵀw + yᵀy/(2n)."""
    n = X.shape[0]
    return X.T @ X / n, X.T @ y / n


def _check_alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not (np.isfinite(alpha) and alpha >= 0.0):
        raise ValueError(f"alpha must be finite and >= 0, got {alpha}")
    return alpha


def _check_l1_ratio(l1_ratio: float) -> float:
    l1_ratio = float(l1_ratio)
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must lie in [0, 1], got {l1_ratio}")
    return l1_ratio


def intercept(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The intercept that goes with weights fitted using ``fit_intercept=True``.

    As in scikit-learn the intercept is not penalised: the weights are fitted on centred X and
    y, and the intercept is then mean(y) − mean(X)·w.
    """
    X, y = _as_problem(X, y)
    return float(y.mean() - X.mean(axis=0) @ np.asarray(w, dtype=np.float64))


def ols(X: np.ndarray, y: np.ndarray, fit_intercept: bool = False) -> np.ndarray:
    """Unregularised least squares (the minimum-norm solution if XᵀX is singular); (d,)."""
    X, y = _centred(X, y, fit_intercept)
    return np.linalg.lstsq(X, y, rcond=None)[0]


# --------------------------------------------------------------------------- J0


def j0(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray | float:
    """The data term J0(w) = (1/(2n))‖y − Xw‖² for ``w`` of shape (d,) or a stack (..., d)."""
    X, y = _as_problem(X, y)
    w = np.asarray(w, dtype=np.float64)
    r = w @ X.T - y  # (..., n)
    out = 0.5 * np.mean(r * r, axis=-1)
    return float(out) if w.ndim == 1 else out


def j0_grid(X: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """J0 over the grid w1 × w2 for a two-feature problem, shape (len(w2), len(w1)).

    Row i, column j holds J0((w1[j], w2[i])): row-major, ready for an image whose rows run
    along w2. Uses the quadratic form, so it costs O(len(w1)·len(w2)) whatever n is.
    """
    X, y = _as_problem(X, y)
    if X.shape[1] != 2:
        raise ValueError("j0_grid needs exactly two features")
    G, c = _gram(X, y)
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
    X, y = _as_problem(X, y)
    if X.shape[1] != 2:
        raise ValueError("j0_contour needs exactly two features")
    G, _ = _gram(X, y)
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


# --------------------------------------------------------------------------- solvers


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


def _enet_gram(
    G: np.ndarray,
    c: np.ndarray,
    l1: float,
    l2: float,
    w0: np.ndarray | None = None,
    max_sweeps: int = 100_000,
) -> np.ndarray:
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
    alpha = _check_alpha(alpha)
    X, y = _centred(X, y, fit_intercept)
    return _solve_sym(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


def elastic_net(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    l1_ratio: float,
    fit_intercept: bool = False,
) -> np.ndarray:
    """scikit-learn's ElasticNet, solved exactly; returns w (d,).

    Minimises (1/(2n))‖y − Xw‖² + α·ρ‖w‖₁ + ½·α·(1 − ρ)‖w‖² with ρ = ``l1_ratio``. With
    ``fit_intercept`` X and y are centred first and the intercept is :func:`intercept`.
    """
    alpha = _check_alpha(alpha)
    rho = _check_l1_ratio(l1_ratio)
    X, y = _centred(X, y, fit_intercept)
    G, c = _gram(X, y)
    return _enet_gram(G, c, alpha * rho, alpha * (1.0 - rho))


def lasso(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool = False) -> np.ndarray:
    """scikit-learn's Lasso, (1/(2n))‖y − Xw‖² + α‖w‖₁, solved exactly; returns w (d,).

    Weights that the optimum puts at zero come back as exactly 0.0.
    """
    return elastic_net(X, y, alpha, 1.0, fit_intercept)


def penalised(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    penalty: Penalty,
    l1_ratio: float = 0.5,
    fit_intercept: bool = False,
) -> np.ndarray:
    """Dispatch by penalty name: "l1" → :func:`lasso`, "l2" → :func:`ridge`, "elasticnet"."""
    if penalty == "l1":
        return lasso(X, y, alpha, fit_intercept)
    if penalty == "l2":
        return ridge(X, y, alpha, fit_intercept)
    if penalty == "elasticnet":
        return elastic_net(X, y, alpha, l1_ratio, fit_intercept)
    raise ValueError(f"unknown penalty {penalty!r}; expected one of {PENALTIES}")


# --------------------------------------------------------------------------- paths


def alpha_max(
    X: np.ndarray, y: np.ndarray, l1_ratio: float = 1.0, fit_intercept: bool = False
) -> float:
    """The smallest α at which the Lasso (ElasticNet) solution is all zeros: max|Xᵀy|/(nρ).

    ``inf`` for ρ = 0 (a pure L2 penalty never reaches zero).
    """
    rho = _check_l1_ratio(l1_ratio)
    X, y = _centred(X, y, fit_intercept)
    top = float(np.abs(X.T @ y).max()) / X.shape[0]
    return np.inf if rho == 0.0 else top / rho


def alpha_grid(
    X: np.ndarray,
    y: np.ndarray,
    n_alphas: int = 100,
    eps: float = 1e-3,
    l1_ratio: float = 1.0,
    fit_intercept: bool = False,
) -> np.ndarray:
    """scikit-learn's default path grid: ``n_alphas`` values from α_max down to eps·α_max.

    Log-spaced and decreasing, shape (n_alphas,).
    """
    top = alpha_max(X, y, l1_ratio, fit_intercept)
    if not np.isfinite(top):
        raise ValueError("a pure L2 penalty has no alpha_max; choose the alphas yourself")
    return np.geomspace(top, top * eps, n_alphas)


def ridge_path(
    X: np.ndarray, y: np.ndarray, alphas: np.ndarray, fit_intercept: bool = False
) -> np.ndarray:
    """Ridge weights for every α in ``alphas`` (k,), shape (k, d), in the order given.

    One eigen-decomposition XᵀX = QΛQᵀ gives them all: w(α) = Q·diag(1/(λ + α))·QᵀXᵀy.
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    for a in alphas:
        _check_alpha(a)
    X, y = _centred(X, y, fit_intercept)
    lam, Q = np.linalg.eigh(X.T @ X)
    b = Q.T @ (X.T @ y)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = b[None, :] / (lam[None, :] + alphas[:, None])
    scaled[~np.isfinite(scaled)] = 0.0  # α = 0 along a null direction: minimum-norm answer
    return scaled @ Q.T


def elastic_net_path(
    X: np.ndarray,
    y: np.ndarray,
    alphas: np.ndarray,
    l1_ratio: float,
    fit_intercept: bool = False,
) -> np.ndarray:
    """Exact ElasticNet weights for every α in ``alphas`` (k,), shape (k, d), order kept.

    Solved from the largest α down, each warm-started from the previous one.
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    for a in alphas:
        _check_alpha(a)
    rho = _check_l1_ratio(l1_ratio)
    X, y = _centred(X, y, fit_intercept)
    G, c = _gram(X, y)
    out = np.zeros((alphas.shape[0], X.shape[1]))
    w = None
    for i in np.argsort(-alphas, kind="stable"):
        w = _enet_gram(G, c, alphas[i] * rho, alphas[i] * (1.0 - rho), w0=w)
        out[i] = w
    return out


def lasso_path(
    X: np.ndarray, y: np.ndarray, alphas: np.ndarray, fit_intercept: bool = False
) -> np.ndarray:
    """Exact Lasso weights for every α in ``alphas`` (k,), shape (k, d), order kept."""
    return elastic_net_path(X, y, alphas, 1.0, fit_intercept)


def lasso_knots(
    X: np.ndarray, y: np.ndarray, fit_intercept: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The corners of the Lasso path, exactly: α (K,) decreasing from α_max to 0, w (K, d).

    Between two knots the active set and signs are fixed, so the optimum solves
    G_AA·w_A = c_A − α·s_A and is linear in α; a knot is where a weight joins (its correlation
    |c_j − G_j·w| reaches α) or leaves (it crosses zero). Interpolating linearly between knots
    gives the exact Lasso solution at every α (homotopy / LARS-Lasso). Needs XᵀX to be
    non-singular on every active set; raises ``numpy.linalg.LinAlgError`` otherwise.
    """
    X, y = _centred(X, y, fit_intercept)
    G, c = _gram(X, y)
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


def lasso_at(
    knot_alphas: np.ndarray, knot_coefs: np.ndarray, alpha: float | np.ndarray
) -> np.ndarray:
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


def zero_alphas(
    X: np.ndarray, y: np.ndarray, l1_ratio: float = 1.0, fit_intercept: bool = False
) -> np.ndarray:
    """For each weight, the α from which on it is exactly zero for every larger α; (d,).

    This is the moment the lab marks: "from α = … on, w2 is exactly 0". For the Lasso it comes
    exactly from the knots; for an elastic net it is bracketed on a grid and bisected to
    machine precision; a pure L2 penalty never zeroes a weight (``inf``).
    """
    rho = _check_l1_ratio(l1_ratio)
    X, y = _centred(X, y, fit_intercept)
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
    G, c = _gram(X, y)
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
            w = _enet_gram(G, c, mid * rho, mid * (1.0 - rho), w0=w)
            if w[j] != 0.0:
                lo = mid
            else:
                hi = mid
        out[j] = hi
    return out


# --------------------------------------------------------------------------- regions


def _check_penalty(penalty: str) -> None:
    if penalty not in PENALTIES:
        raise ValueError(f"unknown penalty {penalty!r}; expected one of {PENALTIES}")


def _enet_value(w: np.ndarray, rho: float) -> np.ndarray | float:
    """P(w) = ρ‖w‖₁ + ½(1 − ρ)‖w‖² over the last axis."""
    return rho * np.abs(w).sum(axis=-1) + 0.5 * (1.0 - rho) * (w * w).sum(axis=-1)


def region_size(w: np.ndarray, penalty: Penalty, l1_ratio: float = 0.5) -> float:
    """The t of the smallest region that contains ``w``: where its boundary crosses the axes.

    L1: t = ‖w‖₁ (the diamond |w1| + |w2| ≤ t). L2: t = ‖w‖₂ (the circle of radius t).
    Elastic net: the region ρ‖w‖₁ + ½(1 − ρ)‖w‖² ≤ ρt + ½(1 − ρ)t², which also meets the
    axes at ±t and turns from the diamond (ρ = 1) into the circle (ρ = 0).
    """
    _check_penalty(penalty)
    w = np.asarray(w, dtype=np.float64)
    if penalty == "l1":
        return float(np.abs(w).sum())
    if penalty == "l2":
        return float(np.sqrt(w @ w))
    rho = _check_l1_ratio(l1_ratio)
    p = float(_enet_value(w, rho))
    if rho == 1.0:
        return p
    return 2.0 * p / (rho + np.sqrt(rho * rho + 2.0 * (1.0 - rho) * p))


def region_boundary(
    t: float, penalty: Penalty, l1_ratio: float = 0.5, n_points: int = 401
) -> np.ndarray:
    """The closed boundary of the two-weight region of size ``t``, shape (m, 2).

    The diamond comes back as its five corner points (closed); the circle and the elastic-net
    region are sampled at ``n_points`` angles that include the four axis directions, so the
    elastic-net corners on the axes are drawn sharp.
    """
    _check_penalty(penalty)
    t = float(t)
    if penalty == "l1":
        return t * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
    quarter = max(1, (n_points - 1) // 4)
    theta = np.linspace(0.0, 2.0 * np.pi, 4 * quarter + 1)
    u = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    u[::quarter] = np.round(u[::quarter])  # the axis directions exactly
    if penalty == "l2":
        return t * u
    rho = _check_l1_ratio(l1_ratio)
    target = rho * t + 0.5 * (1.0 - rho) * t * t
    s = np.abs(u).sum(axis=1) * rho  # along u, P(r·u) = s·r + ½(1 − ρ)r²
    r = 2.0 * target / (s + np.sqrt(s * s + 2.0 * (1.0 - rho) * target))
    return u * r[:, None]


@dataclass(frozen=True)
class Constrained:
    """The minimiser of J0 over a region, and the penalty strength that gives the same point.

    ``w`` (d,); ``alpha`` in the penalty's scikit-learn units (Lasso α for "l1", Ridge α for
    "l2", ElasticNet α for "elasticnet"), 0.0 when the least-squares point is inside the
    region; ``active`` says whether the constraint binds.
    """

    w: np.ndarray
    alpha: float
    active: bool


def constrained(
    X: np.ndarray,
    y: np.ndarray,
    t: float,
    penalty: Penalty,
    l1_ratio: float = 0.5,
    fit_intercept: bool = False,
) -> Constrained:
    """Minimise J0 subject to the region of size ``t`` (:func:`region_size`), exactly.

    By the KKT conditions the answer is the penalised optimum at the α whose solution lies on
    the boundary. L1: the Lasso path is piecewise linear and so is ‖w(α)‖₁, so the crossing is
    found exactly on the right segment of :func:`lasso_knots`. L2: the secular equation
    ‖(G + μI)⁻¹c‖ = t, solved by Newton's method on 1/‖w(μ)‖ (it converges monotonically), with
    Ridge α = n·μ. Elastic net: P(w(α)) falls monotonically in α; bracketed root finding.
    """
    _check_penalty(penalty)
    t = float(t)
    if not (np.isfinite(t) and t >= 0.0):
        raise ValueError(f"t must be finite and >= 0, got {t}")
    X, y = _centred(X, y, fit_intercept)
    w_ls = ols(X, y)
    if region_size(w_ls, penalty, l1_ratio) <= t:
        return Constrained(w_ls, 0.0, False)
    if penalty == "l2":
        return _constrained_l2(X, y, t)
    if penalty == "l1":
        try:
            return _constrained_l1(X, y, t)
        except np.linalg.LinAlgError:
            return _constrained_by_bisection(X, y, t, 1.0)
    return _constrained_by_bisection(X, y, t, _check_l1_ratio(l1_ratio))


def _constrained_l1(X: np.ndarray, y: np.ndarray, t: float) -> Constrained:
    """‖w‖₁ ≤ t on the exact piecewise-linear Lasso path."""
    knot_a, knot_w = lasso_knots(X, y)
    if t == 0.0:
        return Constrained(np.zeros(X.shape[1]), float(knot_a[0]), True)
    sizes = np.abs(knot_w).sum(axis=1)  # rises from 0 as α falls
    k = int(np.searchsorted(sizes, t, side="left")) - 1
    k = int(np.clip(k, 0, len(sizes) - 2))
    f = (t - sizes[k]) / (sizes[k + 1] - sizes[k])
    w = knot_w[k] + f * (knot_w[k + 1] - knot_w[k])
    w[(knot_w[k] == 0.0) & (knot_w[k + 1] == 0.0)] = 0.0
    alpha = knot_a[k] + f * (knot_a[k + 1] - knot_a[k])
    return Constrained(w, float(alpha), True)


def _constrained_l2(X: np.ndarray, y: np.ndarray, t: float) -> Constrained:
    """‖w‖₂ ≤ t through the secular equation of the trust-region subproblem."""
    n, d = X.shape
    if t == 0.0:
        return Constrained(np.zeros(d), np.inf, True)
    G, c = _gram(X, y)
    lam, Q = np.linalg.eigh(G)
    lam = np.maximum(lam, 0.0)
    b = Q.T @ c
    keep = b != 0.0
    lam, b2 = lam[keep], b[keep] ** 2
    mu = 0.0 if lam.min() > 0 else 1e-300
    for _ in range(200):
        norm2 = float(np.sum(b2 / (lam + mu) ** 2))
        dnorm2 = -2.0 * float(np.sum(b2 / (lam + mu) ** 3))
        norm = np.sqrt(norm2)
        phi = 1.0 / norm - 1.0 / t  # increasing, concave: Newton from the left never overshoots
        dphi = -0.5 * dnorm2 / (norm2 * norm)
        step = -phi / dphi
        mu_next = max(mu + step, mu)
        if mu_next - mu <= 1e-16 * max(mu_next, 1e-300):
            mu = mu_next
            break
        mu = mu_next
    w = Q[:, keep] @ (b[keep] / (lam + mu))
    return Constrained(w, float(n * mu), True)


def _constrained_by_bisection(X: np.ndarray, y: np.ndarray, t: float, rho: float) -> Constrained:
    """The region ρ‖w‖₁ + ½(1 − ρ)‖w‖² ≤ ρt + ½(1 − ρ)t²: root of P(w(α)) = P_t in α."""
    G, c = _gram(X, y)
    d = X.shape[1]
    target = rho * t + 0.5 * (1.0 - rho) * t * t
    hi = alpha_max(X, y, rho)
    if t == 0.0:
        return Constrained(np.zeros(d), float(hi), True)
    lo = 0.0
    w_lo = ols(X, y)
    w = w_lo
    for _ in range(300):  # bisection in log space once lo > 0, plain halving before
        mid = 0.5 * (lo + hi) if lo == 0.0 or hi / lo > 1e6 else np.sqrt(lo * hi)
        if not lo < mid < hi:
            break
        w = _enet_gram(G, c, mid * rho, mid * (1.0 - rho), w0=w_lo)
        if _enet_value(w, rho) > target:
            lo, w_lo = mid, w
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    alpha = 0.5 * (lo + hi)
    w = _enet_gram(G, c, alpha * rho, alpha * (1.0 - rho), w0=w_lo)
    return Constrained(w, float(alpha), True)


def walk_boundary(X: np.ndarray, y: np.ndarray, t: float, penalty: Penalty) -> Constrained:
    """Two weights only: the lowest J0 on the boundary of the diamond or circle, found exactly.

    explained.ai's rule: don't eyeball where a contour "touches" the region, walk its boundary
    and take the lowest point (or the least-squares point if it is inside). On each of the
    diamond's four edges J0 is a 1-D quadratic, minimised in closed form and clipped to the
    edge, so a corner (one weight exactly 0) wins whenever it is lowest. On the circle
    w = t(cos θ, sin θ) the stationary points are the real roots of a quartic in tan(θ/2),
    refined by Newton's method. ``alpha`` is read off the KKT condition at the point.
    """
    if penalty not in ("l1", "l2"):
        raise ValueError("walk_boundary handles the 'l1' diamond and the 'l2' circle")
    X, y = _as_problem(X, y)
    if X.shape[1] != 2:
        raise ValueError("walk_boundary needs exactly two features")
    w_ls = ols(X, y)
    if region_size(w_ls, penalty) <= t:
        return Constrained(w_ls, 0.0, False)
    G, c = _gram(X, y)

    def q(w: np.ndarray) -> float:
        return float(0.5 * w @ G @ w - c @ w)

    if penalty == "l1":
        corners = t * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
        best = corners[0]
        for p0, p1 in zip(corners[:-1], corners[1:], strict=True):
            e = p1 - p0
            curv = float(e @ G @ e)
            s = (float(c @ e) - float(e @ G @ p0)) / curv if curv > 0 else 0.0
            s = min(max(s, 0.0), 1.0)
            w = p1.copy() if s == 1.0 else p0 + s * e  # clipped to a corner: exact zeros
            if q(w) < q(best):
                best = w
        g = G @ best - c  # ∇J0 = −α·sign(w_j) on every non-zero weight
        j = int(np.argmax(np.abs(best)))
        return Constrained(best, float(-g[j] * np.sign(best[j])), True)

    P = np.polynomial.Polynomial
    z1, z2 = P([1.0, 0.0, -1.0]), P([0.0, 2.0])  # (1 − z²) and 2z; cos = (1−z²)/(1+z²)
    one = P([1.0, 0.0, 1.0])
    # dJ0/dθ·(1+z²)²/t = t[(G22 − G11)·cos·sin + G12(cos² − sin²)] + c1 sin − c2 cos
    poly = t * ((G[1, 1] - G[0, 0]) * z1 * z2 + G[0, 1] * (z1 * z1 - z2 * z2))
    poly = poly + (c[0] * z2 - c[1] * z1) * one
    roots = poly.roots()
    thetas = [2.0 * np.arctan(r.real) for r in roots if abs(r.imag) <= 1e-7 * (1 + abs(r))]
    thetas.append(np.pi)
    candidates = []
    for th in thetas:
        for _ in range(30):  # Newton on dJ0/dθ = 0
            u, du = np.array([np.cos(th), np.sin(th)]), np.array([-np.sin(th), np.cos(th)])
            d1 = t * t * float(du @ G @ u) - t * float(c @ du)
            d2 = t * t * (float(du @ G @ du) - float(u @ G @ u)) + t * float(c @ u)
            if d2 == 0.0:
                break
            step = d1 / d2
            th -= step
            if abs(step) <= 1e-15:
                break
        candidates.append(t * np.array([np.cos(th), np.sin(th)]))
    best = min(candidates, key=q)
    mu = -float(best @ (G @ best - c)) / float(best @ best)  # G·w − c = −μ·w on the circle
    return Constrained(best, float(X.shape[0] * mu), True)


def alpha_for_t(
    X: np.ndarray,
    y: np.ndarray,
    t: float,
    penalty: Penalty,
    l1_ratio: float = 0.5,
    fit_intercept: bool = False,
) -> float:
    """The penalty strength α whose optimum lies on the boundary of the region of size t."""
    return constrained(X, y, t, penalty, l1_ratio, fit_intercept).alpha


def t_for_alpha(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    penalty: Penalty,
    l1_ratio: float = 0.5,
    fit_intercept: bool = False,
) -> float:
    """The region size t whose constrained optimum is the penalised optimum at α."""
    w = penalised(X, y, alpha, penalty, l1_ratio, fit_intercept)
    return region_size(w, penalty, l1_ratio)


# --------------------------------------------------------------------------- gradient descent


def gd_step(
    X: np.ndarray, y: np.ndarray, theta: np.ndarray, lr: float, lam: float = 0.0
) -> np.ndarray:
    """One step of SPEC §3's update, with L2 weight decay when ``lam`` > 0; θ (d,) → (d,).

    θ := θ·(1 − lr·λ/m) − lr·(1/m)·Σᵢ(h_θ(xᵢ) − yᵢ)·xᵢ, the gradient step on
    J(θ) = 1/(2m)·Σ(h_θ(x) − y)² + λ/(2m)·‖θ‖². The factor (1 − lr·λ/m) < 1 is the decay.
    """
    m = X.shape[0]
    grad = X.T @ (X @ theta - y) / m
    return theta * (1.0 - lr * lam / m) - lr * grad


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    theta0: np.ndarray,
    lr: float,
    n_steps: int,
    lam: float = 0.0,
) -> np.ndarray:
    """The trajectory of :func:`gd_step` from ``theta0``, shape (n_steps + 1, d).

    Without decay it converges (for a small enough lr) to least squares; with decay λ to
    the Ridge solution with α = λ, since its fixed point solves (XᵀX + λI)θ = Xᵀy.
    """
    X, y = _as_problem(X, y)
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


# --------------------------------------------------------------------------- the 1-D view


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
    """F(x) = f(x) + λ|x| (SPEC §3's 'choosing the L1 coefficient')."""
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
