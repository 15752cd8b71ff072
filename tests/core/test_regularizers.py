"""Penalty values, gradients, and their effect on a layer's loss and gradients."""

from __future__ import annotations

import numpy as np
import pytest

from core import regularizers
from core.layers import Dense
from tests.core.gradient_check import assert_close, numerical_gradient


@pytest.mark.parametrize("reg", [regularizers.l1(0.3), regularizers.l2(0.7),
                                 regularizers.l1_l2(0.2, 0.5)])
def test_penalty_gradient(reg):
    w = np.random.default_rng(0).standard_normal((4, 3))
    assert_close(reg.gradient(w), numerical_gradient(lambda: reg(w), w))


def test_penalty_values():
    w = np.array([1.0, -2.0, 0.5])
    assert regularizers.l1(0.1)(w) == pytest.approx(0.35)
    assert regularizers.l2(0.1)(w) == pytest.approx(0.525)
    assert regularizers.l1_l2(0.1, 0.1)(w) == pytest.approx(0.875)


def test_penalty_enters_layer_gradient():
    layer = Dense(3, kernel_regularizer=regularizers.l2(0.5), dtype="float64")
    x = np.random.default_rng(1).standard_normal((2, 4))
    y = layer.forward(x)
    layer.backward(np.zeros_like(y))
    np.testing.assert_allclose(layer.grads["W"], 2 * 0.5 * layer.params["W"])
    assert layer.regularization_loss() == pytest.approx(0.5 * np.sum(layer.params["W"] ** 2))


def test_get_and_validation():
    assert regularizers.get(None) is None
    assert regularizers.get({"l1": 0.1, "l2": 0.0}).l1 == 0.1
    with pytest.raises(ValueError):
        regularizers.l1(-1)
