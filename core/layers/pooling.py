"""Max pooling over non-overlapping windows (stride = pool size), flooring odd sizes."""

from __future__ import annotations

import numpy as np

from core.checks import pair
from core.layers.base import Layer


class MaxPooling2D(Layer):
    """y[n, c, i, j] = max of the (ph, pw) window at (i·ph, j·pw); rows/cols past the last
    whole window are dropped (Keras' 'valid' floor: 9×9 -> 4×4 for pool 2).

    x: (N, C, H, W) -> y: (N, C, H // ph, W // pw). The gradient flows to the first
    maximum of each window only.
    """

    kind = "max_pooling2d"

    def __init__(self, pool_size: int | tuple[int, int] = 2, name: str | None = None,
                 dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        self.pool_size = pair(pool_size, "MaxPooling2D pool_size")
        self._argmax: np.ndarray | None = None
        self._x: np.ndarray | None = None  # the input, kept for its shape and memory layout

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"MaxPooling2D expects images (channels, height, width), "
                             f"got {tuple(input_shape)}")
        c, h, w = input_shape
        ph, pw = self.pool_size
        if h < ph or w < pw:
            raise ValueError(f"pool {ph}×{pw} does not fit in {h}×{w}")
        return (c, h // ph, w // pw)

    def forward(self, x, training=False):
        self._ensure_built(x)
        out = argmax = None
        # one strided view per window offset: whole-batch maxima, any memory layout kept;
        # ``argmax`` remembers which offset won (the first maximum, as TensorFlow routes it)
        for k, window in enumerate(self._offset_views(x)):
            if out is None:
                out = window.copy(order="K")
                argmax = np.zeros_like(out, dtype=np.uint8)
            else:
                # offsets come in increasing k, so a strictly larger value wins with max()
                better = (window > out).view(np.uint8)
                np.maximum(argmax, better * np.uint8(k), out=argmax)
                np.maximum(out, window, out=out)
        self._argmax = argmax
        self._x = x
        return out

    def backward(self, grad_out):
        dx = np.zeros_like(self._x)  # rows/columns dropped by the floor get 0
        # winner (N, C, OH, OW): 1 where offset k holds the first maximum, else 0, in the
        # gradient's dtype, so the strided product below needs no casting buffer
        winner = np.empty_like(grad_out)
        for k, dx_window in enumerate(self._offset_views(dx)):
            np.equal(self._argmax, k, out=winner, casting="unsafe")
            np.multiply(grad_out, winner, out=dx_window)
        return dx

    def _offset_views(self, x: np.ndarray) -> list[np.ndarray]:
        """The ph*pw strided views x[:, :, i::ph, j::pw] cropped to whole windows."""
        ph, pw = self.pool_size
        oh, ow = x.shape[2] // ph, x.shape[3] // pw
        return [x[:, :, i : oh * ph : ph, j : ow * pw : pw] for i in range(ph) for j in range(pw)]

    def get_config(self):
        return {"name": self.name, "pool_size": list(self.pool_size)}
