"""Confusion matrix: counts of (true class, predicted class), coloured, clickable.

A QWidget facade over a pyqtgraph image: rows are the true classes, columns what the
network predicted, every cell shows its count. Colours are normalised per row (per true
class) so that a class with few samples reads as clearly as a big one: the diagonal
(correct) in green by the share of its row that was right, the other cells in red by the
share that went to that wrong class — saturating at :data:`OFF_SATURATION` of the row,
because mistakes are small numbers that must still stand out. Clicking a cell emits
``cellClicked(true_class, predicted_class)`` so the tab can show those digits; clicking it
again emits ``selectionCleared()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPoint, QPointF, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QFontMetrics, QTextDocument
from PyQt6.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from nnviz.theme import (
    CONFUSION_CORRECT,
    CONFUSION_GRID,
    CONFUSION_HOVER,
    CONFUSION_MISTAKE,
    CONFUSION_SELECTED,
    CONFUSION_TEXT,
    CONFUSION_TEXT_ON_DARK,
    CONFUSION_TEXT_ZERO,
    plot_colors,
)

__all__ = ["ConfusionMatrix", "OFF_SATURATION", "cell_colours"]

GOOD = np.array(CONFUSION_CORRECT)
BAD = np.array(CONFUSION_MISTAKE)
OFF_SATURATION = 0.25
"""Share of a row at which a mistake cell reaches full red."""
_MAX_COLUMN_NAME = 4  # longer class names are replaced by numbers under the columns
_MAX_TEXT_CLASSES = 20  # beyond this many classes the cells are too small for numbers


def _plain(rich_text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(rich_text)
    return doc.toPlainText()


def cell_colours(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RGBA colours (K, K, 4) uint8 and intensities (K, K) in [0, 1] for a count matrix.

    Intensity on the diagonal = the share of the row that is correct; off the diagonal =
    sqrt(min(1, share / OFF_SATURATION)), so 1 % of a row is already visibly pink. Empty
    rows (a class without samples) are white.
    """
    counts = np.asarray(confusion, dtype=np.float64)
    k = counts.shape[0]
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    diagonal = np.eye(k, dtype=bool)
    t = np.where(diagonal, share, np.sqrt(np.minimum(1.0, share / OFF_SATURATION)))
    colour = np.where(diagonal[..., None], GOOD, BAD)
    rgb = 255.0 * (1.0 - t[..., None]) + colour * t[..., None]
    rgba = np.empty((k, k, 4), dtype=np.uint8)
    rgba[..., :3] = np.round(rgb)
    rgba[..., 3] = 255
    return rgba, t


