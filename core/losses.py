"""Loss functions: each a small object giving the loss value and its gradient.

A loss is called as ``loss(y_true, y_pred) -> float`` and differentiated with
``loss.gradient(y_true, y_pred) -> dL/dy_pred`` (same shape as ``y_pred``).
Values are averaged over samples as Keras does, except :data:`sum_squared_error`,
which sums (the from-scratch network of the tutorial uses the plain sum).

Softmax followed by categorical cross-entropy is *fused*: a model whose last layer is a
softmax asks :meth:`CategoricalCrossentropy.gradient_from_logits` for the gradient with
respect to the scores, which is simply ``(p - y) / N`` and never divides by a tiny p.
"""

from __future__ import annotations

import numpy as np

from core.functional import log_softmax, softmax

DEFAULT_EPSILON = 1e-7  # Keras' backend epsilon: the clip that keeps log(0) away


class Loss:
    """Base class: ``__call__`` gives the mean loss, ``gradient`` its derivative."""

    name = "loss"
    reduction = "mean"
    """How the samples' losses combine: ``"mean"`` (a batch's loss is their average) or
    ``"sum"``. Training on shards of a batch weighs each shard's loss by its share of the
    batch for a mean, by 1 for a sum."""

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        return float(np.mean(self.per_sample(y_true, y_pred)))

    def per_sample(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """Loss of each sample, shape (N,)."""
        raise NotImplementedError

    def gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """dL/dy_pred for the *mean* loss, shape of ``y_pred``."""
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class CategoricalCrossentropy(Loss):
    """-sum_k y_k log p_k per sample, p clipped into [eps, 1 - eps]; y one-hot, shape (N, K)."""

    name = "categorical_crossentropy"

    def __init__(self, epsilon: float = DEFAULT_EPSILON) -> None:
        self.epsilon = epsilon

    def per_sample(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        p = np.clip(y_pred, self.epsilon, 1.0 - self.epsilon)
        return -np.sum(y_true * np.log(p), axis=-1)

    def gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        n = y_pred.shape[0]
        p = np.clip(y_pred, self.epsilon, 1.0 - self.epsilon)
        inside = (y_pred > self.epsilon) & (y_pred < 1.0 - self.epsilon)
        return np.where(inside, -y_true / p, 0.0).astype(y_pred.dtype) / n

    def from_logits(self, y_true: np.ndarray, logits: np.ndarray) -> float:
        """Mean cross-entropy of softmax(logits), computed with a stable log-softmax."""
        return float(np.mean(-np.sum(y_true * log_softmax(logits), axis=-1)))

    def gradient_from_logits(self, y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
        """Fused softmax + cross-entropy gradient w.r.t. the scores: (softmax(z) - y) / N."""
        return (softmax(logits) - y_true) / logits.shape[0]


class BinaryCrossentropy(Loss):
    """-(y log p + (1 - y) log(1 - p)), p clipped into [eps, 1 - eps], averaged over outputs.

    The clip is the tutorial's: without it p = 0 or 1 would give log(0) = -inf.
    """

    name = "binary_crossentropy"

    def __init__(self, epsilon: float = DEFAULT_EPSILON) -> None:
        if not 0.0 < epsilon < 0.5:
            raise ValueError("epsilon must lie in (0, 0.5)")
        self.epsilon = epsilon

    def _clipped(self, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """p and 1 - p, each clipped into [eps, 1 - eps]; 1 - p is clipped on its own so
        that an eps below float64's resolution near 1 (1 - 1e-17 == 1) still avoids log(0)."""
        eps = self.epsilon
        return np.clip(y_pred, eps, 1.0 - eps), np.clip(1.0 - y_pred, eps, 1.0 - eps)

    def elementwise(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """Loss of each output separately, same shape as ``y_pred``."""
        p, q = self._clipped(y_pred)
        return -(y_true * np.log(p) + (1.0 - y_true) * np.log(q))

    def per_sample(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        per_output = self.elementwise(y_true, y_pred)
        return per_output.reshape(per_output.shape[0], -1).mean(axis=1)

    def gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        p, q = self._clipped(y_pred)
        inside = (y_pred > self.epsilon) & (1.0 - y_pred > self.epsilon)
        grad = (1.0 - y_true) / q - y_true / p
        return np.where(inside, grad, 0.0).astype(y_pred.dtype) / y_pred.size


class MeanSquaredError(Loss):
    """mean((y - y_pred)^2) over the outputs of a sample, averaged over samples."""

    name = "mean_squared_error"

    def per_sample(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        diff = (y_pred - y_true).reshape(y_pred.shape[0], -1)
        return np.mean(diff * diff, axis=1)

    def gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return 2.0 * (y_pred - y_true) / y_pred.size


class SumSquaredError(Loss):
    """sum((y - y_pred)^2) over everything: the loss of the from-scratch network
    (:mod:`core.scratch`)."""

    name = "sum_squared_error"
    reduction = "sum"

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        diff = y_pred - y_true
        return float(np.sum(diff * diff))

    def per_sample(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        diff = (y_pred - y_true).reshape(y_pred.shape[0], -1)
        return np.sum(diff * diff, axis=1)

    def gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return 2.0 * (y_pred - y_true)


categorical_crossentropy = CategoricalCrossentropy()
binary_crossentropy = BinaryCrossentropy()
mean_squared_error = MeanSquaredError()
sum_squared_error = SumSquaredError()

_REGISTRY: dict[str, type[Loss]] = {
    cls.name: cls
    for cls in (CategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError, SumSquaredError)
}
_REGISTRY["mse"] = MeanSquaredError


def get(identifier: str | Loss) -> Loss:
    """Turn a name such as ``"categorical_crossentropy"`` (or a Loss) into a Loss object."""
    if isinstance(identifier, Loss):
        return identifier
    if not isinstance(identifier, str) or identifier not in _REGISTRY:
        raise ValueError(f"unknown loss {identifier!r:.40}; choose one of {sorted(_REGISTRY)}")
    return _REGISTRY[identifier]()
