"""A small view of one preprocessing stage: a grey-scale image inside a frame, with optional
guide boxes, a centre cross and a centre-of-mass dot, painted with QPainter.

The image sits in a "field" of ``frame`` pixels (e.g. 28x28) at ``offset``; every field
pixel gets the same on-screen size, so a 6x8 patch in a 28x28 field looks as small as the
model will see it.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import QSizePolicy, QWidget

from nnviz.theme import DRAW
from nnviz.widgets.digit_image import gray_qimage, rgba_qimage

_BOX_COLOR = QColor(DRAW.box)
_CROSS_COLOR = QColor(DRAW.centre)
_MASS_COLOR = QColor(DRAW.mass)
_EMPTY_COLOR = QColor(DRAW.empty_field)


class StageView(QWidget):
    """Shows an (h, w) float image in [0, 1] at a fixed pixel pitch inside a frame.

    Overlays are given in field-pixel coordinates (row, col): ``boxes`` are rectangles
    (top, bottom, left, right) drawn in green, ``cross`` a blue cross, ``mass`` a red dot.
    """

    def __init__(self, parent: QWidget | None = None, side: int = 104) -> None:
        super().__init__(parent)
        self._side = side
        self.setMinimumSize(56, 56)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._qimage: QImage | None = None
        self._frame = (28, 28)
        self._offset = (0, 0)
        self._smooth = False
        self._boxes: list[tuple[float, float, float, float]] = []
        self._cross: tuple[float, float] | None = None
        self._mass: tuple[float, float] | None = None
        self._placeholder = ""
        self._overlay: QImage | None = None

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def set_image(
        self,
        image: np.ndarray | None,
        frame: tuple[int, int] | None = None,
        offset: tuple[int, int] = (0, 0),
        *,
        smooth: bool = False,
        boxes: tuple[tuple[float, float, float, float], ...] = (),
        cross: tuple[float, float] | None = None,
        mass: tuple[float, float] | None = None,
        placeholder: str = "",
    ) -> None:
        """Show ``image`` (h, w) at ``offset`` inside a ``frame`` (default: the image's
        shape); None shows an empty field with ``placeholder`` text. ``smooth`` filters
        when shrinking (for the big raw drawing); otherwise pixels stay crisp squares."""
        self._qimage = None if image is None else gray_qimage(image)
        if frame is None:
            frame = (28, 28) if image is None else image.shape
        self._frame = (int(frame[0]), int(frame[1]))
        self._offset = offset
        self._smooth = smooth
        self._boxes = list(boxes)
        self._cross = cross
        self._mass = mass
        self._placeholder = placeholder
        self.update()

    def set_overlay(self, rgba: np.ndarray | None) -> None:
        """Paint a translucent (h, w, 4) uint8 RGBA image over the whole frame, one
        overlay pixel per field pixel (None removes it)."""
        self._overlay = None if rgba is None else rgba_qimage(rgba)
        self.update()

    def has_overlay(self) -> bool:
        return self._overlay is not None

    def _field_rect(self) -> tuple[QRectF, float]:
        """The frame's rectangle on screen and the size of one field pixel."""
        fh, fw = self._frame
        pitch = min(self.width() / fw, self.height() / fh)
        w, h = fw * pitch, fh * pitch
        return QRectF((self.width() - w) / 2.0, (self.height() - h) / 2.0, w, h), pitch

    def paintEvent(self, event: QPaintEvent) -> None:
        field, pitch = self._field_rect()
        painter = QPainter(self)
        painter.fillRect(field, QColor(DRAW.paper) if self._qimage is not None else _EMPTY_COLOR)
        if self._qimage is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._smooth)
            target = QRectF(
                field.x() + self._offset[1] * pitch,
                field.y() + self._offset[0] * pitch,
                self._qimage.width() * pitch,
                self._qimage.height() * pitch,
            )
            painter.drawImage(target, self._qimage)
            if self._overlay is not None:
                painter.drawImage(field, self._overlay)
        elif self._placeholder:
            painter.setPen(QColor(DRAW.placeholder))
            painter.drawText(field, Qt.AlignmentFlag.AlignCenter, self._placeholder)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)

        def at(row: float, col: float) -> QPointF:
            return QPointF(field.x() + col * pitch, field.y() + row * pitch)

        for top, bottom, left, right in self._boxes:
            pen = QPen(_BOX_COLOR)
            pen.setWidthF(1.5)
            painter.setPen(pen)
            painter.drawRect(QRectF(at(top, left), at(bottom, right)))
        if self._cross is not None:
            pen = QPen(_CROSS_COLOR)
            pen.setWidthF(1.0)
            painter.setPen(pen)
            # Pixel (r, c) covers [r, r + 1); its centre is at r + 0.5.
            centre = at(self._cross[0] + 0.5, self._cross[1] + 0.5)
            arm = 3.0 * pitch
            painter.drawLine(centre - QPointF(arm, 0), centre + QPointF(arm, 0))
            painter.drawLine(centre - QPointF(0, arm), centre + QPointF(0, arm))
        if self._mass is not None:
            outline = QPen(QColor(DRAW.outline))
            outline.setWidthF(1.0)
            painter.setPen(outline)
            painter.setBrush(_MASS_COLOR)
            radius = max(3.0, 0.7 * pitch)
            painter.drawEllipse(at(self._mass[0] + 0.5, self._mass[1] + 0.5), radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(DRAW.frame)))
        painter.drawRect(field.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()
