"""Fully connected layer: y = x·W + b."""

from __future__ import annotations

import numpy as np

from core import initializers, regularizers
from core.layers.base import Layer, batch_shape, whole_number


class Dense(Layer):
    """y = x @ W + b with W of shape (in, units) and b of shape (units,).

    x: (N, in) -> y: (N, units). ``activation`` is a convenience: ``Dense(10,
    activation="softmax")`` is built by the model as Dense followed by Activation.
    """

    kind = "dense"

    def __init__(
        self,
        units: int,
        kernel_initializer: str = "glorot_uniform",
        bias_initializer: str = "zeros",
        kernel_regularizer: regularizers.Regularizer | str | None = None,
        activation: str | None = None,
        name: str | None = None,
        dtype: str = "float32",
    ) -> None:
        super().__init__(name, dtype)
        self.units = whole_number(units, f"{self.label}: units")
        self.kernel_initializer = initializers.check(kernel_initializer)
        self.bias_initializer = initializers.check(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.activation = activation
        self._x: np.ndarray | None = None

    def build(self, input_shape, rng=None) -> None:
        super().build(input_shape, rng)
        shapes = self.param_shapes(self.input_shape)
        fans = shapes["W"]
        init_w = initializers.get(self.kernel_initializer)
        init_b = initializers.get(self.bias_initializer)
        self._add_param("W", init_w(shapes["W"], fans, self.rng, self.dtype),
                        self.kernel_regularizer)
        self._add_param("b", init_b(shapes["b"], fans, self.rng, self.dtype))

    def param_shapes(self, input_shape):
        self.output_shape(input_shape)  # flat inputs only
        return {"W": (int(input_shape[0]), self.units), "b": (self.units,)}

    def output_shape(self, input_shape):
        if len(input_shape) != 1:  # never flattened silently: the network says where
            raise ValueError(f"{self.label} expects a flat (N, features) input, got "
                             f"{batch_shape(input_shape)}: add a Flatten before it")
        return (self.units,)

    def forward(self, x, training=False):
        if x.ndim != 2:
            self.output_shape(x.shape[1:])  # raises: a Dense layer flattens nothing
        self._ensure_built(x)
        self._x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, grad_out):
        x = self._x
        self.grads["W"] = x.T @ grad_out
        self.grads["b"] = grad_out.sum(axis=0)
        self._add_regularization_grads()
        if self.skip_input_grad:
            return None
        return grad_out @ self.params["W"].T

    def get_config(self):
        return {
            "name": self.name,
            "units": self.units,
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": (self.kernel_regularizer.get_config()
                                   if self.kernel_regularizer else None),
        }
