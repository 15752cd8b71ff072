"""Test doubles for the Draw tab: models with the engine's inference methods."""

from __future__ import annotations

import numpy as np

from core.functional import softmax


class LinearModel:
    """A fixed linear layer + softmax with the engine's two inference methods.

    ``activations`` returns [logits, probabilities], like a model whose last layer is
    Activation("softmax"); ``calls`` counts forward passes.
    """

    def __init__(self, seed: int = 0) -> None:
        self.W = np.random.default_rng(seed).normal(0.0, 0.3, (784, 10)).astype(np.float32)
        self.calls = 0

    def activations(self, x: np.ndarray) -> list[np.ndarray]:
        assert x.shape[1:] == (1, 28, 28) and x.dtype == np.float32
        self.calls += 1
        logits = x.reshape(len(x), -1) @ self.W
        return [logits, softmax(logits)]

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.activations(x)[-1]


class SoftmaxOnly(LinearModel):
    """Only the probabilities: no logits layer to read."""

    def activations(self, x):
        return [softmax(super().activations(x)[0])]


class BrokenModel(LinearModel):
    def activations(self, x):
        raise RuntimeError("weights of the wrong shape")


class DivergedModel(LinearModel):
    def activations(self, x):
        logits = np.full((len(x), 10), np.nan, dtype=np.float32)
        return [logits, logits]
