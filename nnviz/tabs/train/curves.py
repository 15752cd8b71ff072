"""Live training curves: loss, accuracy, regularization penalty and learning rate.

A QWidget facade that shows a :class:`~nnviz.tabs.train.history.RunHistory` (the numbers,
their smoothing and the CSV export live there, Qt-free) in four x-linked plots
(:class:`~nnviz.tabs.train.plots.CurvePlots`), with a smoothing slider, a log-scale
checkbox and a hover read-out (:class:`~nnviz.tabs.train.readout.HoverReadout`).

Batches arrive up to ~10 times a second; the plots redraw at most every
``REDRAW_INTERVAL_MS`` (at once when idle, else once the interval has passed), as a
repaint of four plots costs the UI thread ~10 ms and the trainer its GIL time, and not
at all while hidden (they catch up when shown).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PyQt6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PyQt6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from nnviz.tabs.train.history import (
    BATCH_COLUMNS,
    CSV_COLUMNS,
    DEFAULT_SMOOTHING,
    EPOCH_COLUMNS,
    MAX_SMOOTHING,
    RunHistory,
    smooth,
)
from nnviz.tabs.train.plots import CurvePlots, legend_html
from nnviz.tabs.train.readout import HoverReadout

__all__ = ["BATCH_COLUMNS", "CSV_COLUMNS", "EPOCH_COLUMNS", "TrainCurves", "smooth"]

REDRAW_INTERVAL_MS = 250  # the batch curves redraw at most 4 times a second


class TrainCurves(QWidget):
    """Loss, accuracy, penalty and learning rate of a training run, drawn live.

    Feed it with :meth:`add_batches` (several batches at once, as the worker coalesces
    them) and :meth:`add_epoch` (validation at each epoch end); both go into
    :attr:`history`. A slider sets the smoothing of the per-batch curves, a checkbox the
    log scale of the loss; hovering shows the exact values of the nearest batch and epoch.
    """

    def __init__(self, parent: QWidget | None = None, *,
                 history: RunHistory | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainCurves")
        self.history = history if history is not None else RunHistory(DEFAULT_SMOOTHING)
        """The numbers shown (given or a new one)."""
        self._last_redraw = 0.0
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._redraw_pending)
        self._batches_dirty = self._epochs_dirty = False

        controls = self._build_controls()
        self.readout = HoverReadout()
        self.plots = CurvePlots()
        self.plots.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.plots.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.readout)
        layout.addWidget(self.plots, 1)
        self._show_smoothing()
        self.clear()

    def _build_controls(self) -> QHBoxLayout:
        self.smoothing_slider = QSlider(Qt.Orientation.Horizontal)
        self.smoothing_slider.setObjectName("trainCurvesSmoothing")
        self.smoothing_slider.setRange(0, round(100 * MAX_SMOOTHING))
        self.smoothing_slider.setMaximumWidth(220)
        tip = ("Smoothing of the per-batch curves (like TensorBoard's slider): an exponential\n"
               "moving average, new = w·old + (1−w)·batch value. 0 = raw values, 0.99 = very\n"
               "smooth. The raw values stay drawn faintly underneath.")
        self.smoothing_slider.setToolTip(tip)
        self.smoothing_slider.valueChanged.connect(self._on_smoothing_changed)
        self._smoothing_label = QLabel()
        self._smoothing_label.setMinimumWidth(32)
        self._smoothing_label.setToolTip(tip)
        caption = QLabel("Smoothing")
        caption.setToolTip(tip)

        self.log_check = QCheckBox("Log scale for the loss")
        self.log_check.setObjectName("trainCurvesLogY")
        self.log_check.setToolTip(
            "Draw the loss on a logarithmic y axis: late, small improvements become visible\n"
            "next to the big drop of the first batches (each grid step is ×10).")
        self.log_check.toggled.connect(self._on_log_toggled)

        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 0)
        row.addWidget(caption)
        row.addWidget(self.smoothing_slider)
        row.addWidget(self._smoothing_label)
        row.addSpacing(16)
        row.addWidget(self.log_check)
        row.addStretch(1)
        return row

    # ----------------------------------------------------------------- feeding
    def add_batches(self, epoch_position: np.ndarray, loss: np.ndarray, data_loss: np.ndarray,
                    penalty: np.ndarray, accuracy: np.ndarray, lr: np.ndarray) -> None:
        """Append B batches, all arrays (B,): see :meth:`RunHistory.add_batches`."""
        before = self.history.batches.n
        self.history.add_batches(epoch_position, loss, data_loss, penalty, accuracy, lr)
        if self.history.batches.n != before:
            self.batches_changed()

    def add_epoch(self, epoch: int, val_loss: float, val_accuracy: float, loss: float,
                  accuracy: float) -> None:
        """Append the end of epoch ``epoch`` (1-based): see :meth:`RunHistory.add_epoch`."""
        self.history.add_epoch(epoch, val_loss, val_accuracy, loss, accuracy)
        self.epochs_changed()

    def batches_changed(self) -> None:
        """Redraw the batch curves soon (:attr:`history` got new batches)."""
        self._batches_dirty = True
        self._schedule_redraw()

    def epochs_changed(self) -> None:
        """Redraw the epoch markers soon (:attr:`history` got a new epoch)."""
        self._epochs_dirty = True
        self._schedule_redraw()

    def redraw_all(self) -> None:
        """Draw :attr:`history` afresh after it was replaced as a whole (an undo): every
        series, the smoothing as the history has it, the views fitted again."""
        self._show_smoothing()
        self.plots.reset_view()
        self.batches_changed()
        self.epochs_changed()
        self.flush()

    def clear(self) -> None:
        """Forget all points (a new run or reset weights); settings stay."""
        self.history.clear()
        self.plots.reset_view()
        self.plots.clear_marks()
        self._show_batches()
        self.plots.show_epochs(self.history)
        self._batches_dirty = self._epochs_dirty = False
        self._hide_hover()
        self._last_redraw = 0.0  # the first batches of a new run show at once

    # ----------------------------------------------------------------- settings
    def set_smoothing(self, weight: float) -> None:
        """Set the moving-average weight w in [0, 0.99] and re-smooth all batch curves."""
        self.history.set_smoothing(weight)
        self._show_smoothing()
        self._show_batches()
        self._batches_dirty = False

    def smoothing(self) -> float:
        """The moving-average weight in use."""
        return self.history.smoothing

    def set_log_y(self, on: bool) -> None:
        """Draw the loss plot on a log10 y axis (the checkbox follows)."""
        self.log_check.setChecked(bool(on))  # toggled -> _on_log_toggled

    def log_y(self) -> bool:
        return self.log_check.isChecked()

    # ----------------------------------------------------------------- reading
    def batch_data(self) -> dict[str, np.ndarray]:
        """Copies of the batch series held, keys :data:`BATCH_COLUMNS`, each (n,)."""
        return self.history.batch_data()

    def epoch_data(self) -> dict[str, np.ndarray]:
        """Copies of the epoch series held, keys :data:`EPOCH_COLUMNS`, each (m,)."""
        return self.history.epoch_data()

    def smoothed(self, name: str) -> np.ndarray:
        """A copy of the smoothed batch series ``name`` (loss, data_loss, penalty, accuracy)."""
        return self.history.smoothed(name)

    def hover_text(self) -> str:
        """The hover read-out as plain text (what the label above the plots says)."""
        return self.readout.plain_text()

    def export_csv(self, path: str | Path) -> None:
        """Write all series to ``path`` as CSV (columns: :mod:`nnviz.tabs.train.history`)."""
        self.history.write_csv(path)

    def export_image(self, path: str | Path) -> None:
        """Save the four plots as PNG (at their size on screen) or SVG, by the suffix."""
        self.flush()
        self.plots.export_image(path)

    # ----------------------------------------------------------------- drawing
    def flush(self) -> None:
        """Draw what is still waiting (for the redraw interval, or for the widget to be
        shown): before exports, hover read-outs, and in tests."""
        if self._batches_dirty or self._epochs_dirty:
            self._redraw_pending()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.flush()

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
            self._batches_dirty = False
            self._show_batches()
        if self._epochs_dirty:
            self._epochs_dirty = False
            self.plots.show_epochs(self.history)

    def _show_batches(self) -> None:
        penalty = self.plots.penalty_shown()
        self.plots.show_batches(self.history)
        if self.plots.penalty_shown() != penalty or not self.readout.legend():
            self.readout.set_legend(legend_html(self.plots.penalty_shown()))

    def mark_divergence(self) -> None:
        """Mark the last batch held as the one that diverged (a red line on the loss plot)."""
        positions = self.history.batches["epoch_position"]
        if positions.size:
            self.plots.mark_divergence(float(positions[-1]))

    def _show_smoothing(self) -> None:
        weight = self.history.smoothing
        self.smoothing_slider.blockSignals(True)
        self.smoothing_slider.setValue(round(100 * weight))
        self.smoothing_slider.blockSignals(False)
        self._smoothing_label.setText(f"{weight:.2f}")

    # ----------------------------------------------------------------- hover
    def show_values_at(self, x: float) -> None:
        """Move the crosshair to epoch position ``x`` and read the nearest batch and epoch."""
        self.flush()
        h = self.history
        if h.batches.n == 0 and h.epochs.n == 0:
            self._hide_hover()
            return
        points = {}
        i = h.nearest_batch(x)
        if i is not None:
            b = h.batches
            pos = b["epoch_position"][i]
            points = {"loss": (pos, b["loss"][i]), "accuracy": (pos, 100 * b["accuracy"][i]),
                      "penalty": (pos, b["penalty"][i]), "lr": (pos, b["lr"][i])}
        self.plots.show_hover(x, points)
        self.readout.show_values(h, x)

    def _hide_hover(self) -> None:
        """Hide crosshair and dots and put the hint back in the read-out."""
        self.plots.set_hover_visible(False)
        self.readout.show_hint()

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        x = self.plots.x_at(scene_pos)
        if x is None:
            self._hide_hover()
        else:
            self.show_values_at(x)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        # getattr: while a cycle collection tears this view down, its attributes are
        # cleared before Qt stops sending it events
        if watched is getattr(self, "plots", None) and event.type() == QEvent.Type.Leave:
            self._hide_hover()
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- controls
    def _on_smoothing_changed(self, value: int) -> None:
        self.set_smoothing(value / 100)

    def _on_log_toggled(self, on: bool) -> None:
        self.plots.set_log_y(on)
        self.plots.fit_ranges(self.history)
