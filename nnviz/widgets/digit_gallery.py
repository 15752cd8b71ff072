"""A scrollable grid of small digit images with a caption under each.

Used for the misclassified validation digits at each epoch end ("predicted 7 (93 %),
true 1") and for the digits of a clicked confusion-matrix cell. Images are shown as
MNIST has them (white ink on black), scaled up by pixel repetition so that every input
pixel stays a crisp square. At most ``max_shown`` are drawn, with a note saying so: a
list view lays them out in rows that re-flow with the width and scrolls.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PyQt6.QtCore import QEvent, QObject, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QFont, QIcon
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nnviz.theme import plot_colors
from nnviz.widgets.digit_image import digit_pixmap, to_uint8

__all__ = ["DigitGallery"]

MAX_SHOWN = 200


class DigitGallery(QWidget):
    """Thumbnails of digits with captions; ``set_digits`` replaces them all."""

    digitClicked = pyqtSignal(int)
    """Index (into the images given to ``set_digits``) of a clicked thumbnail."""

    def __init__(self, parent: QWidget | None = None, *, max_shown: int = MAX_SHOWN,
                 scale: int = 2, empty_text: str = "No digits to show yet.") -> None:
        super().__init__(parent)
        self.setObjectName("digitGallery")
        self._max_shown = int(max_shown)
        self._scale = int(scale)
        self._empty_text = empty_text
        self._images = np.zeros((0, 28, 28), dtype=np.uint8)
        self._captions: tuple[str, ...] = ()
        self._total = 0

        self._title = QLabel()
        self._title.setObjectName("digitGalleryTitle")
        bold = self._title.font()
        bold.setBold(True)
        self._title.setFont(bold)
        # a long title is cut rather than widening the panel
        self._title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._note = QLabel()
        self._note.setObjectName("digitGalleryNote")
        self._note.setStyleSheet(f"color: {plot_colors().muted};")
        self._note.setToolTip(f"At most {self._max_shown} digits are drawn, in the order "
                              "given (the first ones).")

        self.thumbnails = QListWidget()
        """The list view of the thumbnails (one item per digit drawn)."""
        self.thumbnails.setObjectName("digitGalleryList")
        self.thumbnails.setViewMode(QListView.ViewMode.IconMode)
        self.thumbnails.setMovement(QListView.Movement.Static)
        self.thumbnails.setResizeMode(QListView.ResizeMode.Adjust)
        self.thumbnails.setFlow(QListView.Flow.LeftToRight)
        self.thumbnails.setWrapping(True)
        self.thumbnails.setWordWrap(True)
        self.thumbnails.setUniformItemSizes(True)
        self.thumbnails.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.thumbnails.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus frame on a thumbnail
        self.thumbnails.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        colors = plot_colors()  # a plot-like panel: white on a light desktop, dark on a dark one
        self.thumbnails.setStyleSheet(
            f"QListWidget {{ background: {colors.background}; color: {colors.text}; }}")
        caption_font = QFont(self.thumbnails.font())
        caption_font.setPointSizeF(max(7.0, caption_font.pointSizeF() - 1))
        self.thumbnails.setFont(caption_font)
        side = 28 * self._scale
        metrics = self.thumbnails.fontMetrics()
        self.thumbnails.setIconSize(QSize(side, side))
        # the narrowest cell a caption such as "said 6 (100 %)" fits in; the cells widen so
        # that whole columns fill the panel (see _fit_columns)
        self._cell_width = max(side + 12, metrics.horizontalAdvance("said 6 (100 %)") + 12)
        self._cell_height = side + 2 * metrics.lineSpacing() + 14
        self.thumbnails.setGridSize(QSize(self._cell_width, self._cell_height))
        self.thumbnails.viewport().installEventFilter(self)
        self.thumbnails.setToolTip("Each image is one digit as the network sees it (28 x 28 "
                              "pixels, shown twice as large); hover one for its caption.")
        self.thumbnails.itemClicked.connect(self._on_item_clicked)

        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        header.addWidget(self._title, 1)
        header.addWidget(self._note)
        self._header = header
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.thumbnails, 1)
        self.clear()

    # ----------------------------------------------------------------- public API
    def add_header_widget(self, widget: QWidget) -> None:
        """Put ``widget`` (a button, a link) in the header line, after the title."""
        self._header.insertWidget(1, widget)

    def set_digits(self, images: np.ndarray, captions: Sequence[str], title: str = "") -> None:
        """Show ``images`` (N, 28, 28) uint8 0..255 or float 0..1 with one caption each.

        Only the first ``max_shown`` are drawn; the note says how many there are.
        """
        pixels = to_uint8(images)
        if pixels.ndim != 3:
            raise ValueError(f"images must be (N, H, W), got shape {np.shape(images)}")
        captions = tuple(str(c) for c in captions)
        if len(captions) != len(pixels):
            raise ValueError(f"{len(pixels)} images but {len(captions)} captions")
        shown = min(len(pixels), self._max_shown)
        self._images = pixels[:shown]
        self._captions = captions[:shown]
        self._total = len(pixels)
        self._title.setText(title)
        self.thumbnails.setUpdatesEnabled(False)
        self.thumbnails.clear()
        for i in range(shown):
            # "93 %" must not wrap between the number and its unit
            shown_text = self._captions[i].replace(" %", "\u00a0%")
            item = QListWidgetItem(QIcon(digit_pixmap(self._images[i], self._scale)), shown_text)
            item.setToolTip(f"{self._captions[i]} (#{i + 1})")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.thumbnails.addItem(item)
        self.thumbnails.setUpdatesEnabled(True)
        self.thumbnails.scrollToTop()
        if self._total == 0:
            self._note.setText(self._empty_text)
        elif shown < self._total:
            self._note.setText(f"showing {shown:,} of {self._total:,}")
        else:
            self._note.setText(f"{self._total:,} digit{'s' if self._total != 1 else ''}")

    def clear(self) -> None:
        """Show no digits and no title."""
        self.set_digits(np.zeros((0, 28, 28), dtype=np.uint8), [], "")

    def images(self) -> np.ndarray:
        """A copy of the images drawn, (shown, H, W) uint8."""
        return self._images.copy()

    def captions(self) -> tuple[str, ...]:
        """The captions drawn, one per image."""
        return self._captions

    def shown_count(self) -> int:
        return len(self._captions)

    def total_count(self) -> int:
        """How many digits were given (may exceed those drawn)."""
        return self._total

    def title(self) -> str:
        return self._title.text()

    def note(self) -> str:
        return self._note.text()

    def columns(self) -> int:
        """How many thumbnails stand side by side at the current width."""
        return max(1, self.thumbnails.viewport().width() // self._cell_width)

    def _fit_columns(self) -> None:
        """Widen the cells so the columns share the whole width (no empty strip at the right)."""
        width = self.thumbnails.viewport().width()
        cell = max(self._cell_width, width // self.columns())
        if self.thumbnails.gridSize().width() != cell:
            self.thumbnails.setGridSize(QSize(cell, self._cell_height))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        thumbnails = getattr(self, "thumbnails", None)  # None while a collection clears it
        if (thumbnails is not None and watched is thumbnails.viewport()
                and event.type() == QEvent.Type.Resize):
            self._fit_columns()
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- slots
    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self.digitClicked.emit(int(item.data(Qt.ItemDataRole.UserRole)))
