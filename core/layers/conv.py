"""2-D convolution (cross-correlation, as in every deep-learning library) over NCHW images."""

from __future__ import annotations

import numpy as np

from core import initializers, regularizers
from core.checks import pair, whole
from core.functional import col2im, conv_output_size, im2col, pad_images, same_padding
from core.layers.base import Layer


class Conv2D(Layer):
    """y[n, f] = b[f] + Σ_c W[f, c] ⋆ x[n, c], computed as one matrix product with im2col.

    x: (N, C, H, W) -> y: (N, filters, OH, OW) with OH = (H + 2p - kh) // stride + 1.
    ``params["W"]``: (filters, C, kh, kw); ``params["b"]``: (filters,).
    ``padding``: ``"valid"`` (none), ``"same"`` (keeps the size at stride 1) or an int.
    """

    kind = "conv2d"

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, int],
        padding: str | int = "valid",
        stride: int = 1,
        kernel_initializer: str = "glorot_uniform",
        bias_initializer: str = "zeros",
        kernel_regularizer: regularizers.Regularizer | str | None = None,
        activation: str | None = None,
        name: str | None = None,
        dtype: str = "float32",
    ) -> None:
        super().__init__(name, dtype)
        self.filters = whole(filters, "Conv2D filters")
        kh, kw = self.kernel_size = pair(kernel_size, "Conv2D kernel_size")
        self.stride = whole(stride, "Conv2D stride")
        if isinstance(padding, str) and padding in ("valid", "same"):
            if padding == "same" and kh != kw:
                raise ValueError("'same' padding needs a square kernel")
            self.pad = 0 if padding == "valid" else same_padding(kh)
        else:
            try:
                self.pad = whole(padding, "Conv2D padding", low=0)
            except ValueError:
                raise ValueError("Conv2D padding must be 'valid', 'same' or a whole number "
                                 f">= 0, got {padding!r:.40}") from None
        self.padding = padding
        self.kernel_initializer = initializers.check(kernel_initializer)
        self.bias_initializer = initializers.check(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.activation = activation
        self._cols: np.ndarray | None = None
        self._padded_shape: tuple[int, int, int, int] | None = None
        self._buffers: dict[str, np.ndarray] = {}

    def build(self, input_shape, rng=None) -> None:
        super().build(input_shape, rng)
        shapes = self.param_shapes(self.input_shape)
        f, c, kh, kw = shapes["W"]
        fans = (c * kh * kw, f * kh * kw)
        init_w = initializers.get(self.kernel_initializer)
        init_b = initializers.get(self.bias_initializer)
        self._add_param("W", init_w(shapes["W"], fans, self.rng, self.dtype),
                        self.kernel_regularizer)
        self._add_param("b", init_b(shapes["b"], fans, self.rng, self.dtype))

    def param_shapes(self, input_shape):
        self.output_shape(input_shape)  # images that the kernel fits only
        return {"W": (self.filters, int(input_shape[0]), *self.kernel_size),
                "b": (self.filters,)}

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"Conv2D expects images (channels, height, width), "
                             f"got {tuple(input_shape)}")
        _, h, w = input_shape
        kh, kw = self.kernel_size
        return (self.filters,
                conv_output_size(h, kh, self.stride, self.pad),
                conv_output_size(w, kw, self.stride, self.pad))

    def forward(self, x, training=False):
        self._ensure_built(x)
        n = x.shape[0]
        kh, kw = self.kernel_size
        _, oh, ow = self.output_shape(self.input_shape)
        # Work channel-major (C, N, H, W): im2col then reads and writes whole image rows,
        # and the GEMM result (F, N*OH*OW) is already channel-major for the next layer.
        xc = pad_images(x.transpose(1, 0, 2, 3), self.pad)
        cols = im2col(xc, kh, kw, self.stride, out=self._workspace("cols", xc, n * oh * ow))
        w_mat = self.params["W"].reshape(self.filters, -1)         # (F, C*kh*kw)
        y = w_mat @ cols                                           # (F, N*OH*OW)
        y += self.params["b"][:, None]
        self._cols = cols
        self._padded_shape = xc.shape
        return y.reshape(self.filters, n, oh, ow).transpose(1, 0, 2, 3)

    def backward(self, grad_out):
        kh, kw = self.kernel_size
        g = grad_out.transpose(1, 0, 2, 3).reshape(self.filters, -1)  # (F, N*OH*OW)
        w_mat = self.params["W"].reshape(self.filters, -1)
        # dW = g @ cols.T, computed as (cols @ g.T).T: BLAS runs this shape (tall result,
        # long shared axis) markedly faster for the tutorial's conv layers
        self.grads["W"] = (self._cols @ g.T).T.reshape(self.params["W"].shape)
        self.grads["b"] = g.sum(axis=1)
        self._add_regularization_grads()
        if self.skip_input_grad:
            return None
        dcols = np.matmul(w_mat.T, g, out=self._workspace("dcols", g, g.shape[1]))
        dx = col2im(dcols, self._padded_shape, kh, kw, self.stride)  # (C, N, H, W)
        if self.pad:
            p = self.pad
            dx = dx[:, :, p:-p, p:-p]
        return dx.transpose(1, 0, 2, 3)

    def _workspace(self, key: str, like: np.ndarray, positions: int) -> np.ndarray:
        """A (C*kh*kw, positions) scratch array kept between batches: big temporaries are
        reused instead of re-allocated (fresh pages cost as much as the copy itself)."""
        shape = (self.input_shape[0] * self.kernel_size[0] * self.kernel_size[1], positions)
        buffer = self._buffers.get(key)
        if buffer is None or buffer.shape != shape or buffer.dtype != like.dtype:
            buffer = self._buffers[key] = np.empty(shape, dtype=like.dtype)
        return buffer

    def get_config(self):
        return {
            "name": self.name,
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "padding": self.padding,
            "stride": self.stride,
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": (self.kernel_regularizer.get_config()
                                   if self.kernel_regularizer else None),
        }
