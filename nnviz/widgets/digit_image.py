"""Turning digit arrays into Qt images (shared by every view that shows digits)."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QImage, QPixmap


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Grey pixels as uint8 0..255 (a copy), any shape; (N, 1, H, W) becomes (N, H, W).

    uint8 stays as it is; floats are taken as 0..1 (the network's input, pixels / 255)
    unless their maximum is above 1, then as 0..255; NaN counts as 0.
    """
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    if x.dtype == np.uint8:
        return x.copy()
    x = np.nan_to_num(x.astype(np.float64))
    if x.size and x.max() <= 1.0:
        x = x * 255.0
    return np.clip(np.round(x), 0, 255).astype(np.uint8)


def gray_qimage(image: np.ndarray) -> QImage:
    """A Grayscale8 QImage (an independent copy) of one (H, W) grey image."""
    pixels = np.ascontiguousarray(to_uint8(image))
    h, w = pixels.shape
    return QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def rgba_qimage(rgba: np.ndarray) -> QImage:
    """An RGBA8888 QImage (an independent copy) of an (H, W, 4) uint8 image, e.g. a
    translucent overlay."""
    pixels = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w = pixels.shape[:2]
    return QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


def digit_pixmap(image: np.ndarray, scale: int = 2) -> QPixmap:
    """A crisp (nearest-neighbour) pixmap of a grey (H, W) digit, ``scale`` screen px per px."""
    qimage = gray_qimage(image)
    return QPixmap.fromImage(qimage).scaled(
        qimage.width() * scale, qimage.height() * scale, Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation)
