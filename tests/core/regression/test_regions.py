"""The constrained forms: tangency with the penalised optimum, walking the boundary, the regions."""

from __future__ import annotations

import numpy as np
import pytest

from core import regression as R
from tests.core.regression.oracle import SEEDS, TOL, problem


def test_constrained_optimum_is_monotone_in_t():
    X, y = problem(1)
    for penalty in ("l1", "l2", "elasticnet"):
        sols = [R.constrained(X, y, t, penalty) for t in np.linspace(0.0, 3.0, 25)]
        losses = [R.j0(X, y, s.w) for s in sols]
        alphas = [s.alpha for s in sols[1:]]
        assert np.all(np.diff(losses) <= 1e-12)
        assert np.all(np.diff(alphas) <= 1e-9 * max(alphas))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
def test_constrained_tangency_point_is_the_penalised_solution(seed, penalty):
    """min J0 s.t. region(w) ≤ t lands on the penalised optimum at the matching α, and back."""
    X, y = problem(seed)
    if penalty == "l2":
        alphas = (0.1, 3.0, 50.0, 2000.0)
    else:
        alphas = tuple(f * R.alpha_max(X, y, 0.7 if penalty == "elasticnet" else 1.0)
                       for f in (0.02, 0.2, 0.6))
    for alpha in alphas:
        w = R.penalised(X, y, alpha, penalty, l1_ratio=0.7)
        t = R.region_size(w, penalty, l1_ratio=0.7)
        sol = R.constrained(X, y, t, penalty, l1_ratio=0.7)
        assert sol.active
        np.testing.assert_allclose(sol.w, w, atol=TOL, rtol=0)
        assert sol.alpha == pytest.approx(alpha, rel=1e-6)
        assert R.t_for_alpha(X, y, alpha, penalty, 0.7) == pytest.approx(t, rel=1e-12)
        assert R.alpha_for_t(X, y, t, penalty, 0.7) == pytest.approx(alpha, rel=1e-6)


def _walk_by_sampling(X, y, t, penalty, m=20_001):
    """Brute-force oracle: J0 at m points spread along the boundary, plus the corners."""
    pts = R.region_boundary(t, penalty, n_points=m)
    if penalty == "l1":
        s = np.linspace(0.0, 1.0, m // 4)[:, None]
        pts = np.concatenate([p0 + s * (p1 - p0) for p0, p1 in zip(pts[:-1], pts[1:], strict=True)])
    return pts[np.argmin(R.j0(X, y, pts))]


@pytest.mark.parametrize("seed", [0, 4, 8, 12, 16, 20, 24, 28])  # the two-feature problems
@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_walking_the_boundary_agrees_with_kkt_and_with_brute_force(seed, penalty):
    X, y = problem(seed)
    size = R.region_size(R.ols(X, y), penalty)
    for frac in (0.1, 0.4, 0.8):
        t = frac * size
        walk = R.walk_boundary(X, y, t, penalty)
        kkt = R.constrained(X, y, t, penalty)
        np.testing.assert_allclose(walk.w, kkt.w, atol=1e-9, rtol=0)
        assert walk.alpha == pytest.approx(kkt.alpha, rel=1e-7)
        assert R.region_size(walk.w, penalty) == pytest.approx(t, rel=1e-12)
        sampled = _walk_by_sampling(X, y, t, penalty)
        assert R.j0(X, y, walk.w) <= R.j0(X, y, sampled) + 1e-12
        np.testing.assert_allclose(walk.w, sampled, atol=2e-3)


def test_contour_is_tangent_to_the_region_at_the_optimum():
    """KKT: ∇J0 points straight into the circle, and along −α·sign(w) on a diamond edge."""
    X, y = problem(4)
    G, c = X.T @ X / len(y), X.T @ y / len(y)
    w = R.ridge(X, y, 30.0)
    g = G @ w - c
    assert abs(g[0] * w[1] - g[1] * w[0]) < 1e-12  # parallel to the normal w
    assert g @ w < 0
    alpha = 0.5 * R.zero_alphas(X, y).min()  # both weights still non-zero
    w = R.lasso(X, y, alpha)
    assert np.all(w != 0.0)
    np.testing.assert_allclose(G @ w - c, -alpha * np.sign(w), atol=1e-12)


def test_diamond_corner_gives_an_exact_zero():
    X, y = R.make_data(50, 1.0, 0.6, np.array([1.5, 0.3]), np.random.default_rng(1))
    first_zero = R.zero_alphas(X, y).min()
    t_corner = R.t_for_alpha(X, y, first_zero, "l1")
    sol = R.constrained(X, y, 0.9 * t_corner, "l1")
    assert sol.w[1] == 0.0 and sol.w[0] == pytest.approx(0.9 * t_corner)
    assert R.walk_boundary(X, y, 0.9 * t_corner, "l1").w[1] == 0.0


def test_inactive_constraint_returns_least_squares():
    X, y = problem(0)
    w_ls = R.ols(X, y)
    for penalty in ("l1", "l2", "elasticnet"):
        sol = R.constrained(X, y, 1.01 * R.region_size(w_ls, penalty), penalty)
        assert not sol.active and sol.alpha == 0.0
        np.testing.assert_allclose(sol.w, w_ls)
    assert np.all(R.constrained(X, y, 0.0, "l1").w == 0.0)


@pytest.mark.parametrize("penalty,l1_ratio", [("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.3),
                                              ("elasticnet", 0.9)])
def test_region_boundary_has_size_t_and_meets_the_axes_at_t(penalty, l1_ratio):
    pts = R.region_boundary(1.7, penalty, l1_ratio, n_points=201)
    sizes = [R.region_size(p, penalty, l1_ratio) for p in pts]
    np.testing.assert_allclose(sizes, 1.7, rtol=1e-12)
    np.testing.assert_allclose(pts[0], pts[-1])
    for axis_point in ([1.7, 0.0], [0.0, 1.7], [-1.7, 0.0], [0.0, -1.7]):
        assert np.min(np.abs(pts - axis_point).sum(axis=1)) < 1e-12


def test_elastic_net_region_lies_between_diamond_and_circle():
    diamond = R.region_boundary(1.0, "elasticnet", 0.999999, n_points=401)
    circle = R.region_boundary(1.0, "elasticnet", 0.0, n_points=401)
    middle = R.region_boundary(1.0, "elasticnet", 0.5, n_points=401)
    r = [np.linalg.norm(p, axis=1) for p in (diamond, middle, circle)]
    assert np.all(r[0] <= r[1] + 1e-12) and np.all(r[1] <= r[2] + 1e-12)
    np.testing.assert_allclose(r[2], 1.0)
