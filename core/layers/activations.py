"""Element-wise activations (tanh, relu, sigmoid, linear), softmax, and the learnable PReLU."""

from __future__ import annotations

import math

import numpy as np

from core import initializers
from core.checks import text_choice
from core.functional import sigmoid, softmax
from core.layers.base import Layer

ACTIVATIONS = ("tanh", "relu", "sigmoid", "softmax", "linear")


class Activation(Layer):
    """y = f(x) for f in tanh, relu, sigmoid, softmax (over the last axis) or linear.

    Any input shape; output has the same shape. The derivative is taken from the cached
    output where that is cheapest (tanh: 1 - y², sigmoid: y(1 - y)).
    """

    kind = "activation"

    def __init__(self, activation: str, name: str | None = None, dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        self.activation = text_choice(activation, "activation", ACTIVATIONS)
        self._y: np.ndarray | None = None

    def forward(self, x, training=False):
        self._ensure_built(x)
        f = self.activation
        if f == "tanh":
            y = np.tanh(x)
        elif f == "relu":
            y = np.maximum(x, 0)
        elif f == "sigmoid":
            y = sigmoid(x)
        elif f == "softmax":
            y = softmax(x, axis=-1)
        else:
            y = x
        self._y = y
        return y

    def backward(self, grad_out):
        f, y = self.activation, self._y
        if f == "tanh":  # grad · (1 - y²), in one temporary
            out = np.multiply(y, y)
            np.subtract(1, out, out=out)
            return np.multiply(grad_out, out, out=out)
        if f == "relu":
            return grad_out * (y > 0)
        if f == "sigmoid":  # grad · y · (1 - y)
            out = np.subtract(1, y)
            np.multiply(out, y, out=out)
            return np.multiply(grad_out, out, out=out)
        if f == "softmax":
            return y * (grad_out - np.sum(grad_out * y, axis=-1, keepdims=True))
        return grad_out.copy()

    def get_config(self):
        return {"name": self.name, "activation": self.activation}


class PReLU(Layer):
    """y = x for x > 0 and alpha·x otherwise, with one learnable slope per input element
    (Keras' default, no shared axes); alpha starts at 0, i.e. as a relu."""

    kind = "prelu"

    def __init__(self, alpha_initializer: str = "zeros", name: str | None = None,
                 dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        self.alpha_initializer = initializers.check(alpha_initializer)
        self._x: np.ndarray | None = None

    def build(self, input_shape, rng=None) -> None:
        super().build(input_shape, rng)
        init = initializers.get(self.alpha_initializer)
        size = math.prod(self.input_shape)
        self._add_param("alpha", init(self.input_shape, (size, size), self.rng, self.dtype))

    def param_shapes(self, input_shape):
        return {"alpha": tuple(int(s) for s in input_shape)}

    def forward(self, x, training=False):
        self._ensure_built(x)
        self._x = x
        return np.where(x > 0, x, self.params["alpha"] * x)

    def backward(self, grad_out):
        x = self._x
        positive = x > 0
        self.grads["alpha"] = np.where(positive, 0, grad_out * x).sum(axis=0)
        return np.where(positive, grad_out, grad_out * self.params["alpha"])

    def get_config(self):
        return {"name": self.name, "alpha_initializer": self.alpha_initializer}
