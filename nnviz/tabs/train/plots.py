"""The four x-linked plots of the training curves: loss, accuracy, penalty, learning rate.

A pyqtgraph GraphicsLayoutWidget that draws a :class:`~nnviz.tabs.train.history.RunHistory`
(x = epochs as a float). Curves are created once and updated with ``setData``, drawn
clipped to the view and peak-downsampled. The titles carry the units, so the y axes need no
label that could be cut; the legend is a line of text above the plots
(:func:`legend_html`), never a box over the curves. Ranges are set here rather than by pyqtgraph's
auto-range (which re-lays out the axes and paints twice after every update); a plot the
user zooms or pans keeps their view until :meth:`CurvePlots.reset_view`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PyQt6.QtCore import QPointF, Qt

from nnviz.tabs.train.history import RunHistory
from nnviz.theme import (
    DATA_LOSS_CURVE,
    DIVERGENCE_MARK,
    PENALTY_CURVE,
    TRAIN_CURVE,
    VALIDATION_CURVE,
    plot_colors,
    train_colors,
)

__all__ = ["CurvePlots", "legend_html"]

RAW_ALPHA = 70  # the raw per-batch curves are drawn faintly under the smoothed ones
TITLE_SIZE = "9pt"
LOSS_TITLE = "Loss per sample (lower is better)"
DOTS = ("loss", "accuracy", "penalty", "lr")
"""The hover dots, one per plot."""

_TIPS = {
    "loss": "Training loss of every batch (faint) and its moving average, the\n"
            "validation loss at each epoch end (orange) and the training mean\n"
            "of each epoch (rings). Validation rising while training falls =\n"
            "overfitting.",
    "accuracy": "Share of digits classified right: per training batch (faint),\n"
                "smoothed, and on the validation set at each epoch end (orange).",
    "penalty": "The regularization penalty added to the loss: alpha*sum|w| (L1)\n"
               "plus alpha*sum w^2 (L2) over the weights. It grows when weights\n"
               "grow; the data loss (green, dashed, in the loss plot) is the\n"
               "loss without it.",
    "lr": "The step size of each update. Keras's decay shrinks it as\n"
          "lr / (1 + decay * iterations); changing it during training shows\n"
          "up as a step.",
}


def legend_html(with_data_loss: bool = False) -> str:
    """What the lines and markers mean, as one line of rich text in the curves' colours."""
    train, val = f"rgb{TRAIN_CURVE}", f"rgb{VALIDATION_CURVE}"
    items = [f"<span style='color:{train}'><b>━</b> training (smoothed; faint: each batch)"
             "</span>",
             f"<span style='color:{train}'>○ training mean of an epoch</span>",
             f"<span style='color:{val}'>●━ validation</span>"]
    if with_data_loss:
        items.append(f"<span style='color:rgb{DATA_LOSS_CURVE}'>┅ data loss (without the "
                     "penalty)</span>")
    return " &nbsp; ".join(items)


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


