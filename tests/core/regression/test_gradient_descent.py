"""Gradient descent with weight decay: the update rule, its limits, its stable learning rate."""

from __future__ import annotations

import numpy as np

from core import regression as R
from tests.core.regression.oracle import problem


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
