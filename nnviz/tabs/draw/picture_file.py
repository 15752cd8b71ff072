"""Reading a picture file for the Draw tab: Qt decodes PNG, JPEG, BMP (and whatever else
its image plug-ins know), no other dependency.

:func:`read_gray` returns the picture as grey levels (H, W) float32 in [0, 1], shrunk on
reading to at most :data:`MAX_SIDE` pixels a side (a 24-megapixel photo needs no more to
find a digit) and with transparency composited onto white paper.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor, QImage, QImageReader, QPainter

from core.picture import PictureError

MAX_SIDE = 560
"""The longest side a picture is read at (pixels)."""
FILTER = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.pgm *.ppm);;All files (*)"
"""For file dialogs."""


def read_gray(path: str | Path) -> tuple[np.ndarray, tuple[int, int]]:
    """(grey (H, W) float32 in [0, 1], the file's own (width, height)).

    Raises :class:`core.picture.PictureError` when the file is missing or not a picture
    Qt can decode (corrupt, truncated, another kind of file).
    """
    path = Path(path)
    if not path.is_file():
        raise PictureError(f"{path.name}: no such file")
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    original = (size.width(), size.height()) if size.isValid() else None
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE,
                                         Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        raise PictureError(f"{path.name} cannot be read as a picture "
                           f"({reader.errorString()}).")
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    if image.hasAlphaChannel():
        paper = QImage(image.size(), QImage.Format.Format_RGB32)
        paper.fill(QColor("white"))
        painter = QPainter(paper)
        painter.drawImage(0, 0, image)
        painter.end()
        image = paper
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    bits = gray.constBits()
    bits.setsize(gray.sizeInBytes())
    rows = np.frombuffer(bits, dtype=np.uint8).reshape(gray.height(), gray.bytesPerLine())
    pixels = rows[:, : gray.width()].astype(np.float32) / np.float32(255.0)
    return pixels, original or (gray.width(), gray.height())
