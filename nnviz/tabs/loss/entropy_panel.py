"""First half of the Loss lab: binary cross-entropy vs p, and softmax + categorical CE.

Everything plotted comes from :mod:`nnviz.tabs.loss.math`, which calls ``core.losses``:
the curves and bars are the very numbers the CNN is trained with.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.tabs.loss.math import (
    N_CLASSES,
    SoftmaxReadout,
    binary_curves,
    softmax_readout,
    unclipped_bce,
    validate_scores,
)
from nnviz.tabs.loss.score_editor import ScoreEditor
from nnviz.theme import plot_colors
from nnviz.widgets.plot_style import style_plot, title_colour

LogitsProvider = Callable[[], tuple[np.ndarray, int | None] | None]

EPS_LOG10_RANGE = (-15.0, -0.6)  # eps from 1e-15 to ~0.25; below ~1e-16, 1 - eps == 1.0
EPS_STEPS_PER_DECADE = 10
DEFAULT_EPS_LOG10 = -7.0  # Keras' epsilon, the one core.losses uses
TEMPERATURE_LOG10_RANGE = (-1.0, 1.0)  # T from 0.1 to 10
DEFAULT_SCORES = np.array([0.5, -1.0, 1.2, 3.0, -0.5, 1.8, -1.5, 0.2, 2.1, -0.3])
DEFAULT_TRUE_CLASS = 3

BLUE, ORANGE = (31, 119, 180), (230, 120, 20)
TRUE_BRUSH, OTHER_BRUSH = pg.mkBrush(214, 39, 40), pg.mkBrush(120, 150, 190)
PUSH_UP_BRUSH, PUSH_DOWN_BRUSH = pg.mkBrush(44, 160, 44), pg.mkBrush(214, 39, 40)


def _fmt(x: float, digits: int = 4) -> str:
    """A number for the formula table: 'NaN', '+inf', fixed digits, or e-notation if tiny."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+inf" if x > 0 else "−inf"
    if 0.0 < abs(x) < 10.0**-digits:
        return f"{x:.3e}"
    return f"{x:.{digits}f}"


