"""The constrained forms: minimise J0 subject to ‖w‖₁ ≤ t, ‖w‖₂ ≤ t or the elastic-net
region, the regions themselves, and the α ↔ t correspondence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.regression.paths import alpha_max, lasso_knots
from core.regression.problems import centred, check_l1_ratio, gram, ols, two_features
from core.regression.solvers import Penalty, check_penalty, enet_gram, penalised

# the corners of the unit diamond |w1| + |w2| <= 1, closed (the first again at the end)
_DIAMOND = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])


def _enet_value(w: np.ndarray, rho: float) -> np.ndarray | float:
    """P(w) = ρ‖w‖₁ + ½(1 − ρ)‖w‖² over the last axis."""
    return rho * np.abs(w).sum(axis=-1) + 0.5 * (1.0 - rho) * (w * w).sum(axis=-1)


def region_size(w: np.ndarray, penalty: Penalty, l1_ratio: float = 0.5) -> float:
    """The t of the smallest region that contains ``w``: where its boundary crosses the axes.

    L1: t = ‖w‖₁ (the diamond |w1| + |w2| ≤ t). L2: t = ‖w‖₂ (the circle of radius t).
    Elastic net: the region ρ‖w‖₁ + ½(1 − ρ)‖w‖² ≤ ρt + ½(1 − ρ)t², which also meets the
    axes at ±t and turns from the diamond (ρ = 1) into the circle (ρ = 0).
    """
    check_penalty(penalty)
    w = np.asarray(w, dtype=np.float64)
    if penalty == "l1":
        return float(np.abs(w).sum())
    if penalty == "l2":
        return float(np.sqrt(w @ w))
    rho = check_l1_ratio(l1_ratio)
    p = float(_enet_value(w, rho))
    if rho == 1.0:
        return p
    return 2.0 * p / (rho + np.sqrt(rho * rho + 2.0 * (1.0 - rho) * p))


def region_boundary(t: float, penalty: Penalty, l1_ratio: float = 0.5,
                    n_points: int = 401) -> np.ndarray:
    """The closed boundary of the two-weight region of size ``t``, shape (m, 2).

    The diamond comes back as its five corner points (closed); the circle and the elastic-net
    region are sampled at ``n_points`` angles that include the four axis directions, so the
    elastic-net corners on the axes are drawn sharp.
    """
    check_penalty(penalty)
    t = float(t)
    if penalty == "l1":
        return t * _DIAMOND
    quarter = max(1, (n_points - 1) // 4)
    theta = np.linspace(0.0, 2.0 * np.pi, 4 * quarter + 1)
    u = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    u[::quarter] = np.round(u[::quarter])  # the axis directions exactly
    if penalty == "l2":
        return t * u
    rho = check_l1_ratio(l1_ratio)
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


def _unconstrained(X: np.ndarray, y: np.ndarray, t: float, penalty: Penalty,
                   l1_ratio: float = 0.5) -> Constrained | None:
    """The least-squares point when the region of size t contains it (the constraint does
    not bind), else None."""
    w_ls = ols(X, y)
    return Constrained(w_ls, 0.0, False) if region_size(w_ls, penalty, l1_ratio) <= t else None


def constrained(X: np.ndarray, y: np.ndarray, t: float, penalty: Penalty, l1_ratio: float = 0.5,
                fit_intercept: bool = False) -> Constrained:
    """Minimise J0 subject to the region of size ``t`` (:func:`region_size`), exactly.

    By the KKT conditions the answer is the penalised optimum at the α whose solution lies on
    the boundary. L1: the Lasso path is piecewise linear and so is ‖w(α)‖₁, so the crossing is
    found exactly on the right segment of :func:`lasso_knots`. L2: the secular equation
    ‖(G + μI)⁻¹c‖ = t, solved by Newton's method on 1/‖w(μ)‖ (it converges monotonically), with
    Ridge α = n·μ. Elastic net: P(w(α)) falls monotonically in α; bracketed root finding.
    """
    check_penalty(penalty)
    t = float(t)
    if not (np.isfinite(t) and t >= 0.0):
        raise ValueError(f"t must be finite and >= 0, got {t}")
    X, y = centred(X, y, fit_intercept)
    if (free := _unconstrained(X, y, t, penalty, l1_ratio)) is not None:
        return free
    if penalty == "l2":
        return _constrained_l2(X, y, t)
    if penalty == "l1":
        try:
            return _constrained_l1(X, y, t)
        except np.linalg.LinAlgError:
            return _constrained_by_bisection(X, y, t, 1.0)
    return _constrained_by_bisection(X, y, t, check_l1_ratio(l1_ratio))


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
    G, c = gram(X, y)
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
    G, c = gram(X, y)
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
        w = enet_gram(G, c, mid * rho, mid * (1.0 - rho), w0=w_lo)
        if _enet_value(w, rho) > target:
            lo, w_lo = mid, w
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    alpha = 0.5 * (lo + hi)
    w = enet_gram(G, c, alpha * rho, alpha * (1.0 - rho), w0=w_lo)
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
    X, y = two_features(X, y, "walk_boundary")
    if (free := _unconstrained(X, y, t, penalty)) is not None:
        return free
    G, c = gram(X, y)

    def q(w: np.ndarray) -> float:
        return float(0.5 * w @ G @ w - c @ w)

    if penalty == "l1":
        corners = t * _DIAMOND
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


def alpha_for_t(X: np.ndarray, y: np.ndarray, t: float, penalty: Penalty, l1_ratio: float = 0.5,
                fit_intercept: bool = False) -> float:
    """The penalty strength α whose optimum lies on the boundary of the region of size t."""
    return constrained(X, y, t, penalty, l1_ratio, fit_intercept).alpha


def t_for_alpha(X: np.ndarray, y: np.ndarray, alpha: float, penalty: Penalty, l1_ratio: float = 0.5,
                fit_intercept: bool = False) -> float:
    """The region size t whose constrained optimum is the penalised optimum at α."""
    w = penalised(X, y, alpha, penalty, l1_ratio, fit_intercept)
    return region_size(w, penalty, l1_ratio)
