"""2-D convolution (cross-correlation, as in every deep-learning library) over NCHW images."""

from __future__ import annotations

import numpy as np

from core import initializers, regularizers
from core.functional import (
    col2im,
    col2im_rows,
    conv_output_size,
    im2col,
    same_padding,
)
from core.layers.base import Layer, batch_shape, pair, whole_number


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
        self.filters = whole_number(filters, f"{self.label}: filters")
        kh, kw = self.kernel_size = pair(kernel_size, f"{self.label}: kernel_size")
        self.stride = whole_number(stride, f"{self.label}: stride")
        if padding == "valid":
            self.pad = 0
        elif padding == "same":
            if kh != kw or kh % 2 == 0:
                raise ValueError(f"{self.label}: padding='same' needs a square kernel of odd "
                                 f"size (3×3, 5×5...), got {kh}×{kw}")
            self.pad = same_padding(kh)
        elif isinstance(padding, int | float | np.integer) and not isinstance(padding, bool):
            padding = self.pad = whole_number(padding, f"{self.label}: padding", minimum=0)
        else:
            raise ValueError(f"{self.label}: padding must be 'valid', 'same' or a whole number "
                             f">= 0, got {padding!r}")
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
            raise ValueError(f"{self.label} expects images (N, channels, height, width), got "
                             f"{batch_shape(input_shape)}: convolutions come before the Flatten")
        _, h, w = input_shape
        kh, kw = self.kernel_size
        if h + 2 * self.pad < kh or w + 2 * self.pad < kw:
            padded = f" (padded by {self.pad})" if self.pad else ""
            raise ValueError(f"{self.label}: a {kh}×{kw} kernel does not fit its {h}×{w} "
                             f"input{padded} — remove a pooling layer or use padding='same'")
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
        xc = x.transpose(1, 0, 2, 3)
        if self.pad:  # into a kept buffer whose border stays zero (np.pad costs 4× more)
            c, _, h, w = xc.shape
            p = self.pad
            padded = self._workspace("padded", (c, n, h + 2 * p, w + 2 * p), x.dtype,
                                     zeroed=True)
            np.copyto(padded[:, :, p : p + h, p : p + w], xc)
            xc = padded
        cols = im2col(xc, kh, kw, self.stride, out=self._workspace(
            "cols", (xc.shape[0] * kh * kw, n * oh * ow), x.dtype))
        w_mat = self.params["W"].reshape(self.filters, -1)         # (F, C*kh*kw)
        y = w_mat @ cols                                           # (F, N*OH*OW)
        y += self.params["b"][:, None]
        self._cols = cols
        self._padded_shape = xc.shape
        return y.reshape(self.filters, n, oh, ow).transpose(1, 0, 2, 3)

    def backward(self, grad_out):
        kh, kw = self.kernel_size
        gc = grad_out.transpose(1, 0, 2, 3)                        # (F, N, OH, OW)
        g = gc.reshape(self.filters, -1)                           # (F, N*OH*OW)
        w_mat = self.params["W"].reshape(self.filters, -1)
        # dW = g @ cols.T, computed as (cols @ g.T).T: BLAS runs this shape (tall result,
        # long shared axis) markedly faster for the tutorial's conv layers
        self.grads["W"] = (self._cols @ g.T).T.reshape(self.params["W"].shape)
        self.grads["b"] = g.sum(axis=1)
        self._add_regularization_grads()
        if self.skip_input_grad:
            return None
        c, n, hp, wp = self._padded_shape
        if self.stride == 1:
            # the row layout (core.functional): the gradient of every column b < WP, 0 for
            # the overhang b >= OW, so that col2im folds whole rows at once
            _, _, oh, ow = gc.shape
            g_rows = self._workspace("grad_rows", (self.filters, n, oh, wp), g.dtype,
                                     zeroed=True)
            np.copyto(g_rows[..., :ow], gc)
            g = g_rows.reshape(self.filters, -1)                   # (F, N*OH*WP)
        dcols = np.matmul(w_mat.T, g, out=self._workspace("dcols", (c * kh * kw, g.shape[1]),
                                                          g.dtype))
        if self.stride == 1:
            dx = col2im_rows(dcols, self._padded_shape, kh, kw)   # (C, N, HP, WP)
        else:
            dx = col2im(dcols, self._padded_shape, kh, kw, self.stride)
        if self.pad:
            p = self.pad
            dx = dx[:, :, p:-p, p:-p]
        return dx.transpose(1, 0, 2, 3)

    def _workspace(self, key: str, shape: tuple[int, ...], dtype, zeroed: bool = False):
        """A scratch array kept between batches: big temporaries are reused instead of
        re-allocated (fresh pages cost as much as the copy itself). ``zeroed`` ones are
        zero when made: the caller writes only the parts that change."""
        buffer = self._buffers.get(key)
        if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
            buffer = self._buffers[key] = (np.zeros if zeroed else np.empty)(shape, dtype=dtype)
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

