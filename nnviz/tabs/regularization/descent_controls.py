"""The Regularization lab's gradient-descent runs on the weight plane: their controls
(learning rate, stability cap, the penalised run's α and its link to the plane's α, play,
step, reset) and what each control does to the runs in
:class:`~nnviz.tabs.regularization.lab.RegularizationLab`.

:class:`DescentControls` is a mixin of :class:`~nnviz.tabs.regularization.tab.RegularizationTab`:
it uses the tab's ``lab`` and ``plane`` and its ``_show_solution`` (to re-link α).
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QTimer
from PyQt6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
)

from nnviz.tabs.regularization import captions
from nnviz.tabs.regularization.boxes import group, note
from nnviz.tabs.regularization.lab import DescentStatus, RegularizationLab, Solution
from nnviz.tabs.regularization.plane import RegPlane
from nnviz.widgets.float_slider import FloatField

GD_INTERVAL_MS = 40
GD_ALPHA_MAX = 1e9  # the largest α the penalised run takes when typed


class DescentControls:
    """The gradient-descent box of the Regularization tab and its slots (a mixin)."""

    lab: RegularizationLab
    plane: RegPlane

    # ================================================================== public API
    @property
    def lam_spin(self) -> FloatField:
        """The penalised run's α field (its name from when it held a weight decay λ)."""
        return self.gd_alpha_field

    def gd_step(self, n_steps: int = 1) -> None:
        """Advance both gradient-descent runs by ``n_steps`` and redraw them."""
        status = self.lab.descent_step(n_steps)
        self._draw_gd()
        if status.finished and self.play_button.isChecked():
            self.play_button.setChecked(False)
        self._show_gd_status(status)

    def gd_trajectories(self) -> tuple[np.ndarray, np.ndarray]:
        """The two runs so far, (k + 1, 2) each: plain, and with the penalty on the plane."""
        return self.lab.descent.trajectories()

    def is_animating(self) -> bool:
        """Whether gradient descent is playing."""
        return self._gd_timer.isActive()

    # ================================================================== layout
    def _make_gd_group(self) -> QGroupBox:
        box, grid = group(
            "Gradient descent on the plane",
            "Two runs from one start with learning rate η: plain gradient descent on J0, which "
            "walks to ŵ, and the descent of the penalty on the plane at strength α. L2: weight "
            "decay, θ := θ·(1 − ηα/m) − η·(1/m)·Σ(h − y)·x, which ends at the Ridge optimum. "
            "L1 and elastic net: the proximal step w := S(w − η∇J0(w), ηαρ) / (1 + ηα(1 − ρ)), "
            "where the soft-threshold S moves every weight ηαρ toward 0 and stops it at 0; it "
            "ends at the Lasso / elastic-net optimum, exact zeros included. Click the plane to "
            "choose the start.",
            QGridLayout,
        )
        self._gd_timer = QTimer(self, interval=GD_INTERVAL_MS)  # plays the runs
        self._gd_timer.timeout.connect(self._on_gd_timer_timeout)
        self.lr_spin = QDoubleSpinBox(
            decimals=3, minimum=0.001, maximum=3.0, singleStep=0.05, value=self.lab.lr,
            toolTip="Learning rate η: the size of each gradient step.",
        )
        self.cap_check = QCheckBox(
            "η follows the stability limit", checked=self.lab.cap_lr,
            toolTip="Hold η at most at half the learning rate from which the runs diverge, "
            "1 / (λ_max(XᵀX/m) + α/m) for weight decay and 1 / λ_max(XᵀX/m) for the "
            "soft-threshold step: the largest step that never overshoots. Untick to try an "
            "unstable η.",
        )
        self.gd_alpha_field = FloatField(
            0.0, GD_ALPHA_MAX, self.lab.gd_alpha,
            tooltip="The penalty strength α of the penalised run, in the same units as the α "
            "on the plane. Type a value (e.g. 20 or 1e-3) after unticking the link.",
        )
        self.gd_alpha_field.setObjectName("regGdAlpha")
        self.gd_alpha_field.setEnabled(False)  # follows the plane's α while linked
        self.link_check = QCheckBox(
            "= the plane's α", checked=True,
            toolTip="Use the α on the plane for the penalised run: it then ends exactly at the "
            "regularized optimum w* where the contours touch the region.",
        )
        self.speed_spin = QSpinBox(
            minimum=1, maximum=50, value=2,
            toolTip="Gradient steps per animation frame (25 frames a second).",
        )
        self.play_button = QPushButton(
            "Play", checkable=True,
            toolTip="Animate both runs step by step; press again to pause.",
        )
        self.step_button = QPushButton("Step", toolTip="Take one gradient step in both runs.")
        self.reset_button = QPushButton(
            "Reset", toolTip="Clear both runs and go back to the start point."
        )
        self.gd_note = note("What the two runs on the plane are.", lines=4)
        self.gd_status = note(
            "Step count, the step size, what the penalised step does at this α and the "
            "stability limit.", lines=3,
        )
        for (row, col), text, field in (((0, 0), "learning rate η", self.lr_spin),
                                        ((0, 2), "steps/frame", self.speed_spin),
                                        ((2, 0), "penalty α", self.gd_alpha_field)):
            grid.addWidget(QLabel(text, toolTip=field.toolTip()), row, col)
        grid.addWidget(self.lr_spin, 0, 1)
        grid.addWidget(self.speed_spin, 0, 3)
        grid.addWidget(self.cap_check, 1, 0, 1, 4)
        grid.addWidget(self.gd_alpha_field, 2, 1)
        grid.addWidget(self.link_check, 2, 2, 1, 2)
        buttons = QHBoxLayout()
        for b in (self.play_button, self.step_button, self.reset_button):
            buttons.addWidget(b)
        grid.addLayout(buttons, 3, 0, 1, 4)
        grid.addWidget(self.gd_status, 4, 0, 1, 4)
        grid.addWidget(self.gd_note, 5, 0, 1, 4)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.lr_spin.valueChanged.connect(self._on_lr_changed)
        self.cap_check.toggled.connect(self._on_cap_toggled)
        self.gd_alpha_field.valueChanged.connect(self._on_gd_alpha_changed)
        self.link_check.toggled.connect(self._on_link_toggled)
        return box

    # ================================================================== runs
    def _link_decay(self, sol: Solution) -> None:
        """The penalised run's α := the α on the plane (the largest α the slider offers when
        the region has shrunk to a point and α is infinite)."""
        alpha = sol.alpha if np.isfinite(sol.alpha) else self.lab.alpha_range()[1]
        self.gd_alpha_field.setValue(alpha)
        self.lab.gd_alpha = alpha
        self._show_gd_status()

    def _reset_gd(self, start: np.ndarray | None = None) -> None:
        self.lab.descent.reset(start)
        self.play_button.setChecked(False)
        self._draw_gd()
        self._show_gd_status()

    def _on_plane_clicked(self, x: float, y: float) -> None:
        self._reset_gd(np.array([x, y]))

    def _on_reset_clicked(self) -> None:
        self._reset_gd()

    def _on_link_toggled(self, checked: bool) -> None:
        self.gd_alpha_field.setEnabled(not checked)
        if checked:
            self._show_solution(self.lab.solution)

    def _on_lr_changed(self, lr: float) -> None:
        self.lab.lr = lr
        self._show_gd_status()

    def _on_cap_toggled(self, checked: bool) -> None:
        self.lab.cap_lr = checked
        self._show_gd_status()

    def _on_gd_alpha_changed(self, alpha: float) -> None:
        self.lab.gd_alpha = alpha
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

    def _draw_gd(self) -> None:
        self.plane.set_gradient_descent(*self.lab.descent.trajectories())

    def _show_gd_status(self, status: DescentStatus | None = None) -> None:
        self.gd_status.setText(captions.descent_text(status or self.lab.descent_status()))
