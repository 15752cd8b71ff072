"""Every layer's backward pass against central differences, in float64."""

from __future__ import annotations

import numpy as np
import pytest

from core.layers import (
    ELU,
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPooling2D,
    PReLU,
)
from tests.core.gradient_check import check_layer

F64 = "float64"


def images(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize(
    ("filters", "kernel", "padding", "stride", "shape"),
    [
        (3, 3, "valid", 1, (2, 2, 6, 6)),
        (2, 5, "valid", 1, (2, 1, 8, 8)),
        (2, 3, "same", 1, (2, 3, 5, 5)),
        (2, 3, 1, 2, (2, 2, 7, 7)),
        (4, 2, "valid", 2, (1, 2, 6, 5)),
        (2, (3, 2), 2, 3, (2, 1, 7, 6)),
    ],
)
def test_conv2d(filters, kernel, padding, stride, shape):
    layer = Conv2D(filters, kernel, padding=padding, stride=stride, dtype=F64)
    layer.build(shape[1:], np.random.default_rng(0))
    layer.params["b"][:] = np.random.default_rng(2).standard_normal(filters)
    check_layer(layer, images(shape))


def test_conv2d_matches_direct_loops():
    x = images((2, 3, 6, 7))
    layer = Conv2D(4, 3, padding=1, stride=2, dtype=F64)
    y = layer.forward(x)
    w, b = layer.params["W"], layer.params["b"]
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    expected = np.zeros(y.shape)
    for n in range(2):
        for f in range(4):
            for i in range(y.shape[2]):
                for j in range(y.shape[3]):
                    patch = xp[n, :, 2 * i : 2 * i + 3, 2 * j : 2 * j + 3]
                    expected[n, f, i, j] = np.sum(patch * w[f]) + b[f]
    np.testing.assert_allclose(y, expected, rtol=1e-12)


@pytest.mark.parametrize("shape", [(2, 3, 4, 4), (2, 2, 5, 7), (1, 2, 9, 9), (2, 1, 3, 3)])
@pytest.mark.parametrize("pool", [2, 3, (2, 3)])
def test_max_pooling(shape, pool):
    layer = MaxPooling2D(pool, dtype=F64)
    check_layer(layer, images(shape))


POOLS = [  # pool, strides, padding, input shape
    (2, None, "valid", (2, 3, 4, 4)),
    (2, None, "valid", (2, 2, 5, 7)),    # floor: the last row and column are dropped
    ((2, 3), None, "valid", (1, 2, 9, 9)),
    (3, 2, "valid", (2, 2, 7, 8)),       # overlapping windows
    (2, 1, "valid", (1, 2, 4, 5)),
    (2, None, "same", (2, 2, 5, 7)),     # the odd row and column padded
    (3, 2, "same", (1, 2, 6, 7)),        # padding on both sides, overlapping
    ((3, 2), 1, "same", (2, 1, 4, 4)),
]


@pytest.mark.parametrize(("pool", "strides", "padding", "shape"), POOLS)
def test_average_pooling(pool, strides, padding, shape):
    check_layer(AveragePooling2D(pool, strides, padding, dtype=F64), images(shape))


@pytest.mark.parametrize(("pool", "strides", "padding", "shape"), POOLS)
@pytest.mark.parametrize("training", [True, False])
def test_max_pooling_strides_and_padding(pool, strides, padding, shape, training):
    check_layer(MaxPooling2D(pool, strides, padding, dtype=F64), images(shape),
                training=training)


@pytest.mark.parametrize(("pool", "strides", "padding", "shape"), POOLS)
def test_pooling_matches_direct_loops(pool, strides, padding, shape):
    x = images(shape)
    average = AveragePooling2D(pool, strides, padding, dtype=F64)
    maximum = MaxPooling2D(pool, strides, padding, dtype=F64)
    y_avg, y_max = average.forward(x), maximum.forward(x)
    (ph, pw), (sh, sw) = average.pool_size, average.strides
    top, _, left, _ = average.pads(*shape[2:])
    for a in range(y_avg.shape[2]):
        for b in range(y_avg.shape[3]):
            r0, c0 = a * sh - top, b * sw - left  # the window, clipped to the image
            window = x[:, :, max(r0, 0) : r0 + ph, max(c0, 0) : c0 + pw]
            np.testing.assert_allclose(y_avg[:, :, a, b], window.mean(axis=(2, 3)))
            np.testing.assert_array_equal(y_max[:, :, a, b], window.max(axis=(2, 3)))


def test_lenet_subsampling_averages_each_2x2_block():
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4)
    y = AveragePooling2D(2, dtype=F64).forward(x)
    np.testing.assert_array_equal(y[0, 0], [[2.5, 4.5], [10.5, 12.5]])


