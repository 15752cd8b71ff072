"""Central-difference gradient checking in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, perturbing ``x`` in place entry by entry."""
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def assert_close(analytic: np.ndarray, numeric: np.ndarray, rtol: float = 1e-5,
                 atol: float = 1e-7) -> None:
    """Relative error check robust to tiny gradients."""
    analytic = np.asarray(analytic, dtype=np.float64)
    scale = max(np.abs(numeric).max(), np.abs(analytic).max(), 1e-12)
    error = np.abs(analytic - numeric).max()
    assert error <= rtol * scale + atol, f"max abs error {error:.3g} (scale {scale:.3g})"


def check_layer(layer, x: np.ndarray, seed: int = 0, training: bool = False) -> None:
    """Check d(sum(y * r))/dx and d/dparams for a random projection r of the output, with
    every forward pass in training mode or all in inference mode."""
    rng = np.random.default_rng(seed)
    y = layer.forward(x, training=training)
    r = rng.standard_normal(y.shape)

    def loss() -> float:
        return float(np.sum(layer.forward(x, training=training) * r))

    layer.forward(x, training=training)
    r_before = r.copy()
    dx = layer.backward(r)
    assert np.array_equal(r, r_before), "backward must not modify its argument"
    analytic = {k: g.copy() for k, g in layer.grads.items()}
    if dx is not None:
        assert dx.shape == x.shape
        assert_close(dx, numerical_gradient(loss, x))
    for key, p in layer.params.items():
        assert analytic[key].shape == p.shape
        assert_close(analytic[key], numerical_gradient(loss, p))
