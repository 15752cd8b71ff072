"""Picture files of digits for the Draw tab's tests, written with Qt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtGui import QImage

from nnviz.widgets.digit_image import gray_qimage


def seven(h: int = 120, w: int = 100) -> np.ndarray:
    """A light 7 on black, (h, w) float in [0, 1]: a top bar and a slanted stem."""
    image = np.zeros((h, w), np.float32)
    image[h // 5 : h // 5 + max(h // 12, 1), w // 5 : 4 * w // 5] = 1.0
    half = max(w // 16, 1)
    for r in range(h // 5, 4 * h // 5):
        c = int(4 * w // 5 - (r - h // 5) * 0.4)
        image[r, max(c - half, 0) : c + half] = 1.0
    return image


def save(path: Path, gray: np.ndarray, fmt: str | None = None) -> Path:
    """Write a grey (H, W) float image in [0, 1] as a picture file (format from the suffix)."""
    assert gray_qimage(gray).save(str(path), fmt), path
    return path


def save_rgba(path: Path, ink: np.ndarray) -> Path:
    """A transparent PNG: dark ink with alpha = ``ink`` on a fully transparent ground."""
    h, w = ink.shape
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., 3] = np.rint(ink * 255).astype(np.uint8)
    image = QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
    assert image.save(str(path)), path
    return path
