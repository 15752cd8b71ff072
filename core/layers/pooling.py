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

    @property
    def by_rows(self) -> bool:
        """True when pooling along whole rows pays (see :meth:`_along_rows`): the windows
        are disjoint and tile the width exactly (a 9-wide map floored to 8 does not)."""
        return self.disjoint and self.input_shape[2] % self.pool_size[1] == 0

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
        """dx from per-offset gradients: part k (N, C, OH, OW), ``parts(k, out)``, goes to
        the k-th window offset, written into ``out`` when the windows are disjoint, else
        added (overlapping windows), padding cut off."""
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

    # -- non-overlapping windows: one pass along the rows, one down the columns ----------
    # Each op then runs over whole image rows of the channel-major batch (conv outputs are
    # stored (C, N, H, W)), instead of over the OW-long, stride-pw rows of a window view:
    # several times faster, with numpy's inner loops long and the data read in order.
    def _along_rows(self, x: np.ndarray) -> list[np.ndarray]:
        """x (N, C, H, W) as pw views (C, N, H, OW): view j holds column b·pw + j."""
        pw, ow = self.pool_size[1], self.output_shape(self.input_shape)[2]
        xc = x.transpose(1, 0, 2, 3)[..., : ow * pw]
        blocks = xc.reshape(*xc.shape[:3], ow, pw)
        return [blocks[..., j] for j in range(pw)]

    def _down_columns(self, rows: np.ndarray) -> list[np.ndarray]:
        """Row results (C, N, H, OW) as ph views (C, N, OH, OW): view i holds row a·ph + i."""
        ph, oh = self.pool_size[0], self.output_shape(self.input_shape)[1]
        blocks = rows[:, :, : oh * ph].reshape(rows.shape[0], rows.shape[1], oh, ph, -1)
        return [blocks[:, :, :, i] for i in range(ph)]

    def _spread(self, g_rows: np.ndarray, columns) -> np.ndarray:
        """dx (N, C, H, W) from the gradient of the row results g_rows (C, N, OH·ph, OW):
        ``columns(j, g_rows, out)`` writes the share of column j into out (C, N, OH·ph, OW)."""
        n, c, h, w = self._x.shape
        (ph, pw), (_, oh, ow) = self.pool_size, self.output_shape(self.input_shape)
        whole = h == oh * ph and w == ow * pw
        dx = (np.empty if whole else np.zeros)((c, n, h, w), dtype=g_rows.dtype)
        blocks = dx[:, :, : oh * ph, : ow * pw].reshape(c, n, oh * ph, ow, pw)
        for j in range(pw):
            columns(j, g_rows, blocks[..., j])
        return dx.transpose(1, 0, 2, 3)

    def get_config(self):
        return {"name": self.name, "pool_size": list(self.pool_size),
                "strides": list(self.strides), "padding": self.padding}