class ConfusionMatrix(QWidget):
    """A K x K table of counts; rows = true class, columns = predicted class."""

    cellClicked = pyqtSignal(int, int)
    """(true class, predicted class) of a clicked cell."""
    selectionCleared = pyqtSignal()
    """The outlined cell was clicked again: nothing is selected any more."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self._confusion: np.ndarray | None = None
        self._names: tuple[str, ...] = ()
        self._texts: list[list[pg.TextItem]] = []
        self._selected: tuple[int, int] | None = None
        self._hovered: tuple[int, int] | None = None
        self._tick_labels: dict[str, list[str]] = {}

        self._title = QLabel()
        self._title.setObjectName("confusionMatrixTitle")
        self._title.setTextFormat(Qt.TextFormat.RichText)
        self._title.setWordWrap(True)
        self._title.setToolTip("Accuracy on the digits counted in the matrix: the diagonal "
                               "(correct) over all cells.")

        self.plot_view = pg.PlotWidget()
        """The plot of the cells (click and hover its viewport)."""
        self.plot_view.setObjectName("confusionMatrixPlot")
        self.plot_view.setBackground(plot_colors().background)
        self.plot_view.setToolTip(
            "Each cell counts the digits of one true class (row) that the network gave one\n"
            "predicted class (column). Green diagonal = correct; red = mistakes, the darker the\n"
            f"larger their share of the row (full red at {OFF_SATURATION:.0%} of the row).\n"
            "The right axis gives each class's share of correct answers (recall).\n"
            "Click a cell to see its digits.")
        plot = self.plot_view.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(False, False)
        plot.showAxis("right")
        plot.setLabel("left", "true")
        plot.setLabel("bottom", "predicted")
        plot.setLabel("right", "correct (% of the row)")
        for name in ("left", "bottom", "right"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(plot_colors().axis))
            axis.setTextPen(pg.mkPen(plot_colors().axis))
            axis.setStyle(tickLength=0)
            axis.enableAutoSIPrefix(False)
        plot.getAxis("right").setWidth(70)
        plot.vb.invertY(True)
        plot.vb.setDefaultPadding(0.0)
        self._plot = plot
        self._cramped: bool | None = None
        plot.vb.sigResized.connect(self._fit_to_size)
        self._image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self._image)
        self._grid = pg.PlotCurveItem(pen=pg.mkPen(CONFUSION_GRID), connect="pairs")
        plot.addItem(self._grid, ignoreBounds=True)
        self._hover_box = QGraphicsRectItem()
        self._hover_box.setPen(pg.mkPen(CONFUSION_HOVER, width=2, cosmetic=True))
        self._select_box = QGraphicsRectItem()
        self._select_box.setPen(pg.mkPen(CONFUSION_SELECTED, width=3, cosmetic=True))
        for box in (self._hover_box, self._select_box):
            box.setZValue(10)
            box.setVisible(False)
            plot.addItem(box, ignoreBounds=True)
        self.plot_view.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.plot_view.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)

        self._readout = QLabel()
        self._readout.setObjectName("confusionMatrixReadout")
        self._readout.setWordWrap(True)
        self._readout.setTextFormat(Qt.TextFormat.RichText)
        self._readout.setMinimumHeight(2 * self._readout.fontMetrics().lineSpacing() + 4)
        self._readout.setContentsMargins(6, 0, 6, 4)
        self._title.setContentsMargins(6, 4, 6, 0)
        self._readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._title)
        layout.addWidget(self.plot_view, 1)
        layout.addWidget(self._readout)
        self.clear()

    # ----------------------------------------------------------------- public API
    def set_matrix(self, confusion: np.ndarray, class_names: Sequence[str]) -> None:
        """Show ``confusion`` (K, K) integer counts, rows = true, columns = predicted.

        ``class_names`` (K,) label the rows and columns. A clicked cell stays outlined
        while K stays the same.
        """
        counts = np.asarray(confusion)
        if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] == 0:
            raise ValueError(f"a confusion matrix is square (K, K), got shape {counts.shape}")
        if not np.issubdtype(counts.dtype, np.integer):
            if not np.all(np.isfinite(counts)) or np.any(counts != np.round(counts)):
                raise ValueError("a confusion matrix holds whole counts")
            counts = counts.astype(np.int64)
        if np.any(counts < 0):
            raise ValueError("a confusion matrix holds counts >= 0")
        k = counts.shape[0]
        names = tuple(str(n) for n in class_names)
        if len(names) != k:
            raise ValueError(f"{len(names)} class names for a {k} x {k} matrix")
        if k != (0 if self._confusion is None else self._confusion.shape[0]):
            self._rebuild_cells(k)
        self._confusion = counts.astype(np.int64, copy=True)
        self._names = names
        self._draw()

    def clear(self) -> None:
        """Show nothing (before the first epoch ends, or after a reset)."""
        self._confusion = None
        self._names = ()
        self._rebuild_cells(0)
        self._image.clear()
        self._title.setText(f"<b>Confusion matrix</b> <span style='color:{plot_colors().muted}'>"
                            "— appears at the end of the first epoch</span>")
        self._readout.setText("")
        for name in ("left", "bottom", "right"):
            self._set_ticks(name, [])
        self._plot.vb.setRange(xRange=(0, 10), yRange=(0, 10), padding=0.0)

    def matrix(self) -> np.ndarray | None:
        """A copy of the counts shown, (K, K), or None."""
        return None if self._confusion is None else self._confusion.copy()

    def class_names(self) -> tuple[str, ...]:
        return self._names

    def clear_selection(self) -> None:
        """Outline no cell (a new report came, or the user went back to all mistakes);
        emits nothing."""
        self._selected = None
        self._select_box.setVisible(False)

    def selected_cell(self) -> tuple[int, int] | None:
        """The (true, predicted) cell last clicked, or None."""
        return self._selected

    def hovered_cell(self) -> tuple[int, int] | None:
        """The (true, predicted) cell outlined under the mouse, or None."""
        return self._hovered

    def cell_center(self, true_class: int, predicted_class: int) -> QPoint:
        """Where a cell's centre is in ``plot_view``'s viewport (to click or hover it)."""
        scene = self._plot.vb.mapViewToScene(QPointF(predicted_class + 0.5, true_class + 0.5))
        return self.plot_view.mapFromScene(scene)

    def tick_labels(self, side: str) -> list[str]:
        """The labels along ``side``: "left" (true classes), "bottom" (predicted classes)
        or "right" (each row's share correct)."""
        return list(self._tick_labels[side])

    def title(self) -> str:
        """The line above the matrix as plain text."""
        return _plain(self._title.text())

    def cell_text(self, true_class: int, predicted_class: int) -> str:
        """The number written in a cell (empty if the matrix is too big for numbers)."""
        if not self._texts:
            return ""
        return self._texts[true_class][predicted_class].textItem.toPlainText()

    def hover_text(self) -> str:
        """The read-out under the matrix as plain text."""
        return _plain(self._readout.text())

    def _set_ticks(self, side: str, labels: Sequence[str]) -> None:
        """Label the cells along ``side`` (at their centres)."""
        self._tick_labels[side] = list(labels)
        self._plot.getAxis(side).setTicks([[(i + 0.5, name) for i, name in enumerate(labels)]])

    # ----------------------------------------------------------------- drawing
    def _rebuild_cells(self, k: int) -> None:
        for row in self._texts:
            for text in row:
                self._plot.removeItem(text)
        self._texts = []
        self._selected = None
        self._select_box.setVisible(False)
        self._hover_box.setVisible(False)
        self._hovered = None
        edges = np.arange(k + 1, dtype=np.float64)
        ends = np.tile([0.0, float(k)], k + 1)
        lines = np.repeat(edges, 2)  # thin lines between the cells, as pairs of points
        self._grid.setData(np.concatenate([lines, ends]), np.concatenate([ends, lines]))
        if k == 0 or k > _MAX_TEXT_CLASSES:
            return
        font = QFont()
        font.setPointSize(10 if k <= 12 else 8)
        for i in range(k):
            row = []
            for j in range(k):
                text = pg.TextItem(anchor=(0.5, 0.5))
                text.setFont(font)
                text.setPos(j + 0.5, i + 0.5)
                self._plot.addItem(text, ignoreBounds=True)
                row.append(text)
            self._texts.append(row)

    def _draw(self) -> None:
        counts, names = self._confusion, self._names
        k = counts.shape[0]
        rgba, intensity = cell_colours(counts)
        self._image.setImage(rgba, levels=(0, 255), autoLevels=False)
        self._image.setRect(QRectF(0, 0, k, k))
        self._plot.vb.setRange(xRange=(0, k), yRange=(0, k), padding=0.0)
        left = self._plot.getAxis("left")
        if max(len(name) for name in names) <= _MAX_COLUMN_NAME:
            rows = columns = names
        else:  # long names (Fashion-MNIST) do not fit under a column: number the columns
            rows = tuple(f"{name} ({i})" for i, name in enumerate(names))
            columns = tuple(str(i) for i in range(k))
        self._set_ticks("left", rows)
        self._set_ticks("bottom", columns)
        metrics = QFontMetrics(left.font() if left.style["tickFont"] is None
                               else left.style["tickFont"])
        left.setWidth(max(metrics.horizontalAdvance(name) for name in rows) + 30)
        totals = counts.sum(axis=1)
        self._set_ticks("right", [f"{100 * counts[i, i] / totals[i]:.1f} %" if totals[i]
                                  else "–" for i in range(k)])
        bold = QFont()
        bold.setPointSize(10 if k <= 12 else 8)
        for i, row in enumerate(self._texts):
            for j, text in enumerate(row):
                n = int(counts[i, j])
                text.setText(f"{n:,}")
                if n == 0:
                    colour = QColor(*CONFUSION_TEXT_ZERO)
                elif intensity[i, j] > 0.72:
                    colour = QColor(*CONFUSION_TEXT_ON_DARK)
                else:
                    colour = QColor(*CONFUSION_TEXT)
                text.setColor(colour)
                font = text.textItem.font()
                font.setBold(i == j)
                text.setFont(font)
        total = int(counts.sum())
        correct = int(np.trace(counts))
        share = f"{100 * correct / total:.1f} %" if total else "–"
        self._title.setText(
            f"<b>Confusion matrix</b> · {total:,} digits, {correct:,} correct ({share}) · "
            f"<span style='color:{plot_colors().muted}'>click a cell to see its digits, "
            "again to go back</span>")
        if self._selected is not None:
            self._select(*self._selected, emit=False)
        self._fit_to_size()

    def is_cramped(self) -> bool:
        """Whether the cells are too low for their counts (shown on hover instead)."""
        return bool(self._cramped)

    def _fit_to_size(self, *_) -> None:
        """Cells lower than a line of text hide their counts (the hover readout still
        gives them), and the axes use a smaller font, so nothing is drawn over itself."""
        k = len(self._texts)
        if k == 0:
            return
        line = QFontMetrics(self._texts[0][0].textItem.font()).height()
        cramped = self._plot.vb.height() / k < line
        if cramped == self._cramped:
            return
        self._cramped = cramped
        for row in self._texts:
            for text in row:
                text.setVisible(not cramped)
        font = QFont()
        if cramped:
            font.setPointSize(7)
        for name in ("left", "right"):
            self._plot.getAxis(name).setStyle(tickFont=font if cramped else None)
        self._plot.setLabel("right", "% right" if cramped else "correct (% of the row)")

    # ----------------------------------------------------------------- mouse
    def _cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self._confusion is None:
            return None
        vb = self._plot.vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        k = self._confusion.shape[0]
        i, j = int(np.floor(p.y())), int(np.floor(p.x()))
        if 0 <= i < k and 0 <= j < k:
            return i, j
        return None

    def _describe(self, i: int, j: int) -> str:
        counts, names = self._confusion, self._names
        n, total = int(counts[i, j]), int(counts[i].sum())
        share = f"{100 * n / total:.1f} %" if total else "–"
        if i == j:
            what = (f"<b>{n:,}</b> correct: {share} of the {total:,} digits whose true class "
                    f"is {names[i]}")
        else:
            what = (f"<b>{n:,}</b> mistaken: {share} of the {total:,} digits whose true class "
                    f"is {names[i]} were predicted as {names[j]}")
        return f"true <b>{names[i]}</b>, predicted <b>{names[j]}</b>: {what}"

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        cell = self._cell_at(scene_pos)
        if cell is None:
            self._hover_box.setVisible(False)
            self._hovered = None
            if self._confusion is not None:
                self._readout.setText(f"<span style='color:{plot_colors().muted}'>Hover a cell "
                                      "for its numbers; click it to see its digits.</span>")
            return
        i, j = cell
        self._hover_box.setRect(QRectF(j, i, 1, 1))
        self._hover_box.setVisible(True)
        self._hovered = (i, j)
        self._readout.setText(self._describe(i, j))

    def _on_scene_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self._cell_at(event.scenePos())
        if cell is None:
            return
        event.accept()
        if cell == self._selected:  # a second click on the outlined cell goes back
            self.clear_selection()
            self.selectionCleared.emit()
        else:
            self._select(*cell, emit=True)

    def _select(self, i: int, j: int, emit: bool) -> None:
        self._selected = (i, j)
        self._select_box.setRect(QRectF(j, i, 1, 1))
        self._select_box.setVisible(True)
        self._readout.setText(self._describe(i, j))
        if emit:
            self.cellClicked.emit(i, j)
