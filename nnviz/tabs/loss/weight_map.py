"""A small weight matrix as a heat map with fixed colour levels and the values written in."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QWidget

from nnviz.theme import LOSS_CELL_TEXT, LOSS_WEIGHT_COLORMAP
from nnviz.widgets.plot_style import style_plot

MAX_ANNOTATED_ROWS = 8  # beyond this the numbers would overlap; colours still show
MAX_ANNOTATED_COLS = 6


class WeightMap(pg.PlotWidget):
    """Heat map of a (rows, cols) matrix; colours fixed to [-level, level] so they never flicker.

    The image item and the per-cell text items are created once per shape; ``set_matrix``
    only updates them.
    """

    def __init__(
        self,
        title: str,
        level: float = 10.0,
        colorbar: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.level = level
        self._shape: tuple[int, int] | None = None
        self._texts: list[pg.TextItem] = []
        plot = style_plot(self, title, mouse=False)
        plot.invertY(True)
        plot.setAspectLocked(False)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setLevels((-level, level))
        self._image.setColorMap(pg.colormap.get(LOSS_WEIGHT_COLORMAP))
        plot.addItem(self._image)
        if colorbar:
            bar = pg.ColorBarItem(
                values=(-level, level), colorMap=pg.colormap.get(LOSS_WEIGHT_COLORMAP),
                interactive=False, width=12,
            )
            bar.setImageItem(self._image, insert_in=plot)
            # Ticks short of the ends: the layout would clip a label centred on -level.
            step = level / 2.5
            bar.axis.setTicks([[(k * step, f"{k * step:g}") for k in (-2, -1, 0, 1, 2)]])

    def set_axis_labels(self, row_labels: list[str], col_labels: list[str]) -> None:
        """Name the rows (left axis) and columns (bottom axis)."""
        plot = self.getPlotItem()
        plot.getAxis("left").setTicks([[(i + 0.5, s) for i, s in enumerate(row_labels)]])
        plot.getAxis("bottom").setTicks([[(j + 0.5, s) for j, s in enumerate(col_labels)]])

    def set_matrix(self, matrix: np.ndarray) -> None:
        """Show ``matrix`` (rows, cols); the colour scale stays fixed at ±level."""
        matrix = np.asarray(matrix, dtype=np.float64)
        if matrix.shape != self._shape:
            self._rebuild(matrix.shape)
        self._image.setImage(matrix, levels=(-self.level, self.level), autoLevels=False)
        if self._texts:
            for text, value in zip(self._texts, matrix.ravel(), strict=True):
                text.setText(f"{value:+.2f}")

    def matrix_shape(self) -> tuple[int, int] | None:
        """The shape currently shown, or None before the first ``set_matrix``."""
        return self._shape

    def matrix(self) -> np.ndarray | None:
        """The matrix shown (rows, cols), or None before the first ``set_matrix``."""
        return self._image.image

    def levels(self) -> tuple[float, float]:
        """The values of the colour scale's ends: (−level, level)."""
        low, high = self._image.getLevels()
        return float(low), float(high)

    def cell_texts(self) -> list[str]:
        """The values written in the cells, row by row ([] when the matrix is too large)."""
        return [text.textItem.toPlainText() for text in self._texts]

    def _rebuild(self, shape: tuple[int, int]) -> None:
        plot = self.getPlotItem()
        for text in self._texts:
            plot.removeItem(text)
        self._texts = []
        rows, cols = shape
        if rows <= MAX_ANNOTATED_ROWS and cols <= MAX_ANNOTATED_COLS:
            for i in range(rows):
                for j in range(cols):
                    text = pg.TextItem("", color=LOSS_CELL_TEXT, anchor=(0.5, 0.5))
                    text.setPos(j + 0.5, i + 0.5)
                    plot.addItem(text)
                    self._texts.append(text)
        plot.setXRange(0, cols, padding=0)
        plot.setYRange(0, rows, padding=0)
        self._shape = (rows, cols)
