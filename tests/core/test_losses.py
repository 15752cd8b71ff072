"""Loss values against their formulas, gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest

from core import losses
from core.functional import log_softmax, softmax
from tests.core.gradient_check import assert_close, numerical_gradient


def test_binary_crossentropy_formula_and_clip():
    y = np.array([[1.0], [0.0], [1.0]])
    p = np.array([[0.9], [0.2], [0.0]])
    eps = losses.binary_crossentropy.epsilon
    expected = -np.array([np.log(0.9), np.log(0.8), np.log(eps)]).mean()
    assert losses.binary_crossentropy(y, p) == pytest.approx(expected)
    assert np.isfinite(losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.0]])))
    assert losses.BinaryCrossentropy(epsilon=1e-3)(np.array([[1.0]]), np.array([[0.0]])) == \
        pytest.approx(-np.log(1e-3))


@pytest.mark.parametrize("loss", [losses.binary_crossentropy, losses.mean_squared_error,
                                  losses.sum_squared_error])
def test_elementwise_loss_gradients(loss):
    rng = np.random.default_rng(0)
    y = (rng.random((4, 3)) > 0.5).astype(np.float64)
    p = rng.uniform(0.05, 0.95, (4, 3))
    assert_close(loss.gradient(y, p), numerical_gradient(lambda: loss(y, p), p))


def test_categorical_crossentropy_gradient():
    rng = np.random.default_rng(1)
    y = np.eye(5)[rng.integers(0, 5, 6)]
    p = softmax(rng.standard_normal((6, 5)))
    loss = losses.categorical_crossentropy
    assert loss(y, p) == pytest.approx(-np.mean(np.log(p[y == 1])))
    assert_close(loss.gradient(y, p), numerical_gradient(lambda: loss(y, p), p))


def test_fused_softmax_crossentropy_is_p_minus_y():
    rng = np.random.default_rng(2)
    y = np.eye(10)[rng.integers(0, 10, 4)]
    z = rng.standard_normal((4, 10)) * 3
    loss = losses.categorical_crossentropy
    grad = loss.gradient_from_logits(y, z)
    np.testing.assert_allclose(grad, (softmax(z) - y) / 4)
    assert_close(grad, numerical_gradient(lambda: loss.from_logits(y, z), z))
    assert loss.from_logits(y, z) == pytest.approx(loss(y, softmax(z)))


def test_fused_head_is_stable_for_huge_scores():
    y = np.array([[0.0, 1.0]])
    z = np.array([[1000.0, -1000.0]])
    value = losses.categorical_crossentropy.from_logits(y, z)
    assert value == pytest.approx(2000.0)
    assert np.all(np.isfinite(losses.categorical_crossentropy.gradient_from_logits(y, z)))
    assert np.all(np.isfinite(log_softmax(z)))


def test_registry():
    assert isinstance(losses.get("categorical_crossentropy"), losses.CategoricalCrossentropy)
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    with pytest.raises(ValueError, match="unknown loss"):
        losses.get("hinge-ish")


def test_binary_crossentropy_with_an_epsilon_below_float_resolution():
    loss = losses.BinaryCrossentropy(epsilon=1e-17)
    value = loss(np.array([[0.0]]), np.array([[1.0]]))
    assert np.isfinite(value) and value == pytest.approx(-np.log(1e-17))
    with pytest.raises(ValueError):
        losses.BinaryCrossentropy(epsilon=0.0)
