"""The lab's share for the network being trained: its L1/L2 strengths and exact zeros."""

from __future__ import annotations

import math

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.settings import SUGGESTED_L1
from nnviz.theme import plot_colors

NO_STATS = "No network statistics yet: start training on the Train tab."


class NetworkRegularizationPanel(QGroupBox):
    """Shows the L1/L2 strength used on the Train tab and, per layer, the share of weights
    that are exactly 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The network you are training", parent)
        self.setObjectName("regNetworkPanel")
        self.setToolTip(
            "Connects the lesson to the network on the Train tab: its L1 and L2 strengths and, "
            "for every layer, the fraction of weights that are exactly zero."
        )
        self.strengths = QLabel(NO_STATS)
        self.strengths.setWordWrap(True)
        self.strengths.setTextFormat(Qt.TextFormat.RichText)
        self.strengths.setToolTip("The regularization strengths the trainer is using right now.")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["layer", "weights exactly 0"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(
            "Per layer, the fraction of weights that are exactly 0.0 (not just small)."
        )
        self.table.setVisible(False)
        self.note = QLabel(
            "L1 pushes weights to exactly 0 (the corners); L2 only shrinks them. Set L1 on the "
            f"Train tab (try {SUGGESTED_L1:g}) and watch the share of exact zeros grow while it "
            "trains."
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {plot_colors().muted};")
        self.note.setToolTip(
            "Why the counts above can stay near 0 % even with L1 switched on: each step pulls a "
            "weight toward 0 by only lr·α, and the engine stops a weight at exactly 0 when a "
            f"step would carry it across. A weak L1 (1e-4) makes under 1 % zeros in ten epochs; "
            f"{SUGGESTED_L1:g} makes about 40 %."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.strengths)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def show_stats(self, l1: float, l2: float, zero_fractions: dict[str, float]) -> None:
        """Display the strengths and, per layer name, the fraction in [0, 1] of zero weights."""
        for name, value in (("l1", l1), ("l2", l2)):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} strength must be finite and >= 0, got {value}")
        for layer, frac in zero_fractions.items():
            if not (math.isfinite(frac) and 0.0 <= frac <= 1.0):
                raise ValueError(f"zero fraction of {layer!r} must lie in [0, 1], got {frac}")
        kinds = []
        if l1 > 0:
            kinds.append("L1 (sparse)")
        if l2 > 0:
            kinds.append("L2 (weight decay)")
        what = " + ".join(kinds) if kinds else "no penalty"
        self.strengths.setText(f"L1 = <b>{l1:g}</b> · L2 = <b>{l2:g}</b> &nbsp;({what})")
        self.table.setVisible(True)
        if self.table.rowCount() != len(zero_fractions):
            self.table.setRowCount(len(zero_fractions))
        for row, (layer, frac) in enumerate(zero_fractions.items()):
            name_item = self.table.item(row, 0)
            if name_item is None:
                name_item = QTableWidgetItem()
                self.table.setItem(row, 0, name_item)
            name_item.setText(layer)
            bar = self.table.cellWidget(row, 1)
            if bar is None:
                bar = QProgressBar()
                bar.setRange(0, 1000)
                bar.setTextVisible(True)
                bar.setToolTip("Share of this layer's weights that are exactly 0.0.")
                self.table.setCellWidget(row, 1, bar)
            bar.setValue(int(round(frac * 1000)))
            bar.setFormat(f"{100 * frac:.1f} %")
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(
            rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        )

    def rows(self) -> list[tuple[str, str]]:
        """(layer, shown percentage) per row, for tests."""
        return [
            (self.table.item(r, 0).text(), self.table.cellWidget(r, 1).format())
            for r in range(self.table.rowCount())
        ]
