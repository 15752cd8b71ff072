"""A square drawing canvas: white ink on black like MNIST, mouse and tablet input.

Strokes are kept as polylines in unit coordinates (0..1 across the square), so undo is
"drop the last stroke and repaint", and the canvas can be shown at any size without
blurring. Two images are painted from them with QPainter (antialiased round caps and
joins): the one on screen, at the widget's size, and a fixed-size data image
(``resolution`` x ``resolution``, 280 by default) that :meth:`DrawCanvas.image` returns,
so what the model sees does not depend on the window size.

The canvas can also show an opened picture instead of strokes (:meth:`DrawCanvas.set_picture`;
the next stroke or a clear removes it), accepts image files dropped on it
(``pictureDropped``), and shows a translucent overlay over any square of itself
(:meth:`DrawCanvas.set_overlay`, the "Why?" map scaled up to where the digit is).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PyQt6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPointingDevice,
    QResizeEvent,
    QTabletEvent,
)
from PyQt6.QtWidgets import QSizePolicy, QWidget

from core.strokes import Stroke
from nnviz.theme import DRAW
from nnviz.widgets.digit_image import gray_qimage, rgba_qimage

BRUSH_DEFAULT = 0.09
"""Brush diameter as a fraction of the canvas side: a digit drawn about 3/4 of the canvas
tall then has strokes about 13 % of its height, as in MNIST (2.6 px of 20)."""
BRUSH_MIN = 0.02
BRUSH_MAX = 0.2

_INK = QColor(DRAW.ink)
_PAPER = QColor(DRAW.paper)


@dataclass
class _Stroke:
    """One press-to-release polyline: points in unit coordinates, brush as a fraction."""

    width: float
    erase: bool
    points: list[QPointF] = field(default_factory=list)


class DrawCanvas(QWidget):
    """Square canvas the user draws a digit on; :meth:`image` is (H, W) float32 in [0, 1].

    Left button (or a pen tip) draws, the right button (or a pen's eraser end, or the
    eraser toggle :meth:`set_eraser`) erases. Every press, move and release of a stroke,
    and every undo or clear, emits ``imageChanged``.
    """

    imageChanged = pyqtSignal()
    """The drawing changed (emitted on each mouse move while a stroke is drawn)."""
    strokeFinished = pyqtSignal()
    """A stroke ended (button or pen released)."""
    pictureDropped = pyqtSignal(str)
    """A file was dropped on the canvas (its local path; the tab decides what it is)."""

    def __init__(self, parent: QWidget | None = None, resolution: int = 280) -> None:
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        self.setMouseTracking(True)
        self.setTabletTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip(
            "Draw a digit with the left mouse button or a pen.\n"
            "Right button (or the pen's eraser, or the Eraser toggle) erases.\n"
            "Ctrl+Z undoes the last stroke; Delete, Backspace or Escape clears."
        )

        self._resolution = int(resolution)
        self._data = QImage(self._resolution, self._resolution, QImage.Format.Format_Grayscale8)
        self._data.fill(_PAPER)
        self._view = QImage()
        self._strokes: list[_Stroke] = []
        # Undo history: "stroke" entries, or the list of strokes a clear removed.
        self._history: list[str | list[_Stroke]] = []
        self._current: _Stroke | None = None
        self._current_button = Qt.MouseButton.NoButton
        self._brush = BRUSH_DEFAULT
        self._eraser = False
        self._hover: QPointF | None = None
        self._picture: QImage | None = None
        self._picture_rect = QRectF()
        self._overlay: QImage | None = None
        self._overlay_rect = QRectF()
        self.setAcceptDrops(True)

    # ----------------------------------------------------------------- public API
    def image(self) -> np.ndarray:
        """The drawing as (resolution, resolution) float32 in [0, 1], ink = 1."""
        bits = self._data.constBits()
        bits.setsize(self._data.sizeInBytes())
        rows = np.frombuffer(bits, dtype=np.uint8).reshape(
            self._resolution, self._data.bytesPerLine()
        )
        return rows[:, : self._resolution].astype(np.float32) / np.float32(255.0)

    def strokes(self) -> list[Stroke]:
        """The finished strokes and the one being drawn, oldest first, as polylines in
        unit coordinates (what :func:`core.strokes.render` repaints pixel for pixel)."""
        strokes = self._strokes + ([self._current] if self._current is not None else [])
        return [Stroke(np.array([(p.x(), p.y()) for p in s.points]), s.width, s.erase)
                for s in strokes]

    def resolution(self) -> int:
        """Side of :meth:`image` in pixels."""
        return self._resolution

    def is_empty(self) -> bool:
        """True when no stroke is on the canvas (erase strokes alone count as empty)."""
        strokes = self._strokes + ([self._current] if self._current is not None else [])
        return all(stroke.erase for stroke in strokes)

    def can_undo(self) -> bool:
        """True when :meth:`undo` would change something."""
        return bool(self._history)

    def stroke_count(self) -> int:
        """Number of finished strokes on the canvas (drawing and erasing)."""
        return len(self._strokes)

    def clear(self) -> None:
        """Remove all strokes (undoable: :meth:`undo` brings them back) and any picture."""
        self._finish_stroke(emit=False)
        if self._drop_picture() and not self._strokes:
            self.update()
            self.imageChanged.emit()
            return
        if not self._strokes:
            return
        self._history.append(self._strokes)
        self._strokes = []
        self._repaint_all()

    def undo(self) -> None:
        """Undo the last stroke, or the last clear."""
        self._finish_stroke(emit=False)
        if not self._history:
            return
        entry = self._history.pop()
        if isinstance(entry, list):
            self._strokes = entry
        else:
            self._strokes.pop()
        self._repaint_all()

    def brush_width(self) -> float:
        """Brush diameter as a fraction of the canvas side."""
        return self._brush

    def set_brush_width(self, fraction: float) -> None:
        """Set the brush diameter for new strokes, as a fraction of the side (clamped
        to [0.02, 0.2])."""
        self._brush = float(min(max(fraction, BRUSH_MIN), BRUSH_MAX))
        self.update()

    def is_eraser(self) -> bool:
        """True when the left button / pen tip erases instead of drawing."""
        return self._eraser

    def set_eraser(self, on: bool) -> None:
        """Make the left button / pen tip erase (True) or draw (False)."""
        self._eraser = bool(on)
        self.update()

    # ---------------------------------------------------------- pictures, overlay
    def set_picture(self, ink: np.ndarray | None) -> None:
        """Show a picture's ink (H, W) float in [0, 1] (ink = 1) in the square, fitted and
        centred, instead of the strokes (which are cleared, undoably); None removes it.
        Emits nothing: the tab reads the picture itself."""
        if ink is None:
            self._drop_picture()
            self.update()
            return
        self._finish_stroke(emit=False)
        if self._strokes:
            self._history.append(self._strokes)
            self._strokes = []
            self._data.fill(_PAPER)
            self._ensure_view(force=True)
        h, w = ink.shape
        self._picture = gray_qimage(ink)
        side = float(max(h, w))
        self._picture_rect = QRectF((1 - w / side) / 2, (1 - h / side) / 2, w / side, h / side)
        self.update()

    def has_picture(self) -> bool:
        """True while an opened picture is shown instead of strokes."""
        return self._picture is not None

    def picture_rect(self) -> QRectF:
        """Where the picture lies in unit coordinates of the square (empty without one)."""
        return QRectF(self._picture_rect) if self._picture is not None else QRectF()

    def set_overlay(self, rgba: np.ndarray | None, rect: QRectF | None = None) -> None:
        """Paint the (h, w, 4) uint8 RGBA image over the unit-coordinate square ``rect``
        of the canvas (smoothly scaled), or remove the overlay (None)."""
        if rgba is None or rect is None:
            self._overlay = None
        else:
            self._overlay = rgba_qimage(rgba)
            self._overlay_rect = QRectF(rect)
        self.update()

    def has_overlay(self) -> bool:
        return self._overlay is not None

    def _drop_picture(self) -> bool:
        """Forget the picture; True when there was one."""
        had = self._picture is not None
        self._picture = None
        self._picture_rect = QRectF()
        return had

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if not urls or not urls[0].isLocalFile():
            event.ignore()
            return
        event.acceptProposedAction()
        self.pictureDropped.emit(urls[0].toLocalFile())

    def square_rect(self) -> QRectF:
        """The drawing square in widget coordinates (centred horizontally, at the top)."""
        side = float(min(self.width(), self.height()))
        return QRectF((self.width() - side) / 2.0, 0.0, side, side)

    def unit_to_widget(self, x: float, y: float) -> QPointF:
        """Widget position of the unit-square point (x, y): (0, 0) top-left, (1, 1)
        bottom-right of the drawing square."""
        rect = self.square_rect()
        return QPointF(rect.x() + x * rect.width(), rect.y() + y * rect.height())

    # ------------------------------------------------------------------ geometry
    def sizeHint(self) -> QSize:
        return QSize(280, 280)

    # --------------------------------------------------------------- mouse input
    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if self._current is not None or button not in (
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.RightButton,
        ):
            event.ignore()
            return
        erase = self._eraser or button == Qt.MouseButton.RightButton
        self._current_button = button
        self._begin_stroke(event.position(), erase)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover = event.position()
        if self._current is not None:
            self._extend_stroke(event.position())
        else:
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._current is not None and event.button() == self._current_button:
            self._extend_stroke(event.position(), emit=False)
            self._finish_stroke()
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        position = event.position()
        self._hover = position
        if kind == QTabletEvent.Type.TabletPress and self._current is None:
            erase = (
                self._eraser
                or event.pointerType() == QPointingDevice.PointerType.Eraser
                or event.button() == Qt.MouseButton.RightButton
            )
            self._current_button = event.button()
            self._begin_stroke(position, erase)
        elif kind == QTabletEvent.Type.TabletMove and self._current is not None:
            self._extend_stroke(position)
        elif kind == QTabletEvent.Type.TabletRelease and self._current is not None:
            self._extend_stroke(position, emit=False)
            self._finish_stroke()
        else:
            self.update()
        event.accept()

    # ------------------------------------------------------------------- strokes
    def _to_unit(self, position: QPointF) -> QPointF:
        rect = self.square_rect()
        side = max(rect.width(), 1.0)
        return QPointF((position.x() - rect.x()) / side, (position.y() - rect.y()) / side)

    def _begin_stroke(self, position: QPointF, erase: bool) -> None:
        self._drop_picture()
        self._current = _Stroke(self._brush, erase, [self._to_unit(position)])
        self._paint_segment(self._current, 0)
        self.update()
        self.imageChanged.emit()

    def _extend_stroke(self, position: QPointF, emit: bool = True) -> None:
        point = self._to_unit(position)
        last = self._current.points[-1]
        if point == last:
            return
        self._current.points.append(point)
        self._paint_segment(self._current, len(self._current.points) - 1)
        self.update()
        if emit:
            self.imageChanged.emit()

    def _finish_stroke(self, emit: bool = True) -> None:
        if self._current is None:
            return
        self._strokes.append(self._current)
        self._history.append("stroke")
        self._current = None
        self._current_button = Qt.MouseButton.NoButton
        if emit:
            self.imageChanged.emit()
            self.strokeFinished.emit()

    # ------------------------------------------------------------------ painting
    @staticmethod
    def _pen(stroke: _Stroke, side: float) -> QPen:
        pen = QPen(_PAPER if stroke.erase else _INK)
        pen.setWidthF(max(stroke.width * side, 1.0))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    @staticmethod
    def _draw(painter: QPainter, stroke: _Stroke, side: float, start: int) -> None:
        """Paint ``stroke`` from point ``start`` on: a dot for the first point, then one
        round-capped line per segment. Live drawing and full repaints (undo, resize) use
        exactly the same operations, so they give identical pixels."""
        painter.setPen(DrawCanvas._pen(stroke, side))
        points = stroke.points
        if start == 0:
            painter.drawPoint(points[0] * side)
            start = 1
        for k in range(start, len(points)):
            painter.drawLine(points[k - 1] * side, points[k] * side)

    def _paint_segment(self, stroke: _Stroke, start: int) -> None:
        """Paint the new part of the stroke on the data image and the screen image."""
        for target in (self._data, self._view):
            if target.isNull():
                continue
            painter = QPainter(target)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._draw(painter, stroke, self._image_side(target), start)
            painter.end()

    def _image_side(self, target: QImage) -> float:
        return float(target.width()) / (target.devicePixelRatio() or 1.0)

    def _repaint_all(self) -> None:
        """Repaint both images from the stroke list, then tell listeners."""
        self._data.fill(_PAPER)
        self._ensure_view(force=True)
        for target in (self._data, self._view):
            if target.isNull():
                continue
            painter = QPainter(target)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            side = self._image_side(target)
            for stroke in self._strokes:
                self._draw(painter, stroke, side, 0)
            painter.end()
        self.update()
        self.imageChanged.emit()

    def _ensure_view(self, force: bool = False) -> None:
        """(Re)create the screen image at the current square size and device ratio."""
        side = int(self.square_rect().width())
        ratio = self.devicePixelRatioF()
        pixels = max(int(round(side * ratio)), 1)
        if not force and not self._view.isNull() and self._view.width() == pixels:
            return
        self._view = QImage(pixels, pixels, QImage.Format.Format_Grayscale8)
        self._view.setDevicePixelRatio(ratio)
        self._view.fill(_PAPER)
        if force:
            return
        painter = QPainter(self._view)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        strokes = self._strokes + ([self._current] if self._current is not None else [])
        for stroke in strokes:
            self._draw(painter, stroke, self._image_side(self._view), 0)
        painter.end()

    def _unit_rect(self, unit: QRectF) -> QRectF:
        """A unit-coordinate rectangle of the square in widget coordinates."""
        rect = self.square_rect()
        side = rect.width()
        return QRectF(rect.x() + unit.x() * side, rect.y() + unit.y() * side,
                      unit.width() * side, unit.height() * side)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._hover = None
        self._ensure_view()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._ensure_view()
        rect = self.square_rect()
        painter = QPainter(self)
        painter.drawImage(rect.topLeft(), self._view)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if self._picture is not None:
            painter.drawImage(self._unit_rect(self._picture_rect), self._picture)
        if self._overlay is not None:
            painter.drawImage(self._unit_rect(self._overlay_rect), self._overlay)
        if self.is_empty() and self._current is None and self._picture is None:
            painter.setPen(QColor(DRAW.frame))
            font = painter.font()
            font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.4)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "draw a digit here")
        if self._hover is not None and rect.contains(self._hover):
            radius = self._brush * rect.width() / 2.0
            erasing = self._eraser or (self._current is not None and self._current.erase)
            outline = QPen(QColor(DRAW.eraser if erasing else DRAW.centre))
            outline.setWidthF(1.0)
            painter.setPen(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self._hover, radius, radius)
        frame = QPen(QColor(DRAW.frame))
        frame.setWidthF(1.0)
        painter.setPen(frame)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()
