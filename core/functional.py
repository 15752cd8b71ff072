"""Stateless numeric building blocks: stable softmax, im2col / col2im, output sizes.

Everything here is pure numpy and works for float32 (training) and float64
(gradient checks) alike: results keep the dtype of the input.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax: exp(z - max) / sum(exp(z - max)) along ``axis``."""
    shifted = z - z.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(z)) without overflow or log(0): z - max - log(sum(exp(z - max)))."""
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-z)), written so large |z| never overflows."""
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


def conv_output_size(size: int, kernel: int, stride: int = 1, pad: int = 0) -> int:
    """Spatial output size of a convolution or pooling window: floor((n + 2p - k) / s) + 1."""
    out = (size + 2 * pad - kernel) // stride + 1
    if out <= 0:
        raise ValueError(
            f"window {kernel} with stride {stride} and padding {pad} does not fit in size {size}"
        )
    return out


def same_padding(kernel: int) -> int:
    """Zero padding that keeps the size for stride 1 and an odd kernel (Keras 'same')."""
    if kernel % 2 == 0:
        raise ValueError("'same' padding needs an odd kernel size")
    return (kernel - 1) // 2


def im2col(
    x: np.ndarray, kh: int, kw: int, stride: int = 1, out: np.ndarray | None = None
) -> np.ndarray:
    """Unfold image patches into the columns of one matrix, so a convolution is one GEMM.

    x: (C, N, H, W) — channel-major, already padded. Returns cols of shape
    (C*kh*kw, N*OH*OW): row (c, i, j) holds pixel x[c, n, i + s*oh, j + s*ow] for every
    output position (n, oh, ow); ``W.reshape(F, -1) @ cols`` is then the convolution,
    with the result (F, N*OH*OW) already channel-major for the next layer.
    One strided copy of a read-only window view, no loops.
    ``out`` (optional) is a reusable (C*kh*kw, N*OH*OW) buffer to write into.
    """
    c, n, h, w = x.shape
    oh = (h - kh) // stride + 1
    ow = (w - kw) // stride + 1
    shape = (c, kh, kw, n, oh, ow)
    sc, sn, sh, sw = x.strides
    # windows[c, i, j, n, oh, ow] = x[c, n, i + s*oh, j + s*ow]; copied in a single call,
    # so the GIL is released once rather than once per kernel offset
    windows = as_strided(x, shape, (sc, sh, sw, sn, sh * stride, sw * stride), writeable=False)
    cols = np.empty(shape, dtype=x.dtype) if out is None else out.reshape(shape)
    np.copyto(cols, windows)
    return cols.reshape(c * kh * kw, n * oh * ow)


def col2im(
    cols: np.ndarray, x_shape: tuple[int, int, int, int], kh: int, kw: int, stride: int = 1
) -> np.ndarray:
    """Fold columns back into images, adding overlapping contributions (adjoint of im2col).

    cols: (C*kh*kw, N*OH*OW) as produced by :func:`im2col`; x_shape: the padded
    (C, N, H, W). Returns (C, N, H, W). Loops only over the kh*kw kernel offsets.
    """
    c, n, h, w = x_shape
    oh = (h - kh) // stride + 1
    ow = (w - kw) // stride + 1
    patches = cols.reshape(c, kh, kw, n, oh, ow)
    dx = np.zeros(x_shape, dtype=cols.dtype)
    for i in range(kh):
        i_end = i + stride * oh
        for j in range(kw):
            dx[:, :, i:i_end:stride, j : j + stride * ow : stride] += patches[:, i, j]
    return dx


# -- the row layout: stride-1 col2im with long contiguous adds -------------------------------
def col2im_rows(dcols: np.ndarray, padded_shape: tuple[int, int, int, int], kh: int,
                kw: int) -> np.ndarray:
    """:func:`col2im` for stride 1, with dcols given for every output column b < WP.

    With stride 1, patch pixel (i, j) of output position (a, b) is image pixel
    (a + i, b + j): flat index (a·WP + b) + (i·WP + j) of the image stored row by row, so
    every kernel offset is one shift of the whole flattened image. Given the columns
    b >= OW too (the "overhang", which must hold 0), each offset's contribution is one
    contiguous add of OH·WP values per image instead of OH adds of OW: numpy's inner
    loops get 20-30 times longer. The overhang lands on the next row (or the next image's
    first pixels) and adds nothing there.

    dcols: (C*kh*kw, N*OH*WP); padded_shape: (C, N, HP, WP). Returns a fresh contiguous
    (C, N, HP, WP).
    """
    c, n, hp, wp = padded_shape
    size, run = hp * wp, (hp - kh + 1) * wp
    flat = np.zeros(c * n * size + kw - 1, dtype=dcols.dtype)  # + the last row's overhang
    patches = dcols.reshape(c, kh, kw, n, run)
    for i in range(kh):
        for j in range(kw):
            start = i * wp + j  # each image's run, shifted by the kernel offset
            target = as_strided(flat[start:], (c, n, run),
                                (n * size * flat.itemsize, size * flat.itemsize, flat.itemsize))
            np.add(target, patches[:, i, j], out=target)
    return flat[: c * n * size].reshape(c, n, hp, wp)
