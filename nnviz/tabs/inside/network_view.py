"""The network at a glance: the architecture strip over the feature maps of every stage.

One column per stage (see :mod:`nnviz.tabs.inside.stages`): a header box with what the
stage does, its output shape and its parameter count (together the architecture strip),
then what it produced for the current input — feature maps as image tiles, the flattened
vector as a grid (one row per channel of the maps it came from), dense units as signed
bars, and the output probabilities as labelled bars (:mod:`~.network_columns` says how
each is coloured, :mod:`~.network_layout` where it sits, :mod:`~.network_paint` how it is
drawn).

Painted with QPainter from a few persistent RGB32 buffers (one per stage, tiles stacked)
that refreshes overwrite in place, so a refresh allocates no Qt objects. Hovering a
value reports it (``hovered``); a click pins it (``pinned``), so the explanation stays put
while the mouse moves to read it. The tab paints where a value came from with
:meth:`NetworkView.set_trace`. Tooltips explain the header boxes, the colour ranges under
them and the legend, each only while the mouse is over it; over the maps the explanation
panel and the value readout do that job, so no tooltip covers them.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PyQt6.QtWidgets import QToolTip, QWidget

from nnviz.tabs.inside.colors import (
    SCALE_LABELS,
    SCALE_MODES,
    draw_legend,
    format_value,
    qcolor,
)
from nnviz.tabs.inside.network_columns import (
    TILED,
    Column,
    column_rgba,
    make_columns,
    params_text,
    range_labels,
    range_text,
    range_tip,
    recolor,
)
from nnviz.tabs.inside.network_layout import NetworkLayout
from nnviz.tabs.inside.network_paint import paint_arrow, paint_column, paint_header
from nnviz.tabs.inside.painting import init_painted, show_area_tip
from nnviz.tabs.inside.stages import Region, Stage
from nnviz.tabs.inside.state import Target
from nnviz.theme import INSIDE

__all__ = ["NetworkView", "Target"]

MIN_WIDTH, MIN_HEIGHT = 760, 320


class NetworkView(QWidget):
    """The architecture strip with every stage's output for one input, hoverable."""

    hovered = pyqtSignal(object)
    """(stage, index) under the mouse, or None when it is over no value."""
    pinned = pyqtSignal(object)
    """(stage, index) clicked to pin, or None when the pin is released."""
    stageClicked = pyqtSignal(int)
    """A header box was clicked: the stage index."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._geometry = NetworkLayout()
        self._mode = "layer"
        self._message = "No model yet."
        self._selected: int | None = None
        self._hover: Target | None = None
        self._pin: Target | None = None
        self._trace_target: Target | None = None
        self._trace_region: Region | None = None
        self._global_limit: float | None = None
        self._caption = ""
        self._strip: QPixmap | None = None  # the header boxes, cached
        init_painted(
            self, MIN_WIDTH, MIN_HEIGHT,
            "Every layer's output for the chosen input, left to right. The boxes on top are\n"
            "the architecture: what each layer does, its output shape and its parameters\n"
            "(click one to see its statistics below).\n"
            "Blue = negative, white = 0, red = positive. Hover a value to see how it was\n"
            "computed (below); click to pin it (click again to release).")

    def sizeHint(self) -> QSize:
        return QSize(1200, 420)

    def _fit_minimum_width(self) -> None:
        """At least as wide as the network needs to stay readable at the current height (a
        wide network then scrolls sideways in the tab, rather than shrinking to specks)."""
        readable = int(math.ceil(self._geometry.readable_width(self.height())))
        self.setMinimumWidth(max(MIN_WIDTH, readable))

    @property
    def _columns(self) -> list[Column]:
        return self._geometry.columns

    # -- data -----------------------------------------------------------------------
    def set_stages(self, stages: list[Stage]) -> None:
        """Lay out one column per stage (call again when the architecture changes)."""
        self._geometry.columns = make_columns(stages)
        self._hover = self._pin = self._trace_target = None
        self._trace_region = None
        if self._selected is not None and self._selected >= len(stages):
            self._selected = None
        self._relayout()
        self._fit_minimum_width()  # another network needs another readable width
        self.update()

    def stages(self) -> list[Stage]:
        return [c.stage for c in self._columns]

    def set_outputs(self, outputs: list[np.ndarray] | None, message: str = "") -> None:
        """Show ``outputs`` (one per-sample array per stage), or nothing and ``message``."""
        if outputs is None:
            for column in self._columns:
                column.values = None
            self._message = message or "Choose an input above."
        else:
            if len(outputs) != len(self._columns):
                raise ValueError(f"expected {len(self._columns)} stage outputs, "
                                 f"got {len(outputs)}")
            for column, values in zip(self._columns, outputs, strict=True):
                values = np.asarray(values)
                if values.shape != column.stage.shape:
                    raise ValueError(f"{column.stage.name}: expected shape {column.stage.shape}, "
                                     f"got {values.shape}")
                column.values = values
            self._message = ""
        self._global_limit = recolor(self._columns, self._mode)
        self.update()

    def set_scale_mode(self, mode: str) -> None:
        """Colour scaling: "map" (each map its own range), "layer" or "global"."""
        if mode not in SCALE_MODES:
            raise ValueError(f"scale mode must be one of {SCALE_MODES}, got {mode!r}")
        self._mode = mode
        self._global_limit = recolor(self._columns, self._mode)
        self.update()

    def scale_mode(self) -> str:
        return self._mode

    def set_selected_stage(self, stage: int | None) -> None:
        """Highlight the header box of ``stage`` (None: none)."""
        self._selected = stage
        self._strip = None
        self.update()

    def selected_stage(self) -> int | None:
        """The stage whose header box is highlighted, or None."""
        return self._selected

    def set_trace(self, target: Target | None, region: Region | None) -> None:
        """Outline ``target`` and, in the stage before it, the ``region`` it came from."""
        self._trace_target = target
        self._trace_region = region
        self.update()

    def set_caption(self, text: str) -> None:
        """A line of status shown right of the colour legend (e.g. which weights)."""
        self._caption = text
        self.update()

    def caption(self) -> str:
        return self._caption

    def pin(self) -> Target | None:
        """The value pinned by the last click (None: nothing pinned)."""
        return self._pin

    # -- what is shown (for tests and the tab) ------------------------------------------------
    def stage_values(self, stage: int) -> np.ndarray | None:
        """The per-sample array shown in ``stage``'s column (None when nothing is shown)."""
        return self._columns[stage].values

    def stage_limits(self, stage: int) -> np.ndarray | None:
        """The colour limits of ``stage``: (C, 1, 1) per map or a scalar array."""
        return self._columns[stage].limits

    def stage_rgba(self, stage: int) -> np.ndarray | None:
        """The RGBA pixels of ``stage``'s tiles, (C, H, W, 4) for maps, (R, K, 4) for a
        flat grid, (n, 4) for bars; None for the probability bars."""
        return column_rgba(self._columns[stage])

    def range_text(self, stage: int) -> str:
        """The colour range of ``stage``, e.g. '±0.93' (printed under its header as
        :meth:`range_label`)."""
        return range_text(self._columns[stage], self._mode)

    def range_label(self, stage: int) -> str:
        """What is printed under ``stage``'s header, e.g. 'color range ±0.93' (shorter when
        the column is narrow)."""
        column = self._columns[stage]
        _, _, small = self._geometry.fonts()
        fm = QFontMetricsF(small)
        labels = range_labels(column, self._mode)
        room = self._range_rect(column).width()
        return next((t for t in labels if fm.horizontalAdvance(t) <= room), labels[-1])

    def _range_rect(self, column: Column) -> QRectF:
        _, _, small = self._geometry.fonts()
        return QRectF(column.rect.left() - 6, column.header.bottom() + 2,
                      column.rect.width() + 12, QFontMetricsF(small).height())

    def tip_areas(self) -> list[tuple[QRectF, str]]:
        """Where the view shows a tooltip, [(rect, tip)]: each header box, the range under
        it, and the legend line; nowhere over the maps."""
        areas = []
        for column in self._columns:
            stage = column.stage
            areas.append((column.header, f"{stage.name}: {stage.description}, output "
                          f"{stage.shape_text}, {params_text(stage)}.\nClick to see its "
                          "statistics below."))
            areas.append((self._range_rect(column), range_tip(column, self._mode)))
        _, _, small = self._geometry.fonts()
        h = QFontMetricsF(small).height()
        areas.append((QRectF(0, self.height() - 2 * h - 8, self.width(), 2 * h + 8),
                      self.toolTip()))
        return areas

    def event(self, event: QEvent) -> bool:  # noqa: D102 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            return show_area_tip(self, event, self.tip_areas())
        return super().event(event)

    def global_limit(self) -> float | None:
        """The shared colour limit in "global" mode (None in the other modes)."""
        return self._global_limit if self._mode == "global" else None

    def tile_rect(self, stage: int, channel: int = 0) -> QRectF:
        """Widget rectangle of map ``channel`` of ``stage`` (the grid / bars area otherwise)."""
        column = self._columns[stage]
        return column.tiles[channel] if column.tiles else column.content

    def header_rect(self, stage: int) -> QRectF:
        return self._columns[stage].header

    def point_of(self, stage: int, index: tuple[int, ...]) -> QPointF:
        """Widget position of the centre of value ``index`` of ``stage``."""
        return self._geometry.cell_rect(self._columns[stage], tuple(index)).center()

    def target_at(self, pos: QPointF) -> Target | None:
        """The value under widget position ``pos``, or None."""
        return self._geometry.target_at(pos)

    # -- layout -------------------------------------------------------------------------
    def _relayout(self) -> None:
        self._strip = None
        self._geometry.font = QFont(self.font())
        self._geometry.place(self.width(), self.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._relayout()
        if event.size().height() != event.oldSize().height():
            self._fit_minimum_width()  # the readable width depends on the height
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._relayout()
        super().changeEvent(event)

    # -- mouse -------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        target = self._geometry.target_at(event.position())
        if target is not None:
            QToolTip.hideText()  # never over the maps: the explanation panel says it
        if target != self._hover:
            self._hover = target
            self.update()
            if target is not None:
                self.hovered.emit(target)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        for column in self._columns:
            if column.header.contains(pos):
                self.stageClicked.emit(column.stage.index)
                return
        target = self._geometry.target_at(pos)
        self._pin = None if target is None or target == self._pin else target
        self.update()
        self.pinned.emit(self._pin)

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        base, bold, small = self._geometry.fonts()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlpha(150)
        painter.drawPixmap(0, 0, self._header_strip(bold, small, muted))
        for i, column in enumerate(self._columns):
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(self._range_rect(column), Qt.AlignmentFlag.AlignCenter,
                             self.range_label(i))
            if column.values is not None:
                paint_column(painter, column, small, text)
        if all(c.values is None for c in self._columns):
            painter.setFont(base)
            painter.setPen(text)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self._message)
        self._paint_trace(painter)
        self._paint_legend(painter, small, text)
        self._paint_readout(painter, small)
        painter.end()

    def _header_strip(self, bold: QFont, small: QFont, muted: QColor) -> QPixmap:
        """The architecture strip (boxes and arrows), rendered once per layout/selection."""
        if self._strip is not None:
            return self._strip
        ratio = self.devicePixelRatioF()
        height = max((c.header.bottom() for c in self._columns), default=1.0) + 2
        strip = QPixmap(int(self.width() * ratio) + 1, int(height * ratio) + 1)
        strip.setDevicePixelRatio(ratio)
        strip.fill(Qt.GlobalColor.transparent)
        painter = QPainter(strip)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for i, column in enumerate(self._columns):
            paint_header(painter, column, column.stage.index == self._selected, bold, small)
            if i + 1 < len(self._columns):
                paint_arrow(painter, column, self._columns[i + 1], muted)
        painter.end()
        self._strip = strip
        return strip

    def _paint_trace(self, painter: QPainter) -> None:
        target = self._trace_target
        if target is None or target[0] >= len(self._columns):
            return
        column = self._columns[target[0]]
        if column.values is None:
            return
        region = self._trace_region
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if region is not None and target[0] > 0:
            previous = self._columns[target[0] - 1]
            if previous.values is not None:
                painter.setPen(QPen(qcolor(INSIDE.highlight), 2.0))
                for rect in self._geometry.region_rects(previous, region):
                    painter.drawRect(rect)
        cell = self._geometry.cell_rect(column, target[1])
        painter.setPen(QPen(qcolor(INSIDE.outline), 2.0))
        painter.drawRect(cell.adjusted(-1.5, -1.5, 1.5, 1.5))
        painter.setPen(QPen(qcolor(INSIDE.highlight), 1.5))
        painter.drawRect(cell.adjusted(-0.5, -0.5, 0.5, 0.5))

    def _paint_legend(self, painter: QPainter, small: QFont, text: QColor) -> None:
        if not self._columns:
            return
        painter.setFont(small)
        painter.setPen(text)
        h = painter.fontMetrics().height()
        bottom = self.height() - 4.0
        rect = QRectF(8.0, bottom - 2 * h - 2, min(520.0, self.width() * 0.45), 2 * h)
        caption = f"color scale ({SCALE_LABELS[self._mode]}):"
        draw_legend(painter, rect, self.global_limit(), caption)
        painter.setPen(text)
        note = ("Hover a value to see how it was computed; click to pin it.   "
                + self._caption)
        painter.drawText(QRectF(rect.right() + 16, rect.top(), self.width() - rect.right() - 24,
                                rect.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
                         | Qt.TextFlag.TextWordWrap, note)

    def _paint_readout(self, painter: QPainter, small: QFont) -> None:
        target = self._hover
        if target is None:
            return
        column = self._columns[target[0]]
        if column.values is None:
            return
        index = target[1]
        value = float(column.values[index])
        if column.style in TILED:
            where = f"map {index[0]} · row {index[1]}, col {index[2]}"
            if column.style == "image":
                where = f"pixel row {index[1]}, col {index[2]}"
        elif column.style == "probs":
            where = f"digit {index[0]}"
        else:
            where = f"unit {index[0]}"
        text = f"{where}:  {format_value(value)}"
        painter.setFont(small)
        fm = painter.fontMetrics()
        cell = self._geometry.cell_rect(column, index)
        box = QRectF(0, 0, fm.horizontalAdvance(text) + 12, fm.height() + 6)
        box.moveTopLeft(QPointF(cell.right() + 8, cell.top() - box.height() - 4))
        if box.right() > self.width() - 2:
            box.moveRight(cell.left() - 8)
        if box.top() < 2:
            box.moveTop(cell.bottom() + 6)
        painter.setPen(QPen(qcolor(INSIDE.readout_border), 1.0))
        painter.setBrush(qcolor(INSIDE.readout_fill))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(qcolor(INSIDE.readout_text))
        painter.drawText(box.adjusted(6, 0, 0, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        painter.setBrush(Qt.BrushStyle.NoBrush)
