"""Live training curves: loss, accuracy, regularization penalty and learning rate.

A QWidget facade over four x-linked pyqtgraph plots (x = epochs as a float). Curves are
created once and updated with ``setData``; the smoothed lines are extended incrementally,
so a call of :meth:`TrainCurves.add_batches` costs O(new points) plus pyqtgraph's own
(clipped, peak-downsampled) redraw. The widget owns copies of the numbers it was given
and nothing else: the worker computes, this only draws.

CSV export (:meth:`TrainCurves.export_csv`), one row per batch and one per epoch, sorted
by ``epoch_position`` (an epoch row follows the batch that ended it). Columns:

=================  ===========================================================
``row``            ``batch`` or ``epoch``
``epoch_position`` epochs done as a float (batch rows); the epoch number (epoch rows)
``epoch``          the epoch number, 1-based (epoch rows only)
``loss``           training loss = data loss + penalty (batch), epoch mean (epoch)
``data_loss``      cross-entropy part of the loss (batch rows)
``penalty``        regularization penalty, alpha*sum|w| and/or alpha*sum w^2 (batch rows)
``accuracy``       training accuracy as a fraction 0..1 (batch), epoch mean (epoch)
``learning_rate``  learning rate used for the batch (batch rows)
``val_loss``       validation loss (epoch rows)
``val_accuracy``   validation accuracy, fraction 0..1 (epoch rows)
=================  ===========================================================

Empty cells mean "not measured in this row"; ``nan``/``inf`` are real values (a diverged run).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PyQt6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PyQt6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nnviz.theme import plot_colors

__all__ = ["BATCH_COLUMNS", "CSV_COLUMNS", "EPOCH_COLUMNS", "TrainCurves", "smooth"]

BATCH_COLUMNS = ("epoch_position", "loss", "data_loss", "penalty", "accuracy", "lr")
"""Series given per batch to :meth:`TrainCurves.add_batches`, in argument order."""
EPOCH_COLUMNS = ("epoch", "val_loss", "val_accuracy", "loss", "accuracy")
"""Series given per epoch to :meth:`TrainCurves.add_epoch`, in argument order."""
CSV_COLUMNS = ("row", "epoch_position", "epoch", "loss", "data_loss", "penalty", "accuracy",
               "learning_rate", "val_loss", "val_accuracy")

DEFAULT_SMOOTHING = 0.6  # TensorBoard's default
MAX_SMOOTHING = 0.99
REDRAW_INTERVAL_MS = 250  # the batch curves redraw at most 4 times a second

TRAIN = (31, 119, 180)  # blue: training
VAL = (230, 85, 13)  # orange: validation
DATA = (44, 160, 44)  # green: data loss
PENALTY = (148, 103, 189)  # purple: penalty
# neutral colours (axes, titles, legends, the learning-rate curve) come from nnviz.theme
_MAX_CHUNK = 2048  # longest block of the vectorised moving average


def smooth(
    values: np.ndarray, weight: float, state: tuple[float, int] = (0.0, 0)
) -> tuple[np.ndarray, tuple[float, int]]:
    """TensorBoard's debiased exponential moving average of ``values`` (n,), continued.

    s_i = w*s_(i-1) + (1-w)*x_i from s = 0, shown as s_i / (1 - w**k) with k the number
    of values averaged so far, so the first points are not pulled towards 0. Non-finite
    values are skipped (they smooth to nan and do not poison what follows).
    ``state`` = (s, k) after the values already smoothed; returns (smoothed (n,), new
    state), so a live curve is extended without recomputing its past. Vectorised in
    blocks of m values: within a block s_j = w**(j+1)*s + (1-w)*w**j * cumsum(w**-i * x_i),
    with m chosen so that w**-m stays below 1e150 (no overflow, full precision).
    """
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"the smoothing weight must be in [0, 1), got {weight}")
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    x = values[finite]
    last, count = state
    if x.size == 0:
        return out, state
    if weight < 1e-6:
        out[finite] = x
        return out, (float(x[-1]), count + x.size)
    w = float(weight)
    chunk = int(min(_MAX_CHUNK, max(1.0, 150.0 / -np.log10(w))))
    inv = w ** -np.arange(chunk, dtype=np.float64)
    fwd = w ** np.arange(chunk, dtype=np.float64)
    result = np.empty(x.size)
    for start in range(0, x.size, chunk):
        block = x[start:start + chunk]
        k = block.size
        s = fwd[:k] * w * last + (1.0 - w) * fwd[:k] * np.cumsum(block * inv[:k])
        seen = count + start + 1 + np.arange(k)
        result[start:start + k] = s / (1.0 - w ** seen)
        last = float(s[-1])
    out[finite] = result
    return out, (last, count + x.size)


class _Columns:
    """Growable float64 columns (capacity doubles), so appending a few points is O(new)."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = tuple(names)
        self._data = {name: np.empty(1024) for name in self._names}
        self.n = 0

    def append(self, arrays: dict[str, np.ndarray]) -> None:
        m = len(arrays[self._names[0]])
        need = self.n + m
        if need > len(self._data[self._names[0]]):
            size = max(need, 2 * len(self._data[self._names[0]]))
            for name in self._names:
                grown = np.empty(size)
                grown[:self.n] = self._data[name][:self.n]
                self._data[name] = grown
        for name in self._names:
            self._data[name][self.n:need] = arrays[name]
        self.n = need

    def __getitem__(self, name: str) -> np.ndarray:
        """A view of the filled part (do not keep it across appends)."""
        return self._data[name][:self.n]

    def clear(self) -> None:
        self.n = 0


