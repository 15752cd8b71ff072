"""The Loss lab's formulas, each with the current numbers plugged in and its value."""

from __future__ import annotations

import math

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from nnviz.tabs.loss.math import BinaryProbe, SoftmaxReadout
from nnviz.theme import LOSS_ALERT

BINARY_CE = "−[y·log p̂ + (1 − y)·log(1 − p̂)],  p̂ = clip(p, eps, 1 − eps)"
ROWS = (
    ("binary CE, y = 1", BINARY_CE),
    ("binary CE, y = 0", BINARY_CE),
    ("no clip (y = 1 | y = 0)", "the same with p̂ = p:  log(0) = −inf,  0·log(0) = NaN"),
    ("squared error (y = 1 | y = 0)", "(y − p)²"),
    ("softmax", "p_k = exp(z_k/T − m) / Σ_j exp(z_j/T − m),  m = max_j z_j/T"),
    ("categorical CE", "L = −Σ_k y_k·log p_k = −log p_true  (via log-softmax: no clip)"),
    ("gradient, true class", "∂L/∂(z_k/T) = p_k − y_k  (and ∂L/∂z_k = (p_k − y_k)/T)"),
    ("gradient, other classes", "p_k − 0 = p_k;  all ten sum to 0"),
)
"""(quantity, formula) of every row; rows 0–3 are binary, 4–7 softmax."""
UNCLIPPED_ROW = 2


def format_number(x: float, digits: int = 4) -> str:
    """A number for the table: 'NaN', '+inf', fixed digits, or e-notation if tiny."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+inf" if x > 0 else "−inf"
    if 0.0 < abs(x) < 10.0**-digits:
        return f"{x:.3e}"
    return f"{x:.{digits}f}"


class FormulaTable(QTableWidget):
    """Four columns: quantity, formula, the formula with the numbers, and its value."""

    def __init__(self) -> None:
        super().__init__(len(ROWS), 4)
        self.setHorizontalHeaderLabels(
            ["quantity", "formula", "with the current numbers", "value"]
        )
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setToolTip("Every number in this lab, computed by core.losses, with its formula.")
        header = self.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, (name, formula) in enumerate(ROWS):
            for c, text in enumerate((name, formula, "", "")):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(r, c, item)

    def show_binary(self, probe: BinaryProbe) -> None:
        """Rows 0–3: the binary losses at the probed p."""
        f, p, q = format_number, probe.p, probe.clipped
        self._set_row(0, f"−[1·log({q:.4g}) + 0·log({1 - q:.4g})]", f(probe.bce_y1))
        self._set_row(1, f"−[0·log({q:.4g}) + 1·log({1 - q:.4g})]", f(probe.bce_y0))
        self._set_row(
            UNCLIPPED_ROW,
            f"−[1·log({p:.4g}) + 0·log({1 - p:.4g})]  |  −[0·log({p:.4g}) + 1·log({1 - p:.4g})]",
            f"{f(probe.raw_y1)}  |  {f(probe.raw_y0)}",
        )
        self._set_row(
            3, f"(1 − {p:.4g})²  |  (0 − {p:.4g})²",
            f"{f(probe.squared_y1)}  |  {f(probe.squared_y0)}",
        )
        # the table's own text colour when finite (light or dark theme), red when not
        self.item(UNCLIPPED_ROW, 3).setData(
            Qt.ItemDataRole.ForegroundRole, None if probe.raw_finite else QColor(*LOSS_ALERT)
        )

    def show_softmax(self, r: SoftmaxReadout) -> None:
        """Rows 4–7: softmax, the categorical loss and its gradient for the true class."""
        k, t = r.true_class, r.temperature
        pt = float(r.probabilities[k])
        self._set_row(
            4, f"p_{k} = exp({r.logits[k]:.2f}/{t:.2f} − {r.shift:.2f}) / {r.denominator:.4g}",
            format_number(pt),
        )
        self._set_row(5, f"−log({pt:.4g})", format_number(r.loss))
        self._set_row(
            6,
            f"{format_number(pt)} − 1   (÷ T = {t:.2f} → {r.gradient_logits[k]:+.4f})",
            f"{r.gradient[k]:+.4f}",
        )
        j = r.top_other
        self._set_row(
            7,
            f"largest: p_{j} = {r.probabilities[j]:.4f};  "
            f"sum of all ten = {float(r.gradient.sum()):+.1e}",
            f"{r.gradient[j]:+.4f}",
        )

    def _set_row(self, row: int, numbers: str, value: str) -> None:
        self.item(row, 2).setText(numbers)
        self.item(row, 3).setText(value)