class MaxPooling2D(Pooling2D):
    """y[n, c, a, b] = max of the window at (sh·a, sw·b); the gradient flows to the first
    maximum of each window (in reading order: row by row) only, as TensorFlow routes it.

    The maximum is taken along each window's rows, then over the rows' maxima: for a 2×2
    pool two whole-batch ``maximum`` calls, plus two comparisons while training that
    remember where each maximum is (its column in each row, then its row).
    """

    kind = "max_pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="valid", name=None, dtype="float32"):
        super().__init__(pool_size, strides, padding, name, dtype)
        self._row: np.ndarray | None = None               # the winning row of each window
        self._columns: list[np.ndarray | None] | np.ndarray | None = None  # winning columns
        self._located = False  # were the winners found in the last forward pass?

    @staticmethod
    def _running_max(items: list[np.ndarray], training: bool):
        """Element-wise max of ``items`` (at least one) and, when training, the index of the
        first maximum (uint8; None for a single item): only strictly larger values win."""
        if len(items) == 1:
            return items[0].copy(order="K"), None
        index = np.greater(items[1], items[0]).view(np.uint8) if training else None
        out = np.maximum(items[0], items[1])
        for k, item in enumerate(items[2:], start=2):
            if training:
                np.copyto(index, np.uint8(k), where=item > out)
            np.maximum(out, item, out=out)
        return out, index

    def forward(self, x, training=False):
        self._ensure_built(x)
        self._x, self._located = x, training
        if self.by_rows:
            rows, self._columns = self._running_max(self._along_rows(x), training)
            out, self._row = self._running_max(self._down_columns(rows), training)
            return out.transpose(1, 0, 2, 3)
        ph, pw = self.pool_size
        views = self._offset_views(self._padded(x, -np.inf))  # any memory layout kept
        rows = [self._running_max(views[i * pw : (i + 1) * pw], training) for i in range(ph)]
        out, self._row = self._running_max([row for row, _ in rows], training)
        self._columns = [column for _, column in rows]
        return out

    def backward(self, grad_out):
        if not self._located:  # after an inference pass (e.g. a saliency map): find the maxima
            self.forward(self._x, training=True)
        if self.by_rows:
            return self._spread(self._to_rows(grad_out.transpose(1, 0, 2, 3)), self._column)
        pw = self.pool_size[1]
        rows: dict[int, np.ndarray] = {}  # the gradient of the windows whose max is in row i
        # 1 where an index equals k, in the gradient's dtype: the products need no casting
        winner = np.empty_like(grad_out)

        def mask(index: np.ndarray, k: int) -> np.ndarray:
            return np.equal(index, k, out=winner, casting="unsafe")

        def part(k, out):
            i, j = divmod(k, pw)
            if i not in rows:
                rows.clear()
                rows[i] = grad_out if self._row is None else grad_out * mask(self._row, i)
            column = self._columns[i]
            if column is not None:
                return np.multiply(rows[i], mask(column, j), out=out)
            if out is None:
                return rows[i]
            np.copyto(out, rows[i])
            return out

        return self._scatter(part)

    def _to_rows(self, g: np.ndarray) -> np.ndarray:
        """The gradient (C, N, OH, OW) sent to the winning row of each window:
        (C, N, OH·ph, OW)."""
        c, n, oh, ow = g.shape
        ph = self.pool_size[0]
        g_rows = np.empty((c, n, oh, ph, ow), dtype=g.dtype)
        for i in range(ph):
            if self._row is None:
                np.copyto(g_rows[:, :, :, i], g)
            else:
                np.multiply(g, self._row == i, out=g_rows[:, :, :, i])
        return g_rows.reshape(c, n, oh * ph, ow)

    def _column(self, j: int, g_rows: np.ndarray, out: np.ndarray) -> None:
        if self._columns is None:
            np.copyto(out, g_rows)
        else:
            rows = g_rows.shape[2]
            np.multiply(g_rows, self._columns[:, :, :rows] == j, out=out)


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
        self._x = x
        if self.by_rows:
            rows = self._sum(self._along_rows(x))
            out = self._sum(self._down_columns(rows))
            np.multiply(out, self._scale, out=out, casting="unsafe")
            return out.transpose(1, 0, 2, 3)
        out = self._sum(self._offset_views(self._padded(x, 0.0)))
        np.multiply(out, self._scale, out=out, casting="unsafe")
        return out

    @staticmethod
    def _sum(items: list[np.ndarray]) -> np.ndarray:
        out = np.add(items[0], items[1]) if len(items) > 1 else items[0].copy(order="K")
        for item in items[2:]:
            np.add(out, item, out=out)
        return out

    def backward(self, grad_out):
        share = np.multiply(grad_out, self._scale, dtype=grad_out.dtype)
        if self.by_rows:  # every row, then every column of a window gets the share
            c, n, oh, ow = share.transpose(1, 0, 2, 3).shape
            g_rows = np.empty((c, n, oh, self.pool_size[0], ow), dtype=share.dtype)
            np.copyto(g_rows, share.transpose(1, 0, 2, 3)[:, :, :, None])
            return self._spread(g_rows.reshape(c, n, -1, ow),
                                lambda j, g, out: np.copyto(out, g))

        def part(k, out):
            if out is None:
                return share
            np.copyto(out, share)
            return out

        return self._scatter(part)