class EntropyPanel(QWidget):
    """BCE against p with the eps clip, softmax + CE on ten editable scores, formula table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._provider: LogitsProvider | None = None
        self._rng = np.random.default_rng(2016)
        self.readout: SoftmaxReadout | None = None

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self._build_binary_box())
        top.addWidget(self._build_softmax_box())
        top.setSizes([600, 680])
        self.formula_table = self._build_formula_table()
        formulas = QGroupBox("The formulas, with the current numbers plugged in")
        box_layout = QVBoxLayout(formulas)
        box_layout.addWidget(self.formula_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(formulas)
        split.setSizes([520, 250])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        self.eps_slider.valueChanged.connect(self._on_eps_slider_moved)
        self.p_slider.valueChanged.connect(self._on_p_slider_moved)
        self._probe_line.sigPositionChanged.connect(self._on_probe_line_dragged)
        self.score_editor.scores_changed.connect(self._on_scores_changed)
        self.true_class_combo.currentIndexChanged.connect(self._on_true_class_changed)
        self.temperature_slider.valueChanged.connect(self._on_temperature_slider_moved)
        self.use_drawing_button.clicked.connect(self._on_use_drawing_clicked)
        self.random_button.clicked.connect(self._on_random_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)

        self.true_class_combo.setCurrentIndex(DEFAULT_TRUE_CLASS)
        self.score_editor.set_scores(DEFAULT_SCORES)
        self._update_binary()

    # --- building -------------------------------------------------------------------------

    def _build_binary_box(self) -> QGroupBox:
        box = QGroupBox("Binary cross-entropy against the predicted probability p")
        self.binary_plot = pg.PlotWidget()
        self.binary_plot.setToolTip(
            "Loss of one prediction p when the true label is y = 1 (blue) or y = 0 (orange).\n"
            "Solid: cross-entropy −[y·log p + (1−y)·log(1−p)] with p clipped into [eps, 1−eps].\n"
            "Dashed: squared error (y − p)², for contrast: it never exceeds 1, while\n"
            "cross-entropy punishes a confident wrong answer without bound (up to the clip).\n"
            "Drag the grey vertical line to probe a p."
        )
        plot = style_plot(self.binary_plot)
        plot.setLabel("bottom", "predicted probability p of class 1")
        plot.setLabel("left", "loss of one sample")
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMouseEnabled(x=False, y=False)
        plot.setXRange(0.0, 1.0, padding=0.01)
        plot.addLegend(
            offset=(-40, 40), labelTextSize="9pt", labelTextColor=title_colour(),
            brush=pg.mkBrush(plot_colors().legend_brush), pen=pg.mkPen(plot_colors().legend_pen),
        )
        self._clip_low = pg.LinearRegionItem(
            (0.0, 0.01), movable=False, brush=pg.mkBrush(220, 60, 60, 60), pen=pg.mkPen(None)
        )
        self._clip_high = pg.LinearRegionItem(
            (0.99, 1.0), movable=False, brush=pg.mkBrush(220, 60, 60, 60), pen=pg.mkPen(None)
        )
        plot.addItem(self._clip_low)
        plot.addItem(self._clip_high)
        self._curve_unclipped_y1 = plot.plot(
            pen=pg.mkPen((110, 110, 110), width=1.5, style=Qt.PenStyle.DotLine),
            name="without the clip (→ +inf)", connect="finite",
        )
        self._curve_unclipped_y0 = plot.plot(
            pen=pg.mkPen((110, 110, 110), width=1.5, style=Qt.PenStyle.DotLine), connect="finite"
        )
        self._curve_y1 = plot.plot(pen=pg.mkPen(BLUE, width=2.5), name="y = 1:  −log p")
        self._curve_y0 = plot.plot(pen=pg.mkPen(ORANGE, width=2.5), name="y = 0:  −log(1 − p)")
        self._curve_sq1 = plot.plot(
            pen=pg.mkPen(BLUE, width=2, style=Qt.PenStyle.DashLine), name="y = 1:  (1 − p)²"
        )
        self._curve_sq0 = plot.plot(
            pen=pg.mkPen(ORANGE, width=2, style=Qt.PenStyle.DashLine), name="y = 0:  p²"
        )
        self._cap_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen((200, 40, 40), width=1, style=Qt.PenStyle.DashLine),
            label="cap −log(eps) = {value:.2f}",
            labelOpts={"position": 0.22, "color": (200, 40, 40), "anchors": [(0.5, 1), (0.5, 1)]},
        )
        plot.addItem(self._cap_line)
        self._probe_line = pg.InfiniteLine(
            pos=0.3, angle=90, movable=True, bounds=(0.0, 1.0),
            pen=pg.mkPen((120, 120, 120), width=1.5), hoverPen=pg.mkPen(plot_colors().ink, width=3),
        )
        plot.addItem(self._probe_line)
        self._probe_points = pg.ScatterPlotItem(size=10, pen=pg.mkPen(plot_colors().ink))
        self._probe_brushes = [pg.mkBrush(*BLUE), pg.mkBrush(*ORANGE)]
        plot.addItem(self._probe_points)

        self.eps_slider = QSlider(Qt.Orientation.Horizontal)
        lo, hi = EPS_LOG10_RANGE
        self.eps_slider.setRange(round(lo * EPS_STEPS_PER_DECADE), round(hi * EPS_STEPS_PER_DECADE))
        self.eps_slider.setValue(round(DEFAULT_EPS_LOG10 * EPS_STEPS_PER_DECADE))
        self.eps_slider.setToolTip(
            "eps, the clip: before the log, p is clipped into [eps, 1 − eps] so log(0) never\n"
            "happens. Logarithmic, from 1e-15 to 0.25; 1e-7 is what core.losses (and Keras)\n"
            "use. Make it large to see the shaded clip zones flatten the curves."
        )
        self.eps_label = QLabel()
        self.eps_label.setMinimumWidth(150)
        self.eps_label.setToolTip("The current eps and the cap −log(eps) it puts on the loss.")
        self.p_slider = QSlider(Qt.Orientation.Horizontal)
        self.p_slider.setRange(0, 1000)
        self.p_slider.setValue(300)
        self.p_slider.setToolTip(
            "Probe probability p (0 to 1, both ends included): its losses are marked on the\n"
            "curves and plugged into the formula table. Try p = 0 or p = 1."
        )
        self.p_label = QLabel()
        self.p_label.setMinimumWidth(150)
        self.p_label.setToolTip("The probed p.")
        self.log0_label = QLabel()
        self.log0_label.setWordWrap(True)
        self.log0_label.setToolTip(
            "What the unclipped formula gives at the probed p, computed with IEEE floats:\n"
            "log(0) = −inf, and 0·log(0) = 0·(−inf) = NaN."
        )

        controls = QGridLayout()
        controls.addWidget(QLabel("eps (clip)"), 0, 0)
        controls.addWidget(self.eps_slider, 0, 1)
        controls.addWidget(self.eps_label, 0, 2)
        controls.addWidget(QLabel("probe p"), 1, 0)
        controls.addWidget(self.p_slider, 1, 1)
        controls.addWidget(self.p_label, 1, 2)
        controls.setColumnStretch(1, 1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.binary_plot, 1)
        layout.addLayout(controls)
        layout.addWidget(self.log0_label)
        return box

    def _build_softmax_box(self) -> QGroupBox:
        box = QGroupBox("Softmax + categorical cross-entropy on ten class scores")
        self.true_class_combo = QComboBox()
        self.true_class_combo.addItems([str(k) for k in range(N_CLASSES)])
        self.true_class_combo.setToolTip(
            "The true class y (one-hot): the loss is −log of its probability, and the\n"
            "gradient p − y is negative only for it."
        )
        self.temperature_slider = QSlider(Qt.Orientation.Horizontal)
        lo, hi = TEMPERATURE_LOG10_RANGE
        self.temperature_slider.setRange(round(lo * 100), round(hi * 100))
        self.temperature_slider.setValue(0)
        self.temperature_slider.setMinimumWidth(110)
        self.temperature_slider.setToolTip(
            "Temperature T (0.1 to 10, logarithmic): softmax(z / T). T < 1 sharpens the\n"
            "probabilities towards the top score, T > 1 flattens them towards uniform.\n"
            "T = 1 is plain softmax, as the CNN uses."
        )
        self.temperature_label = QLabel()
        self.temperature_label.setMinimumWidth(56)
        self.temperature_label.setToolTip("The current temperature T.")
        self.use_drawing_button = QPushButton("Use the current drawing")
        self.use_drawing_button.setEnabled(False)
        self.use_drawing_button.setToolTip(
            "Load the CNN's ten scores (logits) for the digit drawn on the Draw tab;\n"
            "the true class is set to the network's prediction (change it to what you drew)."
        )
        self.random_button = QPushButton("Random")
        self.random_button.setToolTip("Draw ten random scores from a normal distribution (σ = 2).")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the example scores, true class 3 and T = 1.")

        row = QHBoxLayout()
        row.addWidget(QLabel("true class"))
        row.addWidget(self.true_class_combo)
        row.addSpacing(8)
        row.addWidget(QLabel("temperature"))
        row.addWidget(self.temperature_slider, 1)
        row.addWidget(self.temperature_label)
        row.addWidget(self.use_drawing_button)
        row.addWidget(self.random_button)
        row.addWidget(self.reset_button)

        self.score_editor = ScoreEditor(N_CLASSES)
        self.status_label = QLabel(
            "Edit the scores z (the logits): drag a slider or type a value."
        )
        self.status_label.setWordWrap(True)
        self.status_label.setToolTip("Where the current scores came from.")

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
        for plot in (self.nll_plot, self.grad_plot):
            plot.getPlotItem().setXLink(self.prob_plot.getPlotItem())
        bars = QHBoxLayout()
        bars.addWidget(self.prob_plot)
        bars.addWidget(self.nll_plot)
        bars.addWidget(self.grad_plot)

        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.score_editor)
        layout.addWidget(self.status_label)
        layout.addLayout(bars, 1)
        return box

    @staticmethod
    def _bar_plot(
        title: str, tooltip: str, y_range: tuple[float, float] | None
    ) -> tuple[pg.PlotWidget, pg.BarGraphItem]:
        widget = pg.PlotWidget()
        widget.setToolTip(tooltip)
        widget.setMinimumSize(150, 150)
        plot = style_plot(widget)
        plot.setTitle(title, size="9pt", color=title_colour())
        plot.setMouseEnabled(x=False, y=False)
        plot.showGrid(y=True, alpha=0.2)
        plot.getAxis("bottom").setTicks([[(k, str(k)) for k in range(N_CLASSES)]])
        plot.setLabel("bottom", "class")
        plot.setXRange(-0.6, N_CLASSES - 0.4, padding=0)
        if y_range is not None:
            plot.setYRange(*y_range, padding=0.05)
        bars = pg.BarGraphItem(
            x=np.arange(N_CLASSES), height=np.zeros(N_CLASSES), width=0.7, brush=OTHER_BRUSH
        )
        plot.addItem(bars)
        if y_range is not None and y_range[0] < 0:
            plot.addLine(y=0, pen=pg.mkPen(plot_colors().axis))
        return widget, bars

    def _build_formula_table(self) -> QTableWidget:
        rows = [
            ("binary CE, y = 1", "−[y·log p̂ + (1 − y)·log(1 − p̂)],  p̂ = clip(p, eps, 1 − eps)"),
            ("binary CE, y = 0", "−[y·log p̂ + (1 − y)·log(1 − p̂)],  p̂ = clip(p, eps, 1 − eps)"),
            ("no clip (y = 1 | y = 0)", "the same with p̂ = p:  log(0) = −inf,  0·log(0) = NaN"),
            ("squared error (y = 1 | y = 0)", "(y − p)²"),
            ("softmax", "p_k = exp(z_k/T − m) / Σ_j exp(z_j/T − m),  m = max_j z_j/T"),
            ("categorical CE", "L = −Σ_k y_k·log p_k = −log p_true  (via log-softmax: no clip)"),
            ("gradient, true class", "∂L/∂(z_k/T) = p_k − y_k  (and ∂L/∂z_k = (p_k − y_k)/T)"),
            ("gradient, other classes", "p_k − 0 = p_k;  all ten sum to 0"),
        ]
        table = QTableWidget(len(rows), 4)
        table.setHorizontalHeaderLabels(
            ["quantity", "formula", "with the current numbers", "value"]
        )
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(22)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setToolTip("Every number in this lab, computed by core.losses, with its formula.")
        header = table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, (name, formula) in enumerate(rows):
            for c, text in enumerate((name, formula, "", "")):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)
        return table

    # --- public API -----------------------------------------------------------------------

    @property
    def epsilon(self) -> float:
        """The clip eps of the binary plot."""
        return 10.0 ** (self.eps_slider.value() / EPS_STEPS_PER_DECADE)

    @property
    def probe_p(self) -> float:
        """The probed probability p in [0, 1]."""
        return self.p_slider.value() / 1000.0

    @property
    def temperature(self) -> float:
        """The softmax temperature T."""
        return 10.0 ** (self.temperature_slider.value() / 100.0)

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
        self.score_editor.set_scores(z)  # emits scores_changed -> _update_softmax

    # --- slots ----------------------------------------------------------------------------

    def _on_eps_slider_moved(self, _value: int) -> None:
        self._update_binary()

    def _on_p_slider_moved(self, _value: int) -> None:
        self._probe_line.blockSignals(True)
        self._probe_line.setValue(self.probe_p)
        self._probe_line.blockSignals(False)
        self._update_probe()

    def _on_probe_line_dragged(self) -> None:
        self.p_slider.setValue(round(float(self._probe_line.value()) * 1000))

    def _on_scores_changed(self, _scores: np.ndarray) -> None:
        self._update_softmax()

    def _on_true_class_changed(self, _index: int) -> None:
        self._update_softmax()

    def _on_temperature_slider_moved(self, _value: int) -> None:
        self._update_softmax()

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
        clamped = np.any(np.abs(np.asarray(logits, dtype=np.float64)) > 100.0)
        self.status_label.setText(
            "Loaded the CNN's scores for your drawing." + guess
            + " pick the digit you meant to see its loss."
            + (" Scores beyond ±100 were clamped." if clamped else "")
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

    def _update_binary(self) -> None:
        eps = self.epsilon
        curves = binary_curves(eps)
        p = curves.p
        self._curve_y1.setData(p, curves.bce_y1)
        self._curve_y0.setData(p, curves.bce_y0)
        self._curve_sq1.setData(p, curves.squared_y1)
        self._curve_sq0.setData(p, curves.squared_y0)
        # The unclipped curves differ only inside the clip zones; +inf is left out.
        y1 = np.where(np.isfinite(curves.unclipped_y1), curves.unclipped_y1, np.nan)
        y0 = np.where(np.isfinite(curves.unclipped_y0), curves.unclipped_y0, np.nan)
        self._curve_unclipped_y1.setData(p, y1)
        self._curve_unclipped_y0.setData(p, y0)
        self._clip_low.setRegion((0.0, eps))
        self._clip_high.setRegion((1.0 - eps, 1.0))
        self._cap_line.setValue(curves.cap)
        top = max(curves.cap, 4.0) * 1.12
        self.binary_plot.getPlotItem().setYRange(0.0, top, padding=0)
        self.eps_label.setText(f"eps = {eps:.0e}   cap = {curves.cap:.2f}")
        self._update_probe()

    def _update_probe(self) -> None:
        eps, p = self.epsilon, self.probe_p
        curves = binary_curves(eps, np.array([p]))
        l1, l0 = float(curves.bce_y1[0]), float(curves.bce_y0[0])
        self._probe_points.setData([p, p], [l1, l0], brush=self._probe_brushes)
        self.p_label.setText(f"p = {p:.3f}")
        raw1, raw0 = float(unclipped_bce(1.0, p)), float(unclipped_bce(0.0, p))
        clipped = min(max(p, eps), 1.0 - eps)
        if p in (0.0, 1.0):
            bad = "y = 1" if p == 0.0 else "y = 0"
            self.log0_label.setText(
                f"<b>p = {p:g}: without the clip</b> the loss for {bad} is −log(0) = "
                f"<b>+inf</b>, and the other label gives 0·log(0) = <b>NaN</b>, one such sample "
                f"poisons the whole mean. <b>With the clip</b> p becomes {clipped:.0e} "
                f"→ losses {_fmt(l1)} (y = 1) and {_fmt(l0)} (y = 0)."
            )
        else:
            self.log0_label.setText(
                f"At p = {p:.3f}: y = 1 → {_fmt(l1)}, y = 0 → {_fmt(l0)}; squared error "
                f"{_fmt((1 - p) ** 2)} and {_fmt(p**2)}. Without the clip, p = 0 would give "
                "log(0) = −inf: an infinite loss (move the probe to 0 to see it)."
            )
        self._set_formula(0, f"−[1·log({clipped:.4g}) + 0·log({1 - clipped:.4g})]", _fmt(l1))
        self._set_formula(1, f"−[0·log({clipped:.4g}) + 1·log({1 - clipped:.4g})]", _fmt(l0))
        self._set_formula(
            2, f"−[1·log({p:.4g}) + 0·log({1 - p:.4g})]  |  −[0·log({p:.4g}) + 1·log({1 - p:.4g})]",
            f"{_fmt(raw1)}  |  {_fmt(raw0)}",
        )
        self._set_formula(
            3, f"(1 − {p:.4g})²  |  (0 − {p:.4g})²", f"{_fmt((1 - p) ** 2)}  |  {_fmt(p**2)}"
        )
        finite = math.isfinite(raw1) and math.isfinite(raw0)
        # the table's own text colour when finite (light or dark theme), red when not
        self.formula_table.item(2, 3).setData(
            Qt.ItemDataRole.ForegroundRole, None if finite else QColor(214, 39, 40)
        )

    def _update_softmax(self) -> None:
        true_class = self.true_class_combo.currentIndex()
        temperature = self.temperature
        r = softmax_readout(self.score_editor.scores(), true_class, temperature)
        self.readout = r
        self.temperature_label.setText(f"T = {temperature:.2f}")
        self.score_editor.set_highlighted(true_class)
        brushes = [TRUE_BRUSH if k == true_class else OTHER_BRUSH for k in range(N_CLASSES)]
        self._prob_bars.setOpts(height=r.probabilities, brushes=brushes)
        self._nll_bars.setOpts(height=r.neg_log_p, brushes=brushes)
        grad_brushes = [PUSH_UP_BRUSH if g < 0 else PUSH_DOWN_BRUSH for g in r.gradient]
        self._grad_bars.setOpts(height=r.gradient, brushes=grad_brushes)
        nll_top = max(5.0, float(np.max(r.neg_log_p)) * 1.1)
        self.nll_plot.getPlotItem().setYRange(0.0, nll_top, padding=0)
        self.nll_plot.getPlotItem().setTitle(
            f"−log p   (loss = −log p<sub>{true_class}</sub> = {r.loss:.3f})",
            size="9pt", color=title_colour(),
        )
        m = float(np.max(r.scaled))
        denominator = float(np.sum(np.exp(r.scaled - m)))
        zt, pt = r.logits[true_class], r.probabilities[true_class]
        self._set_formula(
            4,
            f"p_{true_class} = exp({zt:.2f}/{temperature:.2f} − {m:.2f}) / {denominator:.4g}",
            _fmt(float(pt)),
        )
        self._set_formula(5, f"−log({pt:.4g})", _fmt(r.loss))
        self._set_formula(
            6,
            f"{_fmt(float(pt))} − 1   (÷ T = {temperature:.2f} → "
            f"{r.gradient_logits[true_class]:+.4f})",
            f"{r.gradient[true_class]:+.4f}",
        )
        others = [k for k in range(N_CLASSES) if k != true_class]
        top_other = max(others, key=lambda k: r.probabilities[k])
        self._set_formula(
            7,
            f"largest: p_{top_other} = {r.probabilities[top_other]:.4f};  "
            f"sum of all ten = {float(np.sum(r.gradient)):+.1e}",
            f"{r.gradient[top_other]:+.4f}",
        )

    def _set_formula(self, row: int, numbers: str, value: str) -> None:
        self.formula_table.item(row, 2).setText(numbers)
        self.formula_table.item(row, 3).setText(value)
