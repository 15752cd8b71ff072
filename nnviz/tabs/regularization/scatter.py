"""The lab's sample as a scatter of (x₁, x₂), each dot coloured by its target y."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QWidget

from nnviz.tabs.regularization.plotting import lab_plot
from nnviz.theme import REG_SAMPLE_EDGE, REG_TARGET_COLORMAP

N_SHADES = 64  # colours of the target scale


class SampleScatter(pg.PlotWidget):
    """x₂ against x₁ for every row, blue for a low y and red for a high one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = lab_plot(self, labels={"bottom": "x₁", "left": "x₂"}, grid=0.2)
        item.setAspectLocked(True)
        item.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)  # features are standardised
        self.setToolTip(
            "The sample: each dot is one row (x₁, x₂), coloured by its target y (blue low, red "
            "high). Correlated features make the J0 bowl a long narrow valley."
        )
        self._dots = pg.ScatterPlotItem(size=7, pen=pg.mkPen(REG_SAMPLE_EDGE, width=0.5))
        item.addItem(self._dots)
        cmap = pg.colormap.get(REG_TARGET_COLORMAP)
        shades = cmap.map(np.linspace(0, 1, N_SHADES), mode="qcolor")
        self._brushes = [pg.mkBrush(c) for c in shades]

    def set_sample(self, X: np.ndarray, y: np.ndarray, correlation: float) -> None:
        """Show X (n, 2) coloured by y (n,) on a scale symmetric about 0; the title gives n
        and the sample's correlation of x₁ and x₂."""
        top = float(np.max(np.abs(y))) or 1.0
        index = np.round((y / top + 1.0) * 0.5 * (N_SHADES - 1)).astype(int)
        self._dots.setData(X[:, 0], X[:, 1], brush=[self._brushes[i] for i in index])
        self.getPlotItem().setTitle(
            f"Data x₁ vs x₂ (n = {X.shape[0]}, corr {correlation:+.2f}), colour = y", size="9pt"
        )

    def points(self) -> np.ndarray:
        """The dots shown, (n, 2)."""
        x, y = self._dots.getData()
        return np.column_stack([x, y])
