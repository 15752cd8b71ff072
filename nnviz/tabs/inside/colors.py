"""Colour maps and scaling for the Inside tab: a diverging map centred on 0, and a legend.

Weights and activations are signed, so they are drawn with one diverging map: blue for
negative, white for 0, red for positive, always symmetric (``[-limit, +limit]``) so that
white means exactly zero. The input digit is drawn in grey, white ink on black like MNIST.
Colouring is a table look-up on uint8 indices: a few microseconds per feature map. The
views keep their pixels as packed 32-bit 0xffRRGGBB words (``PACKED_*`` tables), Qt's
native RGB32 format, which it draws scaled about ten times faster than byte-wise RGBA.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QImage, QPainter

from nnviz.tabs.inside.value_text import format_value  # the views import it from here too

SCALE_MODES = ("map", "layer", "global")
"""Colour scaling: each map its own range, one range per layer, or one for the network."""

SCALE_LABELS = {"map": "per map", "layer": "per layer", "global": "global"}

# ColorBrewer RdBu (reversed so that positive is red), anchors at -1, -0.5, 0, 0.5, 1
_DIVERGING_ANCHORS = np.array([
    (5, 48, 97), (67, 147, 195), (247, 247, 247), (214, 96, 77), (103, 0, 31)],
    dtype=np.float64)
_EPS = 1e-12


def _lut_from_anchors(anchors: np.ndarray, size: int = 256) -> np.ndarray:
    """Interpolate RGB anchors (K, 3) evenly into an opaque RGBA table (size, 4) uint8."""
    t = np.linspace(0.0, 1.0, size)
    knots = np.linspace(0.0, 1.0, len(anchors))
    rgb = np.stack([np.interp(t, knots, anchors[:, k]) for k in range(3)], axis=1)
    lut = np.empty((size, 4), dtype=np.uint8)
    lut[:, :3] = np.round(rgb).astype(np.uint8)
    lut[:, 3] = 255
    return lut


DIVERGING = _lut_from_anchors(_DIVERGING_ANCHORS)
"""(256, 4) uint8: index 0 = -limit (dark blue), 127/128 ≈ 0 (white), 255 = +limit (dark red)."""
GREY = _lut_from_anchors(np.array([(0, 0, 0), (255, 255, 255)], dtype=np.float64))
"""(256, 4) uint8: black (0) to white (1), for the input digit."""


def pack(rgba: np.ndarray) -> np.ndarray:
    """RGBA (..., 4) uint8 -> opaque 0xffRRGGBB words (...) uint32 (Qt's RGB32)."""
    rgba = np.asarray(rgba, dtype=np.uint32)
    return (np.uint32(0xFF000000) | (rgba[..., 0] << 16) | (rgba[..., 1] << 8)
            | rgba[..., 2]).astype(np.uint32)


def unpack(words: np.ndarray) -> np.ndarray:
    """0xAARRGGBB words (...) uint32 -> RGBA (..., 4) uint8 (the inverse of :func:`pack`)."""
    words = np.asarray(words, dtype=np.uint32)
    return np.stack([(words >> 16) & 0xFF, (words >> 8) & 0xFF, words & 0xFF,
                     (words >> 24) & 0xFF], axis=-1).astype(np.uint8)


PACKED_DIVERGING = pack(DIVERGING)
"""(256,) uint32: :data:`DIVERGING` as RGB32 words, for image buffers."""
PACKED_GREY = pack(GREY)


def symmetric_limit(values: np.ndarray, axis: tuple[int, ...] | None = None) -> np.ndarray:
    """max |values| over ``axis`` (all of it when None), never below a tiny epsilon, float64.

    With ``axis`` the reduced axes are kept (size 1), so the result broadcasts back.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return np.asarray(_EPS)
    limit = np.max(np.abs(v), axis=axis, keepdims=axis is not None)
    limit = np.where(np.isfinite(limit), limit, _EPS)
    return np.maximum(limit, _EPS)


def lut_indices(values: np.ndarray, low: np.ndarray | float, high: np.ndarray | float,
                size: int = 256) -> np.ndarray:
    """Indices (...) into a ``size``-entry table for ``values`` scaled from [low, high];
    clipped at the ends, NaN -> the middle."""
    v = np.asarray(values, dtype=np.float64)
    low = np.asarray(low, dtype=np.float64)
    span = np.maximum(np.asarray(high, dtype=np.float64) - low, _EPS)
    scaled = np.nan_to_num((v - low) / span * (size - 1), nan=(size - 1) / 2.0)
    return np.clip(np.rint(scaled), 0, size - 1).astype(np.intp)


def colorize(values: np.ndarray, low: np.ndarray | float, high: np.ndarray | float,
             lut: np.ndarray = DIVERGING, out: np.ndarray | None = None) -> np.ndarray:
    """Map ``values`` (...) linearly from [low, high] onto ``lut``: (256, 4) uint8 gives RGBA
    (..., 4) uint8, a packed (256,) uint32 table gives RGB32 words (...).

    ``low`` / ``high`` broadcast against ``values`` (per-map limits have shape (C, 1, 1)).
    Values outside the range are clipped to the end colours; NaN becomes the middle colour.
    ``out`` (same shape and type as the result) is filled in place when given.
    """
    index = lut_indices(values, low, high, len(lut))
    if out is None:
        return lut[index]
    np.take(lut, index, axis=0, out=out)
    return out


def qcolor(spec: str | tuple[int, ...]) -> QColor:
    """A QColor from a theme colour (:mod:`nnviz.theme`): ``"#rrggbb"`` or (r, g, b[, a])."""
    return QColor(spec) if isinstance(spec, str) else QColor(*spec)


def lut_color(lut: np.ndarray, fraction: float) -> QColor:
    """The table's colour at ``fraction`` in [0, 1] as a QColor."""
    r, g, b, a = lut[int(np.clip(round(fraction * (len(lut) - 1)), 0, len(lut) - 1))]
    return QColor(int(r), int(g), int(b), int(a))


def value_color(value: float, limit: float, lut: np.ndarray = DIVERGING) -> QColor:
    """The diverging colour of one ``value`` on the scale [-limit, +limit]."""
    limit = max(float(limit), _EPS)
    return lut_color(lut, (float(value) + limit) / (2.0 * limit))


def text_color_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    luma = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor(20, 20, 20) if luma > 140 else QColor(250, 250, 250)


def rgba_image(buffer: np.ndarray) -> QImage:
    """A QImage that *shares* the memory of ``buffer``: (H, W) uint32 RGB32 words, or
    (H, W, 4) uint8 RGBA bytes; C-contiguous.

    Writing into ``buffer`` later changes the image without creating anything new; the
    caller keeps ``buffer`` alive as long as the image.
    """
    if not buffer.flags.c_contiguous:
        raise ValueError("the buffer must be C-contiguous")
    if buffer.dtype == np.uint32 and buffer.ndim == 2:
        fmt = QImage.Format.Format_RGB32
    elif buffer.dtype == np.uint8 and buffer.ndim == 3 and buffer.shape[2] == 4:
        fmt = QImage.Format.Format_RGBA8888
    else:
        raise ValueError(f"expected an (H, W) uint32 or (H, W, 4) uint8 buffer, got "
                         f"{buffer.dtype} {buffer.shape}")
    h, w = buffer.shape[:2]
    return QImage(buffer.data, w, h, buffer.strides[0], fmt)


DIVERGING_COLORS = tuple(QColor(int(r), int(g), int(b), int(a)) for r, g, b, a in DIVERGING)
"""The diverging table as QColors, made once (painting bars picks from it, creating none)."""

_LEGEND_IMAGE_BUFFER = PACKED_DIVERGING[None, :].copy()
_LEGEND_IMAGE = rgba_image(_LEGEND_IMAGE_BUFFER)


def draw_legend(painter: QPainter, rect: QRectF, limit: float | None, caption: str = "") -> None:
    """Paint a horizontal diverging colour bar in ``rect`` labelled −limit, 0, +limit.

    ``limit`` None labels the ends just "−" and "+" (per-map scaling: each map has its own).
    The caption, if any, goes left of the bar.
    """
    metrics = painter.fontMetrics()
    text_h = metrics.height()
    caption_w = metrics.horizontalAdvance(caption) + 8 if caption else 0
    if caption:
        painter.drawText(QRectF(rect.left(), rect.top(), caption_w, rect.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, caption)
    if limit is None:
        left_text, right_text = "− (blue)", "+ (red)"
    else:
        left_text, right_text = format_value(-limit, 2), format_value(limit, 2)
    left_w = metrics.horizontalAdvance(left_text) + 6
    right_w = metrics.horizontalAdvance(right_text) + 6
    bar_h = max(6.0, rect.height() - text_h - 2)
    bar = QRectF(rect.left() + caption_w + left_w, rect.top() + 1,
                 max(rect.width() - caption_w - left_w - right_w, 20.0), bar_h)
    painter.drawImage(bar, _LEGEND_IMAGE)
    painter.drawRect(bar)
    baseline = QRectF(rect.left() + caption_w, bar.top(), left_w - 4, bar_h)
    painter.drawText(baseline, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                     left_text)
    painter.drawText(QRectF(bar.right() + 4, bar.top(), right_w, bar_h),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, right_text)
    painter.drawText(QRectF(bar.left(), bar.bottom(), bar.width(), text_h),
                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "0")
