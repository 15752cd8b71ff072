"""Small networks and batches shared by the engine's tests."""

from __future__ import annotations

import numpy as np

from core.layers import Activation, BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D
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
