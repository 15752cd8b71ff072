"""How one value was computed: the arithmetic behind the pixel under the mouse.

For a conv pixel: per input channel, the input patch ⊙ the kernel = the products and
their sum; then Σ + bias = z (checked against the layer's own output) and the activation.
For a pooling pixel: the window and its maximum. For a dense unit: the largest weighted
inputs w·x, the rest summed, the bias, z and the activation. Painted with QPainter; the
numbers come from an :class:`~nnviz.tabs.inside.stages.Explanation`, the words around them
from :mod:`~nnviz.tabs.inside.explain_text`.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PyQt6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PyQt6.QtWidgets import QWidget

from nnviz.tabs.inside import explain_text
from nnviz.tabs.inside.colors import (
    DIVERGING,
    GREY,
    format_value,
    lut_color,
    qcolor,
    text_color_on,
    value_color,
)
from nnviz.tabs.inside.painting import fonts, init_painted, show_area_tip, show_cell_tip
from nnviz.tabs.inside.stages import Explanation, StageKind
from nnviz.tabs.inside.value_text import compact
from nnviz.theme import INSIDE


class ExplainPanel(QWidget):
    """Shows an :class:`Explanation` (or how to get one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._explanation: Explanation | None = None
        self._pinned = False
        self._cells: list[tuple[QRectF, str]] = []   # painted cells and their tooltips
        init_painted(self, 300, 200,
                     "The arithmetic behind the value under the mouse in the network view "
                     "above,\nwith the model's own numbers. Click a value there to pin it here.")

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def set_explanation(self, explanation: Explanation | None, pinned: bool = False) -> None:
        self._explanation = explanation
        self._pinned = pinned
        self.update()

    def explanation(self) -> Explanation | None:
        return self._explanation

    def title(self) -> str:
        """The first line shown (what is explained)."""
        return explain_text.title(self._explanation)

    def cell_tooltip(self, pos: QPointF) -> str | None:
        """The numbers behind the grid cell at ``pos`` (as last painted), or None."""
        cell = self._cell_at(pos)
        return None if cell is None else cell[1]

    def _cell_at(self, pos: QPointF) -> tuple[QRectF, str] | None:
        for rect, tip in self._cells:
            if rect.contains(pos):
                return rect, tip
        return None

    def tip_areas(self) -> list[tuple[QRectF, str]]:
        """Where a tooltip shows: each painted grid cell (its numbers), and the general
        description over the title line only, not over the explanation it describes."""
        _, bold, _ = fonts(self.font())
        title = QRectF(0, 0, self.width(), QFontMetricsF(bold).height() + 6)
        return [*self._cells, (title, self.toolTip())]

    def event(self, event: QEvent) -> bool:  # noqa: D102 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            return show_area_tip(self, event, self.tip_areas())
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        cell = self._cell_at(event.position())
        if cell is not None:  # a tip shown elsewhere hides itself on leaving its rect
            show_cell_tip(self, event, cell[1], cell[0])
        super().mouseMoveEvent(event)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._cells = []
        text = self.palette().color(QPalette.ColorRole.WindowText)
        base, bold, small = fonts(self.font())
        area = QRectF(self.rect()).adjusted(6, 4, -6, -4)
        painter.setPen(text)
        painter.setFont(bold)
        title = self.title() + ("  (pinned)" if self._pinned else "")
        line_h = QFontMetricsF(bold).height()
        painter.drawText(QRectF(area.left(), area.top(), area.width(), line_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight,
                                                          int(area.width())))
        body = area.adjusted(0, line_h + 4, 0, 0)
        e = self._explanation
        painter.setFont(base)
        if e is None:
            self._paint_help(painter, body)
        elif e.kind is StageKind.CONV:
            self._paint_conv(painter, body, e, base, small, text)
        elif e.kind is StageKind.POOL:
            self._paint_pool(painter, body, e, base, small, text)
        elif e.kind is StageKind.DENSE:
            self._paint_dense(painter, body, e, base, small, text)
        elif e.kind is StageKind.NORM:
            self._paint_lines(painter, body, explain_text.norm_lines(e), text)
        else:
            self._paint_simple(painter, body, e)
        painter.end()

    def _paint_help(self, painter: QPainter, body: QRectF) -> None:
        painter.drawText(body, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, explain_text.HELP)

    def _paint_lines(self, painter: QPainter, rect: QRectF, lines: list[explain_text.Line],
                     text: QColor) -> None:
        """One line each; a check is drawn in the right or the wrong colour."""
        h = painter.fontMetrics().height()
        for k, (line, agree) in enumerate(lines):
            painter.setPen(text if agree is None
                           else qcolor(INSIDE.right if agree else INSIDE.wrong))
            painter.drawText(QRectF(rect.left(), rect.top() + k * h, rect.width(), h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        painter.setPen(text)

    def _paint_grid(self, painter: QPainter, origin: QPointF, values: np.ndarray, cell: float,
                    limit: float, lut: np.ndarray, small: QFont, numbers: bool,
                    signed: bool = True) -> QRectF:
        """Paint a (rows, cols) grid of coloured cells; returns its rectangle."""
        rows, cols = values.shape
        painter.setFont(small)
        for r in range(rows):
            for c in range(cols):
                v = float(values[r, c])
                if signed:
                    color = value_color(v, limit, lut)
                else:
                    color = lut_color(lut, min(max(v / max(limit, 1e-12), 0.0), 1.0))
                rect = QRectF(origin.x() + c * cell, origin.y() + r * cell, cell, cell)
                painter.fillRect(rect, color)
                if numbers:
                    painter.setPen(text_color_on(color))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, compact(v))
        box = QRectF(origin.x(), origin.y(), cols * cell, rows * cell)
        painter.setPen(QPen(qcolor(INSIDE.frame), 1.0))
        painter.drawRect(box)
        return box

    @staticmethod
    def _conv_geometry(area: QRectF, n_ch: int, kh: int, kw: int, label_w: float,
                       row_label_w: float, sym_w: float, sum_w: float, top_h: float,
                       sum_h: float) -> tuple[str, float, int]:
        """Best arrangement for the channel grids: ("columns", cell, per_row) puts each
        channel in a column (patch over kernel over products), ("rows", cell, 1) puts each
        channel in a row (patch ⊙ kernel = products Σ). The larger cells win."""
        gap = 6.0
        best = ("columns", 0.0, n_ch)
        for per_row in range(n_ch, 0, -1):
            bands = -(-n_ch // per_row)
            cell_w = (area.width() - label_w - (per_row - 1) * gap) / (per_row * kw)
            band_h = (area.height() - (bands - 1) * gap) / bands
            cell_h = (band_h - top_h - sum_h - 6.0) / (3 * kh)
            cell = min(cell_w, cell_h, 30.0)
            if cell > best[1] + 0.5:
                best = ("columns", cell, per_row)
        cell_w = (area.width() - row_label_w - 2 * sym_w - sum_w) / (3 * kw)
        cell_h = (area.height() - top_h - (n_ch - 1) * 3.0) / (n_ch * kh)
        cell = min(cell_w, cell_h, 30.0)
        if cell > best[1] + 0.5:
            best = ("rows", cell, 1)
        for per_row in range(1, n_ch + 1):  # 2×2 blocks: patch ⊙ kernel / = products, Σ
            bands = -(-n_ch // per_row)
            cell_w = ((area.width() - (per_row - 1) * 14.0) / per_row - sym_w) / (2 * kw)
            cell_h = ((area.height() - (bands - 1) * 8.0) / bands - 2 * top_h - 4.0) / (2 * kh)
            cell = min(cell_w, cell_h, 30.0)
            if cell > best[1] + 0.5:
                best = ("blocks", cell, per_row)
        return best[0], max(best[1], 2.0), best[2]

    def _paint_conv(self, painter: QPainter, body: QRectF, e: Explanation, base: QFont,
                    small: QFont, text: QColor) -> None:
        """Per input channel: its patch, the kernel, their products and their sum."""
        n_ch, kh, kw = e.kernel.shape
        fm = QFontMetricsF(base)
        fm_small = QFontMetricsF(small)
        line_h = fm.height()
        intro = (f"z = Σ over {n_ch} channel{'s' if n_ch > 1 else ''} (patch ⊙ kernel) + bias")
        intro = fm.elidedText(intro, Qt.TextElideMode.ElideRight, body.width())
        painter.drawText(QRectF(body.left(), body.top(), body.width(), line_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, intro)
        footer_h = 3 * line_h + 4
        area = QRectF(body.left(), body.top() + line_h + 4, body.width(),
                      body.height() - line_h - 4 - footer_h)
        captions = ("input patch", "× kernel", "= products", "sum")
        label_w = max(fm_small.horizontalAdvance(c) for c in captions) + 8
        sym_w = fm.horizontalAdvance("⊙") + 10
        sum_w = fm_small.horizontalAdvance("Σ −0.000") + 8
        top_h = sum_h = fm_small.height() + 2
        row_label_w = fm_small.horizontalAdvance("ch 00") + 6 if n_ch > 1 else 0.0
        arrangement, cell, per_row = self._conv_geometry(
            area, n_ch, kh, kw, label_w, row_label_w, sym_w, sum_w, top_h, sum_h)
        digits = self._number_font(small, cell)
        numbers = digits is not None
        grid_w, grid_h = kw * cell, kh * cell
        in_grey = e.stage.index == 1  # the first conv layer's patch is the input digit
        limits = (float(np.max(np.abs(e.patch))) or 1e-12,
                  float(np.max(np.abs(e.kernel))) or 1e-12,
                  float(np.max(np.abs(e.products))) or 1e-12)
        luts = (GREY if in_grey else DIVERGING, DIVERGING, DIVERGING)
        names = ("input", "weight", "product")
        painter.setFont(small)
        bottom = area.top()
        for ch in range(n_ch):
            grids = (e.patch[ch], e.kernel[ch], e.products[ch])
            if arrangement == "columns":
                band, col = divmod(ch, per_row)
                band_h = top_h + 3 * grid_h + 6.0 + sum_h
                y0 = area.top() + band * (band_h + 6.0)
                x = area.left() + label_w + col * (grid_w + 6.0)
                origins = [QPointF(x, y0 + top_h + k * (grid_h + 3)) for k in range(3)]
                heading = QRectF(x - 3, y0, grid_w + 6, top_h)
                sum_rect = QRectF(x - 3, origins[2].y() + grid_h, grid_w + 6, sum_h)
                if col == 0:
                    painter.setPen(qcolor(INSIDE.caption))
                    for k in range(3):
                        painter.drawText(QRectF(area.left(), origins[k].y(), label_w - 4,
                                                grid_h), Qt.AlignmentFlag.AlignRight
                                         | Qt.AlignmentFlag.AlignVCenter, captions[k])
                    painter.drawText(QRectF(area.left(), sum_rect.top(), label_w - 4, sum_h),
                                     Qt.AlignmentFlag.AlignRight
                                     | Qt.AlignmentFlag.AlignVCenter, captions[3])
                sum_text = compact(e.channel_sums[ch])
            elif arrangement == "blocks":
                band, col = divmod(ch, per_row)
                block_w = 2 * grid_w + sym_w
                x = area.left() + col * (block_w + 14.0)
                y0 = area.top() + band * (2 * grid_h + 2 * top_h + 4.0 + 8.0)
                origins = [QPointF(x, y0 + top_h), QPointF(x + grid_w + sym_w, y0 + top_h),
                           QPointF(x, y0 + 2 * top_h + grid_h + 4.0)]
                heading = QRectF(x, y0 - top_h, block_w, top_h)
                sum_rect = QRectF(origins[1].x() - sym_w, origins[2].y(), grid_w + sym_w,
                                  grid_h)
                painter.setPen(qcolor(INSIDE.caption))
                for k, caption in enumerate(("input patch", "kernel", "= products")):
                    painter.drawText(QRectF(origins[k].x() - 10, origins[k].y() - top_h,
                                            grid_w + 20, top_h), Qt.AlignmentFlag.AlignCenter,
                                     caption)
                painter.setPen(text)
                painter.setFont(base)
                painter.drawText(QRectF(x + grid_w, y0 + top_h, sym_w, grid_h),
                                 Qt.AlignmentFlag.AlignCenter, "⊙")
                painter.setFont(small)
                sum_text = f"  Σ = {format_value(e.channel_sums[ch])}"
            else:
                y0 = area.top() + top_h + ch * (grid_h + 3.0)
                x = area.left() + row_label_w
                origins = [QPointF(x + k * (grid_w + sym_w), y0) for k in range(3)]
                heading = QRectF(area.left(), y0, row_label_w, grid_h)
                sum_rect = QRectF(origins[2].x() + grid_w + 4, y0, sum_w, grid_h)
                if ch == 0:
                    painter.setPen(qcolor(INSIDE.caption))
                    for k, caption in enumerate(("input patch", "kernel", "products")):
                        painter.drawText(QRectF(origins[k].x() - 10, area.top(), grid_w + 20,
                                                top_h), Qt.AlignmentFlag.AlignCenter, caption)
                    painter.drawText(QRectF(sum_rect.left(), area.top(), sum_w, top_h),
                                     Qt.AlignmentFlag.AlignLeft
                                     | Qt.AlignmentFlag.AlignVCenter, "sum")
                painter.setPen(text)
                painter.setFont(base)
                for k, symbol in enumerate(("⊙", "=")):
                    painter.drawText(QRectF(origins[k].x() + grid_w, y0, sym_w, grid_h),
                                     Qt.AlignmentFlag.AlignCenter, symbol)
                painter.setFont(small)
                sum_text = f"Σ {format_value(e.channel_sums[ch])}"
            painter.setPen(qcolor(INSIDE.caption))
            if n_ch > 1 and arrangement != "blocks":
                painter.drawText(heading, Qt.AlignmentFlag.AlignCenter, f"ch {ch}")
            for k in range(3):
                self._paint_grid(painter, origins[k], grids[k], cell, limits[k], luts[k],
                                 digits or small, numbers, signed=k > 0 or not in_grey)
                self._remember_cells(origins[k], grids[k], cell,
                                     f"channel {ch}, {names[k]}", e, ch)
            painter.setFont(small)
            painter.setPen(text)
            painter.drawText(sum_rect, Qt.AlignmentFlag.AlignCenter
                             if arrangement == "columns" else Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, sum_text)
            if arrangement == "blocks" and n_ch > 1:
                painter.setPen(qcolor(INSIDE.caption))
                painter.drawText(QRectF(sum_rect.left() + 8, sum_rect.top(), sum_rect.width(),
                                        top_h), Qt.AlignmentFlag.AlignLeft, f"ch {ch}")
            bottom = max(bottom, sum_rect.bottom(), origins[2].y() + grid_h)
        painter.setFont(base)
        footer_top = min(bottom + 6, body.bottom() - footer_h + 4)
        self._paint_lines(painter, QRectF(body.left(), footer_top, body.width(), footer_h),
                          explain_text.equation_lines(e), text)

    @staticmethod
    def _number_font(small: QFont, cell: float) -> QFont | None:
        """A font (down to 6 pt) in which '−.00' fits a ``cell``-wide square, or None."""
        font = QFont(small)
        for size in (small.pointSizeF(), 7.0, 6.5, 6.0):
            font.setPointSizeF(min(size, small.pointSizeF()))
            if QFontMetricsF(font).horizontalAdvance("−.00") + 2 <= cell:
                return font
        return None

    def _remember_cells(self, origin: QPointF, values: np.ndarray, cell: float, what: str,
                        e: Explanation, channel: int) -> None:
        """Keep each painted cell's rectangle and its numbers for the hover tooltip."""
        rows, cols = values.shape
        for r in range(rows):
            for c in range(cols):
                rect = QRectF(origin.x() + c * cell, origin.y() + r * cell, cell, cell)
                x, w = float(e.patch[channel, r, c]), float(e.kernel[channel, r, c])
                self._cells.append((rect, f"{what} (row {r}, col {c})\n"
                                          f"input {format_value(x)} × weight {format_value(w)}"
                                          f" = {format_value(x * w)}"))

    def _paint_pool(self, painter: QPainter, body: QRectF, e: Explanation, base: QFont,
                    small: QFont, text: QColor) -> None:
        line_h = QFontMetricsF(base).height()
        ph = e.window.shape[0]
        description, result = explain_text.pool_text(e)
        painter.drawText(QRectF(body.left(), body.top(), body.width(), 3 * line_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, description)
        cell = min(56.0, (body.height() - 5 * line_h) / ph)
        origin = QPointF(body.left() + 10, body.top() + 3.2 * line_h + 4)
        window = np.nan_to_num(e.window)
        limit = float(np.max(np.abs(window))) or 1e-12
        bold_small = QFont(base)
        box = self._paint_grid(painter, origin, window, cell, limit, DIVERGING, bold_small,
                               True)
        if e.winner is not None:
            r, k = e.winner
            painter.setPen(QPen(qcolor(INSIDE.highlight), 3.0))
            painter.drawRect(QRectF(origin.x() + k * cell, origin.y() + r * cell, cell, cell))
        painter.setPen(text)
        painter.setFont(base)
        painter.drawText(QRectF(box.right() + 16, box.top(), body.width() - box.width() - 30,
                                box.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                         | Qt.TextFlag.TextWordWrap, result)

    def _paint_dense(self, painter: QPainter, body: QRectF, e: Explanation, base: QFont,
                     small: QFont, text: QColor) -> None:
        n_in = len(e.inputs)
        fm = QFontMetricsF(base)
        line_h = fm.height()
        intro = fm.elidedText(f"z = Σ w·x over {n_in} inputs + bias. Largest terms:",
                              Qt.TextElideMode.ElideRight, body.width())
        painter.drawText(QRectF(body.left(), body.top(), body.width(), line_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, intro)
        footer_h = 3 * line_h + 4
        top = body.top() + line_h + 4
        rows = len(e.top) + 1
        row_h = min(max((body.height() - line_h - 4 - footer_h) / rows, 8.0), line_h + 2)
        painter.setFont(small)
        fm_small = QFontMetricsF(small)
        label = "x[000] = −0.00 × w = −0.00"
        label_w = fm_small.horizontalAdvance(label) + 8
        value_w = fm_small.horizontalAdvance("−0.000") + 10
        bar_left = body.left() + label_w
        bar_w = max(body.width() - label_w - value_w, 30.0)
        terms = [float(e.products[i]) for i in e.top]
        rest = float(e.products.sum() - sum(terms))
        limit = max(max(abs(t) for t in terms), 1e-12)   # the rest may be larger: clipped
        mid = bar_left + bar_w / 2.0
        for k, i in enumerate(list(e.top) + [None]):
            y = top + k * row_h
            if i is None:
                caption = f"the other {n_in - len(e.top)} terms"
                term = rest
            else:
                caption = f"x[{i}] = {compact(e.inputs[i])} × w = {compact(e.weights[i])}"
                term = float(e.products[i])
            painter.setPen(text)
            painter.drawText(QRectF(body.left(), y, label_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, caption)
            clipped = abs(term) > limit
            length = max(-1.0, min(1.0, term / limit)) * bar_w / 2.0
            bar = QRectF(min(mid, mid + length), y + row_h * 0.15, abs(length), row_h * 0.7)
            painter.fillRect(bar, value_color(max(-limit, min(limit, term)), limit))
            if clipped:  # longer than the scale: say so with a break mark
                edge = bar.right() - 6 if term > 0 else bar.left() + 2
                painter.fillRect(QRectF(edge, bar.top() - 1, 4, bar.height() + 2),
                                 self.palette().color(QPalette.ColorRole.Window))
            painter.drawText(QRectF(bar_left + bar_w + 4, y, value_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             format_value(term))
        painter.setPen(QPen(qcolor(INSIDE.caption), 1.0))
        painter.drawLine(QPointF(mid, top), QPointF(mid, top + rows * row_h))
        painter.setFont(base)
        self._paint_lines(painter, QRectF(body.left(), top + rows * row_h + 6, body.width(),
                                          footer_h), explain_text.equation_lines(e), text)

    def _paint_simple(self, painter: QPainter, body: QRectF, e: Explanation) -> None:
        painter.drawText(body, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, explain_text.simple_text(e))
