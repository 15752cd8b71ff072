"""The input picker: a strip of validation digits and the drawn digit, one of them chosen.

About 20 validation digits (which ones: :class:`~nnviz.tabs.inside.state.InsideState`)
with their true label and, once the tab has a model, its guess (green when right, red
when wrong, so the strip shows the network learning), then a separate tile for the digit
drawn on the Draw tab. Click a tile (or use the arrow keys) to choose the input the tab
looks inside: the picker reports the choice (``selectionChanged``) and shows the one the
tab's state holds (:meth:`InputPicker.set_selection`). With the "Why?" toggle on, each
tile carries its translucent "Why?" map (:meth:`InputPicker.set_why_overlays`).
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PyQt6.QtWidgets import QSizePolicy, QWidget

from nnviz.tabs.inside.colors import PACKED_GREY, colorize, qcolor, rgba_image
from nnviz.tabs.inside.painting import fonts
from nnviz.tabs.inside.state import DRAWN, Choice
from nnviz.theme import INSIDE
from nnviz.widgets.digit_image import rgba_qimage

_DRAWN_GAP = 34.0  # between the last digit and the drawn tile (a separator line sits in it)


class InputPicker(QWidget):
    """Thumbnails to choose the input from: sample digits and the drawn digit."""

    selectionChanged = pyqtSignal(object)
    """The user chose an input: a slot on the strip (int) or ``DRAWN``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = np.zeros((0, 28, 28), dtype=np.uint8)
        self._labels = np.zeros(0, dtype=np.int64)
        self._predicted: np.ndarray | None = None
        self._drawn: np.ndarray | None = None
        self._selection: Choice = None
        self._buffer = np.zeros((28, 28), dtype=np.uint32)
        self._image = rgba_image(self._buffer)
        self._drawn_buffer = np.zeros((28, 28), dtype=np.uint32)
        self._drawn_image = rgba_image(self._drawn_buffer)
        self._why: list[QImage | None] = []
        self._why_drawn: QImage | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(62)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            "The input to look inside: click a validation digit, or the drawn digit on the\n"
            "right (what you draw on the Draw tab, followed live). Under each digit: its true\n"
            "label and the network's guess (green = right, red = wrong). Arrow keys move.")

    def sizeHint(self) -> QSize:
        return QSize(900, 66)

    # -- what is shown -----------------------------------------------------------------
    def show_strip(self, images: np.ndarray, labels: np.ndarray,
                   selection: Choice = None) -> None:
        """The digits on the strip, (n, H, W) uint8 and their (n,) labels, with
        ``selection`` chosen; the guesses and "Why?" maps are cleared. Emits nothing."""
        images = np.asarray(images)
        labels = np.asarray(labels).reshape(-1)
        if images.ndim != 3 or len(images) != len(labels):
            raise ValueError(f"expected images (n, H, W) and n labels, got {images.shape} "
                             f"and {labels.shape}")
        self._images = images
        self._labels = labels.astype(np.int64)
        h, w = images.shape[1:]
        self._buffer = np.zeros((max(len(images), 1) * h, w), dtype=np.uint32)
        if len(images):
            pixels = images.astype(np.float64) / 255.0
            colorize(pixels.reshape(-1, w), 0.0, 1.0, PACKED_GREY, out=self._buffer)
        self._image = rgba_image(self._buffer)
        self._predicted = None
        self._why = []  # the maps were of the old digits
        self._selection = selection
        self.update()

    def count(self) -> int:
        """How many digits are on the strip."""
        return len(self._images)

    def set_predictions(self, predicted: np.ndarray | None) -> None:
        """The model's guesses for the digits on the strip, (n,) ints, or None."""
        self._predicted = None if predicted is None else np.asarray(predicted).reshape(-1)
        self.update()

    def predictions(self) -> np.ndarray | None:
        """The guesses shown under the digits (None: none)."""
        return None if self._predicted is None else self._predicted.copy()

    def set_drawn(self, image: np.ndarray | None) -> None:
        """The drawn digit (H, W) float in [0, 1], or None for an empty canvas."""
        if image is None:
            self._drawn = None
        else:
            image = np.asarray(image, dtype=np.float64)
            if image.shape != self._drawn_buffer.shape:
                self._drawn_buffer = np.zeros(image.shape, dtype=np.uint32)
                self._drawn_image = rgba_image(self._drawn_buffer)
            self._drawn = image
            colorize(image, 0.0, 1.0, PACKED_GREY, out=self._drawn_buffer)
        self.update()

    def set_why_overlays(self, strip: list[np.ndarray | None] | None,
                         drawn: np.ndarray | None = None) -> None:
        """Translucent (28, 28, 4) uint8 RGBA maps over the strip's tiles (one per digit,
        None for none) and over the drawn tile; ``strip`` None removes them all."""
        def image(rgba: np.ndarray | None) -> QImage | None:
            return None if rgba is None else rgba_qimage(rgba)

        self._why = [] if strip is None else [image(rgba) for rgba in strip]
        self._why_drawn = None if strip is None else image(drawn)
        self.update()

    def has_why_overlays(self) -> bool:
        """True while "Why?" maps are painted over the tiles."""
        return bool(self._why) or self._why_drawn is not None

    # -- selection ---------------------------------------------------------------------------
    def set_selection(self, choice: Choice) -> None:
        """Show slot ``choice`` (0-based on the strip), ``DRAWN`` or None as chosen; emits
        nothing (``selectionChanged`` reports the user's clicks and keys)."""
        self._selection = choice
        self.update()

    def selection(self) -> Choice:
        """The chosen slot on the strip, ``DRAWN`` or None."""
        return self._selection

    def _choose(self, choice: Choice) -> None:
        if choice != self._selection:
            self.set_selection(choice)
            self.selectionChanged.emit(choice)

    # -- geometry --------------------------------------------------------------------------
    def _tile_size(self) -> float:
        """Thumbnail side: the height allows it, unless the strip would not fit the width."""
        n = max(len(self._images), 1)
        by_width = (self.width() - 8 - _DRAWN_GAP - 3.0 * n) / (n + 1)
        return max(min(self.height() - 22.0, by_width), 12.0)

    def tile_rect(self, slot: int) -> QRectF:
        """Widget rectangle of thumbnail ``slot``."""
        side = self._tile_size()
        step = side + self._spacing()
        return QRectF(4 + slot * step, 3, side, side)

    def _spacing(self) -> float:
        side = self._tile_size()
        n = max(len(self._images), 1)
        room = self.width() - 8 - _DRAWN_GAP - (n + 1) * side
        return float(np.clip(room / n, 3.0, side * 0.35))

    def drawn_rect(self) -> QRectF:
        side = self._tile_size()
        last = self.tile_rect(max(len(self._images) - 1, 0))
        left = min(last.right() + _DRAWN_GAP + 3, self.width() - side - 4)
        return QRectF(left, 3, side, side)

    def _slot_at(self, x: float, y: float) -> int | str | None:
        for slot in range(len(self._images)):
            if self.tile_rect(slot).adjusted(-2, -2, 2, 18).contains(x, y):
                return slot
        if self.drawn_rect().adjusted(-2, -2, 2, 18).contains(x, y):
            return DRAWN
        return None

    # -- events ------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        slot = self._slot_at(event.position().x(), event.position().y())
        if slot is not None and event.button() == Qt.MouseButton.LeftButton:
            self._choose(slot)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        order: list[int | str] = [*range(len(self._images)), DRAWN]
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._selection in order:
            step = -1 if event.key() == Qt.Key.Key_Left else 1
            k = order.index(self._selection)
            self._choose(order[(k + step) % len(order)])
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        _, _, font = fonts(self.font())
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        h, w = self._images.shape[1:] if len(self._images) else (28, 28)
        for slot, label in enumerate(self._labels.tolist()):
            rect = self.tile_rect(slot)
            painter.drawImage(rect, self._image, QRectF(0, slot * h, w, h))
            if slot < len(self._why) and self._why[slot] is not None:
                painter.drawImage(rect, self._why[slot])
            caption, colour = str(label), text
            if self._predicted is not None and slot < len(self._predicted):
                guess = int(self._predicted[slot])
                caption = f"{label} ✓" if guess == label else f"{label}→{guess}"
                colour = qcolor(INSIDE.right if guess == label else INSIDE.wrong)
            painter.setPen(colour)
            painter.setFont(bold if slot == self._selection else font)
            painter.drawText(QRectF(rect.left() - 8, rect.bottom() + 2, rect.width() + 16,
                                    fm.height()), Qt.AlignmentFlag.AlignCenter, caption)
        drawn = self.drawn_rect()
        painter.setFont(font)
        if self._drawn is not None:
            painter.drawImage(drawn, self._drawn_image)
            if self._why_drawn is not None:
                painter.drawImage(drawn, self._why_drawn)
        else:
            painter.setPen(QPen(qcolor(INSIDE.rule), 1.0, Qt.PenStyle.DashLine))
            painter.drawRect(drawn)
            painter.setPen(qcolor(INSIDE.frame))
            painter.drawText(drawn, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "empty")
        painter.setPen(text)
        painter.setFont(bold if self._selection == DRAWN else font)
        painter.drawText(QRectF(drawn.left() - 20, drawn.bottom() + 2, drawn.width() + 40,
                                fm.height()), Qt.AlignmentFlag.AlignCenter, "✎ drawn")
        separator_x = drawn.left() - 14
        painter.setPen(QPen(qcolor(INSIDE.rule), 1.0))
        painter.drawLine(int(separator_x), 4, int(separator_x), int(drawn.bottom()))
        chosen = (drawn if self._selection == DRAWN else
                  self.tile_rect(self._selection) if isinstance(self._selection, int) else None)
        if chosen is not None:
            painter.setPen(QPen(qcolor(INSIDE.accent), 2.5))
            painter.drawRect(chosen.adjusted(-1.5, -1.5, 1.5, 1.5))
        painter.end()