def _shown(values: np.ndarray) -> np.ndarray:
    """``values`` with inf turned into nan, so one diverged point cannot break autoscaling."""
    if np.isfinite(values).all():
        return values
    return np.where(np.isfinite(values), values, np.nan)


@contextmanager
def _svg_closepath_workaround():
    """Let pyqtgraph 0.14.0's SVG exporter read paths that Qt >= 6.10 closes with "Z".

    Its coordinate fix-up expects only "x,y" tokens and raises on the close-path command
    (pyqtgraph issue #3495, fixed upstream after 0.14.0). The closed paths drawn here (the
    plot frames, the round markers) end where they start, so without "Z" only the join
    of the stroke at that one point changes. The original function is restored on exit.
    """
    module = sys.modules[pg.exporters.SVGExporter.__module__]
    original = module.correctCoordinates

    def correct(node, defs, item, options):
        for path in node.getElementsByTagName("path"):
            tokens = path.getAttribute("d").split()
            if "Z" in tokens or "z" in tokens:
                path.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
        return original(node, defs, item, options)

    module.correctCoordinates = correct
    try:
        yield
    finally:
        module.correctCoordinates = original


def _fmt(value: float, digits: int = 4) -> str:
    return "–" if value is None or np.isnan(value) else f"{value:.{digits}g}"


def _pct(value: float) -> str:
    return "–" if np.isnan(value) else f"{100 * value:.1f} %"


