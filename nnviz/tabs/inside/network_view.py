"""The network at a glance: the architecture strip over the feature maps of every stage.

One column per stage (see :mod:`nnviz.tabs.inside.stages`): a header box with what the
stage does, its output shape and its parameter count (together the architecture strip),
then what it produced for the current input — feature maps as image tiles, the flattened
vector as a grid (one row per channel of the maps it came from), dense units as signed
bars, and the output probabilities as labelled bars.

Painted with QPainter from a few persistent RGB32 buffers (one per stage, tiles stacked)
that refreshes overwrite in place, so a refresh allocates no Qt objects. Hovering a
value reports it (``hovered``); a click pins it (``pinned``), so the explanation stays put
while the mouse moves to read it. The tab paints where a value came from with
:meth:`NetworkView.set_trace`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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
from PyQt6.QtWidgets import QSizePolicy, QWidget

from nnviz.tabs.inside.colors import (
    DIVERGING,
    DIVERGING_COLORS,
    PACKED_DIVERGING,
    PACKED_GREY,
    SCALE_LABELS,
    SCALE_MODES,
    colorize,
    draw_legend,
    format_value,
    lut_indices,
    rgba_image,
    symmetric_limit,
    unpack,
)
from nnviz.tabs.inside.stages import Region, Stage

Target = tuple[int, tuple[int, ...]]
"""(stage index, index into that stage's per-sample output)."""

_GAP = 3.0              # between tiles
_MIN_ARROW = 14.0       # between columns
_MAX_PIXEL = 9.0        # largest screen pixels per map pixel
_MAX_INPUT_PIXEL = 5.0  # the same for the input digit (it needs no more)
_MAX_TILE = 110.0       # largest feature-map tile, so no layer dwarfs the others
_MAX_COLS = 4           # most tile columns per stage
_BARS_WIDTH = 92.0
_PROBS_WIDTH = 128.0
_GRID_CELL_MAX = 7.0
_HEADER_FILL = QColor(236, 241, 248)
_HEADER_SELECTED = QColor(206, 224, 247)
_HEADER_BORDER = QColor(150, 165, 185)
_ACCENT = QColor(37, 99, 235)
_TRACE = QColor(255, 170, 0)
_TOP_CLASS = QColor(46, 160, 90)
_OTHER_CLASS = QColor(150, 150, 150)


@dataclass
class _Column:
    """Layout and display buffers of one stage."""

    stage: Stage
    style: str                            # image | maps | grid | bars | probs
    values: np.ndarray | None = None      # per-sample output shown
    limits: np.ndarray | None = None      # colour limit(s): (C, 1, 1), or shape ()
    buffer: np.ndarray | None = None      # RGB32 tiles stacked: (C*H, W) or (R, K) uint32
    image: object = None                  # QImage sharing ``buffer``
    bar_index: list[int] = field(default_factory=list)       # colour of each bar (0..255)
    bar_length: list[float] = field(default_factory=list)    # value / limit in [-1, 1]
    grid: tuple[int, int] = (1, 1)        # grid rows x cols (flatten) / tile rows x cols
    cols: int = 1                         # tile columns for maps
    shrink: float = 1.0                   # tiles made smaller than the height allows
    rect: QRectF = field(default_factory=QRectF)
    header: QRectF = field(default_factory=QRectF)
    tiles: list[QRectF] = field(default_factory=list)
    content: QRectF = field(default_factory=QRectF)

    @property
    def map_shape(self) -> tuple[int, int]:
        if self.style in ("image", "maps"):
            return self.stage.shape[1], self.stage.shape[2]
        return self.grid


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
        self._columns: list[_Column] = []
        self._mode = "layer"
        self._message = "No model yet."
        self._selected: int | None = None
        self._hover: Target | None = None
        self._pin: Target | None = None
        self._trace_target: Target | None = None
        self._trace_region: Region | None = None
        self._global_limit: float | None = None
        self._caption = ""
        self._scale = 1.0                 # header font scale, below 1 in narrow views
        self._strip: QPixmap | None = None  # the header boxes, cached
        self.setMouseTracking(True)
        self.setMinimumSize(760, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip(
            "Every layer's output for the chosen input, left to right. The boxes on top are\n"
            "the architecture: what each layer does, its output shape and its parameters\n"
            "(click one to see its statistics below).\n"
            "Blue = negative, white = 0, red = positive. Hover a value to see how it was\n"
            "computed; click to pin it (click again to release).")

    def sizeHint(self) -> QSize:
        return QSize(1200, 420)

    # -- data -----------------------------------------------------------------------
    def set_stages(self, stages: list[Stage]) -> None:
        """Lay out one column per stage (call again when the architecture changes)."""
        last = len(stages) - 1
        columns = []
        for stage in stages:
            if stage.kind == "input" and stage.is_maps:
                style = "image"
            elif stage.is_maps:
                style = "maps"
            elif stage.index == last and stage.activation == "softmax":
                style = "probs"
            elif stage.kind == "dense" and stage.shape[0] <= 300:
                style = "bars"
            else:
                style = "grid"
            column = _Column(stage, style)
            if style == "grid":
                column.grid = self._grid_shape(stages, stage)
            if style in ("image", "maps", "grid"):
                rows = (stage.shape[0] * stage.shape[1] if style != "grid" else column.grid[0])
                width = stage.shape[2] if style != "grid" else column.grid[1]
                column.buffer = np.zeros((rows, width), dtype=np.uint32)
                column.image = rgba_image(column.buffer)
            columns.append(column)
        self._columns = columns
        self._hover = self._pin = self._trace_target = None
        self._trace_region = None
        if self._selected is not None and self._selected >= len(columns):
            self._selected = None
        self._layout()
        self.update()

    @staticmethod
    def _grid_shape(stages: list[Stage], stage: Stage) -> tuple[int, int]:
        """Rows x cols for a flat vector: one row per channel of the maps it flattens."""
        n = int(np.prod(stage.shape))
        previous = stages[stage.index - 1] if stage.index > 0 else None
        if previous is not None and previous.is_maps and int(np.prod(previous.shape)) == n:
            return previous.shape[0], n // previous.shape[0]
        cols = int(math.ceil(math.sqrt(n)))
        return int(math.ceil(n / cols)), cols

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
        self._recolor()
        self.update()

    def set_scale_mode(self, mode: str) -> None:
        """Colour scaling: "map" (each map its own range), "layer" or "global"."""
        if mode not in SCALE_MODES:
            raise ValueError(f"scale mode must be one of {SCALE_MODES}, got {mode!r}")
        self._mode = mode
        self._recolor()
        self.update()

    def scale_mode(self) -> str:
        return self._mode

    def set_selected_stage(self, stage: int | None) -> None:
        """Highlight the header box of ``stage`` (None: none)."""
        self._selected = stage
        self._strip = None
        self.update()

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

    def set_pin(self, target: Target | None) -> None:
        """Pin ``target`` (or release the pin with None) without emitting ``pinned``."""
        self._pin = target
        self.update()

    def pin(self) -> Target | None:
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
        column = self._columns[stage]
        if column.style in ("image", "maps"):
            c, h, w = column.stage.shape
            return unpack(column.buffer.reshape(c, h, w))
        if column.style == "grid":
            return unpack(column.buffer)
        if column.style == "bars" and column.values is not None:
            return DIVERGING[np.asarray(column.bar_index, dtype=np.intp)]
        return None

    def range_text(self, stage: int) -> str:
        """The colour range shown under ``stage``'s header, e.g. '±0.93'."""
        column = self._columns[stage]
        if column.values is None or column.limits is None:
            return ""
        if column.style == "image":
            return "0 … 1 (grey)"
        if column.style == "probs":
            return "0 … 100 %"
        limits = np.asarray(column.limits).reshape(-1)
        lo, hi = float(limits.min()), float(limits.max())
        if self._mode == "map" and column.style == "maps" and hi > lo:
            return f"±{lo:.2g} … ±{hi:.2g}"
        return f"±{hi:.2g}"

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
        return self._cell_rect(self._columns[stage], tuple(index)).center()

    def target_at(self, pos: QPointF) -> Target | None:
        """The value under widget position ``pos``, or None."""
        for column in self._columns:
            if column.values is None or not column.rect.contains(pos):
                continue
            stage = column.stage
            if column.style in ("image", "maps"):
                h, w = column.map_shape
                for channel, tile in enumerate(column.tiles):
                    if tile.contains(pos):
                        row = min(int((pos.y() - tile.top()) / tile.height() * h), h - 1)
                        col = min(int((pos.x() - tile.left()) / tile.width() * w), w - 1)
                        return stage.index, (channel, row, col)
                return None
            area = column.content
            if not area.contains(pos):
                return None
            if column.style == "grid":
                rows, cols = column.grid
                row = min(int((pos.y() - area.top()) / area.height() * rows), rows - 1)
                col = min(int((pos.x() - area.left()) / area.width() * cols), cols - 1)
                unit = row * cols + col
                return (stage.index, (unit,)) if unit < stage.shape[0] else None
            n = stage.shape[0]
            unit = min(int((pos.y() - area.top()) / area.height() * n), n - 1)
            return stage.index, (unit,)
        return None

    # -- colours ----------------------------------------------------------------------
    def _signed_columns(self) -> list[_Column]:
        return [c for c in self._columns
                if c.values is not None and c.style in ("maps", "grid", "bars")]

    def _recolor(self) -> None:
        """Recompute limits and overwrite the pixel buffers in place."""
        signed = self._signed_columns()
        self._global_limit = None
        if self._mode == "global" and signed:
            self._global_limit = float(max(symmetric_limit(c.values) for c in signed))
        for column in self._columns:
            values = column.values
            if values is None:
                column.limits = None
                if column.buffer is not None:
                    column.buffer[...] = 0
                continue
            if column.style == "image":
                column.limits = np.asarray(1.0)
                c, h, w = values.shape
                colorize(values.reshape(c * h, w), 0.0, 1.0, PACKED_GREY, out=column.buffer)
                continue
            if column.style == "probs":
                column.limits = np.asarray(1.0)
                continue
            if self._global_limit is not None:
                limits = np.asarray(self._global_limit)
            elif self._mode == "map" and column.style == "maps":
                limits = symmetric_limit(values, axis=(1, 2))
            else:
                limits = symmetric_limit(values)
            column.limits = limits
            if column.style == "maps":
                c, h, w = values.shape
                colorize(values, -limits, limits, PACKED_DIVERGING,
                         out=column.buffer.reshape(c, h, w))
            elif column.style == "grid":
                rows, cols = column.grid
                flat = np.zeros(rows * cols, dtype=np.float64)
                flat[: values.size] = values.reshape(-1)
                colorize(flat.reshape(rows, cols), -limits, limits, PACKED_DIVERGING,
                         out=column.buffer)
            else:
                flat = values.reshape(-1)
                column.bar_index = lut_indices(flat, -limits, limits).tolist()
                column.bar_length = np.clip(flat / float(limits), -1.0, 1.0).tolist()

    # -- layout -------------------------------------------------------------------------
    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        """Base, bold (header titles) and small fonts; the last two shrink in narrow views."""
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(max(6.5, base.pointSizeF() * self._scale))
        small = QFont(base)
        small.setPointSizeF(max(6.5, base.pointSizeF() * 0.88 * self._scale))
        return base, bold, small

    def _header_height(self) -> float:
        _, bold, small = self._fonts()
        return QFontMetricsF(bold).height() + 3 * QFontMetricsF(small).height() + 10

    def _header_width(self, stage: Stage) -> float:
        _, bold, small = self._fonts()
        texts = [(small, stage.name), (bold, stage.description), (small, stage.shape_text),
                 (small, self._params_text(stage))]
        return max(QFontMetricsF(f).horizontalAdvance(t) for f, t in texts) + 14

    @staticmethod
    def _params_text(stage: Stage) -> str:
        if stage.kind == "input":
            return f"{int(np.prod(stage.shape)):,} pixels"
        return f"{stage.params:,} params" if stage.params else "no params"

    def _tile_geometry(self, column: _Column, cols: int, height: float) -> tuple[float, float]:
        """(tile width, content width) for ``cols`` tile columns in ``height`` pixels."""
        n = column.stage.shape[0]
        h, w = column.map_shape
        rows = math.ceil(n / cols)
        most = (_MAX_INPUT_PIXEL * h if column.style == "image"
                else min(_MAX_PIXEL * h, _MAX_TILE))
        tile_h = min((height - (rows - 1) * _GAP) / rows, most) * column.shrink
        tile_h = max(tile_h, 2.0)
        tile_w = tile_h * w / h
        return tile_w, cols * tile_w + (cols - 1) * _GAP

    def _content_width(self, column: _Column, height: float) -> float:
        if column.style in ("image", "maps"):
            return self._tile_geometry(column, column.cols, height)[1]
        if column.style == "grid":
            rows, cols = column.grid
            return cols * min(height / rows, _GRID_CELL_MAX) * column.shrink
        return (_BARS_WIDTH if column.style == "bars" else _PROBS_WIDTH) * column.shrink

    def _total_width(self, height: float, heads: list[float]) -> float:
        return (sum(max(self._content_width(c, height), hw)
                    for c, hw in zip(self._columns, heads, strict=True))
                + _MIN_ARROW * (len(self._columns) - 1))

    def _layout(self) -> None:
        """Place headers and tiles: tile columns per stage chosen so that the maps are as
        large as possible while every column fits in the width."""
        self._strip = None
        if not self._columns:
            return
        width = self.width() - 8.0
        for scale in (1.0, 0.9, 0.8, 0.72):  # smaller header text when the boxes are too wide
            self._scale = scale
            heads = [self._header_width(c.stage) for c in self._columns]
            for column in self._columns:
                column.cols = 1
            if self._total_width(60.0, heads) <= width:
                break
        else:  # still too wide: boxes as narrow as their content, text elided
            heads = [min(hw, max(self._content_width(c, 60.0), 56.0))
                     for c, hw in zip(self._columns, heads, strict=True)]
        _, _, small = self._fonts()
        small_h = QFontMetricsF(small).height()
        top = 4.0
        header_h = self._header_height()
        tiles_top = top + header_h + small_h + 6
        legend_h = small_h * 2 + 6
        tiles_h = max(self.height() - tiles_top - legend_h - 8, 40.0)
        height = tiles_h
        for column in self._columns:
            column.shrink = 1.0
        # too wide with one tile column each: shrink what sticks out of its box the most
        least = {"image": 0.15, "maps": 0.15, "grid": 0.3, "bars": 0.6, "probs": 0.75}
        while self._total_width(height, heads) > width:
            over = [(self._content_width(c, height) - hw, c)
                    for c, hw in zip(self._columns, heads, strict=True)
                    if c.shrink > least[c.style] and self._content_width(c, height) > hw + 0.5]
            if not over:
                break
            max(over, key=lambda pair: pair[0])[1].shrink *= 0.92
        # then give another tile column to the stage with the smallest tiles, while it fits
        while True:
            candidates = []
            for column in self._columns:
                if column.style not in ("image", "maps") or column.cols >= min(
                        _MAX_COLS, column.stage.shape[0]):
                    continue
                old = self._tile_geometry(column, column.cols, height)[0]
                new = self._tile_geometry(column, column.cols + 1, height)[0]
                if new > old * 1.05:
                    candidates.append((old, column))
            placed = False
            for _, column in sorted(candidates, key=lambda pair: pair[0]):
                column.cols += 1
                if self._total_width(height, heads) <= width:
                    placed = True
                    break
                column.cols -= 1
            if not placed:
                break
        widths = [max(self._content_width(c, height), hw)
                  for c, hw in zip(self._columns, heads, strict=True)]
        spare = max(width - sum(widths) - _MIN_ARROW * (len(widths) - 1), 0.0)
        arrow = min(_MIN_ARROW + spare / max(len(widths) - 1, 1), 60.0)
        used = sum(widths) + arrow * (len(widths) - 1)
        x = 4.0 + max((width - used) / 2.0, 0.0)
        for column, col_w in zip(self._columns, widths, strict=True):
            column.rect = QRectF(x, top, col_w, tiles_top + tiles_h - top)
            column.header = QRectF(x, top, col_w, header_h)
            area_top = tiles_top + (tiles_h - height) / 2.0
            self._layout_content(column, QRectF(x, area_top, col_w, height))
            x += col_w + arrow

    def _layout_content(self, column: _Column, area: QRectF) -> None:
        column.tiles = []
        if column.style in ("image", "maps"):
            n = column.stage.shape[0]
            h, w = column.map_shape
            tile_w, content_w = self._tile_geometry(column, column.cols, area.height())
            tile_h = tile_w * h / w
            rows = math.ceil(n / column.cols)
            content_h = rows * tile_h + (rows - 1) * _GAP
            left = area.left() + (area.width() - content_w) / 2.0
            top_y = area.top() + (area.height() - content_h) / 2.0
            for k in range(n):
                r, c = divmod(k, column.cols)
                column.tiles.append(QRectF(left + c * (tile_w + _GAP),
                                           top_y + r * (tile_h + _GAP), tile_w, tile_h))
            column.content = QRectF(left, top_y, content_w, content_h)
        elif column.style == "grid":
            rows, cols = column.grid
            cell = min(area.height() / rows, _GRID_CELL_MAX, area.width() / cols) * column.shrink
            w, h = cols * cell, rows * cell
            column.content = QRectF(area.left() + (area.width() - w) / 2.0,
                                    area.top() + (area.height() - h) / 2.0, w, h)
        elif column.style == "bars":
            n = column.stage.shape[0]
            h = min(area.height(), n * 6.0)
            w = _BARS_WIDTH * column.shrink
            column.content = QRectF(area.left() + (area.width() - w) / 2.0,
                                    area.top() + (area.height() - h) / 2.0, w, h)
        else:
            n = column.stage.shape[0]
            h = min(area.height(), n * 30.0)
            w = _PROBS_WIDTH * column.shrink
            column.content = QRectF(area.left() + (area.width() - w) / 2.0,
                                    area.top() + (area.height() - h) / 2.0, w, h)

    def _cell_rect(self, column: _Column, index: tuple[int, ...]) -> QRectF:
        """Widget rectangle of one value of ``column``."""
        if column.style in ("image", "maps"):
            channel, row, col = index
            tile = column.tiles[channel]
            h, w = column.map_shape
            cw, ch = tile.width() / w, tile.height() / h
            return QRectF(tile.left() + col * cw, tile.top() + row * ch, cw, ch)
        area = column.content
        if column.style == "grid":
            rows, cols = column.grid
            row, col = divmod(index[0], cols)
            cw, ch = area.width() / cols, area.height() / rows
            return QRectF(area.left() + col * cw, area.top() + row * ch, cw, ch)
        n = column.stage.shape[0]
        ch = area.height() / n
        return QRectF(area.left(), area.top() + index[0] * ch, area.width(), ch)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._layout()
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._layout()
        super().changeEvent(event)

    # -- mouse -------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        target = self.target_at(event.position())
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
        target = self.target_at(pos)
        self._pin = None if target is None or target == self._pin else target
        self.update()
        self.pinned.emit(self._pin)

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        base, bold, small = self._fonts()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlpha(150)
        painter.drawPixmap(0, 0, self._header_strip(bold, small, muted))
        for i, column in enumerate(self._columns):
            painter.setFont(small)
            painter.setPen(muted)
            range_rect = QRectF(column.rect.left() - 10, column.header.bottom() + 2,
                                column.rect.width() + 20, painter.fontMetrics().height())
            painter.drawText(range_rect, Qt.AlignmentFlag.AlignCenter, self.range_text(i))
            if column.values is not None:
                self._paint_column(painter, column, small, text)
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
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for i, column in enumerate(self._columns):
            self._paint_header(painter, column, bold, small, text, muted)
            if i + 1 < len(self._columns):
                self._paint_arrow(painter, column, self._columns[i + 1], muted)
        painter.end()
        self._strip = strip
        return strip

    def _paint_header(self, painter: QPainter, column: _Column, bold: QFont, small: QFont,
                      text: QColor, muted: QColor) -> None:
        box = column.header.adjusted(0.5, 0.5, -0.5, -0.5)
        selected = column.stage.index == self._selected
        painter.setPen(QPen(_ACCENT if selected else _HEADER_BORDER, 2.0 if selected else 1.0))
        painter.setBrush(_HEADER_SELECTED if selected else _HEADER_FILL)
        painter.drawRoundedRect(box, 5, 5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(small)
        small_h = painter.fontMetrics().height()
        painter.setFont(bold)
        bold_h = painter.fontMetrics().height()
        y = box.top() + 4
        lines = ((small, QColor(100, 100, 100), column.stage.name, small_h),
                 (bold, QColor(25, 25, 25), column.stage.description, bold_h),
                 (small, QColor(25, 25, 25), column.stage.shape_text, small_h),
                 (small, QColor(90, 90, 90), self._params_text(column.stage), small_h))
        for font, colour, line, line_h in lines:
            painter.setFont(font)
            painter.setPen(colour)
            line = painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight,
                                                    int(box.width() - 4))
            painter.drawText(QRectF(box.left(), y, box.width(), line_h),
                             Qt.AlignmentFlag.AlignCenter, line)
            y += line_h

    @staticmethod
    def _paint_arrow(painter: QPainter, left: _Column, right: _Column, color: QColor) -> None:
        y = left.header.center().y()
        x0, x1 = left.header.right() + 3, right.header.left() - 3
        if x1 - x0 < 6:
            return
        painter.setPen(QPen(color, 1.5))
        painter.drawLine(QPointF(x0, y), QPointF(x1, y))
        painter.drawLine(QPointF(x1, y), QPointF(x1 - 5, y - 4))
        painter.drawLine(QPointF(x1, y), QPointF(x1 - 5, y + 4))

    def _paint_column(self, painter: QPainter, column: _Column, small: QFont,
                      text: QColor) -> None:
        if column.style in ("image", "maps"):
            h, w = column.map_shape
            painter.setPen(QPen(QColor(120, 120, 120), 1.0))
            for channel, tile in enumerate(column.tiles):
                painter.drawImage(tile, column.image, QRectF(0, channel * h, w, h))
                painter.drawRect(tile.adjusted(-0.5, -0.5, 0.5, 0.5))
        elif column.style == "grid":
            rows, cols = column.grid
            painter.drawImage(column.content, column.image, QRectF(0, 0, cols, rows))
            painter.setPen(QPen(QColor(120, 120, 120), 1.0))
            painter.drawRect(column.content.adjusted(-0.5, -0.5, 0.5, 0.5))
        elif column.style == "bars":
            self._paint_bars(painter, column)
        else:
            self._paint_probs(painter, column, small, text)

    def _paint_bars(self, painter: QPainter, column: _Column) -> None:
        area = column.content
        n = len(column.bar_length)
        row_h = area.height() / n
        bar_h = max(row_h - 0.3, 0.7)
        mid = area.center().x()
        half = area.width() / 2.0
        top = area.top()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.fillRect(area, QColor(128, 128, 128, 25))
        for k, (fraction, index) in enumerate(zip(column.bar_length, column.bar_index,
                                                  strict=True)):
            length = fraction * half
            painter.fillRect(QRectF(min(mid, mid + length), top + k * row_h, abs(length), bar_h),
                             DIVERGING_COLORS[index])
        painter.setPen(QPen(QColor(90, 90, 90), 1.0))
        painter.drawLine(QPointF(mid, area.top()), QPointF(mid, area.bottom()))

    def _paint_probs(self, painter: QPainter, column: _Column, small: QFont,
                     text: QColor) -> None:
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
        for k in range(n):
            y = area.top() + k * row_h
            bar_h = row_h * 0.62
            bar_y = y + (row_h - bar_h) / 2.0
            painter.setPen(text)
            painter.drawText(QRectF(area.left(), y, label_w - 4, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, str(k))
            track = QRectF(area.left() + label_w, bar_y, track_w, bar_h)
            painter.fillRect(track, QColor(128, 128, 128, 40))
            p = float(probs[k])
            if p > 0:
                painter.fillRect(QRectF(track.left(), bar_y, max(track_w * p, 1.0), bar_h),
                                 _TOP_CLASS if k == top else _OTHER_CLASS)
            painter.drawText(QRectF(track.right() + 4, y, value_w, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             f"{100 * p:.0f} %")

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
                painter.setPen(QPen(_TRACE, 2.0))
                for rect in self._region_rects(previous, region):
                    painter.drawRect(rect)
        cell = self._cell_rect(column, target[1])
        painter.setPen(QPen(QColor(0, 0, 0), 2.0))
        painter.drawRect(cell.adjusted(-1.5, -1.5, 1.5, 1.5))
        painter.setPen(QPen(_TRACE, 1.5))
        painter.drawRect(cell.adjusted(-0.5, -0.5, 0.5, 0.5))

    def _region_rects(self, column: _Column, region: Region) -> list[QRectF]:
        """Rectangles in ``column`` covering ``region`` (see :class:`Region`)."""
        if region.units is not None:
            if column.style in ("image", "maps"):
                shape = column.stage.shape
                cells = [np.unravel_index(u, shape) for u in region.units]
                return [self._cell_rect(column, tuple(int(i) for i in c)) for c in cells]
            return [self._cell_rect(column, (u,)) for u in region.units]
        if column.style not in ("image", "maps"):
            return []
        channels = region.channels if region.channels is not None else range(len(column.tiles))
        rects = []
        (r0, r1), (c0, c1) = region.rows, region.cols
        for channel in channels:
            top_left = self._cell_rect(column, (channel, r0, c0))
            bottom_right = self._cell_rect(column, (channel, r1 - 1, c1 - 1))
            rects.append(top_left.united(bottom_right))
        return rects

    def _paint_legend(self, painter: QPainter, small: QFont, text: QColor) -> None:
        if not self._columns:
            return
        painter.setFont(small)
        painter.setPen(text)
        h = painter.fontMetrics().height()
        bottom = self.height() - 4.0
        rect = QRectF(8.0, bottom - 2 * h - 2, min(520.0, self.width() * 0.45), 2 * h)
        caption = f"colour scale ({SCALE_LABELS[self._mode]}):"
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
        if column.style in ("image", "maps"):
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
        cell = self._cell_rect(column, index)
        box = QRectF(0, 0, fm.horizontalAdvance(text) + 12, fm.height() + 6)
        box.moveTopLeft(QPointF(cell.right() + 8, cell.top() - box.height() - 4))
        if box.right() > self.width() - 2:
            box.moveRight(cell.left() - 8)
        if box.top() < 2:
            box.moveTop(cell.bottom() + 6)
        painter.setPen(QPen(QColor(60, 60, 60), 1.0))
        painter.setBrush(QColor(255, 255, 225, 235))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor(20, 20, 20))
        painter.drawText(box.adjusted(6, 0, 0, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        painter.setBrush(Qt.BrushStyle.NoBrush)
