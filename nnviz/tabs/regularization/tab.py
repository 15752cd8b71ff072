"""The Regularization lab: why L1 gives exact zeros and L2 does not.

Two-weight linear regression whose data the user shapes; the contours of the data loss J0
on the (w1, w2) plane against the L1 diamond, the L2 circle or the elastic-net region; linked
α and t sliders (both can be typed); the exact regularized optimum where the lowest contour
touches the region, the regularization path and the α at which a weight becomes exactly 0;
Lasso and Ridge coefficient paths (click one to set α there); the 1-D view
F(x) = f(x) + α|x|; plain gradient descent beside the descent of the penalty on the plane
(weight decay for L2, soft-threshold steps for L1 and the elastic net); and a share for the
CNN on the Train tab.

The state and every number live in :class:`~nnviz.tabs.regularization.lab.RegularizationLab`;
this module builds the controls, binds them to the lab and shows its results (the
gradient-descent runs' controls and slots are in
:mod:`~nnviz.tabs.regularization.descent_controls`). The main
window's only call is :meth:`RegularizationTab.show_network_regularization`.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.regression import PENALTIES
from nnviz.tabs.regularization import captions
from nnviz.tabs.regularization.boxes import group, muted, note
from nnviz.tabs.regularization.descent_controls import DescentControls
from nnviz.tabs.regularization.lab import DataSettings, RegularizationLab, Solution
from nnviz.tabs.regularization.network import NetworkRegularizationPanel
from nnviz.tabs.regularization.oned import OneDView
from nnviz.tabs.regularization.paths import CoefficientPaths
from nnviz.tabs.regularization.plane import RegPlane
from nnviz.tabs.regularization.scatter import SampleScatter
from nnviz.theme import REG_NOTE_BACKGROUND, REG_NOTE_BORDER, REG_NOTE_TEXT
from nnviz.widgets.float_slider import FloatSlider

MESSAGE_LINES = 3  # the explanation under the plane keeps this height
OBJECTIVE_LINES = 4  # ... and the objective, so that switching the penalty moves nothing
DATA_FIELDS = {"n": "n_spin", "noise": "noise_spin", "corr": "corr_slider",
               "w1": "w1_spin", "w2": "w2_spin"}
"""Each field of :class:`DataSettings` and the control that sets it."""
PENALTY_BUTTONS = (
    ("l1", "L1 Lasso", "Penalty α‖w‖₁: the region is a diamond with corners on the axes."),
    ("l2", "L2 Ridge", "Penalty α‖w‖²: the region is a circle, no corners."),
    ("elasticnet", "Elastic net", "A mix of both, set by ρ: rounded, but still cornered."),
)


class RegularizationTab(DescentControls, QWidget):
    """Regularization lab facade. The main window calls :meth:`show_network_regularization`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regularizationTab")
        self.lab = RegularizationLab()
        self._build()
        self._show_data()

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
        return self.lab.penalty

    def set_penalty(self, penalty: str) -> None:
        """Switch the plane to "l1", "l2" or "elasticnet" (keeps the region size t)."""
        if penalty not in self._penalty_buttons:
            raise ValueError(f"unknown penalty {penalty!r}; expected one of {PENALTIES}")
        self._penalty_buttons[penalty].setChecked(True)

    def alpha(self) -> float:
        """The penalty strength shown, in the penalty's scikit-learn units (0: unconstrained)."""
        return self.lab.solution.alpha

    def t(self) -> float:
        """The region size shown (where its boundary crosses the axes)."""
        return self.lab.solution.t

    def weights(self) -> np.ndarray:
        """The regularised optimum w* shown, (2,)."""
        return self.lab.solution.w.copy()

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """The current sample: X (n, 2), y (n,)."""
        return self.lab.X.copy(), self.lab.y.copy()

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
        self.legend = note("What each mark on the weight plane means.",
                            captions.legend(self.lab.penalty), lines=2)
        self.message = note("What the plane shows right now, and when a weight becomes 0.")
        self.message.setObjectName("regMessage")
        self.message.setFixedHeight(MESSAGE_LINES * self.message.fontMetrics().lineSpacing() + 12)
        self.message.setStyleSheet(
            f"QLabel {{ background: {REG_NOTE_BACKGROUND}; color: {REG_NOTE_TEXT};"
            f" border: 1px solid {REG_NOTE_BORDER}; border-radius: 4px; padding: 4px; }}"
        )
        plane_box = QWidget()
        plane_layout = QVBoxLayout(plane_box)
        plane_layout.setContentsMargins(0, 0, 0, 0)
        plane_layout.setSpacing(3)
        plane_layout.addWidget(self.plane, 1)
        plane_layout.addWidget(self.legend)
        plane_layout.addWidget(self.message)

        self.scatter_plot = SampleScatter()
        self.network = NetworkRegularizationPanel()
        self.one_d = OneDView()
        self.lasso_paths = CoefficientPaths(
            "Lasso paths (L1)",
            "Lasso weights against α (log scale): they reach exactly 0 one after the other "
            "(green dotted lines). Red line: the α on the plane; dashed: the α whose diamond has "
            "the same size t as the region on the plane. Click to set α there.",
        )
        self.ridge_paths = CoefficientPaths(
            "Ridge paths (L2)",
            "Ridge weights against α (log scale, scikit-learn's Ridge units): they shrink "
            "smoothly and never reach exactly 0. Red line: the α on the plane; dashed: the α "
            "whose circle has the same size t as the region on the plane. Click to set α there.",
        )
        self.lasso_paths.setObjectName("regLassoPaths")
        self.ridge_paths.setObjectName("regRidgePaths")
        top = _splitter(Qt.Orientation.Horizontal, (plane_box, self.one_d), (3, 2), [600, 360])
        bottom = _splitter(
            Qt.Orientation.Horizontal, (self.lasso_paths, self.ridge_paths, self.scatter_plot),
            None, [320, 320, 340],
        )
        centre = _splitter(Qt.Orientation.Vertical, (top, bottom), (3, 2), [500, 290])

        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 4, 0)
        for widget in (self._make_data_group(), self._make_penalty_group(), self._make_gd_group()):
            column.addWidget(widget)
        column.addWidget(self.network, 1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(controls)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(controls.sizeHint().width() + 16)  # room for a scroll bar
        scroll.setMaximumWidth(controls.sizeHint().width() + 40)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        layout.addWidget(centre, 1)
        self.plane.clicked.connect(self._on_plane_clicked)
        self.lasso_paths.alphaClicked.connect(self._on_lasso_path_clicked)
        self.ridge_paths.alphaClicked.connect(self._on_ridge_path_clicked)

    def _make_data_group(self) -> QGroupBox:
        box, form = group(
            "Data: y = w₁x₁ + w₂x₂ + noise",
            "Shape the regression problem; the plane and the paths follow at once.", QFormLayout,
        )
        start = self.lab.settings
        self.n_spin = QSpinBox(
            minimum=3, maximum=500, value=start.n,
            toolTip="Number of samples n. Fewer samples: a noisier, flatter bowl.",
        )
        self.noise_spin = QDoubleSpinBox(
            minimum=0.0, maximum=5.0, singleStep=0.1, value=start.noise,
            toolTip="Standard deviation of the noise added to y.",
        )
        self.corr_slider = FloatSlider(
            "", -0.95, 0.95, start.corr,
            tooltip="The correlation between the two features that the sample is drawn with "
            "(the population's). The sample's own correlation, over the data plot, differs "
            "by chance, the more so the fewer samples. Strong correlation stretches the J0 "
            "contours into narrow tilted ellipses, and L1 then tends to keep one feature and "
            "drop the other.",
        )
        self.w1_spin, self.w2_spin = (
            QDoubleSpinBox(minimum=-3.0, maximum=3.0, singleStep=0.1, value=value,
                           toolTip=f"The true weight w{captions.SUB[j]} used to generate y.")
            for j, value in enumerate((start.w1, start.w2))
        )
        self.new_button = QPushButton(
            "New sample", toolTip="Draw a fresh random sample with the same settings."
        )
        weights = QHBoxLayout()
        weights.addWidget(self.w1_spin)
        weights.addWidget(self.w2_spin)
        for label, field in (("samples n", self.n_spin), ("noise σ", self.noise_spin),
                             ("corr(x₁, x₂) set", self.corr_slider),
                             ("true w₁, w₂", weights)):
            form.addRow(label, field)
        form.addRow(self.new_button)
        for name in DATA_FIELDS.values():
            getattr(self, name).valueChanged.connect(self._on_data_changed)
        self.new_button.clicked.connect(self._on_new_sample_clicked)
        return box

    def _make_penalty_group(self) -> QGroupBox:
        box, layout = group(
            "Penalty", "Which penalty, and how strong: α (soft penalty) or t (hard region).",
            QVBoxLayout,
        )
        row = QHBoxLayout()
        self._penalty_group = QButtonGroup(self)
        self._penalty_buttons: dict[str, QRadioButton] = {}
        for key, text, tip in PENALTY_BUTTONS:
            button = QRadioButton(text, toolTip=tip, checked=key == self.lab.penalty)
            self._penalty_group.addButton(button)
            self._penalty_buttons[key] = button
            row.addWidget(button)
            button.toggled.connect(lambda checked, k=key: checked and self._on_penalty_toggled(k))
        layout.addLayout(row)
        self.rho_slider = FloatSlider(
            "ρ", 0.05, 0.95, self.lab.rho,
            tooltip="Elastic net l1_ratio ρ: 1 is the Lasso diamond, 0 the Ridge circle.",
        )
        self.rho_slider.setEnabled(False)
        self.objective = note(
            "scikit-learn's exact objective for this penalty, and its constrained form. Each "
            "model has its own α units: a Ridge α is not a Lasso α.", lines=OBJECTIVE_LINES,
        )
        self.j0_note = muted(note(
            "J0 is the data term alone; ŵ, the black cross on the plane, minimises it.",
            captions.J0_NOTE,
        ))
        self.alpha_slider = FloatSlider(
            "α", 1e-3, 1.0, 0.1, log=True,
            tooltip="Penalty strength α (log scale), in this penalty's scikit-learn units. "
            "Larger α ⇔ smaller region. Linked to t.",
        )
        self.alpha_slider.setObjectName("regAlphaSlider")
        self.t_slider = FloatSlider(
            "t", 0.0, 1.0, 0.5,
            tooltip="Region size t: the region meets the axes at ±t. Smaller t ⇔ larger α. "
            "Beyond the least-squares point the constraint no longer binds (α = 0).",
        )
        self.t_slider.setObjectName("regTSlider")
        self.readout = note(
            "The numbers behind the plane: α, the α of the other penalties whose region has the "
            "same size t, t, the optimum and its J0.", lines=4,
        )
        self.units_note = muted(note(
            "Why one region size needs a different α under each penalty.", captions.UNITS_NOTE,
        ))
        for widget in (self.rho_slider, self.objective, self.j0_note, self.alpha_slider,
                       self.t_slider, self.readout, self.units_note):
            layout.addWidget(widget)
        self.rho_slider.valueChanged.connect(self._on_rho_changed)
        self.alpha_slider.valueChanged.connect(self._on_alpha_changed)
        self.t_slider.valueChanged.connect(self._on_t_changed)
        return box

    # ================================================================== data
    def _on_new_sample_clicked(self) -> None:
        self.lab.new_sample()
        self._show_data()

    def _on_data_changed(self, *_args) -> None:
        self.lab.set_data(
            DataSettings(**{field: getattr(self, name).value()
                            for field, name in DATA_FIELDS.items()})
        )
        self._show_data()

    def _show_data(self) -> None:
        """Redraw what follows the sample, then the solution at the α slider's position."""
        lab = self.lab
        land = lab.landscape
        self.plane.set_landscape(land.j0, land.extent, land.levels, land.contours, lab.w_ols,
                                 lab.settings.w_true, land.view)
        self.scatter_plot.set_sample(lab.X, lab.y, lab.correlation())
        alphas, coefs, zeros = lab.lasso_path()
        self.lasso_paths.set_paths(alphas, coefs, captions.zero_marks(zeros))
        self.ridge_paths.set_paths(*lab.ridge_path(), [])
        self.play_button.setChecked(False)
        self._draw_gd()
        self._show_gd_status()
        self._show_penalty(keep_t=False)

    # ================================================================== penalty
    def _on_penalty_toggled(self, penalty: str) -> None:
        if penalty == self.lab.penalty:
            return
        self.lab.set_penalty(penalty)  # also restarts the runs: the penalised rule changed
        self.rho_slider.setEnabled(penalty == "elasticnet")
        self.play_button.setChecked(False)
        self._draw_gd()
        self._show_penalty(keep_t=True)

    def _on_rho_changed(self, rho: float) -> None:
        self.lab.set_rho(rho)
        self._show_penalty(keep_t=True)

    def _show_penalty(self, keep_t: bool) -> None:
        """Show what depends on the penalty (objective, ranges, path, zero marker), then solve
        again keeping the region size t or the α slider's position."""
        lab = self.lab
        self.objective.setText(captions.OBJECTIVES[lab.penalty])
        self.legend.setText(captions.legend(lab.penalty))
        self.gd_note.setText(captions.descent_note(lab.penalty))
        position = self.alpha_slider.slider.value()
        self.alpha_slider.set_range(*lab.alpha_range())
        t_max = lab.t_max()
        self.t_slider.set_range(0.0, t_max)
        self.plane.set_path(lab.path)
        self.plane.set_zero_marker(None if lab.first_zero is None else lab.first_zero.w)
        if keep_t:
            self.set_t(min(lab.solution.t, t_max))
        else:
            self.set_alpha(self.alpha_slider.value_at(position))

    # ================================================================== α and t
    def _on_alpha_changed(self, alpha: float) -> None:
        sol = self.lab.set_alpha(alpha)
        self.t_slider.set_value(sol.t)
        self._show_solution(sol)

    def _on_t_changed(self, t: float) -> None:
        sol = self.lab.set_t(t)
        self.alpha_slider.set_value(sol.alpha)
        self._show_solution(sol)

    def _on_lasso_path_clicked(self, alpha: float) -> None:
        self._on_path_clicked("l1", alpha)

    def _on_ridge_path_clicked(self, alpha: float) -> None:
        self._on_path_clicked("l2", alpha)

    def _on_path_clicked(self, penalty: str, alpha: float) -> None:
        """A click on a coefficient path at α: that α on the plane if it shows this penalty,
        else the region size t of this penalty's optimum there (the dashed line moves to the
        click, as it marks the α with the plane's t)."""
        if penalty == self.lab.penalty:
            self.set_alpha(alpha)
        else:
            self.set_t(min(self.lab.t_at(penalty, alpha), self.lab.t_max()))

    def _show_solution(self, sol: Solution) -> None:
        """Redraw everything that follows α / t: one frame of a slider drag."""
        self.plane.set_solution(sol.region, sol.tangent, sol.w)
        self.lasso_paths.set_current(*sol.mark("l1"))
        self.ridge_paths.set_current(*sol.mark("l2"))
        if self.link_check.isChecked():
            self._link_decay(sol)
        self.readout.setText(captions.readout(self.lab, sol))
        self.message.setText(captions.explanation(self.lab, sol))

    # ================================================================== Qt
    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Stop the animation when the tab is hidden, so it never runs unseen."""
        self.play_button.setChecked(False)
        super().hideEvent(event)


def _splitter(
    orientation: Qt.Orientation, widgets: tuple[QWidget, ...], stretch: tuple[int, ...] | None,
    sizes: list[int],
) -> QSplitter:
    """A splitter of ``widgets`` with these stretch factors (None: Qt's) and first sizes."""
    splitter = QSplitter(orientation)
    for widget in widgets:
        splitter.addWidget(widget)
    for i, factor in enumerate(stretch or ()):
        splitter.setStretchFactor(i, factor)
    splitter.setSizes(sizes)
    return splitter