@pytest.mark.parametrize("shape", [(6, 4), (5, 3, 4, 4), (3, 2, 3, 5)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_normalization(shape, training):
    layer = BatchNormalization(dtype=F64)
    layer.build(shape[1:])
    rng = np.random.default_rng(4)
    layer.params["gamma"][:] = rng.uniform(0.5, 2.0, shape[1])
    layer.params["beta"][:] = rng.standard_normal(shape[1])
    layer.state["moving_mean"][:] = rng.standard_normal(shape[1])
    layer.state["moving_variance"][:] = rng.uniform(0.5, 2.0, shape[1])
    check_layer(layer, 3.0 * images(shape) + 1.0, training=training)


def test_batch_normalization_on_channel_major_maps():
    """Conv outputs are stored channel-major; the gradient must not depend on the layout."""
    x = images((3, 4, 5, 5))
    layer = BatchNormalization(dtype=F64)
    check_layer(layer, np.ascontiguousarray(x.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3),
                training=True)


@pytest.mark.parametrize("layer", [Activation("leaky_relu", dtype=F64), LeakyReLU(0.1, dtype=F64),
                                   Activation("elu", dtype=F64), ELU(0.7, dtype=F64)],
                         ids=repr)
def test_leaky_relu_and_elu(layer):
    x = images((3, 2, 4))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink
    check_layer(layer, x)


def test_leaky_relu_and_elu_values():
    x = np.array([[-2.0, -0.5, 0.0, 1.5]])
    np.testing.assert_allclose(LeakyReLU(0.1, dtype=F64).forward(x), [[-0.2, -0.05, 0, 1.5]])
    np.testing.assert_allclose(Activation("leaky_relu", dtype=F64).forward(x),
                               [[-0.6, -0.15, 0, 1.5]])
    np.testing.assert_allclose(ELU(dtype=F64).forward(x),
                               [[np.expm1(-2.0), np.expm1(-0.5), 0, 1.5]])
    np.testing.assert_allclose(ELU(2.0, dtype=F64).forward(x)[0, 0], 2 * np.expm1(-2.0))


def test_max_pooling_floor_and_values():
    x = np.arange(2 * 9 * 9, dtype=np.float64).reshape(1, 2, 9, 9)
    y = MaxPooling2D(2, dtype=F64).forward(x)
    assert y.shape == (1, 2, 4, 4)
    assert y[0, 0, 0, 0] == x[0, 0, 1, 1] and y[0, 1, 3, 3] == x[0, 1, 7, 7]


@pytest.mark.parametrize("pool", [2, 3, (1, 3), (3, 1)])
def test_max_pooling_ties_route_to_first_maximum(pool):
    layer = MaxPooling2D(pool, dtype=F64)
    x = np.ones((1, 1, 3, 3))
    x[0, 0, 2, 2] = 0.5
    out = layer.forward(x, training=True)
    dx = layer.backward(np.full_like(out, 5.0))
    (ph, pw), (_, _, oh, ow) = layer.pool_size, out.shape
    assert dx.sum() == 5.0 * out.size and np.all(dx[0, 0, : oh * ph : ph, : ow * pw : pw] == 5)


def test_dense():
    layer = Dense(5, dtype=F64)
    layer.build((7,), np.random.default_rng(0))
    check_layer(layer, images((4, 7)))


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid", "softmax", "linear", "leaky_relu",
                                  "elu"])
def test_activation(name):
    x = images((3, 6))
    if name in ("relu", "leaky_relu", "elu"):
        x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink
    check_layer(Activation(name, dtype=F64), x)


def test_prelu():
    layer = PReLU(dtype=F64)
    layer.build((2, 3, 3))
    layer.params["alpha"][:] = np.random.default_rng(3).uniform(0.05, 0.3, (2, 3, 3))
    x = images((4, 2, 3, 3))
    x[np.abs(x) < 1e-3] = 0.5
    check_layer(layer, x)


def test_flatten():
    check_layer(Flatten(dtype=F64), images((2, 3, 4, 5)))


def test_dropout_gradient_uses_the_same_mask():
    layer = Dropout(0.5, dtype=F64)
    x = images((4, 10))
    mask = layer.forward(np.ones_like(x), training=True)  # ones in: the scaled mask out
    assert set(np.unique(mask)) == {0.0, 2.0}
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), mask)
    np.testing.assert_array_equal(layer.forward(x, training=False), x)


def test_dropout_keeps_expected_value():
    layer = Dropout(0.3)
    x = np.ones((200, 500), dtype=np.float32)
    assert abs(layer.forward(x, training=True).mean() - 1.0) < 0.01


def test_float32_layers_stay_float32():
    x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    for layer in (Conv2D(4, 5), Activation("tanh"), MaxPooling2D(2), BatchNormalization(),
                  AveragePooling2D(2), LeakyReLU(), ELU(), AveragePooling2D(3, 2, "same"),
                  MaxPooling2D(3, 2, "same"), Flatten(), BatchNormalization(), Dense(5),
                  Activation("elu"), Activation("leaky_relu")):
        for training in (True, False):
            y = layer.forward(x, training=training)
            assert y.dtype == np.float32, layer
            assert layer.backward(np.ones_like(y)).dtype == np.float32, layer
        x = y


def test_bad_shapes_are_explained():
    with pytest.raises(ValueError, match="Flatten"):
        Dense(3).build((2, 4))
    with pytest.raises(ValueError, match="does not fit"):
        Conv2D(2, 5).build((1, 3, 3))
    layer = Conv2D(2, 3)
    layer.forward(np.zeros((1, 1, 5, 5), dtype=np.float32))
    with pytest.raises(ValueError, match="expected input"):
        layer.forward(np.zeros((1, 2, 5, 5), dtype=np.float32))


def test_a_dense_layer_flattens_nothing_on_its_own():
    message = (r"dense_1 expects a flat \(N, features\) input, got \(N, 8, 4, 4\): add a "
               r"Flatten before it")
    x = np.zeros((2, 8, 4, 4), dtype=np.float32)
    with pytest.raises(ValueError, match=message):
        Dense(3, name="dense_1").forward(x)            # not built yet
    built = Dense(3, name="dense_1")
    built.forward(np.zeros((2, 128), dtype=np.float32))
    with pytest.raises(ValueError, match=message):
        built.forward(x)                               # built for flat input
