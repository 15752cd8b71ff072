"""Binary cross-entropy against the predicted probability p, with the eps clip made visible.

The curves are :func:`nnviz.tabs.loss.math.binary_curves`, i.e. ``core.losses``' own
BinaryCrossentropy: the very numbers the engine trains with.
"""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QGridLayout, QGroupBox, QLabel, QSlider, QVBoxLayout, QWidget

from nnviz.tabs.loss.formula_table import format_number
from nnviz.tabs.loss.math import BinaryProbe, binary_curves, binary_probe
from nnviz.theme import (
    LOSS_CAP,
    LOSS_CLIP_ZONE,
    LOSS_PROBE,
    LOSS_UNCLIPPED,
    LOSS_Y0,
    LOSS_Y1,
    plot_colors,
)
from nnviz.widgets.plot_style import style_plot, title_colour

EPS_LOG10_RANGE = (-15.0, -0.6)  # eps from 1e-15 to ~0.25; below ~1e-16, 1 - eps == 1.0
EPS_STEPS_PER_DECADE = 10
DEFAULT_EPS_LOG10 = -7.0  # Keras' epsilon, the one core.losses uses
P_STEPS = 1000  # probe positions between p = 0 and p = 1


class BinaryPanel(QGroupBox):
    """BCE for y = 1 and y = 0 against p, squared error for contrast, the clip zones and cap,
    and a probe p whose losses are written out. ``probeChanged(BinaryProbe)`` after each
    change of eps or p."""

    probeChanged = pyqtSignal(object)  # BinaryProbe

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Binary cross-entropy against the predicted probability p", parent)
        self.probe: BinaryProbe | None = None
        self.plot = pg.PlotWidget()
        self.plot.setToolTip(
            "Loss of one prediction p when the true label is y = 1 (blue) or y = 0 (orange).\n"
            "Solid: cross-entropy −[y·log p + (1−y)·log(1−p)] with p clipped into [eps, 1−eps].\n"
            "Dashed: squared error (y − p)², for contrast: it never exceeds 1, while\n"
            "cross-entropy punishes a confident wrong answer without bound (up to the clip).\n"
            "Drag the grey vertical line to probe a p."
        )
        self._build_plot()

        lo, hi = EPS_LOG10_RANGE
        self.eps_slider = QSlider(
            Qt.Orientation.Horizontal, minimum=round(lo * EPS_STEPS_PER_DECADE),
            maximum=round(hi * EPS_STEPS_PER_DECADE),
            value=round(DEFAULT_EPS_LOG10 * EPS_STEPS_PER_DECADE),
            toolTip="eps, the clip: before the log, p is clipped into [eps, 1 − eps] so log(0) "
            "never\nhappens. Logarithmic, from 1e-15 to 0.25; 1e-7 is what core.losses (and "
            "Keras)\nuse. Make it large to see the shaded clip zones flatten the curves.",
        )
        self.eps_label = QLabel(
            minimumWidth=150, toolTip="The current eps and the cap −log(eps) it puts on the loss."
        )
        self.p_slider = QSlider(
            Qt.Orientation.Horizontal, minimum=0, maximum=P_STEPS, value=300,
            toolTip="Probe probability p (0 to 1, both ends included): its losses are marked on "
            "the\ncurves and plugged into the formula table. Try p = 0 or p = 1.",
        )
        self.p_label = QLabel(minimumWidth=150, toolTip="The probed p.")
        self.log0_label = QLabel(
            wordWrap=True,
            toolTip="What the unclipped formula gives at the probed p, computed with IEEE "
            "floats:\nlog(0) = −inf, and 0·log(0) = 0·(−inf) = NaN.",
        )
        controls = QGridLayout()
        for row, (name, slider, label) in enumerate(
            (("eps (clip)", self.eps_slider, self.eps_label),
             ("probe p", self.p_slider, self.p_label))
        ):
            controls.addWidget(QLabel(name), row, 0)
            controls.addWidget(slider, row, 1)
            controls.addWidget(label, row, 2)
        controls.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot, 1)
        layout.addLayout(controls)
        layout.addWidget(self.log0_label)

        self.eps_slider.valueChanged.connect(self._on_eps_slider_moved)
        self.p_slider.valueChanged.connect(self._on_p_slider_moved)
        self.probe_line.sigPositionChanged.connect(self._on_probe_line_dragged)
        self._update_curves()

    def _build_plot(self) -> None:
        colors = plot_colors()
        plot = style_plot(
            self.plot, labels={"bottom": "predicted probability p of class 1",
                               "left": "loss of one sample"}, grid=0.2, mouse=False,
        )
        plot.setXRange(0.0, 1.0, padding=0.01)
        plot.addLegend(
            offset=(-40, 40), labelTextSize="9pt", labelTextColor=title_colour(),
            brush=pg.mkBrush(colors.legend_brush), pen=pg.mkPen(colors.legend_pen),
        )
        self._clip_zones = [
            pg.LinearRegionItem(region, movable=False, brush=pg.mkBrush(LOSS_CLIP_ZONE),
                                pen=pg.mkPen(None))
            for region in ((0.0, 0.01), (0.99, 1.0))
        ]
        for zone in self._clip_zones:
            plot.addItem(zone)
        dotted = pg.mkPen(LOSS_UNCLIPPED, width=1.5, style=Qt.PenStyle.DotLine)
        self._curves = {
            "unclipped_y1": plot.plot(pen=dotted, name="without the clip (→ +inf)",
                                      connect="finite"),
            "unclipped_y0": plot.plot(pen=dotted, connect="finite"),
            "bce_y1": plot.plot(pen=pg.mkPen(LOSS_Y1, width=2.5), name="y = 1:  −log p"),
            "bce_y0": plot.plot(pen=pg.mkPen(LOSS_Y0, width=2.5), name="y = 0:  −log(1 − p)"),
        }
        for key, colour, name in (("squared_y1", LOSS_Y1, "y = 1:  (1 − p)²"),
                                  ("squared_y0", LOSS_Y0, "y = 0:  p²")):
            pen = pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine)
            self._curves[key] = plot.plot(pen=pen, name=name)
        self._cap_line = pg.InfiniteLine(
            angle=0, movable=False,
            pen=pg.mkPen(LOSS_CAP, width=1, style=Qt.PenStyle.DashLine),
            label="cap −log(eps) = {value:.2f}",
            labelOpts={"position": 0.22, "color": LOSS_CAP, "anchors": [(0.5, 1), (0.5, 1)]},
        )
        plot.addItem(self._cap_line)
        self.probe_line = pg.InfiniteLine(
            pos=0.3, angle=90, movable=True, bounds=(0.0, 1.0),
            pen=pg.mkPen(LOSS_PROBE, width=1.5), hoverPen=pg.mkPen(colors.ink, width=3),
        )
        plot.addItem(self.probe_line)
        self._probe_points = pg.ScatterPlotItem(size=10, pen=pg.mkPen(colors.ink))
        self._probe_brushes = [pg.mkBrush(*LOSS_Y1), pg.mkBrush(*LOSS_Y0)]
        plot.addItem(self._probe_points)

    # --- public API -----------------------------------------------------------------------

    @property
    def epsilon(self) -> float:
        """The clip eps."""
        return 10.0 ** (self.eps_slider.value() / EPS_STEPS_PER_DECADE)

    @property
    def probe_p(self) -> float:
        """The probed probability p in [0, 1]."""
        return self.p_slider.value() / P_STEPS

    def curve(self, name: str) -> tuple:
        """(p, loss) of a curve shown: "bce_y1", "bce_y0", "squared_y1", "squared_y0",
        "unclipped_y1" or "unclipped_y0" (+inf drawn as a gap, NaN)."""
        return self._curves[name].getData()

    def cap(self) -> float:
        """The height of the cap line, −log(eps)."""
        return float(self._cap_line.value())

    def clip_zones(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The shaded zones [0, eps] and [1 − eps, 1]."""
        low, high = (tuple(zone.getRegion()) for zone in self._clip_zones)
        return low, high

    # --- slots ----------------------------------------------------------------------------

    def _on_eps_slider_moved(self, _value: int) -> None:
        self._update_curves()

    def _on_p_slider_moved(self, _value: int) -> None:
        self.probe_line.blockSignals(True)
        self.probe_line.setValue(self.probe_p)
        self.probe_line.blockSignals(False)
        self._update_probe()

    def _on_probe_line_dragged(self) -> None:
        self.p_slider.setValue(round(float(self.probe_line.value()) * P_STEPS))

    # --- updates --------------------------------------------------------------------------

    def _update_curves(self) -> None:
        eps = self.epsilon
        curves = binary_curves(eps)
        unclipped_y1, unclipped_y0 = curves.drawable_unclipped()
        for name, values in (("bce_y1", curves.bce_y1), ("bce_y0", curves.bce_y0),
                             ("squared_y1", curves.squared_y1), ("squared_y0", curves.squared_y0),
                             ("unclipped_y1", unclipped_y1), ("unclipped_y0", unclipped_y0)):
            self._curves[name].setData(curves.p, values)
        self._clip_zones[0].setRegion((0.0, eps))
        self._clip_zones[1].setRegion((1.0 - eps, 1.0))
        self._cap_line.setValue(curves.cap)
        top = max(curves.cap, 4.0) * 1.12
        self.plot.getPlotItem().setYRange(0.0, top, padding=0)
        self.eps_label.setText(f"eps = {eps:.0e}   cap = {curves.cap:.2f}")
        self._update_probe()

    def _update_probe(self) -> None:
        pr = binary_probe(self.epsilon, self.probe_p)
        self.probe = pr
        p, f = pr.p, format_number
        self._probe_points.setData([p, p], [pr.bce_y1, pr.bce_y0], brush=self._probe_brushes)
        self.p_label.setText(f"p = {p:.3f}")
        if p in (0.0, 1.0):
            bad = "y = 1" if p == 0.0 else "y = 0"
            self.log0_label.setText(
                f"<b>p = {p:g}: without the clip</b> the loss for {bad} is −log(0) = "
                f"<b>+inf</b>, and the other label gives 0·log(0) = <b>NaN</b>, one such sample "
                f"poisons the whole mean. <b>With the clip</b> p becomes {pr.clipped:.0e} "
                f"→ losses {f(pr.bce_y1)} (y = 1) and {f(pr.bce_y0)} (y = 0)."
            )
        else:
            self.log0_label.setText(
                f"At p = {p:.3f}: y = 1 → {f(pr.bce_y1)}, y = 0 → {f(pr.bce_y0)}; squared error "
                f"{f(pr.squared_y1)} and {f(pr.squared_y0)}. Without the clip, p = 0 would give "
                "log(0) = −inf: an infinite loss (move the probe to 0 to see it)."
            )
        self.probeChanged.emit(pr)
