"""Turning digit arrays into Qt images (shared by the tabs that show small digits)."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QImage, QPixmap


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A (H, W) uint8 copy: uint8 passes through, floats in [0, 1] are scaled by 255."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return np.ascontiguousarray(image)
    return np.ascontiguousarray(np.clip(image * 255.0 + 0.5, 0, 255).astype(np.uint8))


def digit_pixmap(image: np.ndarray, scale: int = 2) -> QPixmap:
    """A crisp (nearest-neighbour) pixmap of a grey (H, W) digit, ``scale`` screen px per px."""
    data = to_uint8(image)
    h, w = data.shape
    qimage = QImage(data.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(
        w * scale, h * scale, Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation)
