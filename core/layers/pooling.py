"""Max and average pooling over (ph, pw) windows moved by (sh, sw), 'valid' or 'same'."""

from __future__ import annotations

import numpy as np

from core.layers.base import Layer, batch_shape, pair


class Pooling2D(Layer):
    """The window arithmetic shared by max and average pooling.

    x: (N, C, H, W) -> y: (N, C, OH, OW). ``strides`` defaults to the pool size
    (non-overlapping windows). ``padding="valid"`` keeps whole windows only and drops the
    rows and columns past the last one (Keras' floor: 9×9 -> 4×4 for pool 2):
    OH = (H - ph) // sh + 1. ``padding="same"`` pads so that OH = ceil(H / sh), the
    padding split as Keras splits it (the odd row at the bottom, the odd column at the
    right); padded positions never count (they never win a max, never enter a mean).
    """

    def __init__(self, pool_size: int | tuple[int, int] = 2,
                 strides: int | tuple[int, int] | None = None, padding: str = "valid",
                 name: str | None = None, dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        self.pool_size = pair(pool_size, f"{self.label}: pool_size")
        self.strides = (self.pool_size if strides is None
                        else pair(strides, f"{self.label}: strides"))
        if padding not in ("valid", "same"):
            raise ValueError(f"{self.label}: padding must be 'valid' or 'same', got {padding!r}")
        self.padding = padding
        self._x: np.ndarray | None = None  # the input, kept for its shape and memory layout

    @property
    def disjoint(self) -> bool:
        """True when the windows tile the input without overlap or padding (the usual pool)."""
        return self.strides == self.pool_size and self.padding == "valid"

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self.label} expects images (N, channels, height, width), got "
                             f"{batch_shape(input_shape)}: pooling comes before the Flatten")
        c, h, w = input_shape
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        if self.padding == "same":
            return (c, -(-h // sh), -(-w // sw))
        if h < ph or w < pw:
            raise ValueError(f"{self.label}: a {ph}×{pw} pool does not fit its {h}×{w} input — "
                             "remove a pooling layer or use padding='same' in the layers "
                             "before it")
        return (c, (h - ph) // sh + 1, (w - pw) // sw + 1)

    def pads(self, h: int, w: int) -> tuple[int, int, int, int]:
        """Zero rows/columns added (top, bottom, left, right); all 0 for 'valid'."""
        if self.padding == "valid":
            return (0, 0, 0, 0)
        _, oh, ow = self.output_shape((1, h, w))
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        rows = max((oh - 1) * sh + ph - h, 0)
        cols = max((ow - 1) * sw + pw - w, 0)
        return (rows // 2, rows - rows // 2, cols // 2, cols - cols // 2)

    def _padded(self, x: np.ndarray, fill: float) -> np.ndarray:
        top, bottom, left, right = self.pads(*x.shape[2:])
        if not (top or bottom or left or right):
            return x
        return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=fill)

    def _offset_views(self, xp: np.ndarray) -> list[np.ndarray]:
        """The ph*pw strided views of a padded batch, one per offset (i, j) in the window:
        view[n, c, a, b] = xp[n, c, i + sh*a, j + sw*b] for every output position (a, b)."""
        _, oh, ow = self.output_shape(self.input_shape)
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        return [xp[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
                for i in range(ph) for j in range(pw)]

    def _scatter(self, parts) -> np.ndarray:
        """dx from per-offset gradients: part k (N, C, OH, OW) goes to the k-th window offset,
        overlapping windows adding up, padding cut off. ``parts(k, out)`` writes part k into
        ``out`` when given, else returns it."""
        x = self._x
        if self.disjoint:  # each input position in at most one window: write, do not add
            dx = np.zeros_like(x)  # rows/columns dropped by the floor get 0
            for k, view in enumerate(self._offset_views(dx)):
                parts(k, view)
            return dx
        top, bottom, left, right = self.pads(*x.shape[2:])
        n, c, h, w = x.shape
        dxp = np.zeros((n, c, h + top + bottom, w + left + right), dtype=x.dtype)
        for k, view in enumerate(self._offset_views(dxp)):
            view += parts(k, None)
        return dxp[:, :, top : top + h, left : left + w]

    def get_config(self):
        return {"name": self.name, "pool_size": list(self.pool_size),
                "strides": list(self.strides), "padding": self.padding}


class MaxPooling2D(Pooling2D):
    """y[n, c, a, b] = max of the window at (sh·a, sw·b); the gradient flows to the first
    maximum of each window only (as TensorFlow routes it)."""

    kind = "max_pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="valid", name=None, dtype="float32"):
        super().__init__(pool_size, strides, padding, name, dtype)
        self._argmax: np.ndarray | None = None

    def forward(self, x, training=False):
        self._ensure_built(x)
        out = argmax = None
        # one strided view per window offset: whole-batch maxima, any memory layout kept;
        # ``argmax`` remembers which offset won (the first maximum)
        for k, window in enumerate(self._offset_views(self._padded(x, -np.inf))):
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
        # winner (N, C, OH, OW): 1 where offset k holds the first maximum, else 0, in the
        # gradient's dtype, so the strided product needs no casting buffer
        winner = np.empty_like(grad_out)

        def part(k, out):
            np.equal(self._argmax, k, out=winner, casting="unsafe")
            return np.multiply(grad_out, winner, out=out)

        return self._scatter(part)


class AveragePooling2D(Pooling2D):
    """y[n, c, a, b] = mean of the window at (sh·a, sw·b) (LeNet's subsampling); with
    'same' padding the mean is over the window's positions inside the image only.
    Every position of a window gets grad / (positions in the window)."""

    kind = "average_pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="valid", name=None, dtype="float32"):
        super().__init__(pool_size, strides, padding, name, dtype)
        self._scale: np.ndarray | float | None = None  # 1 / window positions, (OH, OW) or scalar

    def build(self, input_shape, rng=None) -> None:
        super().build(input_shape, rng)
        _, h, w = self.input_shape
        if self.padding == "same" and any(self.pads(h, w)):
            ones = self._padded(np.ones((1, 1, h, w), dtype=self.dtype), 0.0)
            self._scale = 1.0 / sum(self._offset_views(ones))[0, 0]
        else:
            self._scale = self.dtype.type(1.0 / (self.pool_size[0] * self.pool_size[1]))

    def forward(self, x, training=False):
        self._ensure_built(x)
        out = None
        for window in self._offset_views(self._padded(x, 0.0)):
            if out is None:
                out = window.copy(order="K")
            else:
                np.add(out, window, out=out)
        np.multiply(out, self._scale, out=out, casting="unsafe")
        self._x = x
        return out

    def backward(self, grad_out):
        share = np.multiply(grad_out, self._scale, dtype=grad_out.dtype)

        def part(k, out):
            if out is None:
                return share
            np.copyto(out, share)
            return out

        return self._scatter(part)
