"""The "what differs" table of the ticked runs: one column a run (its name in its curve
colour), one row for each setting, data set figure, starting weights or network part that
is not the same in all of them, then what came out of each (accuracy, exact zeros)."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QBrush, QColor, QFont
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.theme import train_colors

__all__ = ["DifferencesTable"]

Rows = list[tuple[str, str, list[str]]]


class DifferencesTable(QWidget):
    """What differs between the ticked runs, and their results (read-only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsDifferences")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(f"color: {train_colors().caption};")
        self.table = QTableWidget()
        self.table.setObjectName("runsDifferencesTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self._rows: list[tuple[str, list[str]]] = []
        self.show_runs([], [], [], [])

    def show_runs(self, names: list[str], colors: list[tuple[int, int, int]],
                  differences: Rows, results: Rows, tips: dict[str, str] | None = None) -> None:
        """Columns ``names`` (headers in ``colors``); rows ``differences`` then ``results``,
        each (key, label, [text per run]); ``tips``: key -> what a row means."""
        if len(names) < 2:
            self.caption.setText("Tick two or more runs to see what differs between them."
                                 if not names else "Tick another run to compare it with.")
        elif differences:
            self.caption.setText("What differs between the ticked runs (every other setting,"
                                 " the data and the network are the same), and what came out.")
        else:
            self.caption.setText("The ticked runs had the same settings, data, network and "
                                 "starting weights; only chance differs (the shuffling).")
        t = self.table
        t.clear()
        t.setColumnCount(len(names))
        for column, (name, color) in enumerate(zip(names, colors, strict=True)):
            header = QTableWidgetItem(name)
            header.setForeground(QBrush(QColor(*color)))
            header.setToolTip(name)
            t.setHorizontalHeaderItem(column, header)
        sections = ([("What differs", differences)] if differences else []) + (
            [("What came out", results)] if names else [])
        self._rows = []
        t.setRowCount(sum(len(rows) + 1 for _, rows in sections))
        row = 0
        bold = QFont()
        bold.setBold(True)
        for title, rows in sections:
            header = QTableWidgetItem(title)
            header.setFont(bold)
            t.setVerticalHeaderItem(row, header)
            row += 1
            for key, label, values in rows:
                header = QTableWidgetItem(label)
                header.setToolTip((tips or {}).get(key, label))
                t.setVerticalHeaderItem(row, header)
                for column, text in enumerate(values):
                    item = QTableWidgetItem(text)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setToolTip(f"{label}: {text}")
                    t.setItem(row, column, item)
                self._rows.append((label, list(values)))
                row += 1
        t.setVisible(bool(names))

    def rows(self) -> list[tuple[str, list[str]]]:
        """(label, [text per run]) of every row shown, differences first."""
        return list(self._rows)

    def message(self) -> str:
        """The line above the table."""
        return self.caption.text()
