"""Second half of the Loss lab: a from-scratch 2-layer network learning XOR.

The run is a :class:`~nnviz.tabs.loss.scratch_run.ScratchRun` over
:class:`core.scratch.TwoLayerNetwork`; this panel only drives it (play, pause, step, reset)
and shows it: the loss curve, predictions next to the targets, the weights as heat maps and
the backprop stepper.  A run of 1500 iterations of a 4 × 3 network takes milliseconds, so a
QTimer in the GUI thread paces it for the eye.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.scratch import ACTIVATIONS, XOR_X, XOR_Y
from nnviz.tabs.loss.backprop_view import BackpropStepper
from nnviz.tabs.loss.scratch_run import IterationReport, ScratchRun
from nnviz.tabs.loss.weight_map import WeightMap
from nnviz.theme import LOSS_ALERT, LOSS_CELL_TEXT, LOSS_RIGHT_CELL, LOSS_WRONG_CELL, LOSS_Y1
from nnviz.widgets.plot_style import style_plot

TICK_MS = 16
STEPPER_INTERVAL_S = 0.1  # while playing, the stepper table refreshes at most 10 times a second
WEIGHT_LEVEL = 10.0  # heat-map colours are fixed to ±10
COLUMNS = ("x1", "x2", "x3", "target y", "prediction ŷ", "rounded", "(y − ŷ)²")
PREDICTION, ROUNDED, SQUARED_ERROR = 4, 5, 6  # the prediction table's live columns


class ScratchPanel(QWidget):
    """Train the XOR network live and follow every number of one iteration."""

    iterationFinished = pyqtSignal(int, float)  # iteration count, loss of that iteration
    runFinished = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: ScratchRun
        self._stepper_shown_at = 0.0
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._cell_colours = {True: QColor(*LOSS_RIGHT_CELL), False: QColor(*LOSS_WRONG_CELL)}
        self._cell_text = QColor(*LOSS_CELL_TEXT)  # dark on the light cells in any theme

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._build_controls())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_left())
        stepper_box = QGroupBox("Backprop stepper: one iteration, every number")
        self.stepper = BackpropStepper()
        QVBoxLayout(stepper_box).addWidget(self.stepper)
        split.addWidget(stepper_box)
        split.setSizes([560, 720])
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.hidden_spin.valueChanged.connect(self._on_architecture_changed)
        self.activation_combo.currentIndexChanged.connect(self._on_architecture_changed)
        self.seed_spin.valueChanged.connect(self._on_architecture_changed)
        self.learning_rate_spin.valueChanged.connect(self._on_learning_rate_changed)
        self.iterations_spin.valueChanged.connect(self._on_iterations_changed)
        self.log_check.toggled.connect(self._on_log_toggled)
        self.stepper.updateRequested.connect(self._on_stepper_update_requested)
        self.reset()

    # --- building -------------------------------------------------------------------------

    def _build_controls(self) -> QWidget:
        self.hidden_spin = QSpinBox(
            minimum=1, maximum=16, value=4,
            toolTip="Hidden units H (4 by default). Changing it starts a new network.\n"
            "With 2 units XOR is hard to reach from this start; 3 or 4 learn it.",
        )
        self.learning_rate_spin = QDoubleSpinBox(
            decimals=2, minimum=0.01, maximum=10.0, singleStep=0.1, value=1.0,
            toolTip="Learning rate η of the update W ← W − η·∂L/∂W; at 1.0 it is the plain\n"
            "step W ← W − ∂L/∂W. Takes effect at the next iteration, even while playing.",
        )
        self.activation_combo = QComboBox(toolTip=(
            "Activation f of the hidden layer (the output stays a sigmoid, 0 < ŷ < 1).\n"
            "sigmoid is the classic choice; tanh and relu are the usual alternatives. relu\n"
            "learns XOR too, but its loss can tick up when a unit's input crosses 0.\n"
            "Changing it starts a new network."
        ))
        self.activation_combo.addItems(list(ACTIVATIONS))
        self.iterations_spin = QSpinBox(
            minimum=1, maximum=20000, singleStep=100, value=1500,
            toolTip="How many iterations Play runs for (1500 by default).",
        )
        self.seed_spin = QSpinBox(
            minimum=0, maximum=9999,
            toolTip="Seed of np.random.default_rng for the initial weights (uniform in [0, 1))."
            "\nThe same seed always gives the same run. Changing it starts a new network.",
        )
        self.speed_spin = QSpinBox(
            minimum=1, maximum=500, value=10, suffix=" it/frame",
            toolTip="Iterations per animation frame (about 60 frames a second) while playing.",
        )
        self.play_button = QPushButton(
            "▶ Play", checkable=True,
            toolTip="Train: run gradient-descent iterations until the iteration count is "
            "reached;\npress again to pause. At the end, Play starts a fresh run with the same "
            "settings.",
        )
        self.step_button = QPushButton(
            "Step", toolTip="One iteration: forward, backprop, update."
        )
        self.reset_button = QPushButton(
            "Reset", toolTip="New initial weights from the seed; iteration 0."
        )
        self.status_label = QLabel(
            toolTip="Progress, the current loss and whether it fell every time."
        )

        row = QHBoxLayout()
        for text, widget in (
            ("hidden units", self.hidden_spin), ("learning rate", self.learning_rate_spin),
            ("activation", self.activation_combo), ("iterations", self.iterations_spin),
            ("seed", self.seed_spin), ("speed", self.speed_spin),
        ):
            row.addWidget(QLabel(text, toolTip=widget.toolTip()))
            row.addWidget(widget)
            row.addSpacing(6)
        row.addStretch(1)
        for button in (self.play_button, self.step_button, self.reset_button):
            row.addWidget(button)
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        outer.addWidget(self.status_label)
        return box

    def _build_left(self) -> QWidget:
        self.loss_plot = pg.PlotWidget()
        self.loss_plot.setToolTip(
            "Sum of squared errors Σ(y − ŷ)² over the four XOR samples, one point per\n"
            "iteration (the loss before that iteration's update)."
        )
        plot = style_plot(self.loss_plot, "loss  L = Σ (y − ŷ)²",
                          labels={"bottom": "iteration", "left": "loss"}, grid=0.2)
        plot.setDownsampling(mode="peak")
        plot.setClipToView(True)
        self._loss_curve = plot.plot(pen=pg.mkPen(LOSS_Y1, width=2))
        self._rise_marker = plot.plot(
            pen=None, symbol="o", symbolSize=9, symbolBrush=LOSS_ALERT, symbolPen=None
        )
        self.log_check = QCheckBox(
            "log scale", checked=True,
            toolTip="Logarithmic loss axis: the late, small losses stay visible.",
        )
        plot.setLogMode(y=True)

        self.prediction_table = self._build_prediction_table()
        self.w1_map = WeightMap("W1: hidden × input", WEIGHT_LEVEL)
        self.w1_map.setToolTip(
            "W1 (H × 3): row h holds the weights from the three inputs into hidden unit h.\n"
            "Blue negative, red positive; colours fixed to ±10 so they do not flicker."
        )
        self.w2_map = WeightMap("W2ᵀ: hidden → output", WEIGHT_LEVEL, colorbar=True)
        self.w2_map.setToolTip(
            "W2 (1 × H), drawn as a column so that row h lines up with hidden unit h in W1:\n"
            "the weight from hidden unit h into the output ŷ.\n"
            "Blue negative, red positive; colours fixed to ±10."
        )
        maps = QHBoxLayout()
        maps.addWidget(self.w1_map, 3)
        maps.addWidget(self.w2_map, 2)

        loss_box = QGroupBox("Training")
        loss_layout = QVBoxLayout(loss_box)
        loss_layout.addWidget(self.loss_plot, 1)
        loss_layout.addWidget(self.log_check)
        pred_box = QGroupBox("Predictions next to the targets (XOR of x1 and x2)")
        QVBoxLayout(pred_box).addWidget(self.prediction_table)
        maps_box = QGroupBox("Weights")
        maps_box.setLayout(maps)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(loss_box, 5)
        left_layout.addWidget(pred_box)
        left_layout.addWidget(maps_box, 4)
        return left

    @staticmethod
    def _build_prediction_table() -> QTableWidget:
        X, y = XOR_X, XOR_Y
        table = QTableWidget(len(X), len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setToolTip(
            "The four XOR samples (x3 is always 1: it stands in for a bias), their targets\n"
            "and the network's current predictions. Green: ŷ rounds to the target."
        )
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for i in range(len(X)):
            fixed = [f"{v:g}" for v in (*X[i], y[i, 0])]
            for j in range(len(COLUMNS)):
                item = QTableWidgetItem(fixed[j] if j < len(fixed) else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(i, j, item)
        height = table.horizontalHeader().height()
        height += sum(table.rowHeight(i) for i in range(len(X)))
        table.setFixedHeight(height + 4)
        return table

    # --- public API -----------------------------------------------------------------------

    @property
    def network(self):
        """The :class:`core.scratch.TwoLayerNetwork` being trained."""
        return self.run.network

    @property
    def is_playing(self) -> bool:
        """True while the timer is running iterations."""
        return self._timer.isActive()

    @property
    def losses(self) -> np.ndarray:
        """The loss of every iteration so far, shape (iterations done,) (a copy)."""
        return self.run.losses

    @property
    def first_rise(self) -> int | None:
        """The first iteration whose loss was higher than the one before, or None."""
        return self.run.first_rise

    def loss_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """The loss curve drawn: (iteration (k,), loss (k,))."""
        return self._loss_curve.getData()

    def reset(self) -> None:
        """Build a fresh network from the controls (hidden units, seed, activation)."""
        self.pause()
        self.run = ScratchRun(
            n_hidden=self.hidden_spin.value(), seed=self.seed_spin.value(),
            activation=self.activation_combo.currentText(),
            iterations=self.iterations_spin.value(),
        )
        hidden = [f"h{h + 1}" for h in range(self.network.n_hidden)]
        self.w1_map.set_axis_labels(hidden, ["x1", "x2", "x3"])
        self.w2_map.set_axis_labels(hidden, ["ŷ"])
        self.stepper.set_stage(0)
        self._refresh(full=True)

    def play(self) -> None:
        """Start (or resume) training on the timer."""
        if not self.play_button.isChecked():
            self.play_button.setChecked(True)  # -> _on_play_toggled

    def pause(self) -> None:
        """Stop the timer; the network keeps its weights."""
        if self.play_button.isChecked():
            self.play_button.setChecked(False)

    def step(self, n: int = 1) -> None:
        """Run n iterations now and refresh the views."""
        self._advance(n)
        self._refresh(full=True)

    # --- slots ----------------------------------------------------------------------------

    def _on_play_toggled(self, checked: bool) -> None:
        if checked:
            if self.run.finished:
                self.reset()
                self.play_button.setChecked(True)
                return
            self.play_button.setText("❚❚ Pause")
            self._timer.start()
        else:
            self._timer.stop()
            self.play_button.setText("▶ Play")
            self._refresh(full=True)

    def _on_timer_timeout(self) -> None:
        remaining = self.run.iterations - self.run.iteration
        self._advance(min(self.speed_spin.value(), max(remaining, 0)))
        if self.run.finished:
            self.pause()
            self.runFinished.emit()
        else:
            self._refresh(full=False)

    def _on_step_clicked(self) -> None:
        self.pause()
        self.step(1)

    def _on_stepper_update_requested(self) -> None:
        self.pause()
        self.step(1)
        self.stepper.set_stage(0)

    def _on_reset_clicked(self) -> None:
        self.reset()

    def _on_architecture_changed(self, _value: object) -> None:
        self.reset()

    def _on_learning_rate_changed(self, _value: float) -> None:
        self._refresh(full=True)  # the stepper's "update" row depends on η

    def _on_iterations_changed(self, value: int) -> None:
        self.run.set_iterations(value)
        self._refresh(full=False)

    def _on_log_toggled(self, checked: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=checked)

    # --- internals ------------------------------------------------------------------------

    def _advance(self, n: int) -> None:
        start = self.run.iteration
        losses = self.run.advance(n, self.learning_rate_spin.value())
        for i, loss in enumerate(losses):
            self.iterationFinished.emit(start + i + 1, float(loss))
        if self.run.stopped is not None:
            self.pause()

    def _refresh(self, full: bool) -> None:
        """Update the views; the stepper (with its finite differences) always when ``full``,
        else at most every STEPPER_INTERVAL_S while it is visible."""
        run = self.run
        losses = run.losses
        self._loss_curve.setData(np.arange(len(losses)), losses)
        if run.first_rise is not None:
            self._rise_marker.setData([run.first_rise], [losses[run.first_rise]])
        else:
            self._rise_marker.setData([], [])
        x_end = max(run.iterations, run.iteration)
        self.loss_plot.getPlotItem().setXRange(0, x_end, padding=0.02)

        now = time.monotonic()
        due = self.stepper.isVisible() and now - self._stepper_shown_at >= STEPPER_INTERVAL_S
        report = run.report(self.learning_rate_spin.value(), numeric=full or due)
        self._show_predictions(report)
        self.w1_map.set_matrix(self.network.W1)
        self.w2_map.set_matrix(self.network.W2.T)
        self._update_status(report)
        if full or due:
            self._stepper_shown_at = now
            self.stepper.show_report(report)

    def _show_predictions(self, report: IterationReport) -> None:
        for i, (pred, target, right) in enumerate(
            zip(report.predictions, report.targets, report.correct, strict=True)
        ):
            self.prediction_table.item(i, PREDICTION).setText(f"{pred:.4f}")
            rounded = self.prediction_table.item(i, ROUNDED)
            rounded.setText(f"{round(pred):d}")
            rounded.setBackground(self._cell_colours[bool(right)])
            rounded.setForeground(self._cell_text)
            self.prediction_table.item(i, SQUARED_ERROR).setText(f"{(target - pred) ** 2:.2e}")

    def _update_status(self, report: IterationReport) -> None:
        n, total = self.run.iteration, self.run.iterations
        if n == 0:
            trend = "not trained yet"
        elif self.run.first_rise is None:
            trend = "the loss fell at every iteration so far ✓"
        else:
            trend = f"the loss rose at iteration {self.run.first_rise} (red dot)"
        if report.dead_units:
            verdict = (
                "every relu unit is dead (its input is negative for all four samples), so all "
                "gradients are 0 and learning has stopped: try another seed or a smaller rate"
            )
        elif report.linear_units and not report.solved:
            verdict = (
                "every relu unit is active for all four samples, so the network is linear "
                "— and no linear model can fit XOR"
            )
        elif report.solved:
            verdict = "all four predictions round to their targets ✓"
        else:
            verdict = "not every prediction rounds to its target yet"
        stopped = "" if self.run.stopped is None else f"Stopped: {self.run.stopped}.   ·   "
        self.status_label.setText(
            f"{stopped}iteration {n} / {total}   ·   loss now {report.loss:.5f}   ·   "
            f"{trend}   ·   {verdict}"
        )
