"""Gradient descent with weight decay and the proximal (soft-threshold) steps: the update rules,
their limits, their stable learning rates."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso

from core import regression as R
from tests.core.regression.oracle import problem, tight_sklearn


def test_gd_step_is_the_weight_decay_update_rule():
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


def test_soft_threshold_moves_towards_zero_and_stops_at_it():
    out = R.soft_threshold(np.array([3.0, -0.5, 0.2, -2.0, 0.0]), 0.5)
    np.testing.assert_array_equal(out, [2.5, 0.0, 0.0, -1.5, 0.0])
    assert np.all(out[[1, 2, 4]] == 0.0)  # exactly 0.0, not merely small


def test_prox_step_is_a_gradient_step_then_the_soft_threshold():
    X, y = problem(0)
    w, lr, alpha, rho = np.array([0.3, -0.2]), 0.1, 0.2, 0.4
    v = w - lr * X.T @ (X @ w - y) / len(y)
    expected = np.sign(v) * np.maximum(np.abs(v) - lr * alpha * rho, 0) / (1 + lr * alpha * 0.6)
    np.testing.assert_allclose(R.prox_gd_step(X, y, w, lr, alpha, rho), expected, rtol=1e-12)
    np.testing.assert_allclose(R.penalised_gd_step(X, y, w, lr, alpha, "elasticnet", rho),
                               expected, rtol=1e-12)
    np.testing.assert_allclose(R.penalised_gd_step(X, y, w, lr, alpha, "l2"),
                               R.gd_step(X, y, w, lr, alpha), rtol=1e-12)


def test_l1_descent_lands_on_the_exact_zeros_of_the_lasso():
    """Soft-threshold steps reach the Lasso optimum: the weights it sets to 0 become exactly
    0.0 after finitely many steps and stay there; the others match scikit-learn's Lasso."""
    for seed in (0, 4, 8, 12):  # two features, four correlations
        X, y = problem(seed)
        zero = R.zero_alphas(X, y)
        alpha = 0.5 * (zero.min() + zero.max())  # past the first zero, before the last
        exact = R.lasso(X, y, alpha)
        assert np.count_nonzero(exact == 0.0) == 1
        lr = 0.5 * R.gd_max_lr(X)  # 1 / λ_max(XᵀX/n)
        path = R.proximal_gradient_descent(X, y, np.array([-2.0, 2.0]), lr, 4000, alpha)
        np.testing.assert_array_equal(path[-1] == 0.0, exact == 0.0)
        np.testing.assert_allclose(path[-1], exact, atol=1e-10)
        sk = tight_sklearn(Lasso, alpha=alpha, fit_intercept=False).fit(X, y).coef_
        np.testing.assert_allclose(path[-1], sk, atol=1e-8)
        j = int(np.flatnonzero(exact == 0.0)[0])
        first = int(np.flatnonzero(path[:, j] == 0.0)[0])
        assert first < 4000 and np.all(path[first:, j] == 0.0)  # lands and stays


def test_plain_gradient_steps_on_the_l1_penalty_never_land_on_zero():
    """The contrast the lab draws: the subgradient step θ − η(∇J0 + α·sign θ) overshoots 0."""
    X, y = problem(0)
    zero = R.zero_alphas(X, y)
    alpha = 0.5 * (zero.min() + zero.max())
    w, lr = np.array([-2.0, 2.0]), 0.05
    for _ in range(4000):
        w = w - lr * (X.T @ (X @ w - y) / len(y) + alpha * np.sign(w))
    assert np.all(w != 0.0)


def test_elastic_net_descent_matches_sklearn():
    X, y = problem(4)
    alpha, rho = 0.1, 0.6
    lr = 0.5 * R.penalised_max_lr(X, alpha, "elasticnet")
    path = R.proximal_gradient_descent(X, y, np.zeros(2), lr, 4000, alpha, rho)
    sk = tight_sklearn(ElasticNet, alpha=alpha, l1_ratio=rho, fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(path[-1], sk, atol=1e-8)
    np.testing.assert_allclose(path[-1], R.elastic_net(X, y, alpha, rho), atol=1e-10)


def test_stable_learning_rates_of_the_penalised_steps():
    X, y = problem(0)
    assert R.penalised_max_lr(X, 50.0, "l2") == R.gd_max_lr(X, 50.0)
    assert R.penalised_max_lr(X, 50.0, "l1") == R.penalised_max_lr(X, 0.0, "elasticnet")
    assert R.penalised_max_lr(X, 50.0, "l1") == R.gd_max_lr(X)
    lr = R.gd_max_lr(X)
    big = 10.0 * R.alpha_max(X, y)
    end = R.proximal_gradient_descent(X, y, np.ones(2), 0.99 * lr, 2000, big)[-1]
    assert np.all(end == 0.0)  # stable at any α, and past α_max every weight is 0
    with pytest.raises(ValueError):
        R.penalised_gd_step(X, y, np.ones(2), 0.1, 1.0, "l3")
