"""Kept runs drawn over the live training curves, a legend for them, and the timeline's
cursor.

Each ticked run gets one colour (:data:`nnviz.theme.RUN_COLORS`): its training loss and
accuracy per batch, smoothed with the curves' own slider, as a solid line; its
validation at every epoch end as a dashed line with dots; its penalty on the penalty
plot. A run is drawn over its own epochs, from 0. The live run keeps its blue and orange
and is drawn on top; when nothing trains and the run the live curves show is ticked
itself, the live curves step aside, so that every ticked run reads in its own colour.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel

from core.runs import Curves
from nnviz.tabs.train.curves import TrainCurves
from nnviz.tabs.train.history import smooth
from nnviz.tabs.train.plots import legend_html
from nnviz.theme import TIMELINE_CURSOR, TRAIN_CURVE, VALIDATION_CURVE, plot_colors

__all__ = ["OverlayRun", "RunOverlay"]

LIVE_CURVES = ("loss_raw", "loss_smooth", "data_loss_smooth", "loss_epoch", "val_loss",
               "accuracy_raw", "accuracy_smooth", "accuracy_epoch", "val_accuracy",
               "penalty_raw", "penalty_smooth")
"""The live curves that step aside for the ticked runs (the learning rate stays)."""
BEHIND = -10  # z value of the ticked runs' curves: under the live ones


@dataclass(frozen=True)
class OverlayRun:
    """A ticked run to draw: its id, name, colour and curves (see :mod:`core.runs.curves`)."""

    run_id: str
    name: str
    color: tuple[int, int, int]
    batches: Curves
    epochs: Curves


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, np.nan)


class RunOverlay:
    """Draws :class:`OverlayRun` s on a :class:`TrainCurves`' plots, with a legend line
    above them (``legend``, objectName ``runsLegend``) and the timeline's cursor."""

    def __init__(self, curves: TrainCurves) -> None:
        self.curves = curves
        self.plots = curves.plots
        self.legend = QLabel()
        self.legend.setObjectName("runsLegend")
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(6, 0, 6, 0)
        self.legend.hide()
        layout = curves.layout()
        layout.insertWidget(layout.indexOf(self.plots), self.legend)
        self._runs: list[OverlayRun] = []
        self._items: dict[str, list[pg.PlotDataItem]] = {}
        self._live_visible = True
        pen = pg.mkPen(TIMELINE_CURSOR, width=2)
        self._cursors = [pg.InfiniteLine(angle=90, movable=False, pen=pen)
                         for _ in self.plots.plot_items]
        self._cursors[0].label = pg.InfLineLabel(self._cursors[0], "", position=0.95,
                                                 color=TIMELINE_CURSOR)
        for plot, cursor in zip(self.plots.plot_items, self._cursors, strict=True):
            cursor.setVisible(False)
            cursor.setZValue(20)
            plot.addItem(cursor, ignoreBounds=True)
        curves.smoothing_slider.valueChanged.connect(lambda _: self._draw())

    # -- what is drawn ----------------------------------------------------------------
    def show_runs(self, runs: list[OverlayRun], live_visible: bool = True) -> None:
        """Draw exactly ``runs`` (in this order; each in its colour) and show the live
        curves or not."""
        self._runs = list(runs)
        self._live_visible = live_visible
        for name in LIVE_CURVES:
            self.plots.curve(name).setVisible(live_visible)
        self._draw()

    def run_ids(self) -> list[str]:
        """The runs drawn, in order."""
        return [run.run_id for run in self._runs]

    def items(self, run_id: str) -> list[pg.PlotDataItem]:
        """The curves drawn for ``run_id``: training loss, validation loss, training
        accuracy, validation accuracy, penalty."""
        return list(self._items.get(run_id, []))

    def live_visible(self) -> bool:
        return self._live_visible

    def _draw(self) -> None:
        for items in self._items.values():
            for plot, item in zip(self._plots_of_a_run(), items, strict=True):
                plot.removeItem(item)
        self._items = {}
        weight = self.curves.smoothing()
        x_end, tops = 0.0, {"loss": np.nan, "penalty": np.nan}
        for run in self._runs:
            self._items[run.run_id] = self._draw_run(run, weight)
            b = run.batches
            if b.rows:
                x_end = max(x_end, float(np.nanmax(b["position"])))
                tops = {key: np.nanmax([tops[key], *_finite(b[key])]) for key in tops}
        self.plots.set_extent(self.curves.history, x_end if self._runs else 0.0,
                              {k: float(v) for k, v in tops.items() if math.isfinite(v)})
        self.plots.set_other_penalty(any(
            run.batches.rows and np.nanmax(np.abs(_finite(run.batches["penalty"])), initial=0) > 0
            for run in self._runs))
        self.legend.setText(self._legend_html())
        self.legend.setVisible(bool(self._runs))
        # the live curves' own legend only while they are drawn (it comes back with
        # the first batch of a new run)
        live_shown = self._live_visible and self.curves.history.batches.n > 0
        self.curves.readout.set_legend(legend_html(self.plots.penalty_shown())
                                       if live_shown or not self._runs else "")

    def _plots_of_a_run(self) -> tuple[pg.PlotItem, ...]:
        p = self.plots
        return (p.loss_plot, p.loss_plot, p.accuracy_plot, p.accuracy_plot, p.penalty_plot)

    def _draw_run(self, run: OverlayRun, weight: float) -> list[pg.PlotDataItem]:
        b, e = run.batches, run.epochs
        x = b["position"]
        solid = pg.mkPen(run.color, width=1.8)
        dashed = pg.mkPen(run.color, width=1.5, style=Qt.PenStyle.DashLine)
        dots = {"symbol": "o", "symbolSize": 6, "symbolBrush": run.color,
                "symbolPen": pg.mkPen(plot_colors().halo, width=1), "connect": "finite"}
        p = self.plots
        items = [
            p.loss_plot.plot(x, smooth(b["loss"], weight)[0], pen=solid, connect="finite"),
            p.loss_plot.plot(e["epoch"], _finite(e["val_loss"]), pen=dashed, **dots),
            p.accuracy_plot.plot(x, 100 * smooth(b["accuracy"], weight)[0], pen=solid,
                                 connect="finite"),
            p.accuracy_plot.plot(e["epoch"], 100 * _finite(e["val_accuracy"]), pen=dashed,
                                 **dots),
            p.penalty_plot.plot(x, smooth(b["penalty"], weight)[0], pen=solid,
                                connect="finite"),
        ]
        for item in items:
            item.setZValue(BEHIND)
        return items

    def _legend_html(self) -> str:
        if not self._runs:
            return ""
        names = " &nbsp; ".join(
            f"<span style='color:rgb{run.color}'><b>━</b> {html.escape(run.name)}</span>"
            for run in self._runs)
        text = (f"<b>Ticked runs</b> (solid: training, smoothed; dashed with dots: "
                f"validation): {names}")
        if self._live_visible and self.curves.history.batches.n:
            text += (f" &nbsp;·&nbsp; on top: <span style='color:rgb{TRAIN_CURVE}'>the live "
                     f"run</span> (<span style='color:rgb{VALIDATION_CURVE}'>validation"
                     "</span>)")
        return text

    # -- the timeline's cursor --------------------------------------------------------
    def set_cursor(self, x: float | None, text: str = "") -> None:
        """A line at epoch position ``x`` on every plot, labelled ``text`` on the loss
        plot (None: no line)."""
        for cursor in self._cursors:
            cursor.setVisible(x is not None)
            if x is not None:
                cursor.setPos(x)
        self._cursors[0].label.setFormat(text)

    def cursor_position(self) -> float | None:
        """Where the cursor is (epochs), or None when there is none."""
        cursor = self._cursors[0]
        return float(cursor.value()) if cursor.isVisible() else None

