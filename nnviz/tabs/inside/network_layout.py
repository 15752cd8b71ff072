"""Where the network view puts things: header boxes, tiles, grids, bars and single values.

:class:`NetworkLayout` places one column per stage across the width: a header box (the
architecture strip) on top and the stage's output below. It first shrinks the header
text until the boxes fit, then the content that sticks out of its box the most, then
gives extra tile columns to the stages with the smallest tiles while everything still
fits, so the feature maps are as large as the space allows. It also maps back and forth
between widget positions and values (:meth:`NetworkLayout.cell_rect`,
:meth:`NetworkLayout.target_at`).
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QPointF, QRectF
from PyQt6.QtGui import QFont, QFontMetricsF

from nnviz.tabs.inside.network_columns import TILED, Column, params_text
from nnviz.tabs.inside.stages import Region, Stage
from nnviz.tabs.inside.state import Target

GAP = 3.0               # between tiles
MIN_ARROW = 14.0        # between columns
MAX_PIXEL = 9.0         # largest screen pixels per map pixel
MAX_INPUT_PIXEL = 5.0   # the same for the input digit (it needs no more)
MAX_TILE = 110.0        # largest feature-map tile, so no layer dwarfs the others
MAX_COLS = 4            # most tile columns per stage
BARS_WIDTH = 92.0
PROBS_WIDTH = 128.0
GRID_CELL_MAX = 7.0
HEADER_SCALES = (1.0, 0.9, 0.8, 0.72)
"""Header font scales tried, largest first, until the boxes fit the width."""
LEAST_SHRINK = {"image": 0.15, "maps": 0.15, "grid": 0.3, "bars": 0.6, "probs": 0.75}
"""How far each style's content may shrink below its natural size to fit the width."""
READABLE_TILE = 22.0
"""The smallest feature-map tile (pixels high) still worth looking at: a network too wide
for its maps to get this much scrolls sideways instead (see :meth:`readable_width`)."""
READABLE_SHRINK = 0.6
"""The least share of their natural size that grids and bars keep in a readable view."""


