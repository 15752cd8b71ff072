"""One horizontal bar per class showing the network's probabilities (its softmax output).

Painted with QPainter (ten rectangles and labels), so updating on every mouse move costs
next to nothing. The top class is drawn in the highlight colour, the second guess in a
lighter shade.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PyQt6.QtWidgets import QSizePolicy, QWidget

from nnviz.theme import DRAW

_TOP_COLOR = QColor(DRAW.prediction)
_SECOND_COLOR = QColor(DRAW.second)
_OTHER_COLOR = QColor(DRAW.other)
_TRACK_COLOR = QColor(*DRAW.track)


class ProbabilityBars(QWidget):
    """Bars for the class probabilities p (n_classes,), top class and second guess marked."""

    def __init__(
        self, parent: QWidget | None = None, labels: Sequence[str] = tuple("0123456789")
    ) -> None:
        super().__init__(parent)
        self._labels = list(labels)
        self._probabilities: np.ndarray | None = None
        self._order: np.ndarray | None = None
        self.setMinimumSize(180, 16 * len(self._labels))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip(
            "The probability the network gives each digit (its softmax output; they add "
            "up to 100 %).\nGreen: its answer. Blue: its second guess."
        )

    def sizeHint(self) -> QSize:
        return QSize(300, 26 * len(self._labels))

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Show ``probabilities`` (n_classes,) in [0, 1], or empty bars for None."""
        if probabilities is None:
            self._probabilities = None
            self._order = None
        else:
            p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
            if p.shape != (len(self._labels),):
                raise ValueError(f"expected {len(self._labels)} probabilities, got shape {p.shape}")
            self._probabilities = p
            self._order = np.argsort(-p, kind="stable")
        self.update()

    def probabilities(self) -> np.ndarray | None:
        """The probabilities shown, (n_classes,) float64, or None."""
        return None if self._probabilities is None else self._probabilities.copy()

    def top_class(self) -> int | None:
        """Index of the highlighted (most probable) class, or None."""
        return None if self._order is None else int(self._order[0])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        n = len(self._labels)
        row = self.height() / n
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, min(13.0, row * 0.45)))
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(font)
        metrics_width = painter.fontMetrics().horizontalAdvance("100.0 %") * 1.25
        label_w = row * 1.1
        value_w = max(metrics_width, 64.0)
        track_w = max(self.width() - label_w - value_w - 8.0, 10.0)
        top = self.top_class()
        second = None if self._order is None else int(self._order[1])
        for k, label in enumerate(self._labels):
            y = k * row
            bar_h = row * 0.62
            bar_y = y + (row - bar_h) / 2.0
            painter.setFont(bold if k == top else font)
            painter.setPen(text_color)
            painter.drawText(QRectF(0.0, y, label_w, row), Qt.AlignmentFlag.AlignCenter, label)
            track = QRectF(label_w, bar_y, track_w, bar_h)
            painter.fillRect(track, _TRACK_COLOR)
            if self._probabilities is None:
                continue
            p = float(self._probabilities[k])
            color = _TOP_COLOR if k == top else _SECOND_COLOR if k == second else _OTHER_COLOR
            if p > 0.0:
                painter.fillRect(QRectF(label_w, bar_y, max(track_w * p, 1.0), bar_h), color)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(label_w + track_w + 8.0, y, value_w, row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{100.0 * p:.1f} %",
            )
        painter.end()