class TrainCurves(QWidget):
    """Loss, accuracy, penalty and learning rate of a training run, drawn live.

    Feed it with :meth:`add_batches` (several batches at once, as the worker coalesces
    them) and :meth:`add_epoch` (validation at each epoch end). A slider sets the
    smoothing of the per-batch curves, a checkbox the log scale of the loss; hovering
    shows the exact values of the nearest batch and epoch.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainCurves")
        self._batches = _Columns(BATCH_COLUMNS + ("loss_s", "data_loss_s", "penalty_s",
                                                  "accuracy_s"))
        self._epochs = _Columns(EPOCH_COLUMNS)
        self._weight = DEFAULT_SMOOTHING
        self._states: dict[str, tuple[float, int]] = {}
        self._penalty_on = False
        # Batches arrive up to ~10 times a second; the plots redraw at most every
        # REDRAW_INTERVAL_MS (at once when idle, else once the interval has passed), as a
        # repaint of four plots costs the UI thread ~10 ms and the trainer its GIL time.
        self._last_redraw = 0.0
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._redraw_pending)
        self._batches_dirty = self._epochs_dirty = False

        self._build_controls()
        self._build_plots()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._controls)
        layout.addWidget(self._readout)
        layout.addWidget(self._view, 1)
        self._smoothing_label.setText(f"{self._weight:.2f}")
        self.clear()

    # ----------------------------------------------------------------- construction
    def _build_controls(self) -> None:
        self._slider = QSlider(Qt.Orientation.Horizontal)
        self._slider.setObjectName("trainCurvesSmoothing")
        self._slider.setRange(0, round(100 * MAX_SMOOTHING))
        self._slider.setValue(round(100 * DEFAULT_SMOOTHING))
        self._slider.setMaximumWidth(220)
        tip = ("Smoothing of the per-batch curves (like TensorBoard's slider): an exponential\n"
               "moving average, new = w·old + (1−w)·batch value. 0 = raw values, 0.99 = very\n"
               "smooth. The raw values stay drawn faintly underneath.")
        self._slider.setToolTip(tip)
        self._slider.valueChanged.connect(self._on_smoothing_changed)
        self._smoothing_label = QLabel()
        self._smoothing_label.setMinimumWidth(32)
        self._smoothing_label.setToolTip(tip)
        caption = QLabel("Smoothing")
        caption.setToolTip(tip)

        self._log = QCheckBox("Log scale for the loss")
        self._log.setObjectName("trainCurvesLogY")
        self._log.setToolTip(
            "Draw the loss on a logarithmic y axis: late, small improvements become visible\n"
            "next to the big drop of the first batches (each grid step is ×10).")
        self._log.toggled.connect(self._on_log_toggled)

        self._controls = QHBoxLayout()
        self._controls.setContentsMargins(6, 4, 6, 0)
        self._controls.addWidget(caption)
        self._controls.addWidget(self._slider)
        self._controls.addWidget(self._smoothing_label)
        self._controls.addSpacing(16)
        self._controls.addWidget(self._log)
        self._controls.addStretch(1)

        self._readout = QLabel()
        self._readout.setObjectName("trainCurvesReadout")
        self._readout.setTextFormat(Qt.TextFormat.RichText)
        self._readout.setContentsMargins(6, 0, 6, 0)
        self._readout.setToolTip("Exact values at the mouse: the nearest batch (top line) and "
                                 "the nearest epoch end (bottom line).")
        # wraps instead of widening the window; room for the two lines to wrap into three
        self._readout.setWordWrap(True)
        self._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._readout.setFixedHeight(self._readout.fontMetrics().lineSpacing() * 3 + 4)
        self._readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def _make_plot(self, row: int, col: int, title: str, left: str) -> pg.PlotItem:
        plot = self._view.addPlot(row=row, col=col)
        colors = plot_colors()
        plot.setTitle(title, size="10pt", color=colors.text)
        plot.setLabel("left", left)
        plot.setLabel("bottom", "epoch")
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(colors.axis))
            axis.setTextPen(pg.mkPen(colors.axis))
            # no third level of minor ticks: its dense grid lines cost more to paint than
            # all the curves together, and two levels read just as well
            axis.setStyle(maxTickLevel=1)
        plot.getAxis("left").setWidth(58)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setDownsampling(mode="peak", auto=True)
        plot.setClipToView(True)
        plot.setMenuEnabled(False)
        plot.vb.setLimits(xMin=-0.5)
        cross = pg.InfiniteLine(angle=90, movable=False,
                                pen=pg.mkPen(colors.crosshair, style=Qt.PenStyle.DashLine))
        cross.setVisible(False)
        plot.addItem(cross, ignoreBounds=True)
        self._crosses.append(cross)
        return plot

    def _legend(self, plot: pg.PlotItem, offset: tuple[int, int]) -> pg.LegendItem:
        colors = plot_colors()
        legend = plot.addLegend(offset=offset, labelTextColor=colors.text, labelTextSize="8pt",
                                verSpacing=-6, brush=pg.mkBrush(colors.legend_brush),
                                pen=pg.mkPen(colors.legend_pen))
        return legend

    def _build_plots(self) -> None:
        self._view = pg.GraphicsLayoutWidget()
        self._view.setObjectName("trainCurvesPlots")
        self._view.setBackground(plot_colors().background)
        self._crosses: list[pg.InfiniteLine] = []
        self._loss_plot = self._make_plot(0, 0, "Loss (lower is better)", "loss per sample")
        self._acc_plot = self._make_plot(0, 1, "Accuracy (higher is better)", "accuracy (%)")
        self._pen_plot = self._make_plot(1, 0, "", "penalty (loss units)")
        self._lr_plot = self._make_plot(1, 1, "Learning rate", "learning rate")
        tips = {
            self._loss_plot: "Training loss of every batch (faint) and its moving average, the\n"
                             "validation loss at each epoch end (orange) and the training mean\n"
                             "of each epoch (rings). Validation rising while training falls =\n"
                             "overfitting.",
            self._acc_plot: "Share of digits classified right: per training batch (faint),\n"
                            "smoothed, and on the validation set at each epoch end (orange).",
            self._pen_plot: "The regularization penalty added to the loss: alpha*sum|w| (L1)\n"
                            "plus alpha*sum w^2 (L2) over the weights. It grows when weights\n"
                            "grow; the data loss (green, dashed, in the loss plot) is the\n"
                            "loss without it.",
            self._lr_plot: "The step size of each update. Keras's decay shrinks it as\n"
                           "lr / (1 + decay * iterations); changing it during training shows\n"
                           "up as a step.",
        }
        for plot, tip in tips.items():
            plot.titleLabel.setToolTip(tip)
        self._view.ci.layout.setRowStretchFactor(0, 5)
        self._view.ci.layout.setRowStretchFactor(1, 2)
        for plot in (self._acc_plot, self._pen_plot, self._lr_plot):
            plot.setXLink(self._loss_plot)

        faint = pg.mkPen((*TRAIN, 70), width=1)
        halo = plot_colors().halo  # marker outline / hollow fill: the plot's background
        marker = {"symbol": "o", "symbolSize": 8, "symbolPen": pg.mkPen(halo, width=1)}
        hollow = {"pen": None, "symbol": "o", "symbolSize": 8,
                  "symbolBrush": pg.mkBrush(halo), "symbolPen": pg.mkPen(TRAIN, width=2)}

        legend = self._legend(self._loss_plot, (-8, 8))
        p = self._loss_plot
        self._loss_raw = p.plot(pen=faint, name="training, per batch", connect="finite",
                                antialias=False)
        self._loss_smooth = p.plot(pen=pg.mkPen(TRAIN, width=2), name="training, smoothed",
                                   connect="finite")
        self._data_smooth = p.plot(pen=pg.mkPen(DATA, width=1.5, style=Qt.PenStyle.DashLine),
                                   connect="finite")
        self._data_smooth.setZValue(-1)  # under the total loss it is a part of
        self._loss_epoch = p.plot(name="training, epoch mean", **hollow)
        self._val_loss = p.plot(pen=pg.mkPen(VAL, width=2), symbolBrush=VAL,
                                name="validation", connect="finite", **marker)
        self._loss_legend = legend

        # bottom right: the corner the accuracy curve leaves free once it learns
        self._acc_legend = self._legend(self._acc_plot, (-8, -8))
        a = self._acc_plot
        self._acc_raw = a.plot(pen=faint, name="training, per batch", connect="finite",
                               antialias=False)
        self._acc_smooth = a.plot(pen=pg.mkPen(TRAIN, width=2), name="training, smoothed",
                                  connect="finite")
        self._acc_epoch = a.plot(name="training, epoch mean", **hollow)
        self._val_acc = a.plot(pen=pg.mkPen(VAL, width=2), symbolBrush=VAL,
                               name="validation", connect="finite", **marker)

        self._pen_raw = self._pen_plot.plot(pen=pg.mkPen((*PENALTY, 70)), connect="finite")
        self._pen_smooth = self._pen_plot.plot(pen=pg.mkPen(PENALTY, width=2), connect="finite")
        self._lr_curve = self._lr_plot.plot(pen=pg.mkPen(plot_colors().axis, width=2),
                                            connect="finite")
        for plot in (self._pen_plot, self._lr_plot):
            # from 0 to above the largest value: Keras's decay of 1e-6 per batch must look
            # as flat as it is, not like a cliff zoomed into a range of 1e-5
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.enableAutoRange(y=False)
            plot.setMouseEnabled(x=True, y=False)

        for curve in (self._loss_raw, self._acc_raw, self._pen_raw, self._lr_curve):
            # peak mode keeps each pixel column's min and max: one bin per pixel is exact
            # (pyqtgraph's default, 5 per pixel, draws 5x more path for the same picture)
            curve.opts["autoDownsampleFactor"] = 1.0
        for curve in (self._loss_smooth, self._data_smooth, self._acc_smooth, self._pen_smooth):
            # a smoothed line has no peaks to keep: its mean over 2-pixel bins looks the
            # same and its thick antialiased stroke is the costliest thing drawn
            curve.setDownsampling(auto=True, method="mean")
            curve.opts["autoDownsampleFactor"] = 0.5
        dot = {"pen": None, "symbol": "o", "symbolSize": 9, "symbolBrush": (0, 0, 0, 160)}
        self._dots = {
            "loss": self._loss_plot.plot(**dot), "accuracy": self._acc_plot.plot(**dot),
            "penalty": self._pen_plot.plot(**dot), "lr": self._lr_plot.plot(**dot),
        }
        self._plots = (self._loss_plot, self._acc_plot, self._pen_plot, self._lr_plot)
        # Ranges are set by _fit_ranges, not pyqtgraph's auto-range: auto-range re-lays out
        # the axes and paints a second time after every update. A plot the user zooms or
        # pans keeps their view until clear().
        self._user_ranged: set[int] = set()
        for index, plot in enumerate(self._plots):
            plot.vb.disableAutoRange()
            plot.vb.sigRangeChangedManually.connect(
                lambda *_, i=index: self._user_ranged.add(i))
        self._view.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self._view.installEventFilter(self)

    # ----------------------------------------------------------------- public API
    def add_batches(
        self,
        epoch_position: np.ndarray,
        loss: np.ndarray,
        data_loss: np.ndarray,
        penalty: np.ndarray,
        accuracy: np.ndarray,
        lr: np.ndarray,
    ) -> None:
        """Append B batches, all arrays (B,) (scalars count as B = 1).

        ``epoch_position``: epochs done as a float at the end of each batch (epoch index
        from 0 + (batch + 1) / batches, so batch 37 of 100 in the second epoch is 1.37);
        ``loss`` = ``data_loss`` + ``penalty``; ``accuracy`` a fraction 0..1; ``lr`` the
        learning rate used for the batch.
        """
        arrays = [np.atleast_1d(np.asarray(a, dtype=np.float64)).ravel()
                  for a in (epoch_position, loss, data_loss, penalty, accuracy, lr)]
        sizes = {a.size for a in arrays}
        if len(sizes) != 1:
            raise ValueError(f"add_batches needs arrays of one length, got sizes "
                             f"{[a.size for a in arrays]}")
        if arrays[0].size == 0:
            return
        columns = dict(zip(BATCH_COLUMNS, arrays, strict=True))
        for name in ("loss", "data_loss", "penalty", "accuracy"):
            columns[name + "_s"], self._states[name] = smooth(
                columns[name], self._weight, self._states.get(name, (0.0, 0)))
        self._batches.append(columns)
        self._batches_dirty = True
        self._schedule_redraw()

    def _schedule_redraw(self) -> None:
        if not self.isVisible():  # hidden (another tab is shown): draw when shown again
            return
        wait = REDRAW_INTERVAL_MS / 1000 - (time.monotonic() - self._last_redraw)
        if wait <= 0:
            self._redraw_pending()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start(int(wait * 1000) + 1)

    def _redraw_pending(self) -> None:
        self._redraw_timer.stop()
        self._last_redraw = time.monotonic()
        if self._batches_dirty:
            self._redraw_batches()
        if self._epochs_dirty:
            self._redraw_epochs()

    def add_epoch(
        self, epoch: int, val_loss: float, val_accuracy: float, loss: float, accuracy: float
    ) -> None:
        """Append the end of epoch ``epoch`` (1-based; drawn at x = epoch).

        ``loss``/``accuracy`` are the training means over the epoch, the ``val_`` values
        the validation ones (accuracies as fractions 0..1; nan or None when there is no
        validation set).
        """
        row = [epoch, val_loss, val_accuracy, loss, accuracy]
        values = [np.nan if v is None else float(v) for v in row]
        self._epochs.append({k: np.array([v]) for k, v in zip(EPOCH_COLUMNS, values,
                                                               strict=True)})
        self._epochs_dirty = True
        self._schedule_redraw()

    def clear(self) -> None:
        """Forget all points (a new run or reset weights); settings stay."""
        self._batches.clear()
        self._epochs.clear()
        self._states.clear()
        self._redraw_batches()
        self._redraw_epochs()
        self._hide_hover()
        self._user_ranged.clear()
        self._fit_ranges()
        self._last_redraw = 0.0  # the first batches of a new run show at once

    def set_smoothing(self, weight: float) -> None:
        """Set the moving-average weight w in [0, 0.99] and re-smooth all batch curves."""
        self._weight = float(np.clip(weight, 0.0, MAX_SMOOTHING))
        self._slider.blockSignals(True)
        self._slider.setValue(round(100 * self._weight))
        self._slider.blockSignals(False)
        self._smoothing_label.setText(f"{self._weight:.2f}")
        b = self._batches
        for name in ("loss", "data_loss", "penalty", "accuracy"):
            b[name + "_s"][:], self._states[name] = smooth(b[name], self._weight)
        self._redraw_batches()

    def smoothing(self) -> float:
        """The moving-average weight in use."""
        return self._weight

    def set_log_y(self, on: bool) -> None:
        """Draw the loss plot on a log10 y axis (the checkbox follows)."""
        self._log.setChecked(bool(on))  # toggled -> _on_log_toggled

    def log_y(self) -> bool:
        return self._log.isChecked()

    def batch_data(self) -> dict[str, np.ndarray]:
        """Copies of the batch series held, keys :data:`BATCH_COLUMNS`, each (n,)."""
        return {name: self._batches[name].copy() for name in BATCH_COLUMNS}

    def epoch_data(self) -> dict[str, np.ndarray]:
        """Copies of the epoch series held, keys :data:`EPOCH_COLUMNS`, each (m,)."""
        return {name: self._epochs[name].copy() for name in EPOCH_COLUMNS}

    def smoothed(self, name: str) -> np.ndarray:
        """A copy of the smoothed batch series ``name`` (loss, data_loss, penalty, accuracy)."""
        return self._batches[name + "_s"].copy()

    def hover_text(self) -> str:
        """The hover read-out as plain text (what the label above the plots says)."""
        text = self._readout.text().replace("<br>", "\n")
        return re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ")

    def export_csv(self, path: str | Path) -> None:
        """Write all series to ``path`` as CSV (columns: see the module docstring)."""
        b, e = self._batches, self._epochs
        rows: list[tuple[float, int, list[str]]] = []
        for i in range(b.n):
            rows.append((b["epoch_position"][i], 0, [
                "batch", repr(float(b["epoch_position"][i])), "",
                *(repr(float(b[k][i])) for k in ("loss", "data_loss", "penalty", "accuracy",
                                                 "lr")),
                "", ""]))
        for i in range(e.n):
            epoch = float(e["epoch"][i])
            rows.append((epoch, 1, [
                "epoch", repr(epoch), str(int(epoch)), repr(float(e["loss"][i])), "", "",
                repr(float(e["accuracy"][i])), "", repr(float(e["val_loss"][i])),
                repr(float(e["val_accuracy"][i]))]))
        rows.sort(key=lambda r: (r[0], r[1]))
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(r[2] for r in rows)

    def export_image(self, path: str | Path) -> None:
        """Save the four plots as PNG (at their size on screen) or SVG, by the suffix.

        (pyqtgraph's PNG exporter can scale up, but it scales the curves and not the
        legends' text, so a larger export reads worse; SVG is the one to enlarge.)
        """
        self.flush()
        suffix = Path(path).suffix.lower()
        if suffix not in (".png", ".svg"):
            raise ValueError(f"export_image writes .png or .svg, not {suffix or 'no suffix'!r}")
        shown = self._crosses[0].isVisible()
        self._set_hover_visible(False)
        try:
            if suffix == ".svg":
                with _svg_closepath_workaround():
                    pg.exporters.SVGExporter(self._view.ci).export(str(path))
            else:
                exporter = pg.exporters.ImageExporter(self._view.ci)
                exporter.parameters()["background"] = pg.mkColor(plot_colors().background)
                exporter.export(str(path))
        finally:
            self._set_hover_visible(shown)

    # ----------------------------------------------------------------- drawing
    def flush(self) -> None:
        """Draw what is still waiting (for the redraw interval, or for the widget to be
        shown): before exports, hover read-outs, and in tests."""
        if self._batches_dirty or self._epochs_dirty:
            self._redraw_pending()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.flush()

    def _redraw_batches(self) -> None:
        self._batches_dirty = False
        b = self._batches
        x = b["epoch_position"]
        self._loss_raw.setData(x, _shown(b["loss"]))
        self._loss_smooth.setData(x, b["loss_s"])
        self._acc_raw.setData(x, _shown(100 * b["accuracy"]))
        self._acc_smooth.setData(x, 100 * b["accuracy_s"])
        self._pen_raw.setData(x, _shown(b["penalty"]))
        self._pen_smooth.setData(x, b["penalty_s"])
        self._lr_curve.setData(x, _shown(b["lr"]))
        for plot, key in ((self._pen_plot, "penalty"), (self._lr_plot, "lr")):
            self._fit_from_zero(plot, b[key])
        penalty = b["penalty"]
        on = bool(b.n and np.any(penalty[np.isfinite(penalty)] != 0))
        if on != self._penalty_on or b.n == 0:
            self._set_penalty_shown(on)
        if on:
            self._data_smooth.setData(x, b["data_loss_s"])
        else:
            self._data_smooth.setData()
        self._fit_ranges()

    def _fit_ranges(self) -> None:
        """x from 0 to the next whole epoch (so it moves once an epoch), the loss from 0 to
        above its maximum, accuracy 0–100 %; plots the user zoomed are left alone."""
        b, e = self._batches, self._epochs
        ends = [a[np.isfinite(a)] for a in (b["epoch_position"], e["epoch"])]
        right = max([1.0] + [float(np.ceil(a.max())) for a in ends if a.size])
        right *= 1.03  # room for the epoch-end markers on the last whole epoch
        for index, plot in enumerate(self._plots):
            if index in self._user_ranged:
                continue
            (x0, x1), _ = plot.vb.viewRange()
            if abs(x0) > 1e-9 or abs(x1 - right) > 1e-9:
                plot.setXRange(0, right, padding=0)
        if 0 not in self._user_ranged:
            if self.log_y():
                self._loss_plot.enableAutoRange(axis="y")
            else:
                losses = np.concatenate([b["loss"], e["val_loss"], e["loss"]])
                self._fit_from_zero(self._loss_plot, losses)
        if 1 not in self._user_ranged:
            low, high = self._acc_plot.vb.viewRange()[1]
            if (low, high) != (-3.0, 103.0):
                self._acc_plot.setYRange(-3.0, 103.0, padding=0)

    def _fit_from_zero(self, plot: pg.PlotItem, values: np.ndarray) -> None:
        """Show y from just below 0 to 15 % above the largest value, changing the range only
        on a new maximum (or after ``clear``), so a steady run does not re-layout the axis."""
        finite = values[np.isfinite(values)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        low, high = plot.vb.viewRange()[1]
        if not (low < 0 and top <= high <= 1.5 * top):
            plot.setYRange(-0.05 * top, 1.15 * top, padding=0)

    def _set_penalty_shown(self, on: bool) -> None:
        self._penalty_on = on
        legend = self._loss_legend
        legend.removeItem(self._data_smooth)
        if on:
            legend.addItem(self._data_smooth, "data loss (without penalty)")
            self._pen_plot.setTitle("Penalty (part of the loss)", size="10pt",
                                    color=plot_colors().text)
        else:
            self._pen_plot.setTitle("Penalty: off (L1 = L2 = 0)", size="10pt",
                                    color=plot_colors().muted)

    def _redraw_epochs(self) -> None:
        self._epochs_dirty = False
        e = self._epochs
        x = e["epoch"]
        self._val_loss.setData(x, _shown(e["val_loss"]))
        self._val_acc.setData(x, _shown(100 * e["val_accuracy"]))
        self._loss_epoch.setData(x, _shown(e["loss"]))
        self._acc_epoch.setData(x, _shown(100 * e["accuracy"]))

    # ----------------------------------------------------------------- hover
        self._fit_ranges()

    def _nearest(self, xs: np.ndarray, x: float) -> int:
        i = int(np.searchsorted(xs, x))
        if i >= xs.size or (i > 0 and x - xs[i - 1] <= xs[i] - x):
            i -= 1
        return i

    def show_values_at(self, x: float) -> None:
        """Move the crosshair to epoch position ``x`` and read the nearest batch and epoch."""
        self.flush()
        b, e = self._batches, self._epochs
        if b.n == 0 and e.n == 0:
            self._hide_hover()
            return
        for cross in self._crosses:
            cross.setPos(x)
        self._set_hover_visible(True)
        lines = []
        if b.n:
            i = self._nearest(b["epoch_position"], x)
            pos = b["epoch_position"][i]
            penalty = ""
            if self._penalty_on:
                penalty = (f" = data {_fmt(b['data_loss'][i])} + penalty "
                           f"{_fmt(b['penalty'][i])}")
            lines.append(
                f"<b>epoch {pos:.3f}</b> (batch {i + 1}) · "
                f"<span style='color:rgb{TRAIN}'>loss {_fmt(b['loss'][i])}{penalty} "
                f"(smoothed {_fmt(b['loss_s'][i])}) · accuracy {_pct(b['accuracy'][i])} "
                f"(smoothed {_pct(b['accuracy_s'][i])})</span> · "
                f"learning rate {_fmt(b['lr'][i])}")
            for name, key, scale in (("loss", "loss", 1), ("accuracy", "accuracy", 100),
                                     ("penalty", "penalty", 1), ("lr", "lr", 1)):
                value = b[key][i] * scale
                if np.isfinite(value):
                    self._dots[name].setData([pos], [value])
                else:
                    self._dots[name].setData()
        if e.n:
            j = self._nearest(e["epoch"], x)
            lines.append(
                f"<b>end of epoch {int(e['epoch'][j])}</b> · "
                f"<span style='color:rgb{VAL}'>validation loss {_fmt(e['val_loss'][j])} · "
                f"validation accuracy {_pct(e['val_accuracy'][j])}</span> · "
                f"training means: loss {_fmt(e['loss'][j])}, accuracy "
                f"{_pct(e['accuracy'][j])}")
        self._readout.setText("<br>".join(lines))

    def _set_hover_visible(self, on: bool) -> None:
        for item in (*self._crosses, *self._dots.values()):
            item.setVisible(on)

    def _hide_hover(self) -> None:
        """Hide crosshair and dots and put the hint back in the read-out."""
        self._set_hover_visible(False)
        self._readout.setText("<span style='color:#808080'>Hover over the plots to read "
                              "exact values.</span>")

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        self.flush()
        for plot in self._plots:
            if plot.vb.sceneBoundingRect().contains(scene_pos):
                self.show_values_at(plot.vb.mapSceneToView(scene_pos).x())
                return
        self._hide_hover()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self._view and event.type() == QEvent.Type.Leave:
            self._hide_hover()
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- controls
    def _on_smoothing_changed(self, value: int) -> None:
        self.set_smoothing(value / 100)

    def _on_log_toggled(self, on: bool) -> None:
        self._loss_plot.setLogMode(x=False, y=on)
        self._user_ranged.discard(0)
        self._fit_ranges()
        self._loss_plot.setLabel("left", "loss per sample (log scale)" if on
                                 else "loss per sample")
