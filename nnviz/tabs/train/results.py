"""What the last epoch got wrong: the confusion matrix beside the digits of its mistakes.

A QWidget facade over a :class:`~nnviz.tabs.train.confusion_matrix.ConfusionMatrix` and a
:class:`~nnviz.widgets.digit_gallery.DigitGallery`. A new report shows its misclassified
validation digits and outlines no cell; clicking a cell shows that cell's digits, and
"Show all misclassified" (or a second click on the cell) goes back to all of them.
Clicking a digit emits ``digitChosen(image, label)`` so the window can look at it on the
other tabs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QPushButton, QSplitter, QVBoxLayout, QWidget

from core.training import ValidationReport
from nnviz.tabs.train.confusion_matrix import ConfusionMatrix
from nnviz.tabs.train.report import DigitSelection, cell_digits, misclassified_digits
from nnviz.widgets.digit_gallery import DigitGallery
from nnviz.widgets.digit_image import to_uint8

__all__ = ["TrainResults"]


class TrainResults(QWidget):
    """The confusion matrix and a gallery of digits. Signals: ``digitChosen(object, int)``
    — a clicked digit as a (28, 28) float32 image in [0, 1] and its true label."""

    digitChosen = pyqtSignal(object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainResults")
        self._report: ValidationReport | None = None
        self._validation: tuple[np.ndarray, np.ndarray] | None = None
        self._names: tuple[str, ...] = ()
        self._selection: DigitSelection | None = None
        self._drawn = True  # False while a report waits for the widget to be shown

        self.confusion = ConfusionMatrix()
        self.confusion.setToolTip("Validation digits by true class (rows) and predicted class "
                                  "(columns) at the end of the last epoch. Click a cell to see "
                                  "those digits, click it again to go back to all mistakes.")
        self.gallery = DigitGallery(empty_text="Misclassified digits appear at the end of "
                                               "each epoch.")
        self.gallery.setToolTip("Click a digit to look at it on the Inside tab.")
        self.all_button = QPushButton("Show all misclassified")
        self.all_button.setObjectName("showAllMisclassified")
        self.all_button.setFlat(True)
        self.all_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.all_button.setToolTip("Back to every digit the network got wrong in the last "
                                   "epoch (also: click the outlined cell again).")
        self.all_button.hide()
        self.gallery.add_header_widget(self.all_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.confusion)
        splitter.addWidget(self.gallery)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.confusion.cellClicked.connect(self._on_confusion_cell_clicked)
        self.confusion.selectionCleared.connect(self.show_all_misclassified)
        self.all_button.clicked.connect(self.show_all_misclassified)
        self.gallery.digitClicked.connect(self._on_gallery_digit_clicked)

    # -- public API -----------------------------------------------------------------------
    def show_report(self, report: ValidationReport, validation: tuple[np.ndarray, np.ndarray]
                    | None, names: Sequence[str]) -> None:
        """An epoch's report on the validation digits (N, 28, 28) and labels (N,) it was
        measured on: its matrix with no cell outlined, and all its mistakes (drawn when the
        widget is shown, if it is hidden now)."""
        self._report, self._validation, self._names = report, validation, tuple(names)
        self._drawn = False
        if self.isVisible():
            self._draw_report()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._drawn:
            self._draw_report()

    def _draw_report(self) -> None:
        self._drawn = True
        if self._report is not None:
            self.confusion.set_matrix(self._report.confusion, self._names)
            self.show_all_misclassified()

    def show_all_misclassified(self) -> None:
        """Every misclassified digit of the report shown (no cell outlined)."""
        self.confusion.clear_selection()
        self.all_button.hide()
        if self._report is not None and self._validation is not None:
            self._show(misclassified_digits(self._report, self._validation[0], self._names))

    def show_cell(self, true_class: int, predicted_class: int) -> None:
        """The validation digits of one cell (what a click on it shows)."""
        if self._report is None or self._validation is None:
            return
        if not self._drawn:
            self._draw_report()
        self.all_button.show()
        self._show(cell_digits(self._report, *self._validation, true_class, predicted_class,
                               self._names))

    def choose_digit(self, index: int) -> None:
        """Emit ``digitChosen`` for the digit at ``index`` of the gallery (what a click does)."""
        selection = self._selection
        if selection is None or not 0 <= index < len(selection.labels):
            return
        image = to_uint8(selection.images[index]).astype(np.float32) / 255.0
        self.digitChosen.emit(image, int(selection.labels[index]))

    def clear(self) -> None:
        """Nothing shown (new weights)."""
        self._report = self._validation = self._selection = None
        self._drawn = True
        self.confusion.clear()
        self.gallery.clear()
        self.all_button.hide()

    # -- slots ----------------------------------------------------------------------------
    def _on_confusion_cell_clicked(self, true_class: int, predicted_class: int) -> None:
        self.show_cell(true_class, predicted_class)

    def _on_gallery_digit_clicked(self, index: int) -> None:
        self.choose_digit(index)

    def _show(self, selection: DigitSelection) -> None:
        self._selection = selection
        self.gallery.set_digits(selection.images, selection.captions, selection.title)
