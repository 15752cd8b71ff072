"""Regularisation paths against scikit-learn, the Lasso knots, and where weights become zero."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Lasso, Ridge, enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path

from core import regression as R
from tests.core.regression.oracle import SEEDS, TOL, problem, tight_sklearn


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
        sk = tight_sklearn(Lasso, alpha=alpha, fit_intercept=False).fit(X, y)
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
