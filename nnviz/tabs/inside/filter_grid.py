"""The kernels of every conv layer as image grids, in a diverging colour map centred on 0.

Each conv layer is one grid: a row per filter, and in that row one small image per input
channel (the filter's kh×kw weights for that channel), so a filter's whole 3-D kernel is
visible. Long layers wrap into side-by-side blocks. All layers share one cell size so
a 5×5 kernel really looks bigger than a 3×3 one. Painted from persistent RGB32 buffers
that each refresh overwrites in place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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

from nnviz.tabs.inside.colors import (
    PACKED_DIVERGING,
    SCALE_MODES,
    colorize,
    draw_legend,
    format_value,
    qcolor,
    rgba_image,
    symmetric_limit,
    unpack,
)
from nnviz.tabs.inside.painting import fonts, init_painted, show_area_tip, show_cell_tip
from nnviz.theme import INSIDE, plot_colors

_CHANNEL_GAP = 1.0
_FILTER_GAP = 3.0
_BLOCK_GAP = 12.0
_LAYER_GAP = 22.0
_MAX_CELL = 16.0


@dataclass
class _Layer:
    name: str
    kernels: np.ndarray                   # (F, C, kh, kw) float, the values shown
    limits: np.ndarray | None = None      # (F, 1, 1, 1) or scalar
    buffer: np.ndarray | None = None      # (F*C*kh, kw) uint32 RGB32 words
    image: object = None
    blocks: int = 1
    cell: float = 4.0                     # screen pixels per weight
    rect: QRectF = field(default_factory=QRectF)
    cells: list[QRectF] = field(default_factory=list)   # F*C kernel rectangles, f-major


class FiltersPanel(QWidget):
    """Every conv layer's kernels W (F, C, kh, kw), one grid per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layers: list[_Layer] = []
        self._mode = "layer"
        self._highlight: tuple[str, int] | None = None
        init_painted(
            self, 260, 180,
            "The weights (kernels) of every convolution layer. Each row is one filter; each\n"
            "small square in the row is that filter's kernel for one input channel (the\n"
            "filter adds up all of them). Red = positive weight, blue = negative, white = 0.\n"
            "They start as random noise and become edge and stroke detectors as it learns.")

    def sizeHint(self) -> QSize:
        return QSize(460, 300)

    # -- data ------------------------------------------------------------------------------
    def set_layers(self, layers: list[tuple[str, np.ndarray]]) -> None:
        """The conv layers to show: (name, W (F, C, kh, kw)) in network order."""
        self._layers = []
        for name, kernels in layers:
            kernels = np.asarray(kernels)
            if kernels.ndim != 4:
                raise ValueError(f"{name}: expected kernels (F, C, kh, kw), got {kernels.shape}")
            f, c, kh, kw = kernels.shape
            buffer = np.zeros((f * c * kh, kw), dtype=np.uint32)
            self._layers.append(_Layer(name, kernels.copy(), buffer=buffer,
                                       image=rgba_image(buffer)))
        self._highlight = None
        self._recolor()
        self._layout()
        self.update()

    def layer_names(self) -> list[str]:
        return [layer.name for layer in self._layers]

    def set_kernels(self, name: str, kernels: np.ndarray) -> None:
        """Copy new values for layer ``name`` (same shape) and recolour; call
        :meth:`refresh` after a batch of updates."""
        layer = self._find(name)
        np.copyto(layer.kernels, kernels)

    def refresh(self) -> None:
        """Recolour after :meth:`set_kernels` calls and repaint."""
        self._recolor()
        self.update()

    def kernels(self, name: str) -> np.ndarray:
        """The kernel values shown for layer ``name``, (F, C, kh, kw)."""
        return self._find(name).kernels

    def rgba(self, name: str) -> np.ndarray:
        """The RGBA pixels shown for layer ``name``, (F, C, kh, kw, 4) uint8."""
        layer = self._find(name)
        return unpack(layer.buffer.reshape(layer.kernels.shape))

    def limits(self, name: str) -> np.ndarray:
        """Colour limits of ``name``: (F, 1, 1, 1) per filter, or a scalar array."""
        return self._find(name).limits

    def set_scale_mode(self, mode: str) -> None:
        """"map" (each filter its own range), "layer" or "global" (all conv layers)."""
        if mode not in SCALE_MODES:
            raise ValueError(f"scale mode must be one of {SCALE_MODES}, got {mode!r}")
        self._mode = mode
        self.refresh()

    def scale_mode(self) -> str:
        return self._mode

    def set_highlight(self, name: str | None, filter_index: int | None = None) -> None:
        """Outline filter ``filter_index`` of layer ``name`` (None: no outline)."""
        self._highlight = None if name is None or filter_index is None else (name, filter_index)
        self.update()

    def highlight(self) -> tuple[str, int] | None:
        """(layer, filter index) outlined, or None."""
        return self._highlight

    def kernel_rect(self, name: str, filter_index: int, channel: int) -> QRectF:
        layer = self._find(name)
        return layer.cells[filter_index * layer.kernels.shape[1] + channel]

    def _find(self, name: str) -> _Layer:
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise KeyError(f"no conv layer named {name!r}")

    def _recolor(self) -> None:
        if not self._layers:
            return
        shared = None
        if self._mode == "global":
            shared = float(max(symmetric_limit(layer.kernels) for layer in self._layers))
        for layer in self._layers:
            w = layer.kernels
            if shared is not None:
                limits = np.asarray(shared)
            elif self._mode == "map":
                limits = symmetric_limit(w, axis=(1, 2, 3))
            else:
                limits = symmetric_limit(w)
            layer.limits = limits
            colorize(w, -limits, limits, PACKED_DIVERGING, out=layer.buffer.reshape(w.shape))

    # -- layout -------------------------------------------------------------------------------
    def _fonts(self) -> tuple[QFont, QFont]:
        """Bold (layer names) and small (everything else) fonts."""
        return fonts(self.font())[1:]

    def _label_width(self, layer: _Layer) -> float:
        _, small = self._fonts()
        return QFontMetricsF(small).horizontalAdvance(str(layer.kernels.shape[0] - 1)) + 5

    def _grid_size(self, layer: _Layer, cell: float, blocks: int) -> tuple[float, float]:
        """(width, height) of ``layer``'s grid with ``cell`` px per weight in ``blocks``."""
        f, c, kh, kw = layer.kernels.shape
        rows = math.ceil(f / blocks)
        block_w = self._label_width(layer) + c * kw * cell + (c - 1) * _CHANNEL_GAP
        return (blocks * block_w + (blocks - 1) * _BLOCK_GAP,
                rows * kh * cell + (rows - 1) * _FILTER_GAP)

    def _title_lines(self, layer: _Layer) -> tuple[str, str]:
        f, c, kh, kw = layer.kernels.shape
        range_text = self.range_text(layer.name) if layer.limits is not None else ""
        return layer.name, f"{f} × {kh}×{kw} · {range_text}"

    def _layout(self) -> None:
        """Find the largest cell size at which every layer fits (each choosing how many
        side-by-side blocks its filters wrap into), then let small layers grow further."""
        if not self._layers:
            return
        bold, small = self._fonts()
        title_h = QFontMetricsF(bold).height() + QFontMetricsF(small).height() + 4
        legend_h = 2 * QFontMetricsF(small).height() + 6
        height = max(self.height() - title_h - legend_h - 10, 20.0)
        width = self.width() - 8.0
        min_w = [QFontMetricsF(bold).horizontalAdvance(layer.name) + 6 for layer in self._layers]

        def blocks_for(layer: _Layer, cell: float) -> int | None:
            for b in range(1, layer.kernels.shape[0] + 1):
                if self._grid_size(layer, cell, b)[1] <= height:
                    return b
            return None

        def total(cells: list[float], blocks: list[int]) -> float:
            return (sum(max(self._grid_size(layer, cell, b)[0], least) for layer, cell, b, least
                        in zip(self._layers, cells, blocks, min_w, strict=True))
                    + _LAYER_GAP * (len(self._layers) - 1))

        def plan(cell: float) -> list[int] | None:
            blocks = [blocks_for(layer, cell) for layer in self._layers]
            if any(b is None for b in blocks):
                return None
            return blocks if total([cell] * len(blocks), blocks) <= width else None

        lo, hi = 0.5, _MAX_CELL
        best = plan(lo) or [blocks_for(layer, lo) or 1 for layer in self._layers]
        for _ in range(16):
            mid = (lo + hi) / 2.0
            found = plan(mid)
            if found is None:
                hi = mid
            else:
                lo, best = mid, found
        cells = [math.floor(lo * 4) / 4 if lo >= 1 else lo] * len(self._layers)
        # then grow the smallest cells first (a layer may wrap into more blocks to do so)
        blocks = list(best)
        while True:
            for k in sorted(range(len(cells)), key=lambda i: cells[i]):
                bigger = cells[k] + 0.5
                b = blocks_for(self._layers[k], bigger) if bigger <= _MAX_CELL else None
                if b is None:
                    continue
                trial_cells = cells[:k] + [bigger] + cells[k + 1:]
                trial_blocks = blocks[:k] + [b] + blocks[k + 1:]
                if total(trial_cells, trial_blocks) <= width:
                    cells, blocks = trial_cells, trial_blocks
                    break
            else:
                break
        best = blocks
        widths = [max(self._grid_size(layer, cell, b)[0], least)
                  for layer, cell, b, least in zip(self._layers, cells, best, min_w, strict=True)]
        spare = max(width - sum(widths) - _LAYER_GAP * (len(widths) - 1), 0.0)
        gap = _LAYER_GAP + spare / max(len(widths), 1)
        x = 4.0 + (spare - (gap - _LAYER_GAP) * (len(widths) - 1)) / 2.0
        for layer, cell, b, w in zip(self._layers, cells, best, widths, strict=True):
            layer.blocks = b
            layer.cell = cell
            grid_w, grid_h = self._grid_size(layer, cell, b)
            layer.rect = QRectF(x, 4.0, w, title_h + grid_h)
            self._place_cells(layer, QPointF(x + (w - grid_w) / 2.0, 4.0 + title_h))
            x += w + gap

    def _place_cells(self, layer: _Layer, origin: QPointF) -> None:
        f, c, kh, kw = layer.kernels.shape
        cell = layer.cell
        rows = math.ceil(f / layer.blocks)
        label_w = self._label_width(layer)
        block_w = label_w + c * kw * cell + (c - 1) * _CHANNEL_GAP
        layer.cells = []
        for fi in range(f):
            block, row = divmod(fi, rows)
            x0 = origin.x() + block * (block_w + _BLOCK_GAP) + label_w
            y = origin.y() + row * (kh * cell + _FILTER_GAP)
            for ci in range(c):
                layer.cells.append(QRectF(x0 + ci * (kw * cell + _CHANNEL_GAP), y,
                                          kw * cell, kh * cell))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._layout()
        super().resizeEvent(event)

    # -- mouse -----------------------------------------------------------------------------
    def kernel_at(self, pos: QPointF) -> tuple[str, int, int] | None:
        """(layer, filter, input channel) of the kernel drawn at ``pos``, or None."""
        for layer in self._layers:
            if not layer.rect.contains(pos):
                continue
            c = layer.kernels.shape[1]
            for k, rect in enumerate(layer.cells):
                if rect.contains(pos):
                    return layer.name, k // c, k % c
        return None

    def kernel_tip(self, pos: QPointF) -> tuple[QRectF, str] | None:
        """(rect, numbers) of the kernel drawn at ``pos``, or None."""
        found = self.kernel_at(pos)
        if found is None:
            return None
        name, f, c = found
        w = self._find(name).kernels[f, c]
        rows = "\n".join("  ".join(format_value(v, 2) for v in row) for row in w)
        return self.kernel_rect(name, f, c), f"{name}, filter {f}, input channel {c}\n{rows}"

    def tip_areas(self) -> list[tuple[QRectF, str]]:
        """Where the general description shows as a tooltip: over the layer titles and the
        legend only, never over the kernels (each kernel shows its own numbers)."""
        bold, small = self._fonts()
        title_h = QFontMetricsF(bold).height() + QFontMetricsF(small).height() + 4
        areas = [(QRectF(layer.rect.left(), layer.rect.top(), layer.rect.width(), title_h),
                  f"{self.toolTip()}\n{layer.name}: colors run from −{self._limit(layer)} "
                  f"(blue) to +{self._limit(layer)} (red).") for layer in self._layers]
        bottom = max((layer.rect.bottom() for layer in self._layers), default=0.0)
        areas.append((QRectF(0, bottom + 4, self.width(), self.height() - bottom), self.toolTip()))
        return areas

    def _limit(self, layer: _Layer) -> str:
        return format_value(float(np.asarray(layer.limits).max()), 2)

    def event(self, event: QEvent) -> bool:  # noqa: D102 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            kernel = self.kernel_tip(QPointF(event.pos()))
            return show_area_tip(self, event, [kernel] if kernel else self.tip_areas())
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        kernel = self.kernel_tip(event.position())
        if kernel is not None:  # a tip shown elsewhere hides itself on leaving its rect
            show_cell_tip(self, event, kernel[1], kernel[0])
        super().mouseMoveEvent(event)

    # -- painting ---------------------------------------------------------------------------
    def range_text(self, name: str) -> str:
        """The colour range of layer ``name`` as printed under its title."""
        limits = np.asarray(self._find(name).limits).reshape(-1)
        lo, hi = float(limits.min()), float(limits.max())
        if self._mode == "map" and hi > lo:
            return f"±{lo:.2g} … ±{hi:.2g}"
        return f"±{hi:.2g}"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted = QColor(plot_colors().muted)  # captions: grey that reads on light and dark
        bold, small = self._fonts()
        if not self._layers:
            painter.setPen(text)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter,
                             "This model has no convolution layers.")
            painter.end()
            return
        fm_bold = QFontMetricsF(bold)
        fm_small = QFontMetricsF(small)
        legend_top = 0.0
        for layer in self._layers:
            f, c, kh, kw = layer.kernels.shape
            name, shape = self._title_lines(layer)
            top = layer.rect.top()
            wide = layer.rect.adjusted(-_LAYER_GAP / 2, 0, _LAYER_GAP / 2, 0).intersected(
                QRectF(self.rect()))
            painter.setFont(bold)
            painter.setPen(text)
            painter.drawText(QRectF(wide.left(), top, wide.width(), fm_bold.height()),
                             Qt.AlignmentFlag.AlignCenter, name)
            painter.setFont(small)
            painter.setPen(muted)
            shape = fm_small.elidedText(shape, Qt.TextElideMode.ElideRight, wide.width() - 2)
            painter.drawText(QRectF(wide.left(), top + fm_bold.height(), wide.width(),
                                    fm_small.height()), Qt.AlignmentFlag.AlignCenter, shape)
            rows = math.ceil(f / layer.blocks)
            label_every = 1 if layer.cell * kh >= fm_small.height() * 0.9 else 4
            for k, rect in enumerate(layer.cells):
                fi, ci = divmod(k, c)
                source = QRectF(0, (fi * c + ci) * kh, kw, kh)
                painter.drawImage(rect, layer.image, source)
                if ci == 0 and (fi % label_every == 0 or fi % rows == 0):
                    painter.setPen(muted)
                    painter.drawText(QRectF(rect.left() - 40, rect.top() - 4, 37,
                                            rect.height() + 8),
                                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                     str(fi))
            painter.setPen(QPen(qcolor(INSIDE.rule), 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for fi in range(f):
                first, last = layer.cells[fi * c], layer.cells[fi * c + c - 1]
                painter.drawRect(first.united(last).adjusted(-0.5, -0.5, 0.5, 0.5))
            if self._highlight is not None and self._highlight[0] == layer.name:
                fi = self._highlight[1]
                if 0 <= fi < f:
                    first, last = layer.cells[fi * c], layer.cells[fi * c + c - 1]
                    painter.setPen(QPen(qcolor(INSIDE.highlight), 2.5))
                    painter.drawRect(first.united(last).adjusted(-2, -2, 2, 2))
            legend_top = max(legend_top, layer.rect.bottom() + 10)
        painter.setFont(small)
        painter.setPen(text)
        legend_h = 2 * fm_small.height()
        legend_top = min(legend_top, self.height() - legend_h - 2)
        limit = (float(np.asarray(self._layers[0].limits).max())
                 if self._mode == "global" else None)
        caption = {"global": "one range:", "layer": "range per layer:",
                   "map": "range per filter:"}[self._mode]
        draw_legend(painter, QRectF(8, legend_top, min(self.width() - 16, 360), legend_h),
                    limit, caption)
        painter.end()
