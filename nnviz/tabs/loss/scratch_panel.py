"""Second half of the Loss lab: the from-scratch 2-layer network of SPEC §4, learning XOR.

The network is :class:`core.scratch.TwoLayerNetwork`; this panel only drives it (play,
pause, step, reset) and shows it: the loss curve, predictions next to the targets, the
weights as heat maps and the backprop stepper.  A run of 1500 iterations of a 4 × 3
network takes milliseconds, so a QTimer in the GUI thread paces it for the eye.
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

from core.scratch import ACTIVATIONS, XOR_X, XOR_Y, TwoLayerNetwork
from nnviz.tabs.loss.backprop_view import BackpropStepper
from nnviz.tabs.loss.weight_map import WeightMap
from nnviz.widgets.plot_style import style_plot, title_colour

TICK_MS = 16
STEPPER_INTERVAL_S = 0.1  # while playing, the stepper table refreshes at most 10 times a second
WEIGHT_LEVEL = 10.0  # heat-map colours are fixed to ±10


class ScratchPanel(QWidget):
    """Train the XOR network live and follow every number of one iteration."""

    iteration_finished = pyqtSignal(int, float)  # iteration count, loss of that iteration
    run_finished = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.X, self.y = XOR_X, XOR_Y
        self.network: TwoLayerNetwork
        self._losses = np.empty(0)
        self._first_rise: int | None = None
        self._stepper_shown_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

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
        self.stepper.update_requested.connect(self._on_stepper_update_requested)
        self.reset()

    # --- building -------------------------------------------------------------------------

    def _build_controls(self) -> QWidget:
        self.hidden_spin = QSpinBox()
        self.hidden_spin.setRange(1, 16)
        self.hidden_spin.setValue(4)
        self.hidden_spin.setToolTip(
            "Hidden units H (the text uses 4). Changing it starts a new network.\n"
            "With 2 units XOR is hard to reach from this start; 3 or 4 learn it."
        )
        self.learning_rate_spin = QDoubleSpinBox()
        self.learning_rate_spin.setRange(0.01, 10.0)
        self.learning_rate_spin.setDecimals(2)
        self.learning_rate_spin.setSingleStep(0.1)
        self.learning_rate_spin.setValue(1.0)
        self.learning_rate_spin.setToolTip(
            "Learning rate η of the update W ← W − η·∂L/∂W. 1.0 is the tutorial's plain\n"
            "W += gradient step. Takes effect at the next iteration, even while playing."
        )
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(list(ACTIVATIONS))
        self.activation_combo.setToolTip(
            "Activation f of the hidden layer (the output stays a sigmoid, 0 < ŷ < 1).\n"
            "sigmoid is the text's; tanh and relu are its “next steps”. relu learns XOR\n"
            "too, but its loss can tick up when a unit's input crosses 0.\n"
            "Changing it starts a new network."
        )
        self.iterations_spin = QSpinBox()
        self.iterations_spin.setRange(1, 20000)
        self.iterations_spin.setSingleStep(100)
        self.iterations_spin.setValue(1500)
        self.iterations_spin.setToolTip("How many iterations Play runs for (the text: 1500).")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 9999)
        self.seed_spin.setToolTip(
            "Seed of np.random.default_rng for the initial weights (uniform in [0, 1)).\n"
            "The same seed always gives the same run. Changing it starts a new network."
        )
        self.speed_spin = QSpinBox()
        self.speed_spin.setRange(1, 500)
        self.speed_spin.setValue(10)
        self.speed_spin.setSuffix(" it/frame")
        self.speed_spin.setToolTip(
            "Iterations per animation frame (about 60 frames a second) while playing."
        )
        self.play_button = QPushButton("▶ Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip(
            "Train: run gradient-descent iterations until the iteration count is reached;\n"
            "press again to pause. At the end, Play starts a fresh run with the same settings."
        )
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("One iteration: forward, backprop, update.")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("New initial weights from the seed; iteration 0.")
        self.status_label = QLabel()
        self.status_label.setToolTip("Progress, the current loss and whether it fell every time.")

        row = QHBoxLayout()
        for text, widget in (
            ("hidden units", self.hidden_spin), ("learning rate", self.learning_rate_spin),
            ("activation", self.activation_combo), ("iterations", self.iterations_spin),
            ("seed", self.seed_spin), ("speed", self.speed_spin),
        ):
            label = QLabel(text)
            label.setToolTip(widget.toolTip())
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(6)
        row.addStretch(1)
        row.addWidget(self.play_button)
        row.addWidget(self.step_button)
        row.addWidget(self.reset_button)
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
        plot = style_plot(self.loss_plot)
        plot.setTitle("loss  L = Σ (y − ŷ)²", size="9pt", color=title_colour())
        plot.setLabel("bottom", "iteration")
        plot.setLabel("left", "loss")
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setDownsampling(mode="peak")
        plot.setClipToView(True)
        self._loss_curve = plot.plot(pen=pg.mkPen((31, 119, 180), width=2))
        self._rise_marker = plot.plot(
            pen=None, symbol="o", symbolSize=9, symbolBrush=(214, 39, 40), symbolPen=None
        )
        self.log_check = QCheckBox("log scale")
        self.log_check.setChecked(True)
        self.log_check.setToolTip("Logarithmic loss axis: the late, small losses stay visible.")
        plot.setLogMode(y=True)

        self.prediction_table = QTableWidget(len(self.X), 7)
        self.prediction_table.setHorizontalHeaderLabels(
            ["x1", "x2", "x3", "target y", "prediction ŷ", "rounded", "(y − ŷ)²"]
        )
        self.prediction_table.verticalHeader().setVisible(False)
        self.prediction_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.prediction_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.prediction_table.setToolTip(
            "The four XOR samples (x3 is always 1: it stands in for a bias), their targets\n"
            "and the network's current predictions. Green: ŷ rounds to the target."
        )
        self.prediction_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        for i in range(len(self.X)):
            for j in range(7):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.prediction_table.setItem(i, j, item)
            for j in range(3):
                self.prediction_table.item(i, j).setText(f"{self.X[i, j]:g}")
            self.prediction_table.item(i, 3).setText(f"{self.y[i, 0]:g}")
        height = self.prediction_table.horizontalHeader().height()
        height += sum(self.prediction_table.rowHeight(i) for i in range(len(self.X)))
        self.prediction_table.setFixedHeight(height + 4)

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

    # --- public API -----------------------------------------------------------------------

    @property
    def is_playing(self) -> bool:
        """True while the timer is running iterations."""
        return self._timer.isActive()

    @property
    def losses(self) -> np.ndarray:
        """The loss of every iteration so far, shape (iterations done,) (a copy)."""
        return self._losses[: self.network.iteration].copy()

    @property
    def first_rise(self) -> int | None:
        """The first iteration whose loss was higher than the one before, or None."""
        return self._first_rise

    def reset(self) -> None:
        """Build a fresh network from the controls (hidden units, seed, activation)."""
        self.pause()
        self.network = TwoLayerNetwork(
            self.X.shape[1],
            n_hidden=self.hidden_spin.value(),
            seed=self.seed_spin.value(),
            activation=self.activation_combo.currentText(),
        )
        self._losses = np.empty(max(self.iterations_spin.value(), 1))
        self._first_rise = None
        self.w1_map.set_axis_labels(
            [f"h{h + 1}" for h in range(self.network.n_hidden)], ["x1", "x2", "x3"]
        )
        self.w2_map.set_axis_labels([f"h{h + 1}" for h in range(self.network.n_hidden)], ["ŷ"])
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
        self._run(n)
        self._refresh(full=True)

    # --- slots ----------------------------------------------------------------------------

    def _on_play_toggled(self, checked: bool) -> None:
        if checked:
            if self.network.iteration >= self.iterations_spin.value():
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
        remaining = self.iterations_spin.value() - self.network.iteration
        self._run(min(self.speed_spin.value(), max(remaining, 0)))
        if self.network.iteration >= self.iterations_spin.value():
            self.pause()
            self.run_finished.emit()
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
        if value > len(self._losses):
            grown = np.empty(value)
            grown[: len(self._losses)] = self._losses
            self._losses = grown
        self._refresh(full=False)

    def _on_log_toggled(self, checked: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=checked)

    # --- internals ------------------------------------------------------------------------

    def _run(self, n: int) -> None:
        net = self.network
        for _ in range(n):
            i = net.iteration
            try:
                loss = net.step(self.X, self.y, self.learning_rate_spin.value())
            except FloatingPointError as exc:
                self.pause()
                self.status_label.setText(f"Stopped: {exc}.")
                return
            if i >= len(self._losses):
                grown = np.empty(max(2 * len(self._losses), i + 1))
                grown[: len(self._losses)] = self._losses
                self._losses = grown
            self._losses[i] = loss
            if self._first_rise is None and i > 0 and loss > self._losses[i - 1]:
                self._first_rise = i
            self.iteration_finished.emit(net.iteration, loss)

    def _refresh(self, full: bool) -> None:
        """Update the views; the stepper (with its finite differences) always when ``full``,
        else at most every STEPPER_INTERVAL_S while it is visible."""
        net = self.network
        n = net.iteration
        self._loss_curve.setData(np.arange(n), self._losses[:n])
        if self._first_rise is not None:
            self._rise_marker.setData([self._first_rise], [self._losses[self._first_rise]])
        else:
            self._rise_marker.setData([], [])
        x_end = max(self.iterations_spin.value(), n)
        self.loss_plot.getPlotItem().setXRange(0, x_end, padding=0.02)

        grads = net.backprop(self.X, self.y)
        y_hat = grads["y_hat"][:, 0]
        for i, (target, pred) in enumerate(zip(self.y[:, 0], y_hat, strict=True)):
            right = round(pred) == target
            self.prediction_table.item(i, 4).setText(f"{pred:.4f}")
            rounded = self.prediction_table.item(i, 5)
            rounded.setText(f"{round(pred):d}")
            rounded.setBackground(QColor(200, 240, 200) if right else QColor(250, 205, 205))
            rounded.setForeground(QColor(20, 20, 20))  # dark on the light cell in any theme
            self.prediction_table.item(i, 6).setText(f"{(target - pred) ** 2:.2e}")
        self.w1_map.set_matrix(net.W1)
        self.w2_map.set_matrix(net.W2.T)
        self._update_status(grads, y_hat)
        now = time.monotonic()
        due = self.stepper.isVisible() and now - self._stepper_shown_at >= STEPPER_INTERVAL_S
        if full or due:
            self._stepper_shown_at = now
            lr = self.learning_rate_spin.value()
            self.stepper.show_backprop(
                grads,
                net.numerical_gradients(self.X, self.y),
                {"W1": net.W1 - lr * grads["dW1"], "W2": net.W2 - lr * grads["dW2"]},
                net.activation,
                lr,
            )

    def _update_status(self, grads: dict, y_hat: np.ndarray) -> None:
        n, total = self.network.iteration, self.iterations_spin.value()
        current_loss = float(grads["loss"])
        solved = bool(np.all(np.round(y_hat) == self.y[:, 0]))
        if n == 0:
            trend = "not trained yet"
        elif self._first_rise is None:
            trend = "the loss fell at every iteration so far ✓"
        else:
            trend = f"the loss rose at iteration {self._first_rise} (red dot)"
        if self.network.activation == "relu" and not np.any(grads["z1"] > 0):
            verdict = (
                "every relu unit is dead (its input is negative for all four samples), so all "
                "gradients are 0 and learning has stopped: try another seed or a smaller rate"
            )
        elif self.network.activation == "relu" and np.all(grads["z1"] > 0) and not solved:
            verdict = (
                "every relu unit is active for all four samples, so the network is linear "
                "— and no linear model can fit XOR"
            )
        elif solved:
            verdict = "all four predictions round to their targets ✓"
        else:
            verdict = "not every prediction rounds to its target yet"
        self.status_label.setText(
            f"iteration {n} / {total}   ·   loss now {current_loss:.5f}   ·   {trend}   ·   "
            + verdict
        )
