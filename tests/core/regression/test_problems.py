"""Regression problems: drawn as asked, and bad problems or parameters refused plainly."""

from __future__ import annotations

import numpy as np
import pytest

from core import regression as R
from tests.core.regression.oracle import problem


def test_make_data_has_the_correlation_asked_for():
    w_true = np.array([1.0, -2.0, 0.5])
    X, y = R.make_data(20_000, 0.0, 0.6, w_true, np.random.default_rng(0))
    corr = np.corrcoef(X.T)
    assert np.all(np.abs(corr[np.triu_indices(3, 1)] - 0.6) < 0.03)
    np.testing.assert_allclose(y, X @ w_true)


def test_bad_problems_are_refused():
    X, y = problem(0)
    with pytest.raises(ValueError, match="valid covariance"):
        R.make_data(10, 0.1, 1.0, np.ones(2), np.random.default_rng(0))
    with pytest.raises(ValueError, match="shape"):
        R.ridge(X, y[:-1], 1.0)
    with pytest.raises(ValueError, match="finite"):
        R.lasso(np.full((3, 2), np.nan), np.zeros(3), 0.1)
    with pytest.raises(ValueError, match="two features"):
        R.j0_grid(np.ones((3, 3)), np.zeros(3), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="two features"):
        R.walk_boundary(np.ones((3, 3)), np.zeros(3), 1.0, "l1")


def test_bad_parameters_are_refused():
    X, y = problem(0)
    with pytest.raises(ValueError, match="alpha"):
        R.lasso(X, y, -1.0)
    with pytest.raises(ValueError, match="alpha"):
        R.ridge_path(X, y, np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match="l1_ratio"):
        R.elastic_net(X, y, 0.1, 1.5)
    for call in (lambda: R.penalised(X, y, 0.1, "l3"), lambda: R.region_size(X[0], "l3")):
        with pytest.raises(ValueError, match="unknown penalty"):
            call()
    with pytest.raises(ValueError, match="k > 0"):
        R.SmoothLoss1D(k=0.0)
