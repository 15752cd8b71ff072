"""Small networks and batches shared by the engine's tests."""

from __future__ import annotations

import numpy as np

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
from core.optimizers import SGD


def bn_cnn(seed: int = 0) -> Sequential:
    """conv 4@3×3 -> BN (per channel) -> relu -> pool -> flatten -> dense 16 -> BN -> tanh
    -> dense 10 softmax."""
    model = Sequential(input_shape=(1, 28, 28), seed=seed, name="bn_cnn")
    for layer in (Conv2D(4, 3), BatchNormalization(), Activation("relu"), MaxPooling2D(2),
                  Flatten(), Dense(16), BatchNormalization(), Activation("tanh"),
                  Dense(10, activation="softmax")):
        model.add(layer)
    model.compile(optimizer=SGD(lr=0.05, momentum=0.9, nesterov=True))
    return model


def batch(n: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, n)


def every_layer_type() -> Sequential:
    """A network using every layer type, with every weight and moving statistic random."""
    model = Sequential(input_shape=(1, 28, 28), seed=7, name="every_layer")
    for layer in (Conv2D(4, 3, padding="same"), BatchNormalization(), LeakyReLU(0.1),
                  AveragePooling2D(2), Conv2D(6, 3, stride=2), ELU(), PReLU(),
                  MaxPooling2D(3, 2, "same"), Flatten(), Dropout(0.2), Dense(12),
                  BatchNormalization(), Activation("elu"), Dense(10, activation="softmax")):
        model.add(layer)
    rng = np.random.default_rng(0)
    for a in (*model.named_params().values(), *model.named_state().values()):
        a[...] = rng.uniform(0.2, 1.0, a.shape)
    return model
