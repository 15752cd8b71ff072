"""Per-layer weight statistics over training: norms, gradient norms, histogram, exact zeros.

Shows what the tab's state keeps from the snapshots training sends: the weight norm ‖W‖
and gradient norm ‖∂L/∂W‖ of every layer's kernel over the steps
(:class:`~nnviz.tabs.inside.state.NormHistory`), one curve per layer (log scale); the
selected layer's weight histogram and every layer's fraction of exactly-zero weights (L1
sparsity) from the latest statistics. Plot items are created once and updated with
``setData``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette
from PyQt6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.diagnostics import ParamStats
from nnviz.tabs.inside.state import NormHistory
from nnviz.theme import INSIDE, plot_colors
from nnviz.widgets.plot_style import style_plot

LAYER_COLOURS = INSIDE.layers
"""One colour per weighted layer ("#rrggbb"), in network order (repeating)."""


def _positive(values: np.ndarray) -> np.ndarray:
    """Values for a log axis: non-positive and non-finite entries become NaN (gaps)."""
    out = np.array(values, dtype=np.float64)
    out[~(out > 0)] = np.nan
    return out


def log_ticks(low: float, high: float) -> list[float]:
    """Readable tick values for a log axis spanning [low, high] (both > 0): 1-2-5 steps,
    thinned to 1-3 steps or powers of ten when there would be more than four."""
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0 or high <= 0:
        return []
    if high < low:
        low, high = high, low
    first, last = int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))
    for steps in ((1, 2, 5), (1, 3), (1,)):
        ticks = [float(f"{m * 10.0 ** e:.3g}") for e in range(first, last + 1) for m in steps
                 if low <= m * 10.0 ** e <= high]
        if len(ticks) <= 4:
            break
    if len(ticks) > 4:
        ticks = ticks[:: -(-len(ticks) // 4)]
    if len(ticks) < 2:  # a narrow range: its ends, rounded
        ticks = sorted({float(f"{low:.2g}"), float(f"{high:.2g}")})
    return ticks


def _tick_label(value: float) -> str:
    return f"{value:g}"


def _light_plot(title: str, left: str, log_y: bool) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    plot = style_plot(widget, title, labels={"left": left}, grid=0.15, si_prefix=False)
    plot.setLogMode(x=False, y=log_y)
    plot.setClipToView(True)
    plot.setDownsampling(mode="peak")
    widget.setMinimumSize(150, 110)
    return widget


class ZeroFractionBars(QWidget):
    """One bar per layer: the share of its kernel weights that are exactly 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int, int]] = []   # (layer, zeros, size)
        self._selected = ""
        self.setMinimumSize(150, 90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip(
            "How many kernel weights of each layer are exactly 0. Plain training gives\n"
            "(almost) none; L1 regularization pushes many to exactly 0 (sparsity): turn\n"
            "it up on the Train tab and watch these bars grow.")

    def sizeHint(self) -> QSize:
        return QSize(240, 120)

    def set_rows(self, rows: list[tuple[str, int, int]], selected: str = "") -> None:
        self._rows = list(rows)
        self._selected = selected
        self.update()

    def rows(self) -> list[tuple[str, int, int]]:
        return list(self._rows)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        fm = painter.fontMetrics()
        title_h = fm.height() + 2
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, self.width(), title_h), Qt.AlignmentFlag.AlignCenter,
                         "weights exactly 0")
        painter.setFont(font)
        n = max(len(self._rows), 1)
        row_h = min((self.height() - title_h - 2) / n, 26.0)
        name_w = max((QFontMetricsF(bold).horizontalAdvance(r[0]) for r in self._rows),
                     default=40) + 8
        texts = [f"{zeros:,} / {size:,} ({100 * zeros / max(size, 1):.1f} %)"
                 for _, zeros, size in self._rows]
        count_w = max((fm.horizontalAdvance(t) for t in texts), default=0) + 8
        short = self.width() - name_w - count_w - 4 < 24   # narrow: only the percentage
        if short:
            count_w = fm.horizontalAdvance("100.0 %") + 8
        track_w = max(self.width() - name_w - count_w - 4, 20)
        for k, (layer, zeros, size) in enumerate(self._rows):
            y = title_h + k * row_h
            painter.setFont(bold if layer == self._selected else font)
            painter.setPen(text)
            painter.drawText(QRectF(0, y, name_w - 6, row_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, layer)
            track = QRectF(name_w, y + row_h * 0.2, track_w, row_h * 0.6)
            painter.fillRect(track, QColor(*INSIDE.track))
            share = zeros / size if size else 0.0
            if zeros:
                painter.fillRect(QRectF(track.left(), track.top(), max(track_w * share, 1.5),
                                        track.height()),
                                 QColor(LAYER_COLOURS[k % len(LAYER_COLOURS)]))
            painter.setFont(font)
            painter.drawText(QRectF(track.right() + 6, y, count_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{100 * share:.1f} %" if short
                             else f"{zeros:,} / {size:,} ({100 * share:.1f} %)")
        painter.end()


class StatsPanel(QWidget):
    """Norm curves for every weighted layer, the selected layer's histogram, zero shares."""

    layerSelected = pyqtSignal(str)
    """The user picked a layer in the combo box (its name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layers: list[str] = []
        self._sizes: dict[str, int] = {}
        self._stats: dict[str, ParamStats] = {}
        self._history = NormHistory([])
        self._weight_curves: dict[str, pg.PlotDataItem] = {}
        self._grad_curves: dict[str, pg.PlotDataItem] = {}
        self._styled_for: str | None = None

        self.weight_plot = _light_plot("weight norm ‖W‖", "", log_y=True)
        self.weight_plot.setToolTip(
            "The size (L2 norm) of each layer's kernel over the training steps, log scale.\n"
            "It usually grows as the network learns; L2 regularization (weight decay)\n"
            "keeps it small.")
        self.weight_hint = self._hint(self.weight_plot)
        self.grad_plot = _light_plot("gradient norm ‖∂L/∂W‖", "", log_y=True)
        self.grad_plot.setToolTip(
            "How strongly the loss pulls on each layer's kernel at the last batch, log\n"
            "scale. Large and noisy at first, smaller as the loss falls. Layers far from\n"
            "the output get smaller gradients (the signal fades as it flows back).")
        self.legend = QLabel("")
        self.legend.setToolTip("The colour of each layer's curves and bars. The curves run\n"
                               "over the optimizer steps (batches) of the current run.")

        self.hist_plot = _light_plot("weight histogram", "count", log_y=False)
        self.hist_plot.setToolTip(
            "How the selected layer's kernel weights are distributed (from the latest\n"
            "snapshot). The dashed line marks 0. Training spreads the initial bell;\n"
            "L1 piles weights up at exactly 0, L2 squeezes the whole histogram inward.")
        self.grad_hint = self._hint(self.grad_plot)
        hist = self.hist_plot.getPlotItem()
        hist.setLabel("left", "")
        hist.setLabel("bottom", "weight value")
        self._hist_curve = hist.plot([0, 1], [0], stepMode="center", fillLevel=0,
                                     brush=pg.mkBrush(*INSIDE.histogram),
                                     pen=pg.mkPen(INSIDE.histogram[:3], width=1.2))
        self._zero_line = pg.InfiniteLine(0.0, angle=90,
                                          pen=pg.mkPen(plot_colors().muted,
                                                       style=Qt.PenStyle.DashLine))
        hist.addItem(self._zero_line)

        self.zero_bars = ZeroFractionBars()
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("The layer whose weight histogram is shown (clicking a "
                                    "layer's box in the network view picks it too).")
        self.layer_combo.currentTextChanged.connect(self._on_layer_combo_changed)
        self.summary = QLabel("")
        self.summary.setToolTip(
            "Statistics of the selected layer's kernel in the latest snapshot. The update/\n"
            "weight ratio is how much the weights moved since the previous snapshot,\n"
            "relative to their size: tiny means the layer barely learns, large (> 1e-1)\n"
            "means the learning rate is probably too high.")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        self.summary.setFont(small)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        layer_label = QLabel("Histogram of")
        layer_label.setToolTip(self.layer_combo.toolTip())
        top.addWidget(layer_label)
        top.addWidget(self.layer_combo, 1)
        hist_box = QVBoxLayout()
        hist_box.setContentsMargins(0, 0, 0, 0)
        hist_box.setSpacing(2)
        hist_box.addLayout(top)
        hist_box.addWidget(self.hist_plot, 1)
        hist_box.addWidget(self.summary)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.legend, 0, 0, 1, 2)
        grid.addWidget(self.weight_plot, 1, 0)
        grid.addWidget(self.grad_plot, 1, 1)
        grid.addLayout(hist_box, 2, 0)
        grid.addWidget(self.zero_bars, 2, 1)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)

    def sizeHint(self) -> QSize:
        return QSize(520, 320)

    # -- data ---------------------------------------------------------------------------
    def set_layers(self, layers: list[str], sizes: dict[str, int]) -> None:
        """The weighted layers (names, network order) and their kernel sizes; shows an empty
        history until :meth:`set_history`."""
        self._layers = list(layers)
        self._sizes = dict(sizes)
        self._stats = {}
        self._history = NormHistory(self._layers)
        for plot, curves in ((self.weight_plot, self._weight_curves),
                             (self.grad_plot, self._grad_curves)):
            for curve in curves.values():
                plot.getPlotItem().removeItem(curve)
            curves.clear()
        self.legend.setText("  ".join(
            f"<span style='color: {LAYER_COLOURS[k % len(LAYER_COLOURS)]}; "
            f"font-weight: bold'>━ {layer}</span>" for k, layer in enumerate(layers)))
        for k, layer in enumerate(self._layers):
            colour = LAYER_COLOURS[k % len(LAYER_COLOURS)]
            for plot, curves in ((self.weight_plot, self._weight_curves),
                                 (self.grad_plot, self._grad_curves)):
                curves[layer] = plot.getPlotItem().plot(
                    [], [], pen=pg.mkPen(colour, width=1.5), name=layer, connect="finite")
        previous = self.layer_combo.currentText()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        self.layer_combo.addItems(self._layers)
        if previous in self._layers:
            self.layer_combo.setCurrentText(previous)
        self.layer_combo.blockSignals(False)
        self._styled_for = None
        self.refresh()

    def set_history(self, history: NormHistory) -> None:
        """The norm curves to draw (read again at every :meth:`refresh`; not copied)."""
        self._history = history

    @property
    def history(self) -> NormHistory:
        """The norm history drawn."""
        return self._history

    def set_stats(self, stats: dict[str, ParamStats]) -> None:
        """The latest statistics, for the histogram and the zero shares (no redraw)."""
        self._stats = dict(stats)

    def select_layer(self, layer: str) -> None:
        """Show ``layer``'s histogram (ignored for layers without weights)."""
        if layer in self._layers:
            self.layer_combo.setCurrentText(layer)

    def selected_layer(self) -> str:
        return self.layer_combo.currentText()

    def _on_layer_combo_changed(self, layer: str) -> None:
        self.refresh()
        if layer:
            self.layerSelected.emit(layer)

    # -- drawing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw curves, histogram and zero shares from the history and latest stats."""
        selected = self.selected_layer()
        steps = self._history.steps
        restyle = selected != self._styled_for
        self._styled_for = selected
        for k, layer in enumerate(self._layers):
            for curves, values in ((self._weight_curves, self._history.weight(layer)),
                                   (self._grad_curves, self._history.grad(layer))):
                curve = curves[layer]
                curve.setData(steps, _positive(values), connect="finite")
                if restyle:
                    colour = LAYER_COLOURS[k % len(LAYER_COLOURS)]
                    curve.setPen(pg.mkPen(colour, width=2.8 if layer == selected else 1.2))
                    curve.setZValue(1 if layer == selected else 0)
        for plot, curves in ((self.weight_plot, self._weight_curves),
                             (self.grad_plot, self._grad_curves)):
            self._set_log_ticks(plot, curves)
        empty = len(self._history) == 0
        self.weight_hint.setVisible(empty)
        self.grad_hint.setVisible(empty)
        stats = self._stats.get(f"{selected}.W")
        if stats is not None:
            counts, edges = stats.histogram
            self._hist_curve.setData(edges, counts, stepMode="center", fillLevel=0)
            ratio = ("" if not np.isfinite(stats.update_ratio)
                     else f"\nupdate/weight ‖Δw‖/‖w‖ {stats.update_ratio:.1e}")
            self.summary.setText(
                f"{int(np.prod(stats.shape)):,} weights · mean {stats.mean:+.3f} · "
                f"std {stats.std:.3f}{ratio}")
        else:
            self._hist_curve.setData([0.0, 1.0], [0.0], stepMode="center", fillLevel=0)
            self.summary.setText("")
        rows = []
        for layer in self._layers:
            s = self._stats.get(f"{layer}.W")
            size = self._sizes.get(layer, 0)
            zeros = int(round(s.zero_fraction * size)) if s is not None else 0
            rows.append((layer, zeros, size))
        self.zero_bars.set_rows(rows, selected)

    @staticmethod
    def _hint(plot: pg.PlotWidget) -> pg.TextItem:
        """A note shown in the empty plot until training sends statistics."""
        item = pg.TextItem("curves appear\nwhile training runs", color=INSIDE.frame,
                           anchor=(0.5, 0.5))
        item.setPos(0.5, 0.5)
        plot.getPlotItem().getViewBox().addItem(item, ignoreBounds=True)
        return item

    @staticmethod
    def _set_log_ticks(plot: pg.PlotWidget, curves: dict[str, pg.PlotDataItem]) -> None:
        """Label the log axis with a few round numbers of the data's range."""
        values = [curve.yData for curve in curves.values()
                  if curve.yData is not None and len(curve.yData)]
        finite = np.concatenate(values) if values else np.zeros(0)
        finite = finite[np.isfinite(finite) & (finite > 0)]
        axis = plot.getPlotItem().getAxis("left")
        if not len(finite):
            axis.setTicks([[], []])   # nothing to label yet
            return
        ticks = log_ticks(float(finite.min()), float(finite.max()))
        axis.setTicks([[(np.log10(t), _tick_label(t)) for t in ticks], []])

    def weight_curve(self, layer: str) -> tuple[np.ndarray, np.ndarray]:
        """The weight-norm curve drawn for ``layer``: (steps (n,), norms (n,))."""
        curve = self._weight_curves[layer]
        return np.asarray(curve.xData), np.asarray(curve.yData)

    def histogram(self) -> tuple[np.ndarray, np.ndarray]:
        """The histogram drawn: (edges (bins + 1,), counts (bins,))."""
        x, y = self._hist_curve.getData()
        return np.asarray(x), np.asarray(y)
