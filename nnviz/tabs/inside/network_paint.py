"""How the network view paints each stage's column: the header box of the architecture
strip, the arrow to the next stage, and what the stage produced (map tiles, the flat grid,
signed bars, the probability bars). Column contents and places come from
:mod:`~nnviz.tabs.inside.network_columns` and :mod:`~nnviz.tabs.inside.network_layout`."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QPainter, QPen

from nnviz.tabs.inside.colors import DIVERGING_COLORS, qcolor
from nnviz.tabs.inside.network_columns import TILED, Column, params_text
from nnviz.theme import INSIDE


def paint_header(painter: QPainter, column: Column, selected: bool, bold: QFont,
                 small: QFont) -> None:
    """The header box of ``column``: its name, what it does, its shape and parameters."""
    box = column.header.adjusted(0.5, 0.5, -0.5, -0.5)
    painter.setPen(QPen(qcolor(INSIDE.accent if selected else INSIDE.header_border),
                        2.0 if selected else 1.0))
    painter.setBrush(qcolor(INSIDE.header_selected if selected else INSIDE.header_fill))
    painter.drawRoundedRect(box, 5, 5)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setFont(small)
    small_h = painter.fontMetrics().height()
    painter.setFont(bold)
    bold_h = painter.fontMetrics().height()
    y = box.top() + 4
    caption, title = qcolor(INSIDE.caption), qcolor(INSIDE.header_text)
    lines = ((small, caption, column.stage.name, small_h),
             (bold, title, column.stage.description, bold_h),
             (small, title, column.stage.shape_text, small_h),
             (small, caption, params_text(column.stage), small_h))
    for font, colour, line, line_h in lines:
        painter.setFont(font)
        painter.setPen(colour)
        line = painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight,
                                                int(box.width() - 4))
        painter.drawText(QRectF(box.left(), y, box.width(), line_h),
                         Qt.AlignmentFlag.AlignCenter, line)
        y += line_h


def paint_arrow(painter: QPainter, left: Column, right: Column, color: QColor) -> None:
    """An arrow from the header box of ``left`` to that of ``right`` (none when too close)."""
    y = left.header.center().y()
    x0, x1 = left.header.right() + 3, right.header.left() - 3
    if x1 - x0 < 6:
        return
    painter.setPen(QPen(color, 1.5))
    painter.drawLine(QPointF(x0, y), QPointF(x1, y))
    painter.drawLine(QPointF(x1, y), QPointF(x1 - 5, y - 4))
    painter.drawLine(QPointF(x1, y), QPointF(x1 - 5, y + 4))


def paint_column(painter: QPainter, column: Column, small: QFont, text: QColor) -> None:
    """What ``column`` produced: its map tiles, its flat grid, its bars or its probabilities."""
    if column.style in TILED:
        h, w = column.map_shape
        painter.setPen(QPen(qcolor(INSIDE.frame), 1.0))
        for channel, tile in enumerate(column.tiles):
            painter.drawImage(tile, column.image, QRectF(0, channel * h, w, h))
            painter.drawRect(tile.adjusted(-0.5, -0.5, 0.5, 0.5))
    elif column.style == "grid":
        rows, cols = column.grid
        painter.drawImage(column.content, column.image, QRectF(0, 0, cols, rows))
        painter.setPen(QPen(qcolor(INSIDE.frame), 1.0))
        painter.drawRect(column.content.adjusted(-0.5, -0.5, 0.5, 0.5))
    elif column.style == "bars":
        _paint_bars(painter, column)
    else:
        _paint_probs(painter, column, small, text)


def _paint_bars(painter: QPainter, column: Column) -> None:
    area = column.content
    n = len(column.bar_length)
    row_h = area.height() / n
    bar_h = max(row_h - 0.3, 0.7)
    mid = area.center().x()
    half = area.width() / 2.0
    top = area.top()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillRect(area, qcolor(INSIDE.bars_fill))
    for k, (fraction, index) in enumerate(zip(column.bar_length, column.bar_index,
                                              strict=True)):
        length = fraction * half
        painter.fillRect(QRectF(min(mid, mid + length), top + k * row_h, abs(length), bar_h),
                         DIVERGING_COLORS[index])
    painter.setPen(QPen(qcolor(INSIDE.caption), 1.0))
    painter.drawLine(QPointF(mid, area.top()), QPointF(mid, area.bottom()))


def _paint_probs(painter: QPainter, column: Column, small: QFont, text: QColor) -> None:
    area = column.content
    probs = column.values.reshape(-1)
    n = len(probs)
    row_h = area.height() / n
    top = int(np.argmax(probs))
    painter.setFont(small)
    fm = painter.fontMetrics()
    label_w = fm.horizontalAdvance("00") + 6
    value_w = fm.horizontalAdvance("100 %") + 6
    track_w = area.width() - label_w - value_w
    track_color, top_color = qcolor(INSIDE.track), qcolor(INSIDE.top_class)
    other_color = qcolor(INSIDE.other_class)
    for k in range(n):
        y = area.top() + k * row_h
        bar_h = row_h * 0.62
        bar_y = y + (row_h - bar_h) / 2.0
        painter.setPen(text)
        painter.drawText(QRectF(area.left(), y, label_w - 4, row_h),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, str(k))
        track = QRectF(area.left() + label_w, bar_y, track_w, bar_h)
        painter.fillRect(track, track_color)
        p = float(probs[k])
        if p > 0:
            painter.fillRect(QRectF(track.left(), bar_y, max(track_w * p, 1.0), bar_h),
                             top_color if k == top else other_color)
        painter.drawText(QRectF(track.right() + 4, y, value_w, row_h),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         f"{100 * p:.0f} %")