class CurvePlots(pg.GraphicsLayoutWidget):
    """Loss and accuracy on top, penalty and learning rate below, sharing the x axis."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainCurvesPlots")
        self.setBackground(plot_colors().background)
        self._crosses: list[pg.InfiniteLine] = []
        self._divergences: list[pg.InfiniteLine] = []
        self._penalty_note = ""
        self.loss_plot = self._make_plot(0, 0, LOSS_TITLE)
        self.accuracy_plot = self._make_plot(0, 1, "Accuracy in % (higher is better)")
        self.penalty_plot = self._make_plot(1, 0, "")
        self.lr_plot = self._make_plot(1, 1, "Learning rate")
        self.plot_items = (self.loss_plot, self.accuracy_plot, self.penalty_plot, self.lr_plot)
        """The four plots, in the order loss, accuracy, penalty, learning rate."""
        for plot, key in zip(self.plot_items, ("loss", "accuracy", "penalty", "lr"),
                             strict=True):
            plot.titleLabel.setToolTip(_TIPS[key])
        self.ci.layout.setContentsMargins(2, 0, 6, 2)
        self.ci.layout.setRowStretchFactor(0, 2)
        self.ci.layout.setRowStretchFactor(1, 1)
        for plot in (self.loss_plot, self.accuracy_plot):  # the row below names the x axis
            plot.setLabel("bottom", "")
            plot.getAxis("bottom").showLabel(False)
        for plot in self.plot_items[1:]:
            plot.setXLink(self.loss_plot)
        self._curves = self._make_curves()
        self._penalty_shown: bool | None = None
        self._other_penalty = False  # another run drawn here had a penalty
        self._log_y = False
        self._user_ranged: set[int] = set()
        self._extent: tuple[float, dict[str, float]] = (0.0, {})  # of what else is drawn
        for index, plot in enumerate(self.plot_items):
            plot.vb.disableAutoRange()
            plot.vb.sigRangeChangedManually.connect(
                lambda *_, i=index: self._user_ranged.add(i))

    # ----------------------------------------------------------------- construction
    def _make_plot(self, row: int, col: int, title: str) -> pg.PlotItem:
        plot = self.addPlot(row=row, col=col)
        colors = plot_colors()
        plot.setTitle(title, size=TITLE_SIZE, color=colors.text)
        plot.setLabel("bottom", "epoch")
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(colors.axis))
            axis.setTextPen(pg.mkPen(colors.axis))
            # no third level of minor ticks: its dense grid lines cost more to paint than
            # all the curves together, and two levels read just as well
            axis.setStyle(maxTickLevel=1)
        plot.getAxis("left").setWidth(50)
        plot.getAxis("left").enableAutoSIPrefix(False)  # no "(x0.001)" to cut off
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

    def _make_curves(self) -> dict[str, pg.PlotDataItem]:
        faint = pg.mkPen((*TRAIN_CURVE, RAW_ALPHA), width=1)
        smooth = pg.mkPen(TRAIN_CURVE, width=2)
        halo = plot_colors().halo  # marker outline / hollow fill: the plot's background
        marker = {"symbol": "o", "symbolSize": 8, "symbolPen": pg.mkPen(halo, width=1)}
        hollow = {"pen": None, "symbol": "o", "symbolSize": 8,
                  "symbolBrush": pg.mkBrush(halo), "symbolPen": pg.mkPen(TRAIN_CURVE, width=2)}
        validation = {"pen": pg.mkPen(VALIDATION_CURVE, width=2),
                      "symbolBrush": VALIDATION_CURVE, "name": "validation",
                      "connect": "finite", **marker}
        c: dict[str, pg.PlotDataItem] = {}

        p = self.loss_plot
        c["loss_raw"] = p.plot(pen=faint, name="training, per batch", connect="finite",
                               antialias=False)
        c["loss_smooth"] = p.plot(pen=smooth, name="training, smoothed", connect="finite")
        c["data_loss_smooth"] = p.plot(
            pen=pg.mkPen(DATA_LOSS_CURVE, width=1.5, style=Qt.PenStyle.DashLine),
            connect="finite")
        c["data_loss_smooth"].setZValue(-1)  # under the total loss it is a part of
        c["loss_epoch"] = p.plot(name="training, epoch mean", **hollow)
        c["val_loss"] = p.plot(**validation)

        a = self.accuracy_plot
        c["accuracy_raw"] = a.plot(pen=faint, name="training, per batch", connect="finite",
                                   antialias=False)
        c["accuracy_smooth"] = a.plot(pen=smooth, name="training, smoothed", connect="finite")
        c["accuracy_epoch"] = a.plot(name="training, epoch mean", **hollow)
        c["val_accuracy"] = a.plot(**validation)

        c["penalty_raw"] = self.penalty_plot.plot(pen=pg.mkPen((*PENALTY_CURVE, RAW_ALPHA)),
                                                  connect="finite")
        c["penalty_smooth"] = self.penalty_plot.plot(pen=pg.mkPen(PENALTY_CURVE, width=2),
                                                     connect="finite")
        c["lr"] = self.lr_plot.plot(pen=pg.mkPen(plot_colors().axis, width=2),
                                    connect="finite")
        for plot in (self.penalty_plot, self.lr_plot):
            # from 0 to above the largest value: Keras's decay of 1e-6 per batch must look
            # as flat as it is, not like a cliff zoomed into a range of 1e-5
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.enableAutoRange(y=False)
            plot.setMouseEnabled(x=True, y=False)

        for name in ("loss_raw", "accuracy_raw", "penalty_raw", "lr"):
            # peak mode keeps each pixel column's min and max: one bin per pixel is exact
            # (pyqtgraph's default, 5 per pixel, draws 5x more path for the same picture)
            c[name].opts["autoDownsampleFactor"] = 1.0
        for name in ("loss_smooth", "data_loss_smooth", "accuracy_smooth", "penalty_smooth"):
            # a smoothed line has no peaks to keep: its mean over 2-pixel bins looks the
            # same and its thick antialiased stroke is the costliest thing drawn
            c[name].setDownsampling(auto=True, method="mean")
            c[name].opts["autoDownsampleFactor"] = 0.5
        dot = {"pen": None, "symbol": "o", "symbolSize": 9,
               "symbolBrush": train_colors().hover_dot}
        self._dots = {name: plot.plot(**dot) for name, plot in zip(DOTS, self.plot_items,
                                                                    strict=True)}
        return c

    # ----------------------------------------------------------------- reading
    def curve(self, name: str) -> pg.PlotDataItem:
        """A curve by name: ``loss_raw``, ``loss_smooth``, ``data_loss_smooth``,
        ``loss_epoch``, ``val_loss``, ``accuracy_raw``, ``accuracy_smooth``,
        ``accuracy_epoch``, ``val_accuracy``, ``penalty_raw``, ``penalty_smooth``, ``lr``."""
        return self._curves[name]

    def dot(self, name: str) -> pg.PlotDataItem:
        """The hover dot of a plot, by one of :data:`DOTS`."""
        return self._dots[name]

    def crosshair_position(self) -> float | None:
        """Where the hover line is (epochs), or None when it is hidden."""
        cross = self._crosses[0]
        return float(cross.value()) if cross.isVisible() else None

    def x_at(self, scene_pos: QPointF) -> float | None:
        """The x (epochs) under a scene position inside one of the plots, else None."""
        for plot in self.plot_items:
            if plot.vb.sceneBoundingRect().contains(scene_pos):
                return float(plot.vb.mapSceneToView(scene_pos).x())
        return None

    # ----------------------------------------------------------------- drawing
    def show_batches(self, history: RunHistory) -> None:
        """Draw the batch series of ``history`` and fit the ranges."""
        b = history.batches
        x = b["epoch_position"]
        c = self._curves
        c["loss_raw"].setData(x, _shown(b["loss"]))
        c["loss_smooth"].setData(x, b["loss_s"])
        c["accuracy_raw"].setData(x, _shown(100 * b["accuracy"]))
        c["accuracy_smooth"].setData(x, 100 * b["accuracy_s"])
        c["penalty_raw"].setData(x, _shown(b["penalty"]))
        c["penalty_smooth"].setData(x, b["penalty_s"])
        c["lr"].setData(x, _shown(b["lr"]))
        self._fit_penalty_and_lr(history)
        on = history.has_penalty()
        if on != self._penalty_shown:
            self._set_penalty_shown(on)
        if on:
            c["data_loss_smooth"].setData(x, b["data_loss_s"])
        else:
            c["data_loss_smooth"].setData()
        self.fit_ranges(history)

    def show_epochs(self, history: RunHistory) -> None:
        """Draw the epoch series of ``history`` and fit the ranges."""
        e = history.epochs
        x = e["epoch"]
        c = self._curves
        c["val_loss"].setData(x, _shown(e["val_loss"]))
        c["val_accuracy"].setData(x, _shown(100 * e["val_accuracy"]))
        c["loss_epoch"].setData(x, _shown(e["loss"]))
        c["accuracy_epoch"].setData(x, _shown(100 * e["accuracy"]))
        self.fit_ranges(history)

    def set_extent(self, history: RunHistory, x_end: float, tops: dict[str, float]) -> None:
        """Fit the ranges to ``history`` and to what else is drawn on the plots (other runs'
        curves): up to epoch ``x_end``, with the largest values ``tops["loss"]`` and
        ``tops["penalty"]`` (missing: nothing else drawn there)."""
        self._extent = (float(x_end), dict(tops))
        self._fit_penalty_and_lr(history)
        self.fit_ranges(history)

    def _fit_penalty_and_lr(self, history: RunHistory) -> None:
        tops = self._extent[1]
        for plot, key in ((self.penalty_plot, "penalty"), (self.lr_plot, "lr")):
            self._fit_from_zero(plot, np.append(history.batches[key], tops.get(key, np.nan)))

    def fit_ranges(self, history: RunHistory) -> None:
        """x from 0 to the next whole epoch (so it moves once an epoch), the loss from 0 to
        above its maximum, accuracy 0–100 %; plots the user zoomed are left alone."""
        b, e = history.batches, history.epochs
        x_end, tops = self._extent
        # room for the markers on the last epoch
        right = max(history.last_whole_epoch(), float(np.ceil(x_end))) * 1.03
        for index, plot in enumerate(self.plot_items):
            if index in self._user_ranged:
                continue
            (x0, x1), _ = plot.vb.viewRange()
            if abs(x0) > 1e-9 or abs(x1 - right) > 1e-9:
                plot.setXRange(0, right, padding=0)
        if 0 not in self._user_ranged:
            if self.log_y():
                self.loss_plot.enableAutoRange(axis="y")
            else:
                losses = np.concatenate([b["loss"], e["val_loss"], e["loss"],
                                         [tops.get("loss", np.nan)]])
                self._fit_from_zero(self.loss_plot, losses)
        if 1 not in self._user_ranged:
            low, high = self.accuracy_plot.vb.viewRange()[1]
            if (low, high) != (-3.0, 103.0):
                self.accuracy_plot.setYRange(-3.0, 103.0, padding=0)

    def reset_view(self) -> None:
        """Forget the user's zooming and pans: every plot is fitted again."""
        self._user_ranged.clear()

    @staticmethod
    def _fit_from_zero(plot: pg.PlotItem, values: np.ndarray) -> None:
        """Show y from just below 0 to 15 % above the largest value, changing the range only
        on a new maximum (or after ``clear``), so a steady run does not re-layout the axis."""
        finite = values[np.isfinite(values)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        low, high = plot.vb.viewRange()[1]
        if not (low < 0 and top <= high <= 1.5 * top):
            plot.setYRange(-0.05 * top, 1.15 * top, padding=0)

    def _set_penalty_shown(self, on: bool) -> None:
        self._penalty_shown = on
        self._show_penalty_title()

    def _show_penalty_title(self) -> None:
        note = f" · {self._penalty_note}" if self._penalty_note else ""
        if self._penalty_shown or self._other_penalty:
            self.penalty_plot.setTitle(f"Penalty, part of the loss{note}", size=TITLE_SIZE,
                                       color=plot_colors().text)
        else:
            self.penalty_plot.setTitle(f"Penalty: off (L1 = L2 = 0){note}", size=TITLE_SIZE,
                                       color=plot_colors().muted)

    def set_other_penalty(self, on: bool) -> None:
        """Whether a run drawn besides the history had a penalty (the title then does not
        say it is off)."""
        if on != self._other_penalty:
            self._other_penalty = on
            self._show_penalty_title()

    def set_penalty_note(self, note: str) -> None:
        """A few words after the penalty plot's title, e.g. "exact zeros: 12.3 %"."""
        if note != self._penalty_note:
            self._penalty_note = note
            self._show_penalty_title()

    def penalty_shown(self) -> bool:
        """Whether the history drawn has a penalty (and the loss plot its data loss)."""
        return bool(self._penalty_shown)

    def penalty_title(self) -> str:
        """The penalty plot's title as shown (it says when the penalty is off)."""
        return self.penalty_plot.titleLabel.text

    def mark_divergence(self, x: float) -> None:
        """A red dashed line at epoch position ``x`` on the loss plot: where a batch
        diverged (its spike stays drawn; a non-finite loss has no point, the line shows
        where it was). Lines stay until :meth:`clear_marks`."""
        line = pg.InfiniteLine(
            pos=x, angle=90, movable=False,
            pen=pg.mkPen(DIVERGENCE_MARK, width=1.5, style=Qt.PenStyle.DashLine),
            label="diverged", labelOpts={"position": 0.92, "color": DIVERGENCE_MARK})
        self.loss_plot.addItem(line, ignoreBounds=True)
        self._divergences.append(line)

    def divergence_marks(self) -> list[float]:
        """Where the divergence lines are (epochs)."""
        return [float(line.value()) for line in self._divergences]

    def clear_marks(self) -> None:
        """Remove the divergence lines."""
        for line in self._divergences:
            self.loss_plot.removeItem(line)
        self._divergences.clear()

    def log_y(self) -> bool:
        """Whether the loss plot has a log10 y axis."""
        return self._log_y

    def set_log_y(self, on: bool) -> None:
        """Draw the loss on a log10 y axis (or back on a linear one)."""
        self._log_y = bool(on)
        self.loss_plot.setLogMode(x=False, y=self._log_y)
        self._user_ranged.discard(0)
        self.loss_plot.setTitle(LOSS_TITLE + (", log scale" if on else ""), size=TITLE_SIZE,
                                color=plot_colors().text)

    # ----------------------------------------------------------------- hover
    def show_hover(self, x: float, points: dict[str, tuple[float, float]]) -> None:
        """The hover line at ``x`` on every plot, and a dot on each plot named in ``points``
        (a name of :data:`DOTS` -> (x, y)); plots not named, or with a non-finite y, show
        none."""
        for cross in self._crosses:
            cross.setPos(x)
        for name, dot in self._dots.items():
            point = points.get(name)
            if point is not None and np.isfinite(point[1]):
                dot.setData([point[0]], [point[1]])
            else:
                dot.setData()
        self.set_hover_visible(True)

    def set_hover_visible(self, on: bool) -> None:
        """Show or hide the hover line and dots (where they are)."""
        for item in (*self._crosses, *self._dots.values()):
            item.setVisible(on)

    def hover_visible(self) -> bool:
        return self._crosses[0].isVisible()

    # ----------------------------------------------------------------- export
    def export_image(self, path: str | Path) -> None:
        """Save the four plots as PNG (at their size on screen) or SVG, by the suffix,
        without the hover line.

        (pyqtgraph's PNG exporter can scale up, but it scales the curves and not the
        legends' text, so a larger export reads worse; SVG is the one to enlarge.)
        """
        suffix = Path(path).suffix.lower()
        if suffix not in (".png", ".svg"):
            raise ValueError(f"export_image writes .png or .svg, not {suffix or 'no suffix'!r}")
        shown = self.hover_visible()
        self.set_hover_visible(False)
        try:
            if suffix == ".svg":
                with _svg_closepath_workaround():
                    pg.exporters.SVGExporter(self.ci).export(str(path))
            else:
                exporter = pg.exporters.ImageExporter(self.ci)
                exporter.parameters()["background"] = pg.mkColor(plot_colors().background)
                exporter.export(str(path))
        finally:
            self.set_hover_visible(shown)
