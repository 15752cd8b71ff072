"""core.regression against scikit-learn (the oracle), and the geometry the lab draws from it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge, enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path

from core import regression as R

TOL = 1e-6


def _sk(model_cls, **kwargs):
    """A scikit-learn model solved far more tightly than its defaults, to serve as the oracle."""
    if model_cls is Ridge:
        return model_cls(**kwargs)
    return model_cls(tol=1e-14, max_iter=1_000_000, **kwargs)


def problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random problems: 2 to 8 features, independent or strongly correlated, some weights ~0."""
    rng = np.random.default_rng(seed)
    d = (2, 3, 5, 8)[seed % 4]
    corrs = (0.0, 0.95, -0.8, 0.6) if d == 2 else (0.0, 0.9, 0.5, -0.1)
    corr = corrs[(seed // 4) % 4]
    w_true = rng.normal(size=d) * np.where(np.arange(d) % 2 == 0, 1.0, 0.05)
    return R.make_data(30 + 5 * d, 1.0, corr, w_true, rng)


SEEDS = range(16)
FRACTIONS = (0.005, 0.05, 0.3, 0.8)  # α as a fraction of α_max


# --------------------------------------------------------------------------- vs scikit-learn


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_lasso_matches_sklearn_including_exact_zeros(seed, fit_intercept):
    X, y = problem(seed)
    top = R.alpha_max(X, y, fit_intercept=fit_intercept)
    for frac in FRACTIONS:
        alpha = frac * top
        w = R.lasso(X, y, alpha, fit_intercept)
        sk = _sk(Lasso, alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(w, sk.coef_, atol=TOL, rtol=0)
        np.testing.assert_array_equal(w == 0.0, sk.coef_ == 0.0)
        if fit_intercept:
            assert R.intercept(X, y, w) == pytest.approx(sk.intercept_, abs=TOL)


def test_lasso_problems_do_contain_exact_zeros():
    """Guard for the test above: the random problems really exercise sparse solutions."""
    zeros = sum(
        int(np.sum(R.lasso(*problem(s), f * R.alpha_max(*problem(s))) == 0.0))
        for s in SEEDS
        for f in FRACTIONS
    )
    assert zeros >= 20


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("l1_ratio", [0.1, 0.5, 0.9])
def test_elastic_net_matches_sklearn(seed, l1_ratio):
    X, y = problem(seed)
    fit_intercept = seed % 2 == 1
    top = R.alpha_max(X, y, l1_ratio, fit_intercept)
    for frac in FRACTIONS:
        alpha = frac * top
        w = R.elastic_net(X, y, alpha, l1_ratio, fit_intercept)
        sk = _sk(ElasticNet, alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept)
        sk.fit(X, y)
        np.testing.assert_allclose(w, sk.coef_, atol=TOL, rtol=0)
        np.testing.assert_array_equal(w == 0.0, sk.coef_ == 0.0)
        if fit_intercept:
            assert R.intercept(X, y, w) == pytest.approx(sk.intercept_, abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_ridge_matches_sklearn(seed, fit_intercept):
    X, y = problem(seed)
    for alpha in (1e-3, 0.5, 10.0, 1e3):
        w = R.ridge(X, y, alpha, fit_intercept)
        sk = _sk(Ridge, alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(w, sk.coef_, atol=TOL, rtol=0)
        if fit_intercept:
            assert R.intercept(X, y, w) == pytest.approx(sk.intercept_, abs=TOL)


@pytest.mark.parametrize("seed", [0, 1, 5, 6, 11])
def test_paths_match_sklearn(seed):
    X, y = problem(seed)
    alphas = R.alpha_grid(X, y, n_alphas=30, eps=1e-3)
    _, sk_coefs, _ = sk_lasso_path(X, y, alphas=alphas, tol=1e-14, max_iter=1_000_000)
    np.testing.assert_allclose(R.lasso_path(X, y, alphas), sk_coefs.T, atol=TOL, rtol=0)

    en_alphas = R.alpha_grid(X, y, n_alphas=30, l1_ratio=0.5)
    _, sk_en, _ = enet_path(X, y, l1_ratio=0.5, alphas=en_alphas, tol=1e-14, max_iter=1_000_000)
    np.testing.assert_allclose(
        R.elastic_net_path(X, y, en_alphas, 0.5), sk_en.T, atol=TOL, rtol=0
    )

    ridge_alphas = np.geomspace(1e-3, 1e4, 25)[::-1]
    expected = np.array([Ridge(alpha=a, fit_intercept=False).fit(X, y).coef_ for a in ridge_alphas])
    np.testing.assert_allclose(R.ridge_path(X, y, ridge_alphas), expected, atol=TOL, rtol=0)


def test_path_keeps_the_order_of_the_alphas_given():
    X, y = problem(3)
    alphas = np.array([0.01, 0.5, 0.1, 0.2])
    path = R.lasso_path(X, y, alphas)
    for a, w in zip(alphas, path, strict=True):
        np.testing.assert_allclose(w, R.lasso(X, y, a), atol=1e-12)


def test_alpha_max_is_where_the_lasso_becomes_all_zero():
    X, y = problem(2)
    top = R.alpha_max(X, y)
    assert np.all(R.lasso(X, y, top) == 0.0)
    assert np.any(R.lasso(X, y, top * (1 - 1e-6)) != 0.0)
    assert R.alpha_max(X, y, 0.25) == pytest.approx(4 * top)
    assert R.alpha_max(X, y, 0.0) == np.inf


def test_orthogonal_design_gives_soft_thresholding():
    """With XᵀX/n = I the Lasso is the soft threshold of Xᵀy/n: each |w_j| shrinks linearly."""
    rng = np.random.default_rng(7)
    Q, _ = np.linalg.qr(rng.normal(size=(40, 3)))
    X = Q * np.sqrt(40)
    y = X @ np.array([2.0, -0.7, 0.2]) + 0.3 * rng.normal(size=40)
    c = X.T @ y / 40
    for alpha in (0.1, 0.5, 1.0):
        expected = np.sign(c) * np.maximum(np.abs(c) - alpha, 0.0)
        np.testing.assert_allclose(R.lasso(X, y, alpha), expected, atol=1e-12)
    path = np.abs(R.lasso_path(X, y, np.linspace(0.0, 3.0, 61)))
    assert np.all(np.diff(path, axis=0) <= 1e-12)


# --------------------------------------------------------------------------- exact knots


@pytest.mark.parametrize("seed", SEEDS)
def test_lasso_knots_interpolate_to_the_exact_solution(seed):
    X, y = problem(seed)
    knot_a, knot_w = R.lasso_knots(X, y)
    assert knot_a[0] == pytest.approx(R.alpha_max(X, y))
    assert knot_a[-1] == 0.0 and np.all(np.diff(knot_a) < 0)
    np.testing.assert_allclose(knot_w[-1], R.ols(X, y), atol=1e-9)
    rng = np.random.default_rng(seed)
    for alpha in np.concatenate([knot_a[1:-1], rng.uniform(0, knot_a[0], 6)]):
        w = R.lasso_at(knot_a, knot_w, alpha)
        sk = _sk(Lasso, alpha=alpha, fit_intercept=False).fit(X, y)
        np.testing.assert_allclose(w, sk.coef_, atol=TOL, rtol=0)


@pytest.mark.parametrize("seed", [0, 4, 8, 12])
def test_zero_alphas_mark_where_each_weight_becomes_exactly_zero(seed):
    X, y = problem(seed)
    for l1_ratio in (1.0, 0.5):
        at = R.zero_alphas(X, y, l1_ratio)
        assert at.max() == pytest.approx(R.alpha_max(X, y, l1_ratio), rel=1e-12)
        for j, a in enumerate(at):
            if a == 0.0:
                continue
            above = R.elastic_net(X, y, a * (1 + 1e-7), l1_ratio)
            below = R.elastic_net(X, y, a * (1 - 1e-7), l1_ratio)
            assert above[j] == 0.0
            assert below[j] != 0.0
    assert np.all(R.zero_alphas(X, y, 0.0) == np.inf)


# --------------------------------------------------------------------------- monotone paths


@pytest.mark.parametrize("seed", SEEDS)
def test_paths_are_monotone_where_theory_says_so(seed):
    """As α grows the penalty of the optimum never rises and the data term J0 never falls."""
    X, y = problem(seed)
    ridge_alphas = np.geomspace(1e-4, 1e5, 80)
    w = R.ridge_path(X, y, ridge_alphas)
    assert np.all(np.diff(np.linalg.norm(w, axis=1)) <= 1e-12)
    assert np.all(np.diff(R.j0(X, y, w)) >= -1e-12)

    alphas = np.linspace(0.0, 1.1, 80) * R.alpha_max(X, y)
    w = R.lasso_path(X, y, alphas)
    assert np.all(np.diff(np.abs(w).sum(axis=1)) <= 1e-12)
    assert np.all(np.diff(R.j0(X, y, w)) >= -1e-12)
    assert np.all(w[-1] == 0.0)

    w = R.elastic_net_path(X, y, alphas * 2, 0.5)
    penalty = 0.5 * np.abs(w).sum(axis=1) + 0.25 * (w * w).sum(axis=1)
    assert np.all(np.diff(penalty) <= 1e-12)


def test_constrained_optimum_is_monotone_in_t():
    X, y = problem(1)
    for penalty in ("l1", "l2", "elasticnet"):
        sols = [R.constrained(X, y, t, penalty) for t in np.linspace(0.0, 3.0, 25)]
        losses = [R.j0(X, y, s.w) for s in sols]
        alphas = [s.alpha for s in sols[1:]]
        assert np.all(np.diff(losses) <= 1e-12)
        assert np.all(np.diff(alphas) <= 1e-9 * max(alphas))


# --------------------------------------------------------------------------- constrained forms


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


# --------------------------------------------------------------------------- J0


def test_j0_grid_and_contours_match_j0():
    X, y = problem(4)
    w1, w2 = np.linspace(-1, 2, 7), np.linspace(-2, 1, 5)
    grid = R.j0_grid(X, y, w1, w2)
    assert grid.shape == (5, 7)
    assert grid[3, 6] == pytest.approx(R.j0(X, y, np.array([w1[6], w2[3]])))
    level = R.j0(X, y, R.ols(X, y)) + 0.4
    pts = R.j0_contour(X, y, level, n_points=64)
    assert pts.shape == (64, 2)
    np.testing.assert_allclose(R.j0(X, y, pts), level, rtol=1e-12)
    assert R.j0_contour(X, y, level - 1.0).shape == (0, 2)


# --------------------------------------------------------------------------- gradient descent


def test_gd_step_is_the_spec_update_rule():
    X, y = problem(0)
    theta, lr, lam, m = np.array([0.3, -0.2]), 0.1, 5.0, len(y)
    by_hand = theta.copy()
    for j in range(2):
        grad_j = sum((X[i] @ theta - y[i]) * X[i, j] for i in range(m)) / m
        by_hand[j] = theta[j] * (1 - lr * lam / m) - lr * grad_j
    np.testing.assert_allclose(R.gd_step(X, y, theta, lr, lam), by_hand, rtol=1e-12)


def test_gradient_descent_converges_to_ols_without_decay_and_to_ridge_with_it():
    X, y = problem(4)
    lr = 0.9 * R.gd_max_lr(X, 20.0)
    plain = R.gradient_descent(X, y, np.array([-2.0, 2.0]), lr, 3000)
    decayed = R.gradient_descent(X, y, np.array([-2.0, 2.0]), lr, 3000, lam=20.0)
    assert plain.shape == (3001, 2)
    np.testing.assert_allclose(plain[-1], R.ols(X, y), atol=1e-8)
    np.testing.assert_allclose(decayed[-1], R.ridge(X, y, 20.0), atol=1e-8)
    assert np.linalg.norm(decayed[-1]) < np.linalg.norm(plain[-1])


def test_gd_diverges_just_above_the_stable_learning_rate():
    X, y = problem(4)
    lr = R.gd_max_lr(X)
    assert np.isfinite(R.gradient_descent(X, y, np.ones(2), 0.99 * lr, 2000)[-1]).all()
    assert np.linalg.norm(R.gradient_descent(X, y, np.ones(2), 1.05 * lr, 2000)[-1]) > 1e6


# --------------------------------------------------------------------------- the 1-D view


def test_one_d_presets_from_the_text():
    f = R.SmoothLoss1D(k=1.0, c=1.0)
    assert R.zero_threshold_1d(f) == 1.0
    assert R.argmin_penalised_1d(f, 0.5) == pytest.approx(0.5)
    assert R.argmin_penalised_1d(f, 2.0) == 0.0
    assert R.argmin_penalised_1d(f, 1.0) == 0.0


@pytest.mark.parametrize("k,c,q", [(1.0, 1.0, 0.0), (0.5, -2.0, 0.3), (3.0, 0.7, 2.0)])
@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0, 2.5])
def test_one_d_minimiser_beats_a_dense_grid(k, c, q, lam):
    f = R.SmoothLoss1D(k, c, q)
    x = np.linspace(-4, 4, 400_001)
    best = x[np.argmin(R.penalised_1d(f, x, lam))]
    x_star = R.argmin_penalised_1d(f, lam)
    assert x_star == pytest.approx(best, abs=1e-4)
    assert R.penalised_1d(f, x_star, lam) <= R.penalised_1d(f, best, lam) + 1e-15
    assert (x_star == 0.0) == (lam >= R.zero_threshold_1d(f))


# --------------------------------------------------------------------------- bad input


def test_bad_input_is_refused():
    X, y = problem(0)
    with pytest.raises(ValueError):
        R.lasso(X, y, -1.0)
    with pytest.raises(ValueError):
        R.elastic_net(X, y, 0.1, 1.5)
    with pytest.raises(ValueError):
        R.ridge(X, y[:-1], 1.0)
    with pytest.raises(ValueError):
        R.penalised(X, y, 0.1, "l3")
    with pytest.raises(ValueError):
        R.make_data(10, 0.1, 1.0, np.ones(2), np.random.default_rng(0))
    with pytest.raises(ValueError):
        R.SmoothLoss1D(k=0.0)
    with pytest.raises(ValueError):
        R.lasso(np.full((3, 2), np.nan), np.zeros(3), 0.1)
