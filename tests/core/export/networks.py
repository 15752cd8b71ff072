"""Networks the export tests convert: the shipped model, every preset, and hand-built ones
that together use every layer type, padding mode, stride, loss and optimizer nnviz has."""

from __future__ import annotations

import numpy as np

from core import regularizers
from core.data import ASSETS, as_network_input, load_sample
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
from core.model import Sequential
from core.models import PRESETS, preset, tutorial_cnn


def _randomised(model: Sequential, seed: int) -> Sequential:
    """Every weight drawn at random (biases and PReLU slopes too, which start at 0), so that
    a weight copied to the wrong place or left out changes the outputs."""
    rng = np.random.default_rng(seed)
    for p in model.named_params().values():
        p[...] = rng.normal(0.0, 0.3, p.shape)
    for name, a in model.named_state().items():  # moving statistics: variances positive
        a[...] = rng.uniform(0.5, 2.0, a.shape) if name.endswith("variance") else rng.normal(
            0.0, 0.3, a.shape)
    return model


def shipped() -> Sequential:
    return Sequential.load(ASSETS / "tutorial_cnn.npz")


def tutorial_with_dropout() -> Sequential:
    return _randomised(tutorial_cnn(seed=1, dropout=0.3), 1)


def same_padding_stride_prelu() -> Sequential:
    """'same' padding, stride 2 (13×13, floored by the pool), PReLU, sigmoid, dropout,
    L1 + L2 penalties, Adam."""
    reg = regularizers.l1_l2(1e-4, 1e-3)
    model = Sequential(input_shape=(1, 28, 28), seed=2, name="same_stride_prelu")
    model.add(Conv2D(6, 3, padding="same", kernel_regularizer=reg))
    model.add(PReLU())
    model.add(Conv2D(8, 3, stride=2, kernel_regularizer=reg))
    model.add(Activation("sigmoid"))
    model.add(MaxPooling2D(2))
    model.add(Flatten())
    model.add(Dropout(0.5))
    model.add(Dense(24, activation="relu", kernel_regularizer=reg))
    model.add(Dense(10, activation="softmax"))
    model.compile(optimizer={"name": "adam", "lr": 0.002})
    return _randomised(model, 2)


def int_padding_tanh_head() -> Sequential:
    """Padding 1 with stride 2 and a 5×5 kernel, linear, PReLU on flat features, a tanh
    output trained with mean squared error, Adagrad and an L2 penalty."""
    model = Sequential(input_shape=(1, 28, 28), seed=3, name="int_padding_tanh")
    model.add(Conv2D(4, 5, padding=1, stride=2, kernel_regularizer=regularizers.l2(1e-3)))
    model.add(Activation("linear"))
    model.add(Flatten())
    model.add(PReLU())
    model.add(Dense(10, activation="tanh"))
    model.compile(loss="mean_squared_error", optimizer={"name": "adagrad", "lr": 0.05})
    return _randomised(model, 3)


def dense_sigmoid_head() -> Sequential:
    """A dense network with a sigmoid output, binary cross-entropy and Adadelta."""
    model = Sequential(input_shape=(1, 28, 28), seed=4, name="dense_sigmoid")
    model.add(Flatten())
    model.add(Dense(32, activation="tanh"))
    model.add(Dense(10, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="adadelta")
    return _randomised(model, 4)


def dense_sum_squared_softmax() -> Sequential:
    """Softmax output under a loss other than cross-entropy (no fused head), plain SGD."""
    model = Sequential(input_shape=(1, 28, 28), seed=5, name="dense_sse")
    model.add(Flatten())
    model.add(Dense(16, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    model.compile(loss="sum_squared_error", optimizer={"name": "sgd", "lr": 0.01})
    return _randomised(model, 5)


def batch_norm_pools_leaky_elu() -> Sequential:
    """Batch normalization on maps and on flat features, average and max pooling with
    strides and 'same' padding that is uneven (one more row at the bottom), LeakyReLU and
    ELU as layers and as activation names; SGD with momentum."""
    model = Sequential(input_shape=(1, 28, 28), seed=6, name="batch_norm_pools")
    model.add(Conv2D(4, 3, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(LeakyReLU(0.1))
    model.add(AveragePooling2D(2, 3, "same"))            # 28 -> 10, padding 0 top, 1 bottom
    model.add(Conv2D(6, 3, activation="elu"))            # 10 -> 8
    model.add(MaxPooling2D(3, 2, "same"))                 # 8 -> 4, padding 0 top, 1 bottom
    model.add(ELU(0.5))
    model.add(AveragePooling2D(3, 1, "same"))             # 4 -> 4, padding 1 each side
    model.add(MaxPooling2D(2, 1))                         # overlapping windows, 4 -> 3
    model.add(Flatten())
    model.add(Dense(16))
    model.add(BatchNormalization(epsilon=1e-5))
    model.add(Activation("leaky_relu"))
    model.add(Dense(10, activation="softmax"))
    model.compile(optimizer={"name": "sgd", "lr": 0.05, "momentum": 0.9})
    return _randomised(model, 6)


def _preset_builder(name: str):
    def build() -> Sequential:
        """The preset, its initial weights (biases too) nudged at random: any larger and
        the 784- and 512-input dense layers would saturate the softmax."""
        model = preset(name, seed=7)
        rng = np.random.default_rng(7)
        for p in model.named_params().values():
            p += rng.normal(0.0, 0.05, p.shape).astype(p.dtype)
        return model

    build.__name__ = f"preset_{name}"
    return build


NETWORKS = {f.__name__: f for f in (shipped, tutorial_with_dropout, same_padding_stride_prelu,
                                    int_padding_tanh_head, dense_sigmoid_head,
                                    dense_sum_squared_softmax, batch_norm_pools_leaky_elu,
                                    *map(_preset_builder, PRESETS))}


def digits(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """``n`` shipped test digits as network input (n, 1, 28, 28) and their labels."""
    data = load_sample()
    return as_network_input(data.x_test[:n]), data.y_test[:n]
