"""The input picker: a strip of validation digits and the drawn digit, one of them chosen.

About 20 validation digits (two of each class when the labels allow it) with their true
label and, once the tab has a model, its guess (green when right, red when wrong, so the
strip shows the network learning), then a separate tile for the digit drawn on the Draw
tab. Click a tile (or use the arrow keys) to choose the input the tab looks inside.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PyQt6.QtWidgets import QSizePolicy, QWidget

from nnviz.tabs.inside.colors import PACKED_GREY, colorize, rgba_image

DRAWN = "drawn"
"""The selection value of the drawn-digit tile."""
PER_PAGE = 20
_DRAWN_GAP = 34.0  # between the last digit and the drawn tile (a separator line sits in it)

_SELECTED = QColor(37, 99, 235)
_RIGHT = QColor(30, 140, 60)
_WRONG = QColor(200, 40, 40)


def page_indices(labels: np.ndarray, page: int, per_class: int = 2,
                 per_page: int = PER_PAGE) -> np.ndarray:
    """Indices of the digits on ``page``: the next ``per_class`` of each class (in order),
    or a plain slice of ``per_page`` when the labels are not 10 well-filled classes."""
    labels = np.asarray(labels).reshape(-1)
    n = len(labels)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    classes = np.unique(labels)
    by_class = [np.flatnonzero(labels == c) for c in classes]
    pages = min(len(ix) for ix in by_class) // per_class
    if len(classes) * per_class != per_page or pages == 0:
        pages = max(-(-n // per_page), 1)
        start = (page % pages) * per_page
        return np.arange(start, min(start + per_page, n))
    page %= pages
    chosen = [ix[page * per_class:(page + 1) * per_class] for ix in by_class]
    return np.stack(chosen, axis=1).reshape(-1)  # 0 1 2 ... 9 0 1 2 ... 9


class InputPicker(QWidget):
    """Thumbnails to choose the input from: sample digits and the drawn digit."""

    selectionChanged = pyqtSignal(object)
    """The chosen input: an index into the samples (int), ``DRAWN``, or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = np.zeros((0, 28, 28), dtype=np.uint8)
        self._labels = np.zeros(0, dtype=np.int64)
        self._page = 0
        self._shown = np.zeros(0, dtype=np.int64)
        self._predicted: np.ndarray | None = None
        self._drawn: np.ndarray | None = None
        self._selection: int | str | None = None
        self._buffer = np.zeros((28, 28), dtype=np.uint32)
        self._image = rgba_image(self._buffer)
        self._drawn_buffer = np.zeros((28, 28), dtype=np.uint32)
        self._drawn_image = rgba_image(self._drawn_buffer)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(62)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            "The input to look inside: click a validation digit, or the drawn digit on the\n"
            "right (what you draw on the Draw tab, followed live). Under each digit: its true\n"
            "label and the network's guess (green = right, red = wrong). Arrow keys move.")

    def sizeHint(self) -> QSize:
        return QSize(900, 66)

    # -- data ----------------------------------------------------------------------------
    def set_samples(self, images: np.ndarray, labels: np.ndarray) -> None:
        """Validation digits (N, 28, 28) uint8 and labels (N,); shows the first page."""
        images = np.asarray(images)
        labels = np.asarray(labels).reshape(-1)
        if images.ndim != 3 or len(images) != len(labels):
            raise ValueError(f"expected images (N, H, W) and N labels, got {images.shape} "
                             f"and {labels.shape}")
        self._images = images
        self._labels = labels.astype(np.int64)
        self._page = -1
        self.next_page()

    def next_page(self) -> None:
        """Show the next ~20 digits (wrapping around); the choice moves to the same slot."""
        self._page += 1
        self._shown = page_indices(self._labels, self._page)
        h, w = self._images.shape[1:] if len(self._images) else (28, 28)
        self._buffer = np.zeros((max(len(self._shown), 1) * h, w), dtype=np.uint32)
        if len(self._shown):
            pixels = self._images[self._shown].astype(np.float64) / 255.0
            colorize(pixels.reshape(-1, w), 0.0, 1.0, PACKED_GREY, out=self._buffer)
        self._image = rgba_image(self._buffer)
        self._predicted = None
        selection = self._selection
        if selection != DRAWN:
            self._selection = None
            slot = selection if isinstance(selection, int) and selection < len(self._shown) else 0
            if len(self._shown):
                self._selection = slot
        self.update()
        self.selectionChanged.emit(self._selection)

    def shown_indices(self) -> np.ndarray:
        """Indices (into the samples) of the digits on the strip, left to right."""
        return self._shown.copy()

    def set_predictions(self, predicted: np.ndarray | None) -> None:
        """The model's guesses for the shown digits, (len(shown),) ints, or None."""
        self._predicted = None if predicted is None else np.asarray(predicted).reshape(-1)
        self.update()

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

    # -- selection ---------------------------------------------------------------------------
    def select(self, choice: int | str | None) -> None:
        """Choose slot ``choice`` (0-based on the strip), ``DRAWN`` or None; emits
        ``selectionChanged`` when it changes."""
        if isinstance(choice, int | np.integer) and not 0 <= int(choice) < len(self._shown):
            raise IndexError(f"slot {choice} is not on the strip ({len(self._shown)} digits)")
        choice = int(choice) if isinstance(choice, int | np.integer) else choice
        if choice not in (None, DRAWN) and not isinstance(choice, int):
            raise ValueError(f"unknown choice {choice!r}")
        if choice == self._selection:
            return
        self._selection = choice
        self.update()
        self.selectionChanged.emit(choice)

    def selection(self) -> int | str | None:
        """The chosen slot on the strip, ``DRAWN`` or None."""
        return self._selection

    def selected_sample(self) -> int | None:
        """The index into the samples of the chosen digit (None for drawn / nothing)."""
        if isinstance(self._selection, int):
            return int(self._shown[self._selection])
        return None

    # -- geometry --------------------------------------------------------------------------
    def _tile_size(self) -> float:
        """Thumbnail side: the height allows it, unless the strip would not fit the width."""
        n = max(len(self._shown), 1)
        by_width = (self.width() - 8 - _DRAWN_GAP - 3.0 * n) / (n + 1)
        return max(min(self.height() - 22.0, by_width), 12.0)

    def tile_rect(self, slot: int) -> QRectF:
        """Widget rectangle of thumbnail ``slot``."""
        side = self._tile_size()
        step = side + self._spacing()
        return QRectF(4 + slot * step, 3, side, side)

    def _spacing(self) -> float:
        side = self._tile_size()
        n = max(len(self._shown), 1)
        room = self.width() - 8 - _DRAWN_GAP - (n + 1) * side
        return float(np.clip(room / n, 3.0, side * 0.35))

    def drawn_rect(self) -> QRectF:
        side = self._tile_size()
        last = self.tile_rect(max(len(self._shown) - 1, 0))
        left = min(last.right() + _DRAWN_GAP + 3, self.width() - side - 4)
        return QRectF(left, 3, side, side)

    def _slot_at(self, x: float, y: float) -> int | str | None:
        for slot in range(len(self._shown)):
            if self.tile_rect(slot).adjusted(-2, -2, 2, 18).contains(x, y):
                return slot
        if self.drawn_rect().adjusted(-2, -2, 2, 18).contains(x, y):
            return DRAWN
        return None

    # -- events ------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        slot = self._slot_at(event.position().x(), event.position().y())
        if slot is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(slot)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        order: list[int | str] = [*range(len(self._shown)), DRAWN]
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._selection in order:
            step = -1 if event.key() == Qt.Key.Key_Left else 1
            k = order.index(self._selection)
            self.select(order[(k + step) % len(order)])
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        h, w = self._images.shape[1:] if len(self._images) else (28, 28)
        for slot, index in enumerate(self._shown):
            rect = self.tile_rect(slot)
            painter.drawImage(rect, self._image, QRectF(0, slot * h, w, h))
            label = int(self._labels[index])
            caption, colour = str(label), text
            if self._predicted is not None and slot < len(self._predicted):
                guess = int(self._predicted[slot])
                caption = f"{label} ✓" if guess == label else f"{label}→{guess}"
                colour = _RIGHT if guess == label else _WRONG
            painter.setPen(colour)
            painter.setFont(bold if slot == self._selection else font)
            painter.drawText(QRectF(rect.left() - 8, rect.bottom() + 2, rect.width() + 16,
                                    fm.height()), Qt.AlignmentFlag.AlignCenter, caption)
        drawn = self.drawn_rect()
        painter.setFont(font)
        if self._drawn is not None:
            painter.drawImage(drawn, self._drawn_image)
        else:
            painter.setPen(QPen(QColor(130, 130, 130), 1.0, Qt.PenStyle.DashLine))
            painter.drawRect(drawn)
            painter.setPen(QColor(120, 120, 120))
            painter.drawText(drawn, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "empty")
        painter.setPen(text)
        painter.setFont(bold if self._selection == DRAWN else font)
        painter.drawText(QRectF(drawn.left() - 20, drawn.bottom() + 2, drawn.width() + 40,
                                fm.height()), Qt.AlignmentFlag.AlignCenter, "✎ drawn")
        separator_x = drawn.left() - 14
        painter.setPen(QPen(QColor(160, 160, 160), 1.0))
        painter.drawLine(int(separator_x), 4, int(separator_x), int(drawn.bottom()))
        chosen = (drawn if self._selection == DRAWN else
                  self.tile_rect(self._selection) if isinstance(self._selection, int) else None)
        if chosen is not None:
            painter.setPen(QPen(_SELECTED, 2.5))
            painter.drawRect(chosen.adjusted(-1.5, -1.5, 1.5, 1.5))
        painter.end()
