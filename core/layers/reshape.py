"""Flatten: (N, d1, d2, ...) -> (N, d1·d2·...), the bridge from conv maps to dense layers."""

from __future__ import annotations

import math

from core.layers.base import Layer


class Flatten(Layer):
    """Row-major flatten of everything but the batch axis (channels-first order, as Keras
    with ``image_data_format="channels_first"``)."""

    kind = "flatten"

    def __init__(self, name: str | None = None, dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        self._shape: tuple[int, ...] | None = None

    def output_shape(self, input_shape):
        return (math.prod(input_shape),)  # Python ints: no int64 wrap-around

    def forward(self, x, training=False):
        self._ensure_built(x)
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        return grad_out.reshape(self._shape)