class NetworkLayout:
    """The geometry of the network view's columns (``columns``) in a given font."""

    def __init__(self) -> None:
        self.columns: list[Column] = []
        self.font = QFont()
        self.scale = 1.0                   # header font scale, below 1 in narrow views

    # -- fonts and header boxes -----------------------------------------------------------
    def fonts(self) -> tuple[QFont, QFont, QFont]:
        """Base, bold (header titles) and small fonts; the last two shrink in narrow views."""
        base = QFont(self.font)
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(max(6.5, base.pointSizeF() * self.scale))
        small = QFont(base)
        small.setPointSizeF(max(6.5, base.pointSizeF() * 0.88 * self.scale))
        return base, bold, small

    def header_height(self) -> float:
        _, bold, small = self.fonts()
        return QFontMetricsF(bold).height() + 3 * QFontMetricsF(small).height() + 10

    def header_width(self, stage: Stage, essential: bool = False) -> float:
        """The width of ``stage``'s header box; ``essential``: of what must be read whole
        (what the layer does and its shape; a long layer name may be cut)."""
        _, bold, small = self.fonts()
        texts = [(bold, stage.description), (small, stage.shape_text)]
        if not essential:
            texts += [(small, stage.name), (small, params_text(stage))]
        return max(QFontMetricsF(f).horizontalAdvance(t) for f, t in texts) + 14

    # -- sizes ---------------------------------------------------------------------------------
    @staticmethod
    def tile_geometry(column: Column, cols: int, height: float) -> tuple[float, float]:
        """(tile width, content width) for ``cols`` tile columns in ``height`` pixels."""
        n = column.stage.shape[0]
        h, w = column.map_shape
        rows = math.ceil(n / cols)
        most = (MAX_INPUT_PIXEL * h if column.style == "image"
                else min(MAX_PIXEL * h, MAX_TILE))
        tile_h = min((height - (rows - 1) * GAP) / rows, most) * column.shrink
        tile_h = max(tile_h, 2.0)
        tile_w = tile_h * w / h
        return tile_w, cols * tile_w + (cols - 1) * GAP

    def content_width(self, column: Column, height: float) -> float:
        if column.style in TILED:
            return self.tile_geometry(column, column.cols, height)[1]
        if column.style == "grid":
            rows, cols = column.grid
            return cols * min(height / rows, GRID_CELL_MAX) * column.shrink
        return (BARS_WIDTH if column.style == "bars" else PROBS_WIDTH) * column.shrink

    def total_width(self, height: float, heads: list[float]) -> float:
        return (sum(max(self.content_width(c, height), hw)
                    for c, hw in zip(self.columns, heads, strict=True))
                + MIN_ARROW * (len(self.columns) - 1))

    def readable_width(self, height: float) -> float:
        """The narrowest width at which every column stays readable in ``height`` pixels:
        the header boxes whole (at the smallest header scale), map tiles at least
        :data:`READABLE_TILE` high (with as many tile columns as that takes) and grids
        and bars at :data:`READABLE_SHRINK` of their natural size or more. Below it the
        view should scroll sideways."""
        if not self.columns:
            return 0.0
        scale, self.scale = self.scale, HEADER_SCALES[-1]
        needed = self._readable_total(height)
        self.scale = scale
        return needed

    def _readable_total(self, height: float) -> float:
        """:meth:`readable_width` at the current header scale."""
        heads = [self.header_width(c.stage) for c in self.columns]
        contents = self._readable_contents(self._tiles_height(height))
        return (sum(max(h, c) for h, c in zip(heads, contents, strict=True))
                + MIN_ARROW * (len(self.columns) - 1) + 8.0)

    def _readable_contents(self, tiles_h: float) -> list[float]:
        contents = []
        for column in self.columns:
            shrink = column.shrink
            column.shrink = 1.0
            if column.style in TILED:
                h, w = column.map_shape
                for n_cols in range(1, min(MAX_COLS, column.stage.shape[0]) + 1):
                    tile_w, content = self.tile_geometry(column, n_cols, tiles_h)
                    if tile_w * h / w >= READABLE_TILE:
                        break
            else:
                column.shrink = max(LEAST_SHRINK[column.style], READABLE_SHRINK)
                content = self.content_width(column, tiles_h)
            column.shrink = shrink
            contents.append(content)
        return contents

    def _tiles_height(self, height: float) -> float:
        """The height left for the outputs under the header boxes, range labels and legend."""
        small_h = QFontMetricsF(self.fonts()[2]).height()
        tiles_top = 4.0 + self.header_height() + small_h + 6  # as in :meth:`place`
        return max(height - tiles_top - (small_h * 2 + 6) - 8, 40.0)

    # -- placing ---------------------------------------------------------------------------
    def place(self, width: float, height: float) -> None:
        """Place headers and tiles in a ``width`` × ``height`` widget: tile columns per
        stage chosen so that the maps are as large as possible while every column fits."""
        if not self.columns:
            return
        width -= 8.0
        heads = self._fit_headers(width, height)
        _, _, small = self.fonts()
        small_h = QFontMetricsF(small).height()
        top = 4.0
        header_h = self.header_height()
        tiles_top = top + header_h + small_h + 6
        legend_h = small_h * 2 + 6
        tiles_h = max(height - tiles_top - legend_h - 8, 40.0)
        self._shrink_to_fit(width, tiles_h, heads)
        self._add_tile_columns(width, tiles_h, heads)
        widths = [max(self.content_width(c, tiles_h), hw)
                  for c, hw in zip(self.columns, heads, strict=True)]
        spare = max(width - sum(widths) - MIN_ARROW * (len(widths) - 1), 0.0)
        arrow = min(MIN_ARROW + spare / max(len(widths) - 1, 1), 60.0)
        used = sum(widths) + arrow * (len(widths) - 1)
        x = 4.0 + max((width - used) / 2.0, 0.0)
        for column, col_w in zip(self.columns, widths, strict=True):
            column.rect = QRectF(x, top, col_w, tiles_top + tiles_h - top)
            column.header = QRectF(x, top, col_w, header_h)
            self._place_content(column, QRectF(x, tiles_top, col_w, tiles_h))
            x += col_w + arrow

    def _fit_headers(self, width: float, height: float) -> list[float]:
        """Header box widths, with the header text as large as lets them fit ``width``
        beside outputs that stay readable (see :meth:`readable_width`)."""
        for scale in HEADER_SCALES:  # smaller header text when the boxes are too wide
            self.scale = scale
            heads = [self.header_width(c.stage) for c in self.columns]
            for column in self.columns:
                column.cols = 1
            if self._readable_total(height) - 8.0 <= width:
                return heads
        # still too wide: boxes as narrow as their content, text elided
        return [min(hw, max(self.content_width(c, 60.0), 56.0))
                for c, hw in zip(self.columns, heads, strict=True)]

    def _shrink_to_fit(self, width: float, height: float, heads: list[float]) -> None:
        """Too wide with one tile column each: shrink what sticks out of its box the most."""
        for column in self.columns:
            column.shrink = 1.0
        while self.total_width(height, heads) > width:
            over = [(self.content_width(c, height) - hw, c)
                    for c, hw in zip(self.columns, heads, strict=True)
                    if c.shrink > LEAST_SHRINK[c.style]
                    and self.content_width(c, height) > hw + 0.5]
            if not over:
                break
            max(over, key=lambda pair: pair[0])[1].shrink *= 0.92

    def _add_tile_columns(self, width: float, height: float, heads: list[float]) -> None:
        """Give another tile column to the stage with the smallest tiles, while it fits."""
        while True:
            candidates = []
            for column in self.columns:
                if column.style not in TILED or column.cols >= min(
                        MAX_COLS, column.stage.shape[0]):
                    continue
                old = self.tile_geometry(column, column.cols, height)[0]
                new = self.tile_geometry(column, column.cols + 1, height)[0]
                if new > old * 1.05:
                    candidates.append((old, column))
            for _, column in sorted(candidates, key=lambda pair: pair[0]):
                column.cols += 1
                if self.total_width(height, heads) <= width:
                    break
                column.cols -= 1
            else:
                return

    def _place_content(self, column: Column, area: QRectF) -> None:
        column.tiles = []
        if column.style in TILED:
            n = column.stage.shape[0]
            h, w = column.map_shape
            tile_w, content_w = self.tile_geometry(column, column.cols, area.height())
            tile_h = tile_w * h / w
            rows = math.ceil(n / column.cols)
            content_h = rows * tile_h + (rows - 1) * GAP
            left = area.left() + (area.width() - content_w) / 2.0
            top_y = area.top() + (area.height() - content_h) / 2.0
            for k in range(n):
                r, c = divmod(k, column.cols)
                column.tiles.append(QRectF(left + c * (tile_w + GAP),
                                           top_y + r * (tile_h + GAP), tile_w, tile_h))
            column.content = QRectF(left, top_y, content_w, content_h)
            return
        n = column.stage.shape[0]
        if column.style == "grid":
            rows, cols = column.grid
            cell = min(area.height() / rows, GRID_CELL_MAX, area.width() / cols) * column.shrink
            w, h = cols * cell, rows * cell
        elif column.style == "bars":
            w, h = BARS_WIDTH * column.shrink, min(area.height(), n * 6.0)
        else:
            w, h = PROBS_WIDTH * column.shrink, min(area.height(), n * 30.0)
        column.content = QRectF(area.left() + (area.width() - w) / 2.0,
                                area.top() + (area.height() - h) / 2.0, w, h)

    # -- positions and values ------------------------------------------------------------------
    @staticmethod
    def cell_rect(column: Column, index: tuple[int, ...]) -> QRectF:
        """Widget rectangle of one value of ``column``."""
        if column.style in TILED:
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

    def target_at(self, pos: QPointF) -> Target | None:
        """The shown value under widget position ``pos``, or None."""
        for column in self.columns:
            if column.values is None or not column.rect.contains(pos):
                continue
            stage = column.stage
            if column.style in TILED:
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

    def region_rects(self, column: Column, region: Region) -> list[QRectF]:
        """Rectangles in ``column`` covering ``region`` (see :class:`Region`)."""
        if region.units is not None:
            if column.style in TILED:
                cells = [np.unravel_index(u, column.stage.shape) for u in region.units]
                return [self.cell_rect(column, tuple(int(i) for i in c)) for c in cells]
            return [self.cell_rect(column, (u,)) for u in region.units]
        if column.style not in TILED:
            return []
        channels = region.channels if region.channels is not None else range(len(column.tiles))
        (r0, r1), (c0, c1) = region.rows, region.cols
        return [self.cell_rect(column, (channel, r0, c0)).united(
                    self.cell_rect(column, (channel, r1 - 1, c1 - 1))) for channel in channels]
