"""Element-wise activations (tanh, relu, leaky relu, elu, sigmoid, linear), softmax, and the
learnable PReLU."""

from __future__ import annotations

import math

import numpy as np

from core import initializers
from core.functional import sigmoid, softmax
from core.layers.base import Layer

ACTIVATIONS = ("tanh", "relu", "leaky_relu", "elu", "sigmoid", "softmax", "linear")
ALPHA_DEFAULTS = {"leaky_relu": 0.3, "elu": 1.0}  # the activations with a slope or scale alpha


class Activation(Layer):
    """y = f(x) for f in ACTIVATIONS; softmax is over the last axis, the others element-wise:

    * leaky_relu: y = x for x > 0, alpha·x otherwise (alpha default 0.3, as Keras' layer);
    * elu: y = x for x > 0, alpha·(exp(x) - 1) otherwise (alpha default 1).

    Any input shape; output has the same shape. The derivative is taken from the cached
    output where that is cheapest (tanh: 1 - y², sigmoid: y(1 - y), elu: y + alpha for
    x <= 0); for alpha >= 0, y > 0 exactly where x > 0.
    """

    kind = "activation"

    def __init__(self, activation: str, alpha: float | None = None, name: str | None = None,
                 dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        if activation not in ACTIVATIONS:
            raise ValueError(f"{self.label}: unknown activation {activation!r}; choose one of "
                             f"{', '.join(ACTIVATIONS)}")
        if activation in ALPHA_DEFAULTS:
            alpha = ALPHA_DEFAULTS[activation] if alpha is None else alpha
            if isinstance(alpha, bool) or not isinstance(alpha, int | float | np.number) \
                    or not 0 <= alpha < float("inf"):
                raise ValueError(f"{self.label}: alpha must be a number >= 0, got {alpha!r}")
            alpha = float(alpha)
        elif alpha is not None:
            raise ValueError(f"{self.label}: {activation} takes no alpha")
        self.activation = activation
        self.alpha = alpha
        self._y: np.ndarray | None = None

    def forward(self, x, training=False):
        self._ensure_built(x)
        f = self.activation
        if f == "tanh":
            y = np.tanh(x)
        elif f == "relu":
            y = np.maximum(x, 0)
        elif f == "leaky_relu":
            y = np.maximum(x, 0) if self.alpha == 0 else np.where(x > 0, x, self.alpha * x)
        elif f == "elu":
            y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0)))
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
        if f == "leaky_relu":
            return np.where(y > 0, grad_out, self.alpha * grad_out)
        if f == "elu":  # d/dx alpha·(e^x - 1) = alpha·e^x = y + alpha
            return np.where(y > 0, grad_out, grad_out * (y + self.alpha))
        if f == "sigmoid":  # grad · y · (1 - y)
            out = np.subtract(1, y)
            np.multiply(out, y, out=out)
            return np.multiply(grad_out, out, out=out)
        if f == "softmax":
            return y * (grad_out - np.sum(grad_out * y, axis=-1, keepdims=True))
        return grad_out.copy()

    def get_config(self):
        config = {"name": self.name, "activation": self.activation}
        if self.alpha is not None:
            config["alpha"] = self.alpha
        return config


class LeakyReLU(Activation):
    """The leaky_relu activation as a layer of its own: y = x for x > 0, alpha·x otherwise."""

    kind = "leaky_relu"

    def __init__(self, alpha: float = ALPHA_DEFAULTS["leaky_relu"], name: str | None = None,
                 dtype: str = "float32") -> None:
        super().__init__("leaky_relu", alpha, name, dtype)

    def get_config(self):
        return {"name": self.name, "alpha": self.alpha}


class ELU(Activation):
    """The elu activation as a layer of its own: y = x for x > 0, alpha·(exp(x) - 1) otherwise."""

    kind = "elu"

    def __init__(self, alpha: float = ALPHA_DEFAULTS["elu"], name: str | None = None,
                 dtype: str = "float32") -> None:
        super().__init__("elu", alpha, name, dtype)

    def get_config(self):
        return {"name": self.name, "alpha": self.alpha}


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
