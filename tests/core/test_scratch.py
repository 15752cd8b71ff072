"""The from-scratch 2-layer network: gradients vs finite differences, and what it claims:
on XOR the loss falls at every iteration and the rounded predictions are the targets."""

from __future__ import annotations

import numpy as np
import pytest

from core.losses import sum_squared_error
from core.scratch import ACTIVATIONS, XOR_X, XOR_Y, TwoLayerNetwork


def test_xor_data_is_xor_of_the_first_two_inputs_with_a_constant_third() -> None:
    assert XOR_X.shape == (4, 3) and XOR_Y.shape == (4, 1)
    assert np.all(XOR_X[:, 2] == 1)
    np.testing.assert_array_equal(XOR_Y[:, 0], np.logical_xor(XOR_X[:, 0], XOR_X[:, 1]))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("seed", [0, 3])
def test_backprop_gradients_match_finite_differences(activation: str, seed: int) -> None:
    net = TwoLayerNetwork(3, n_hidden=5, seed=seed, activation=activation)
    # Move the weights away from the all-positive start so relu units are both on and off.
    rng = np.random.default_rng(seed + 100)
    net.W1[...] = rng.normal(size=net.W1.shape)
    net.W2[...] = rng.normal(size=net.W2.shape)
    analytic = net.backprop(XOR_X, XOR_Y)
    numeric = net.numerical_gradients(XOR_X, XOR_Y)
    for key in ("dW1", "dW2"):
        assert analytic[key].dtype == np.float64
        np.testing.assert_allclose(analytic[key], numeric[key], rtol=1e-6, atol=1e-8)


def test_numerical_gradients_restore_the_weights() -> None:
    net = TwoLayerNetwork(3)
    before = net.get_weights()
    net.numerical_gradients(XOR_X, XOR_Y)
    np.testing.assert_array_equal(net.W1, before["W1"])
    np.testing.assert_array_equal(net.W2, before["W2"])


def test_backprop_intermediates_have_documented_shapes_and_chain_rule() -> None:
    net = TwoLayerNetwork(3, n_hidden=4)
    g = net.backprop(XOR_X, XOR_Y)
    assert g["z1"].shape == g["a1"].shape == g["dL_da1"].shape == g["delta1"].shape == (4, 4)
    assert g["z2"].shape == g["y_hat"].shape == g["delta2"].shape == (4, 1)
    assert g["dW1"].shape == net.W1.shape == (4, 3) and g["dW2"].shape == net.W2.shape == (1, 4)
    # The loss and its gradient are those of core.losses.sum_squared_error.
    assert g["loss"] == pytest.approx(sum_squared_error(XOR_Y, g["y_hat"]))
    np.testing.assert_allclose(g["dL_dy_hat"], sum_squared_error.gradient(XOR_Y, g["y_hat"]))
    # ŷ = σ(W2·σ(W1·x)) sample by sample, with no biases.
    x = XOR_X[1]
    by_hand = 1 / (1 + np.exp(-(net.W2 @ (1 / (1 + np.exp(-(net.W1 @ x)))))))
    assert g["y_hat"][1, 0] == pytest.approx(by_hand[0])


def test_default_seed_loss_falls_monotonically_and_learns_xor() -> None:
    net = TwoLayerNetwork(3)  # 4 hidden units, seed 0, sigmoid
    losses = net.fit(XOR_X, XOR_Y)  # 1500 iterations, learning rate 1.0
    assert losses.shape == (1500,)
    assert np.all(np.diff(losses) < 0), "loss must fall at every iteration"
    assert losses[-1] < 0.01 < 0.5 < losses[0]
    np.testing.assert_array_equal(np.round(net.predict(XOR_X)), XOR_Y)
    assert net.iteration == 1500


def test_same_seed_same_run_and_other_seed_differs() -> None:
    a, b, c = TwoLayerNetwork(3, seed=0), TwoLayerNetwork(3, seed=0), TwoLayerNetwork(3, seed=1)
    np.testing.assert_array_equal(a.fit(XOR_X, XOR_Y, 20), b.fit(XOR_X, XOR_Y, 20))
    assert not np.array_equal(a.W1, c.W1)


def test_step_is_one_gradient_descent_update() -> None:
    net = TwoLayerNetwork(3, activation="tanh")
    grads = net.backprop(XOR_X, XOR_Y)
    W1, W2 = net.W1.copy(), net.W2.copy()
    loss = net.step(XOR_X, XOR_Y, learning_rate=0.3)
    assert loss == grads["loss"]
    np.testing.assert_allclose(net.W1, W1 - 0.3 * grads["dW1"])
    np.testing.assert_allclose(net.W2, W2 - 0.3 * grads["dW2"])
    assert net.loss(XOR_X, XOR_Y) < loss


def test_diverging_update_raises_and_keeps_the_weights() -> None:
    # The sigmoid output saturates, so only an absurd learning rate can overflow the weights.
    net = TwoLayerNetwork(3, activation="relu")
    net.fit(XOR_X, XOR_Y, iterations=3)
    kept = net.get_weights()
    with pytest.raises(FloatingPointError, match="diverges"):
        net.step(XOR_X, XOR_Y, learning_rate=np.inf)
    assert net.iteration == 3
    np.testing.assert_array_equal(net.W1, kept["W1"])
    np.testing.assert_array_equal(net.W2, kept["W2"])


@pytest.mark.parametrize(
    "kwargs",
    [{"n_inputs": 0}, {"n_inputs": 3, "n_hidden": 0}, {"n_inputs": 3, "activation": "elu"}],
)
def test_bad_arguments_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        TwoLayerNetwork(**kwargs)


def test_bad_shapes_are_refused() -> None:
    net = TwoLayerNetwork(3)
    with pytest.raises(ValueError, match="shape"):
        net.predict(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="targets"):
        net.backprop(XOR_X, XOR_Y[:3])
