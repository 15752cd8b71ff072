"""The 1-D view: F(x) = f(x) + λ|x| for a smooth convex f, and the λ at which its minimum
jumps to exactly 0 (once λ ≥ |f′(0)| the kink of λ|x| at 0 is the lowest point)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.regression import (
    SmoothLoss1D,
    argmin_penalised_1d,
    penalised_1d,
    zero_threshold_1d,
)
from nnviz.tabs.regularization.plotting import lab_plot, swatch
from nnviz.theme import REG_OPTIMUM, REG_PRESETS, REG_SMOOTH_LOSS, plot_colors
from nnviz.widgets.float_slider import FloatSlider

PRESETS = (0.5, 2.0)  # two λ worth comparing: below and above |f′(0)| = 1 of the default f
N_X = 601


class OneDView(QWidget):
    """F(x) = f(x) + λ|x| for an adjustable smooth convex f, with λ = 0.5 and λ = 2 presets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regOneDView")
        colors = plot_colors()
        self.plot = pg.PlotWidget()
        item = lab_plot(self.plot, "1-D: F(x) = f(x) + λ|x|", {"bottom": "x"}, grid=0.25)
        self.plot.setToolTip(
            "Grey dashed: a smooth loss f(x). Coloured: F(x) = f(x) + λ|x|. The penalty adds a "
            "kink at x = 0; once λ ≥ |f′(0)| the kink is the lowest point, so the minimiser "
            "(red dot) is exactly 0. Thin curves: two fixed λ for comparison, 0.5 and 2."
        )
        self._f = item.plot(pen=pg.mkPen(REG_SMOOTH_LOSS, width=1.6, style=Qt.PenStyle.DashLine))
        self._presets = [item.plot(pen=pg.mkPen(c, width=1.2)) for c in REG_PRESETS]
        self._F = item.plot(pen=pg.mkPen(REG_OPTIMUM, width=2.6))
        self._f_min = item.plot(pen=None, symbol="x", symbolSize=11, symbolBrush=colors.muted,
                                symbolPen=None)
        self._preset_mins = [
            item.plot(pen=None, symbol="o", symbolSize=8, symbolBrush=colors.halo,
                      symbolPen=pg.mkPen(c, width=2))
            for c in REG_PRESETS
        ]
        self._F_min = item.plot(pen=None, symbol="o", symbolSize=12, symbolBrush=REG_OPTIMUM,
                                symbolPen=colors.halo)
        keys = [swatch(REG_SMOOTH_LOSS, "╌ f(x)"), swatch(REG_OPTIMUM, "━ F(x), λ now")]
        keys += [swatch(c, f"━ λ = {lam:g}") for c, lam in zip(REG_PRESETS, PRESETS, strict=True)]
        self.keys = QLabel(" &nbsp; ".join(keys) + " &nbsp; ● minimum of F")
        self.keys.setTextFormat(Qt.TextFormat.RichText)
        self.keys.setWordWrap(True)
        self.keys.setToolTip("The curves of the 1-D plot.")
        self.plot.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(colors.crosshair)))

        self.lam = FloatSlider(
            "λ", 0.0, 3.0, 0.5,
            tooltip="The L1 strength λ in F(x) = f(x) + λ|x|. Drag it past |f′(0)| and watch the "
            "minimum land exactly on 0.",
        )
        self.preset_buttons = []
        for lam in PRESETS:
            button = QPushButton(f"λ = {lam:g}")
            button.setToolTip(f"Set λ = {lam:g}, one of the two values drawn for comparison.")
            button.clicked.connect(lambda _checked=False, v=lam: self._on_preset_clicked(v))
            self.preset_buttons.append(button)
        self.k, self.c, self.q = (
            QDoubleSpinBox(minimum=low, maximum=high, singleStep=0.1, value=value, toolTip=tip)
            for low, high, value, tip in (
                (0.2, 5.0, 1.0, "Curvature k of f(x) = ½k(x − c)² + ¼q(x − c)⁴."),
                (-2.5, 2.5, 1.0, "Where f alone is smallest (c)."),
                (0.0, 3.0, 0.0, "Quartic stiffness q ≥ 0: a non-quadratic f."),
            )
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setToolTip("What the minimiser of F does at this λ, and why.")
        self.message.setFixedHeight(3 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        top = QHBoxLayout()
        top.addWidget(self.lam, 1)
        for button in self.preset_buttons:
            top.addWidget(button)
        params = QGridLayout()
        for col, (name, spin) in enumerate((("k", self.k), ("c", self.c), ("q", self.q))):
            label = QLabel(name)
            label.setToolTip(spin.toolTip())
            params.addWidget(label, 0, 2 * col, Qt.AlignmentFlag.AlignRight)
            params.addWidget(spin, 0, 2 * col + 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.keys)
        layout.addLayout(top)
        layout.addLayout(params)
        layout.addWidget(self.message)

        self.lam.valueChanged.connect(self._on_lam_changed)
        for spin in (self.k, self.c, self.q):
            spin.valueChanged.connect(self._on_f_changed)
        self._on_f_changed()

    # ------------------------------------------------------------------ API
    def loss(self) -> SmoothLoss1D:
        """The smooth f currently shown."""
        return SmoothLoss1D(self.k.value(), self.c.value(), self.q.value())

    def set_lambda(self, lam: float) -> None:
        """Show F for this λ."""
        self.lam.set_value(lam)
        self._redraw_current()

    def minimiser(self) -> float:
        """The minimiser of F marked on the plot."""
        return float(self._F_min.getData()[0][0])

    # ------------------------------------------------------------------ slots
    def _on_preset_clicked(self, lam: float) -> None:
        self.set_lambda(lam)

    def _on_lam_changed(self, _lam: float) -> None:
        self._redraw_current()

    def _on_f_changed(self, *_args) -> None:
        f = self.loss()
        span = max(2.5, abs(f.c) + 1.5)
        lo, hi = min(-1.5, f.c - span), max(1.5, f.c + span)
        self._x = np.linspace(lo, hi, N_X)
        self._x[np.argmin(np.abs(self._x))] = 0.0  # sample the kink itself
        self._f.setData(self._x, f(self._x))
        self._f_min.setData([f.c], [0.0])
        lows = [0.0]
        for curve, marker, lam in zip(self._presets, self._preset_mins, PRESETS, strict=True):
            curve.setData(self._x, penalised_1d(f, self._x, lam))
            x_star = argmin_penalised_1d(f, lam)
            marker.setData([x_star], [penalised_1d(f, x_star, lam)])
            lows.append(float(penalised_1d(f, x_star, lam)))
        item = self.plot.getPlotItem()
        item.setXRange(lo, hi, padding=0.02)
        top = float(f(0.0)) + max(PRESETS) * 0.9 * max(abs(lo), abs(hi)) * 0.5
        item.setYRange(-0.06 * top, top, padding=0)
        self._redraw_current()

    def _redraw_current(self) -> None:
        f, lam = self.loss(), self.lam.value()
        self._F.setData(self._x, penalised_1d(f, self._x, lam))
        x_star = argmin_penalised_1d(f, lam)
        self._F_min.setData([x_star], [penalised_1d(f, x_star, lam)])
        threshold = zero_threshold_1d(f)
        if x_star == 0.0:
            self.message.setText(
                f"λ = {lam:.2f} ≥ |f′(0)| = {threshold:.2f}: the kink of λ|x| wins and the "
                f"minimum of F is <b>exactly x = 0</b>."
            )
        else:
            self.message.setText(
                f"λ = {lam:.2f} &lt; |f′(0)| = {threshold:.2f}: the minimum moves from "
                f"{f.c:.2f} towards 0 but stops at <b>x = {x_star:.3f}</b>. "
                f"It reaches 0 once λ ≥ {threshold:.2f}."
            )
