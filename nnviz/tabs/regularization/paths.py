"""Coefficient paths: each weight against log α, with the current α marked (Lasso or Ridge)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QWidget

from nnviz.tabs.regularization.plotting import lab_plot, swatch
from nnviz.tabs.regularization.ranges import settle
from nnviz.theme import REG_OPTIMUM, REG_WEIGHTS, REG_ZERO, plot_colors


class CoefficientPaths(pg.PlotWidget):
    """w1 and w2 against α on a log axis; a vertical line at the α the plane shows.

    The line is solid when this is the penalty on the plane, dashed when it marks the α of
    this penalty that gives a region of the same size t (the other penalty is on the plane).
    """

    def __init__(self, title: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colors = plot_colors()
        keys = " ".join(swatch(c, f"━ w{'₁₂'[j]}") for j, c in enumerate(REG_WEIGHTS))
        item = lab_plot(
            self, f"{title} &nbsp; {keys}", {"bottom": "α (log scale)", "left": "weight"},
            grid=0.25, left_width=40,
        )
        item.setLogMode(x=True, y=False)
        self.setToolTip(tooltip)
        self._curves = [item.plot(pen=pg.mkPen(c, width=2)) for c in REG_WEIGHTS]
        self._dots = [
            item.plot(pen=None, symbol="o", symbolSize=9, symbolBrush=c, symbolPen=colors.halo)
            for c in REG_WEIGHTS
        ]
        self.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(colors.crosshair)))
        self._zero_lines = [
            pg.InfiniteLine(
                angle=90, pen=pg.mkPen(REG_ZERO, width=1.5, style=Qt.PenStyle.DotLine),
                label="", labelOpts={"position": pos, "color": REG_ZERO, "fill": colors.label_fill,
                                     "anchors": [(1, 0.5), (1, 0.5)]},
            )
            for pos in (0.62, 0.9)
        ]
        for line in self._zero_lines:
            line.setVisible(False)
            self.addItem(line)
        self._solid = pg.mkPen(REG_OPTIMUM, width=2)
        self._dashed = pg.mkPen(REG_OPTIMUM, width=2, style=Qt.PenStyle.DashLine)
        self._now = pg.InfiniteLine(angle=90, pen=self._solid)
        self.addItem(self._now)

    def set_paths(self, alphas: np.ndarray, coefs: np.ndarray, zeros: list[tuple[float, str]]):
        """The path: α (k,) > 0 and weights (k, 2); ``zeros`` = [(α, label)] marks where a
        weight becomes exactly 0 (at most two)."""
        for j, curve in enumerate(self._curves):
            curve.setData(alphas, coefs[:, j])
        for line, spec in zip(self._zero_lines, [*zeros, None, None][:2], strict=True):
            line.setVisible(spec is not None)
            if spec is not None:
                line.setValue(np.log10(spec[0]))
                line.label.setFormat(spec[1])
        vb = self.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        lo, hi = np.log10(float(np.min(alphas))), np.log10(float(np.max(alphas)))
        pad = 0.02 * (hi - lo)
        vb.setXRange(*settle((x0, x1), (lo - pad, hi + pad), slack=0.5), padding=0)
        top = max(float(np.max(np.abs(coefs))), 1e-12) if coefs.size else 1.0
        want = (min(-0.05 * top, float(coefs.min()) * 1.08),
                max(0.05 * top, float(coefs.max()) * 1.08))
        vb.setYRange(*settle((y0, y1), want, slack=0.3 * (want[1] - want[0])), padding=0)

    def set_current(self, alpha: float | None, w: np.ndarray | None, same_t: bool) -> None:
        """Mark α (None hides the marker); dashed when it only matches the region size t."""
        visible = bool(alpha is not None and alpha > 0 and np.isfinite(alpha))
        self._now.setVisible(visible)
        for dot in self._dots:
            dot.setVisible(visible)
        if not visible:
            return
        self._now.setPen(self._dashed if same_t else self._solid)
        self._now.setValue(np.log10(alpha))
        for j, dot in enumerate(self._dots):
            dot.setData([alpha], [w[j]])

    def current_alpha(self) -> float | None:
        """The α marked (for tests), or None."""
        return float(10.0 ** self._now.value()) if self._now.isVisible() else None
