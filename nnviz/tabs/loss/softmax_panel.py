"""Softmax + categorical cross-entropy on ten editable class scores (logits).

The bars are :func:`nnviz.tabs.loss.math.softmax_readout`, computed by ``core.functional``
and ``core.losses``: the probabilities, the loss and the gradient the CNN trains with.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nnviz.tabs.loss.math import N_CLASSES, SoftmaxReadout, softmax_readout, validate_scores
from nnviz.tabs.loss.score_editor import TYPED_RANGE, ScoreEditor
from nnviz.theme import LOSS_ALERT, LOSS_OTHER_CLASS, LOSS_PUSH_DOWN, LOSS_PUSH_UP, plot_colors
from nnviz.widgets.plot_style import style_plot

LogitsProvider = Callable[[], tuple[np.ndarray, int | None] | None]

TEMPERATURE_LOG10_RANGE = (-1.0, 1.0)  # T from 0.1 to 10
TEMPERATURE_STEPS_PER_DECADE = 100
DEFAULT_SCORES = np.array([0.5, -1.0, 1.2, 3.0, -0.5, 1.8, -1.5, 0.2, 2.1, -0.3])
DEFAULT_TRUE_CLASS = 3


class SoftmaxPanel(QGroupBox):
    """Ten scores, a true class and a temperature; bars of p, −log p and the gradient p − y.
    ``readoutChanged(SoftmaxReadout)`` after every change."""

    readoutChanged = pyqtSignal(object)  # SoftmaxReadout

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Softmax + categorical cross-entropy on ten class scores", parent)
        self._provider: LogitsProvider | None = None
        self._rng = np.random.default_rng(2016)
        self.readout: SoftmaxReadout | None = None
        self._true_brush, self._other_brush = pg.mkBrush(LOSS_ALERT), pg.mkBrush(LOSS_OTHER_CLASS)
        self._push_brushes = pg.mkBrush(LOSS_PUSH_UP), pg.mkBrush(LOSS_PUSH_DOWN)

        self.true_class_combo = QComboBox(toolTip=(
            "The true class y (one-hot): the loss is −log of its probability, and the\n"
            "gradient p − y is negative only for it."
        ))
        self.true_class_combo.addItems([str(k) for k in range(N_CLASSES)])
        lo, hi = TEMPERATURE_LOG10_RANGE
        self.temperature_slider = QSlider(
            Qt.Orientation.Horizontal, minimum=round(lo * TEMPERATURE_STEPS_PER_DECADE),
            maximum=round(hi * TEMPERATURE_STEPS_PER_DECADE), value=0, minimumWidth=110,
            toolTip="Temperature T (0.1 to 10, logarithmic): softmax(z / T). T < 1 sharpens "
            "the\nprobabilities towards the top score, T > 1 flattens them towards uniform.\n"
            "T = 1 is plain softmax, as the CNN uses.",
        )
        self.temperature_label = QLabel(minimumWidth=56, toolTip="The current temperature T.")
        self.use_drawing_button = QPushButton(
            "Use the current drawing", enabled=False,
            toolTip="Load the CNN's ten scores (logits) for the digit drawn on the Draw tab;\n"
            "the true class is set to the network's prediction (change it to what you drew).",
        )
        self.random_button = QPushButton(
            "Random", toolTip="Draw ten random scores from a normal distribution (σ = 2)."
        )
        self.reset_button = QPushButton(
            "Reset", toolTip="Back to the example scores, true class 3 and T = 1."
        )
        row = QHBoxLayout()
        row.addWidget(QLabel("true class"))
        row.addWidget(self.true_class_combo)
        row.addSpacing(8)
        row.addWidget(QLabel("temperature"))
        row.addWidget(self.temperature_slider, 1)
        for widget in (self.temperature_label, self.use_drawing_button, self.random_button,
                       self.reset_button):
            row.addWidget(widget)

        self.score_editor = ScoreEditor(N_CLASSES)
        self.status_label = QLabel(
            "Edit the scores z (the logits): drag a slider or type a value.",
            wordWrap=True, toolTip="Where the current scores came from.",
        )
        self.prob_plot, self._prob_bars = self._bar_plot(
            "probability p = softmax(z/T)",
            "Probability of each class. They are all positive and sum to 1; the true class\n"
            "is red. Softmax is smooth, so the loss has a derivative for every score.",
            (0.0, 1.0),
        )
        self.nll_plot, self._nll_bars = self._bar_plot(
            "−log p",
            "−log p_k for every class k. The loss is the bar of the true class (red):\n"
            "cross-entropy with a one-hot y picks out −log p(true class).",
            None,
        )
        self.grad_plot, self._grad_bars = self._bar_plot(
            "gradient p − y",
            "∂L/∂(z_k/T) = p_k − y_k: the fused softmax + cross-entropy gradient.\n"
            "Green (negative, only the true class): gradient descent raises that score.\n"
            "Red (positive): it lowers the others, each in proportion to its probability.\n"
            "The bars sum to 0. The gradient w.r.t. z itself is (p − y) / T.",
            (-1.0, 1.0),
        )
        bars = QHBoxLayout()
        for plot in (self.prob_plot, self.nll_plot, self.grad_plot):
            bars.addWidget(plot)
            if plot is not self.prob_plot:
                plot.getPlotItem().setXLink(self.prob_plot.getPlotItem())
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.score_editor)
        layout.addWidget(self.status_label)
        layout.addLayout(bars, 1)

        self.score_editor.scoresChanged.connect(self._on_scores_changed)
        self.true_class_combo.currentIndexChanged.connect(self._on_true_class_changed)
        self.temperature_slider.valueChanged.connect(self._on_temperature_slider_moved)
        self.use_drawing_button.clicked.connect(self._on_use_drawing_clicked)
        self.random_button.clicked.connect(self._on_random_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.true_class_combo.setCurrentIndex(DEFAULT_TRUE_CLASS)
        self.score_editor.set_scores(DEFAULT_SCORES)

    def _bar_plot(
        self, title: str, tooltip: str, y_range: tuple[float, float] | None
    ) -> tuple[pg.PlotWidget, pg.BarGraphItem]:
        widget = pg.PlotWidget()
        widget.setToolTip(tooltip)
        widget.setMinimumSize(150, 150)
        plot = style_plot(widget, title, labels={"bottom": "class"}, mouse=False)
        plot.showGrid(y=True, alpha=0.2)
        plot.getAxis("bottom").setTicks([[(k, str(k)) for k in range(N_CLASSES)]])
        plot.setXRange(-0.6, N_CLASSES - 0.4, padding=0)
        if y_range is not None:
            plot.setYRange(*y_range, padding=0.05)
        bars = pg.BarGraphItem(
            x=np.arange(N_CLASSES), height=np.zeros(N_CLASSES), width=0.7,
            brush=self._other_brush,
        )
        plot.addItem(bars)
        if y_range is not None and y_range[0] < 0:
            plot.addLine(y=0, pen=pg.mkPen(plot_colors().axis))
        return widget, bars

    # --- public API -----------------------------------------------------------------------

    @property
    def temperature(self) -> float:
        """The softmax temperature T."""
        return 10.0 ** (self.temperature_slider.value() / TEMPERATURE_STEPS_PER_DECADE)

    def set_logits_provider(self, provider: LogitsProvider | None) -> None:
        """Install the callable behind "Use the current drawing" (None disables the button)."""
        self._provider = provider
        self.use_drawing_button.setEnabled(provider is not None)

    def set_scores(self, logits: np.ndarray, true_class: int | None = None) -> None:
        """Load ten scores (and optionally the true class); raises ValueError on bad input."""
        z = validate_scores(logits)
        if true_class is not None:
            if not 0 <= int(true_class) < N_CLASSES:
                raise ValueError(f"true class must be in 0..{N_CLASSES - 1}, got {true_class}")
            self.true_class_combo.blockSignals(True)
            self.true_class_combo.setCurrentIndex(int(true_class))
            self.true_class_combo.blockSignals(False)
        self.score_editor.set_scores(z)  # emits scoresChanged -> _update

    def bar_heights(self, name: str) -> np.ndarray:
        """The heights shown in the "probability", "nll" or "gradient" bars, (10,)."""
        bars = {"probability": self._prob_bars, "nll": self._nll_bars,
                "gradient": self._grad_bars}[name]
        return np.asarray(bars.opts["height"], dtype=np.float64)

    # --- slots ----------------------------------------------------------------------------

    def _on_scores_changed(self, _scores: np.ndarray) -> None:
        self._update()

    def _on_true_class_changed(self, _index: int) -> None:
        self._update()

    def _on_temperature_slider_moved(self, _value: int) -> None:
        self._update()

    def _on_use_drawing_clicked(self) -> None:
        if self._provider is None:
            return
        try:
            result = self._provider()
        except Exception as exc:  # the provider belongs to another tab; never crash here
            self.status_label.setText(f"Could not get the drawing's scores: {exc}")
            return
        if result is None:
            self.status_label.setText(
                "Nothing is drawn on the Draw tab yet: draw a digit there, then press "
                "“Use the current drawing” again."
            )
            return
        logits, predicted = result
        try:
            self.set_scores(logits, predicted)
        except ValueError as exc:
            self.status_label.setText(f"The drawing's scores could not be used: {exc}")
            return
        guess = (
            "" if predicted is None else f" It predicts {int(predicted)}, set as the true class;"
        )
        clamped = np.any(np.abs(np.asarray(logits, dtype=np.float64)) > TYPED_RANGE)
        self.status_label.setText(
            "Loaded the CNN's scores for your drawing." + guess
            + " pick the digit you meant to see its loss."
            + (f" Scores beyond ±{TYPED_RANGE:g} were clamped." if clamped else "")
            + ("" if abs(self.temperature - 1.0) < 1e-9 else " (At T = 1 the probabilities "
               "equal the Draw tab's.)")
        )

    def _on_random_clicked(self) -> None:
        self.score_editor.set_scores(np.round(self._rng.normal(0.0, 2.0, N_CLASSES), 1))
        self.status_label.setText("Random scores, drawn from a normal distribution with σ = 2.")

    def _on_reset_clicked(self) -> None:
        self.temperature_slider.blockSignals(True)
        self.temperature_slider.setValue(0)
        self.temperature_slider.blockSignals(False)
        self.true_class_combo.blockSignals(True)
        self.true_class_combo.setCurrentIndex(DEFAULT_TRUE_CLASS)
        self.true_class_combo.blockSignals(False)
        self.score_editor.set_scores(DEFAULT_SCORES)
        self.status_label.setText("The example scores: the true class 3 has the top score.")

    # --- updates --------------------------------------------------------------------------

    def _update(self) -> None:
        true_class = self.true_class_combo.currentIndex()
        temperature = self.temperature
        r = softmax_readout(self.score_editor.scores(), true_class, temperature)
        self.readout = r
        self.temperature_label.setText(f"T = {temperature:.2f}")
        self.score_editor.set_highlighted(true_class)
        brushes = [self._true_brush if k == true_class else self._other_brush
                   for k in range(N_CLASSES)]
        self._prob_bars.setOpts(height=r.probabilities, brushes=brushes)
        self._nll_bars.setOpts(height=r.neg_log_p, brushes=brushes)
        up, down = self._push_brushes
        self._grad_bars.setOpts(height=r.gradient,
                                brushes=[up if g < 0 else down for g in r.gradient])
        nll = self.nll_plot.getPlotItem()
        nll.setYRange(0.0, max(5.0, float(np.max(r.neg_log_p)) * 1.1), padding=0)
        nll.setTitle(f"−log p   (loss = −log p<sub>{true_class}</sub> = {r.loss:.3f})",
                     size="9pt", color=plot_colors().text)
        self.readoutChanged.emit(r)
