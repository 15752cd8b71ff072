"""Ridge, Lasso and ElasticNet against scikit-learn (the oracle), exact zeros included."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from core import regression as R
from tests.core.regression.oracle import FRACTIONS, SEEDS, TOL, problem, tight_sklearn


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_lasso_matches_sklearn_including_exact_zeros(seed, fit_intercept):
    X, y = problem(seed)
    top = R.alpha_max(X, y, fit_intercept=fit_intercept)
    for frac in FRACTIONS:
        alpha = frac * top
        w = R.lasso(X, y, alpha, fit_intercept)
        sk = tight_sklearn(Lasso, alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
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
        sk = tight_sklearn(ElasticNet, alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept)
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
        sk = tight_sklearn(Ridge, alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(w, sk.coef_, atol=TOL, rtol=0)
        if fit_intercept:
            assert R.intercept(X, y, w) == pytest.approx(sk.intercept_, abs=TOL)


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
