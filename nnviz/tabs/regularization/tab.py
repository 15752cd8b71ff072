"""The Regularization lab (SPEC §3 and §5.5): why L1 gives exact zeros and L2 does not.

Two-weight linear regression whose data the user shapes; the J0 contours on the (w1, w2)
plane against the L1 diamond, the L2 circle or the elastic-net region; linked α and t
sliders; the exact regularised optimum where the lowest contour touches the region, the
regularisation path and the α at which a weight becomes exactly 0; Lasso and Ridge
coefficient paths; the 1-D view F(x) = f(x) + λ|x|; gradient descent with and without
weight decay; and a share for the CNN on the Train tab.

All numbers come from :mod:`core.regression`; this module only wires controls to it. The main
window's only call is :meth:`RegularizationTab.show_network_regularization`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import regression as R
from nnviz.tabs.regularization.network import NetworkRegularizationPanel
from nnviz.tabs.regularization.oned import OneDView
from nnviz.tabs.regularization.paths import CoefficientPaths
from nnviz.tabs.regularization.plane import (
    GD_DECAY,
    GD_PLAIN,
    N_LEVELS,
    OPTIMUM,
    PATH,
    REGION,
    TRUE_W,
    ZERO,
    RegPlane,
)
from nnviz.tabs.regularization.plotting import cache_axes, sticky
from nnviz.theme import plot_colors
from nnviz.widgets.float_slider import FloatSlider, format_value

GD_MAX_STEPS = 3000
GD_INTERVAL_MS = 40
N_PATH = 240  # α samples for the smooth paths
SUB = "₁₂"

OBJECTIVES = {
    "l1": "Lasso: (1/2n)‖y − Xw‖² + α‖w‖₁<br>⇔ min J0 with |w₁| + |w₂| ≤ t",
    "l2": "Ridge: ‖y − Xw‖² + α‖w‖²<br>⇔ min J0 with w₁² + w₂² ≤ t²",
    "elasticnet": "Elastic net: (1/2n)‖y − Xw‖² + αρ‖w‖₁ + ½α(1 − ρ)‖w‖²<br>"
    "⇔ min J0 with ρ‖w‖₁ + ½(1 − ρ)‖w‖² ≤ ρt + ½(1 − ρ)t²",
}
REGION_NAMES = {"l1": "diamond", "l2": "circle", "elasticnet": "elastic-net region"}


def _label(text: str, tip: str) -> QLabel:
    label = QLabel(text)
    label.setToolTip(tip)
    return label


def _swatch(colour: tuple[int, int, int], glyph: str) -> str:
    r, g, b = colour
    return f"<span style='color: rgb({r},{g},{b}); font-weight: bold'>{glyph}</span>"


LEGEND = " &nbsp; ".join(
    [
        f"{_swatch((0, 0, 0), '✕')} least squares ŵ",
        f"{_swatch(OPTIMUM, '●')} regularised w*",
        f"{_swatch(REGION, '◆')} region",
        f"{_swatch(OPTIMUM, '- -')} contour touching it",
        f"{_swatch(PATH, '━')} path of w* as α grows",
        f"{_swatch(ZERO, '★')} a weight becomes 0",
        f"{_swatch(TRUE_W, '△')} true w",
        f"{_swatch(GD_PLAIN, '•')} GD",
        f"{_swatch(GD_DECAY, '•')} GD + decay",
    ]
)


class RegularizationTab(QWidget):
    """Regularization lab facade. The main window calls :meth:`show_network_regularization`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regularizationTab")
        self._seed = 2016
        self._penalty: R.Penalty = "l1"
        self._X = np.zeros((1, 2))
        self._y = np.zeros(1)
        self._w_ols = np.zeros(2)
        self._w = np.zeros(2)
        self._alpha = 0.0
        self._t = 0.0
        self._knots: tuple[np.ndarray, np.ndarray] = (np.zeros(1), np.zeros((1, 2)))
        self._zero_alphas = np.full(2, np.inf)
        self._view = (-1.0, 1.0, -1.0, 1.0)
        self._gd_plain = np.zeros((GD_MAX_STEPS + 1, 2))
        self._gd_decay = np.zeros((GD_MAX_STEPS + 1, 2))
        self._gd_steps = 0
        self._gd_start = np.zeros(2)
        self._gd_timer = QTimer(self)
        self._gd_timer.setInterval(GD_INTERVAL_MS)
        self._gd_timer.timeout.connect(self._on_gd_timer_timeout)

        self._build()
        self._on_data_changed()

    # ================================================================== public API
    def show_network_regularization(
        self, l1: float, l2: float, zero_fractions: dict[str, float]
    ) -> None:
        """Show the CNN's current L1/L2 strengths and, per layer name, the fraction in [0, 1]
        of its weights that are exactly zero (called by the main window during training)."""
        self.network.show_stats(l1, l2, zero_fractions)

    # ---- small read/drive API (used by tests and by anyone scripting the lab)
    def penalty(self) -> str:
        """The penalty on the plane: "l1", "l2" or "elasticnet"."""
        return self._penalty

    def set_penalty(self, penalty: str) -> None:
        """Switch the plane to "l1", "l2" or "elasticnet" (keeps the region size t)."""
        if penalty not in self._penalty_buttons:
            raise ValueError(f"unknown penalty {penalty!r}; expected one of {R.PENALTIES}")
        self._penalty_buttons[penalty].setChecked(True)

    def alpha(self) -> float:
        """The penalty strength shown, in the penalty's scikit-learn units (0: unconstrained)."""
        return self._alpha

    def t(self) -> float:
        """The region size shown (where its boundary crosses the axes)."""
        return self._t

    def weights(self) -> np.ndarray:
        """The regularised optimum w* shown, (2,)."""
        return self._w.copy()

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """The current sample: X (n, 2), y (n,)."""
        return self._X.copy(), self._y.copy()

    def set_alpha(self, alpha: float) -> None:
        """Move the α slider to ``alpha`` as if dragged there."""
        self.alpha_slider.set_value(alpha)
        self._on_alpha_changed(alpha)

    def set_t(self, t: float) -> None:
        """Move the t slider to ``t`` as if dragged there."""
        self.t_slider.set_value(t)
        self._on_t_changed(t)

    # ================================================================== layout
    def _build(self) -> None:
        self.plane = RegPlane()
        self.plane.setMinimumSize(360, 320)
        self.legend = QLabel(LEGEND)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip("What each mark on the weight plane means.")
        self.message = QLabel()
        self.message.setObjectName("regMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setFixedHeight(3 * self.message.fontMetrics().lineSpacing() + 12)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setStyleSheet(
            "QLabel { background: #fff8e8; color: #2b2200; border: 1px solid #e6b873;"
            " border-radius: 4px; padding: 4px; }"
        )
        self.message.setToolTip("What the plane shows right now, and when a weight becomes 0.")
        plane_box = QWidget()
        plane_layout = QVBoxLayout(plane_box)
        plane_layout.setContentsMargins(0, 0, 0, 0)
        plane_layout.setSpacing(3)
        plane_layout.addWidget(self.plane, 1)
        plane_layout.addWidget(self.legend)
        plane_layout.addWidget(self.message)

        self.scatter_plot = self._make_scatter()
        self.network = NetworkRegularizationPanel()

        self.one_d = OneDView()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(plane_box)
        top.addWidget(self.one_d)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([600, 360])

        self.lasso_paths = CoefficientPaths(
            "Lasso paths (L1)",
            "Lasso weights against α (log scale): they reach exactly 0 one after the other "
            "(green dotted lines). Red line: the α on the plane; dashed: the α whose diamond has "
            "the same size t as the region on the plane.",
        )
        self.ridge_paths = CoefficientPaths(
            "Ridge paths (L2)",
            "Ridge weights against α (log scale, scikit-learn's Ridge units): they shrink "
            "smoothly and never reach exactly 0. Red line: the α on the plane; dashed: the α "
            "whose circle has the same size t as the region on the plane.",
        )
        bottom = QSplitter(Qt.Orientation.Horizontal)
        for w in (self.lasso_paths, self.ridge_paths, self.scatter_plot):
            bottom.addWidget(w)
        bottom.setSizes([320, 320, 340])

        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(top)
        centre.addWidget(bottom)
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 2)
        centre.setSizes([500, 290])

        controls = QWidget()
        col = QVBoxLayout(controls)
        col.setContentsMargins(0, 0, 4, 0)
        col.addWidget(self._make_data_group())
        col.addWidget(self._make_penalty_group())
        col.addWidget(self._make_gd_group())
        col.addWidget(self.network, 1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(controls.sizeHint().width() + 16)  # room for a scroll bar
        scroll.setMaximumWidth(controls.sizeHint().width() + 40)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        layout.addWidget(centre, 1)

        self.plane.clicked.connect(self._on_plane_clicked)

    def _make_scatter(self) -> pg.PlotWidget:
        plot = pg.PlotWidget(background=plot_colors().background)
        item = plot.getPlotItem()
        item.setLabel("bottom", "x₁")
        item.setLabel("left", "x₂")
        item.showGrid(x=True, y=True, alpha=0.2)
        item.setAspectLocked(True)
        item.setMouseEnabled(False, False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.getAxis("left").setWidth(34)
        plot.setToolTip(
            "The sample: each dot is one row (x₁, x₂), coloured by its target y (blue low, red "
            "high). Correlated features make the J0 bowl a long narrow valley."
        )
        self._scatter = pg.ScatterPlotItem(size=7, pen=pg.mkPen((60, 60, 60, 120), width=0.5))
        item.addItem(self._scatter)
        item.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)  # features are standardised
        cache_axes(plot)
        cmap = pg.colormap.get("CET-D1")
        self._brushes = [pg.mkBrush(c) for c in cmap.map(np.linspace(0, 1, 64), mode="qcolor")]
        return plot

    def _make_data_group(self) -> QGroupBox:
        box = QGroupBox("Data: y = w₁x₁ + w₂x₂ + noise")
        box.setToolTip("Shape the regression problem; the plane and the paths follow at once.")
        form = QFormLayout(box)
        form.setContentsMargins(6, 4, 6, 4)
        form.setVerticalSpacing(4)
        self.n_spin = QSpinBox()
        self.n_spin.setRange(3, 500)
        self.n_spin.setValue(50)
        self.n_spin.setToolTip("Number of samples n. Fewer samples: a noisier, flatter bowl.")
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 5.0)
        self.noise_spin.setSingleStep(0.1)
        self.noise_spin.setValue(1.0)
        self.noise_spin.setToolTip("Standard deviation of the noise added to y.")
        self.corr_slider = FloatSlider(
            "", -0.95, 0.95, 0.6,
            tooltip="Correlation between the two features. Strong correlation stretches the J0 "
            "contours into narrow tilted ellipses, and L1 then tends to keep one feature and "
            "drop the other.",
        )
        self.w1_spin = self._weight_spin(1.5, "The true weight w₁ used to generate y.")
        self.w2_spin = self._weight_spin(0.5, "The true weight w₂ used to generate y.")
        self.new_button = QPushButton("New sample")
        self.new_button.setToolTip("Draw a fresh random sample with the same settings.")
        form.addRow("samples n", self.n_spin)
        form.addRow("noise σ", self.noise_spin)
        form.addRow("corr(x₁, x₂)", self.corr_slider)
        weights = QHBoxLayout()
        weights.addWidget(self.w1_spin)
        weights.addWidget(self.w2_spin)
        form.addRow("true w₁, w₂", weights)
        form.addRow(self.new_button)
        self.n_spin.valueChanged.connect(self._on_data_changed)
        self.noise_spin.valueChanged.connect(self._on_data_changed)
        self.corr_slider.valueChanged.connect(self._on_data_changed)
        self.w1_spin.valueChanged.connect(self._on_data_changed)
        self.w2_spin.valueChanged.connect(self._on_data_changed)
        self.new_button.clicked.connect(self._on_new_sample_clicked)
        return box

    @staticmethod
    def _weight_spin(value: float, tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-3.0, 3.0)
        spin.setSingleStep(0.1)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    def _make_penalty_group(self) -> QGroupBox:
        box = QGroupBox("Penalty")
        box.setToolTip("Which penalty, and how strong: α (soft penalty) or t (hard region).")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self._penalty_group = QButtonGroup(self)
        self._penalty_buttons: dict[str, QRadioButton] = {}
        for key, text, tip in (
            ("l1", "L1 Lasso", "Penalty α‖w‖₁: the region is a diamond with corners on the axes."),
            ("l2", "L2 Ridge", "Penalty α‖w‖²: the region is a circle, no corners."),
            ("elasticnet", "Elastic net", "A mix of both, set by ρ: rounded, but still cornered."),
        ):
            button = QRadioButton(text)
            button.setToolTip(tip)
            self._penalty_group.addButton(button)
            self._penalty_buttons[key] = button
            row.addWidget(button)
            button.toggled.connect(
                lambda checked, k=key: checked and self._on_penalty_toggled(k)
            )
        self._penalty_buttons["l1"].setChecked(True)
        layout.addLayout(row)
        self.rho_slider = FloatSlider(
            "ρ", 0.05, 0.95, 0.5,
            tooltip="Elastic net l1_ratio ρ: 1 is the Lasso diamond, 0 the Ridge circle.",
        )
        self.rho_slider.setEnabled(False)
        layout.addWidget(self.rho_slider)
        self.objective = QLabel()
        self.objective.setWordWrap(True)
        self.objective.setTextFormat(Qt.TextFormat.RichText)
        self.objective.setToolTip(
            "scikit-learn's exact objective for this penalty, and its constrained form. Each "
            "model has its own α units: a Ridge α is not a Lasso α."
        )
        layout.addWidget(self.objective)
        self.alpha_slider = FloatSlider(
            "α", 1e-3, 1.0, 0.1, log=True,
            tooltip="Penalty strength α (log scale). Larger α ⇔ smaller region. Linked to t.",
        )
        self.t_slider = FloatSlider(
            "t", 0.0, 1.0, 0.5,
            tooltip="Region size t: the region meets the axes at ±t. Smaller t ⇔ larger α. "
            "Beyond the least-squares point the constraint no longer binds (α = 0).",
        )
        layout.addWidget(self.alpha_slider)
        layout.addWidget(self.t_slider)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setToolTip("The numbers behind the plane: α, t, the optimum and its J0.")
        layout.addWidget(self.readout)
        self.rho_slider.valueChanged.connect(self._on_rho_changed)
        self.alpha_slider.valueChanged.connect(self._on_alpha_changed)
        self.t_slider.valueChanged.connect(self._on_t_changed)
        return box

    def _make_gd_group(self) -> QGroupBox:
        box = QGroupBox("Gradient descent on the plane")
        box.setToolTip(
            "SPEC §3's update θ := θ·(1 − ηλ/m) − η·(1/m)·Σ(h − y)·x (the text writes α for the "
            "learning rate η). Without decay (λ = 0) it walks to ŵ; with decay to the Ridge "
            "optimum for α = λ. Click the plane to choose the start."
        )
        grid = QGridLayout(box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(4)
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setRange(0.001, 3.0)
        self.lr_spin.setDecimals(3)
        self.lr_spin.setSingleStep(0.05)
        self.lr_spin.setValue(0.2)
        self.lr_spin.setToolTip("Learning rate η (the text's α in the update rule).")
        self.lam_spin = QDoubleSpinBox()
        self.lam_spin.setRange(0.0, 1e5)
        self.lam_spin.setDecimals(3)
        self.lam_spin.setValue(20.0)
        self.lam_spin.setToolTip(
            "Weight decay λ: each step first multiplies θ by (1 − ηλ/m). Same units as a Ridge α."
        )
        self.link_check = QCheckBox("λ = Ridge α of the region size t")
        self.link_check.setChecked(True)
        self.lam_spin.setEnabled(False)  # λ follows the region size while linked
        self.link_check.setToolTip(
            "Tie λ to the α of a circle of the current size t: the decayed run then ends exactly "
            "where the contours touch that circle."
        )
        self.speed_spin = QSpinBox()
        self.speed_spin.setRange(1, 50)
        self.speed_spin.setValue(2)
        self.speed_spin.setToolTip("Gradient steps per animation frame (25 frames a second).")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Animate both runs step by step; press again to pause.")
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("Take one gradient step in both runs.")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Clear both runs and go back to the start point.")
        self.gd_status = QLabel()
        self.gd_status.setWordWrap(True)
        self.gd_status.setToolTip("Step count, the decay factor and the stability limit.")
        grid.addWidget(_label("learning rate η", self.lr_spin.toolTip()), 0, 0)
        grid.addWidget(self.lr_spin, 0, 1)
        grid.addWidget(_label("steps/frame", self.speed_spin.toolTip()), 0, 2)
        grid.addWidget(self.speed_spin, 0, 3)
        grid.addWidget(_label("decay λ", self.lam_spin.toolTip()), 1, 0)
        grid.addWidget(self.lam_spin, 1, 1, 1, 3)
        grid.addWidget(self.link_check, 2, 0, 1, 4)
        buttons = QHBoxLayout()
        for b in (self.play_button, self.step_button, self.reset_button):
            buttons.addWidget(b)
        grid.addLayout(buttons, 3, 0, 1, 4)
        grid.addWidget(self.gd_status, 4, 0, 1, 4)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.lr_spin.valueChanged.connect(self._on_gd_setting_changed)
        self.lam_spin.valueChanged.connect(self._on_gd_setting_changed)
        self.link_check.toggled.connect(self._on_link_toggled)
        return box

    # ================================================================== data
    def _on_new_sample_clicked(self) -> None:
        self._seed += 1
        self._on_data_changed()

    def _on_data_changed(self, *_args) -> None:
        rng = np.random.default_rng(self._seed)
        w_true = np.array([self.w1_spin.value(), self.w2_spin.value()])
        self._X, self._y = R.make_data(
            self.n_spin.value(), self.noise_spin.value(), self.corr_slider.value(), w_true, rng
        )
        X, y = self._X, self._y
        self._w_ols = R.ols(X, y)
        self._knots = R.lasso_knots(X, y)
        self._show_landscape(w_true)
        self._show_scatter()
        self._show_coefficient_paths()
        self._reset_gd(default_start=True)
        self._refresh_penalty(keep="alpha_position")

    def _show_landscape(self, w_true: np.ndarray) -> None:
        X, y, w_ols = self._X, self._y, self._w_ols
        reach = max(float(np.linalg.norm(w_ols)), float(np.linalg.norm(w_true)), 0.3)
        centre = 0.4 * w_ols
        half = 0.62 * reach + 0.35 * float(np.abs(w_ols).max()) + 0.25
        want = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        old = self._view
        slack = 0.45 * half  # keep the view (and its axes) still while the data change a little
        if not (sticky(old[:2], want[:2], slack) and sticky(old[2:], want[2:], slack)):
            m = 0.15 * half
            self._view = (want[0] - m, want[1] + m, want[2] - m, want[3] + m)
        centre = np.array([self._view[0] + self._view[1], self._view[2] + self._view[3]]) / 2
        half = (self._view[1] - self._view[0]) / 2
        big = 2.2 * half
        extent = (centre[0] - big, centre[0] + big, centre[1] - big, centre[1] + big)
        w1 = np.linspace(extent[0], extent[1], 256)
        w2 = np.linspace(extent[2], extent[3], 256)
        grid = R.j0_grid(X, y, w1, w2)
        corners = np.array([[a, b] for a in self._view[:2] for b in self._view[2:]])
        j_min = R.j0(X, y, w_ols)
        j_far = float(np.max(R.j0(X, y, corners)))
        levels = j_min + (j_far - j_min) * (np.arange(1, N_LEVELS + 1) / (N_LEVELS + 0.5)) ** 2
        contours = [R.j0_contour(X, y, level) for level in levels]
        self.plane.set_landscape(grid, extent, levels, contours, w_ols, w_true, self._view)

    def _show_scatter(self) -> None:
        X, y = self._X, self._y
        top = float(np.max(np.abs(y))) or 1.0
        index = np.round((y / top + 1.0) * 0.5 * (len(self._brushes) - 1)).astype(int)
        self._scatter.setData(X[:, 0], X[:, 1], brush=[self._brushes[i] for i in index])
        r = float(np.corrcoef(X.T)[0, 1]) if X.shape[0] > 2 else float("nan")
        self.scatter_plot.getPlotItem().setTitle(
            f"Data x₁ vs x₂ (n = {X.shape[0]}, corr {r:+.2f}), colour = y", size="9pt"
        )

    def _alpha_range(self, penalty: str) -> tuple[float, float]:
        """The α slider's ends: from almost least squares to (nearly) all zero."""
        X, y = self._X, self._y
        if penalty == "l2":
            lam = np.linalg.eigvalsh(X.T @ X)
            top = max(float(lam[-1]), 1e-12)
            return max(float(lam[0]), 1e-6 * top) * 1e-3, top * 1e2
        top = R.alpha_max(X, y, self._rho(penalty))
        if top == 0.0:  # y ⟂ both features: every penalised optimum is 0
            top = 1.0
        return top * 1e-3, top * 1.25

    def _rho(self, penalty: str | None = None) -> float:
        penalty = penalty or self._penalty
        return {"l1": 1.0, "l2": 0.0}.get(penalty, self.rho_slider.value())

    def _show_coefficient_paths(self) -> None:
        X, y = self._X, self._y
        lo, hi = self._alpha_range("l1")
        alphas = np.geomspace(lo, hi, N_PATH)
        knot_a, knot_w = self._knots
        coefs = R.lasso_at(knot_a, knot_w, alphas)
        zeros = R.zero_alphas(X, y)
        top = float(zeros.max())
        marks = [(a, f"w{SUB[j]} = 0 →") for j, a in enumerate(zeros) if 0 < a < top]
        if top > 0:
            marks.append((top, "all 0 →"))
        self.lasso_paths.set_paths(alphas, coefs, marks)
        lo, hi = self._alpha_range("l2")
        alphas = np.geomspace(lo, hi, N_PATH)
        self.ridge_paths.set_paths(alphas, R.ridge_path(X, y, alphas), [])

    # ================================================================== penalty
    def _on_penalty_toggled(self, penalty: str) -> None:
        if penalty == self._penalty:
            return
        self._penalty = penalty
        self.rho_slider.setEnabled(penalty == "elasticnet")
        self._refresh_penalty(keep="t")

    def _on_rho_changed(self, _rho: float) -> None:
        self._refresh_penalty(keep="t")

    def _refresh_penalty(self, keep: str) -> None:
        """Recompute what depends on the penalty (ranges, path, zero α), keeping α's slider
        position or the region size t."""
        X, y, p, rho = self._X, self._y, self._penalty, self._rho()
        self.objective.setText(OBJECTIVES[p])
        lo, hi = self._alpha_range(p)
        position = self.alpha_slider.slider.value()
        self.alpha_slider.set_range(lo, hi)
        t_ols = R.region_size(self._w_ols, p, rho)
        self.t_slider.set_range(0.0, 1.15 * t_ols)
        self._zero_alphas = R.zero_alphas(X, y, rho)
        if p == "l1":
            path = self._knots[1]
        else:
            path_alphas = np.geomspace(hi * 1e3, lo * 1e-4, N_PATH)
            if p == "l2":
                path = R.ridge_path(X, y, path_alphas)
            else:
                path = R.elastic_net_path(X, y, path_alphas[::2], rho)  # smooth enough
            path = np.vstack([np.zeros((1, 2)), path, self._w_ols[None, :]])
        self.plane.set_path(path)
        first = self._first_zero()
        self.plane.set_zero_marker(None if first is None else self._solve(first[0]))
        if keep == "t":
            self.set_t(min(self._t, 1.15 * t_ols))
        else:
            self.set_alpha(self.alpha_slider.value_at(position))

    def _first_zero(self) -> tuple[float, int] | None:
        """(α, weight index) where a weight first becomes exactly 0 as α grows, or None."""
        finite = [(a, j) for j, a in enumerate(self._zero_alphas) if 0 < a < np.inf]
        return min(finite) if finite else None

    def _solve(self, alpha: float) -> np.ndarray:
        """The penalised optimum at α: the Lasso from its exact knots, the others directly."""
        if self._penalty == "l1":
            return R.lasso_at(*self._knots, alpha)
        return R.penalised(self._X, self._y, alpha, self._penalty, self._rho())

    # ================================================================== α and t
    def _on_alpha_changed(self, alpha: float) -> None:
        w = self._solve(alpha)
        t = R.region_size(w, self._penalty, self._rho())
        self.t_slider.set_value(t)
        self._show_solution(alpha, t, w)

    def _on_t_changed(self, t: float) -> None:
        sol = R.constrained(self._X, self._y, t, self._penalty, self._rho())
        self.alpha_slider.set_value(sol.alpha)
        self._show_solution(sol.alpha, t, sol.w)

    def _show_solution(self, alpha: float, t: float, w: np.ndarray) -> None:
        """Redraw everything that follows α / t: one frame of a slider drag."""
        X, y, p, rho = self._X, self._y, self._penalty, self._rho()
        self._alpha, self._t, self._w = alpha, t, w
        region = R.region_boundary(t, p, rho)
        j_w = R.j0(X, y, w)
        self.plane.set_solution(region, R.j0_contour(X, y, j_w), w)
        same_l1 = R.constrained(X, y, t, "l1") if p != "l1" else None
        same_l2 = R.constrained(X, y, t, "l2") if p != "l2" else None
        if p == "l1":
            self.lasso_paths.set_current(alpha, w, same_t=False)
        else:
            self.lasso_paths.set_current(same_l1.alpha, same_l1.w, same_t=True)
        if p == "l2":
            self.ridge_paths.set_current(alpha, w, same_t=False)
        else:
            self.ridge_paths.set_current(same_l2.alpha, same_l2.w, same_t=True)
        ridge_alpha = alpha if p == "l2" else same_l2.alpha
        if self.link_check.isChecked():
            self.lam_spin.blockSignals(True)
            self.lam_spin.setValue(ridge_alpha)
            self.lam_spin.blockSignals(False)
            self._show_gd_status()
        shown = ["<b>0 exactly</b>" if v == 0.0 else f"<b>{v:.4f}</b>" for v in w]
        self.readout.setText(
            f"α = <b>{format_value(alpha)}</b> &nbsp; t = <b>{t:.3f}</b><br>"
            f"w* = ({shown[0]}, {shown[1]}) &nbsp; J0(w*) = {j_w:.4f}<br>"
            f"ŵ = ({self._w_ols[0]:.4f}, {self._w_ols[1]:.4f}) &nbsp; "
            f"J0(ŵ) = {R.j0(X, y, self._w_ols):.4f}"
        )
        self.message.setText(self._explain(alpha, w, same_l1))

    def _explain(
        self, alpha: float, w: np.ndarray, same_l1: R.Constrained | None
    ) -> str:
        """The sentence under the plane: which weight is 0, and from which α on."""
        p = self._penalty
        shape = REGION_NAMES[p]
        if not np.any(self._X.T @ self._y):
            return (
                "y is uncorrelated with both features (e.g. true weights 0 and no noise): the "
                "best fit is w = 0 whatever the penalty."
            )
        if alpha == 0.0:
            return (
                f"The least-squares point ŵ lies inside the {shape} (t ≥ "
                f"{R.region_size(self._w_ols, p, self._rho()):.3f}): the constraint does not "
                "bind, α = 0 and w* = ŵ. Shrink t to see the penalty act."
            )
        if p == "l2" and np.all(w == 0.0):
            return (
                "t = 0: the circle is a single point, which takes α = ∞. For every finite α "
                "Ridge keeps both weights non-zero: the circle has no corners."
            )
        if p == "l2":
            j = int(np.argmin(np.abs(w)))
            lasso_w = same_l1.w
            zero_note = (
                f"a diamond of the same size gives w = ({lasso_w[0]:.3f}, {lasso_w[1]:.3f})"
                + (", with an exact 0." if np.any(lasso_w == 0.0) else ".")
            )
            return (
                f"The circle has no corners: both weights shrink smoothly but neither is exactly "
                f"0 (the smaller, w{SUB[j]} = {w[j]:.4g}). For comparison, {zero_note}"
            )
        first = self._first_zero()
        if np.all(w == 0.0):
            return (
                f"α ≥ α_max = {format_value(R.alpha_max(self._X, self._y, self._rho()))}: the "
                f"{shape} has shrunk to the origin, both weights are <b>exactly 0</b>."
            )
        if first is None:
            return "Both weights are non-zero at this α."
        a0, j0 = first
        t0 = R.region_size(self._solve(a0), p, self._rho())
        other = SUB[1 - j0]
        if w[j0] == 0.0:
            return (
                f"<b>w{SUB[j0]} = 0 exactly</b>: the lowest contour touches the {shape} at its "
                f"corner on the w{other} axis. This holds for every α ≥ {format_value(a0)} "
                f"(t ≤ {t0:.3f}), the green star."
            )
        return (
            f"Both weights are non-zero: the lowest contour touches an edge of the {shape}. "
            f"Raise α to {format_value(a0)} (t ≤ {t0:.3f}, the green star) and "
            f"<b>w{SUB[j0]} becomes exactly 0</b>: the optimum jumps to the corner."
        )

    # ================================================================== gradient descent
    def _reset_gd(self, default_start: bool = False) -> None:
        if default_start:
            x0, x1, y0, y1 = self._view
            self._gd_start = np.array([x0 + 0.1 * (x1 - x0), y1 - 0.1 * (y1 - y0)])
        self._gd_plain[0] = self._gd_start
        self._gd_decay[0] = self._gd_start
        self._gd_steps = 0
        self.play_button.setChecked(False)
        self._draw_gd()
        self._show_gd_status()

    def _on_plane_clicked(self, x: float, y: float) -> None:
        self._gd_start = np.array([x, y])
        self._reset_gd()

    def _on_reset_clicked(self) -> None:
        self._reset_gd()

    def _on_link_toggled(self, checked: bool) -> None:
        self.lam_spin.setEnabled(not checked)
        if checked:
            self._show_solution(self._alpha, self._t, self._w)

    def _on_gd_setting_changed(self, *_args) -> None:
        self._show_gd_status()

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            self._gd_timer.start()
        else:
            self._gd_timer.stop()

    def _on_step_clicked(self) -> None:
        self.gd_step(1)

    def _on_gd_timer_timeout(self) -> None:
        self.gd_step(self.speed_spin.value())

    def gd_step(self, n_steps: int = 1) -> None:
        """Advance both gradient-descent runs by ``n_steps`` and redraw them."""
        lr, lam = self.lr_spin.value(), self.lam_spin.value()
        X, y = self._X, self._y
        k = self._gd_steps
        for _ in range(n_steps):
            if k >= GD_MAX_STEPS:
                break
            self._gd_plain[k + 1] = R.gd_step(X, y, self._gd_plain[k], lr)
            self._gd_decay[k + 1] = R.gd_step(X, y, self._gd_decay[k], lr, lam)
            k += 1
        self._gd_steps = k
        self._draw_gd()
        scale = float(np.linalg.norm(self._gd_start)) + 1.0
        moved = max(
            float(np.linalg.norm(self._gd_plain[k] - self._gd_plain[max(k - 1, 0)])),
            float(np.linalg.norm(self._gd_decay[k] - self._gd_decay[max(k - 1, 0)])),
        )
        diverged = not np.all(np.isfinite(self._gd_decay[k])) or max(
            float(np.abs(self._gd_plain[k]).max()), float(np.abs(self._gd_decay[k]).max())
        ) > 1e3 * scale
        finished = k >= GD_MAX_STEPS or (k > 0 and moved < 1e-7 * scale) or diverged
        if finished and self.play_button.isChecked():
            self.play_button.setChecked(False)
        self._show_gd_status(diverged=diverged, converged=k > 0 and moved < 1e-7 * scale)

    def _draw_gd(self) -> None:
        k = self._gd_steps + 1
        self.plane.set_gradient_descent(self._gd_plain[:k], self._gd_decay[:k])

    def _show_gd_status(self, diverged: bool = False, converged: bool = False) -> None:
        m = self._X.shape[0]
        lr, lam = self.lr_spin.value(), self.lam_spin.value()
        limit = R.gd_max_lr(self._X, lam)
        state = ""
        if diverged or lr >= limit:
            state = f" <b>Unstable</b>: η must stay below {limit:.3g}."
        elif converged:
            state = " Converged."
        self.gd_status.setText(
            f"step {self._gd_steps} · decay factor 1 − ηλ/m = {1.0 - lr * lam / m:.4f}{state}"
        )
        self.gd_status.setTextFormat(Qt.TextFormat.RichText)

    def gd_trajectories(self) -> tuple[np.ndarray, np.ndarray]:
        """The two runs so far, (k + 1, 2) each: without and with weight decay."""
        k = self._gd_steps + 1
        return self._gd_plain[:k].copy(), self._gd_decay[:k].copy()

    # ================================================================== Qt
    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Stop the animation when the tab is hidden, so it never runs unseen."""
        self.play_button.setChecked(False)
        super().hideEvent(event)
