"""Backprop stepper: one gradient-descent iteration of the 2-layer network, stage by stage.

Every forward value, delta and weight gradient of :meth:`core.scratch.TwoLayerNetwork.backprop`
is listed in chain-rule order with its formula; the two weight gradients sit beside their
finite-difference estimates.  "Next" walks through the stages; at the last one (the
update) it asks for the update to be applied (``updateRequested``). It shows an
:class:`~nnviz.tabs.loss.scratch_run.IterationReport`; it computes nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFontDatabase
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.tabs.loss.scratch_run import IterationReport
from nnviz.theme import (
    LOSS_ALERT,
    LOSS_CHECK_PASSED,
    LOSS_STAGE_CURRENT,
    LOSS_STAGE_DONE,
    LOSS_STAGE_TODO,
)

ACTIVATION_TEXT = {
    "sigmoid": ("σ", "σ(z)·(1 − σ(z))"),
    "tanh": ("tanh", "1 − tanh²(z)"),
    "relu": ("relu", "1 where z > 0, else 0"),
}


@dataclass(frozen=True)
class Stage:
    """One row of the stepper: the backprop key, its name, formula and an explanation."""

    key: str
    name: str
    formula: str
    explanation: str
    checked_by: str | None = None  # key of the finite-difference estimate, if any


STAGES: tuple[Stage, ...] = (
    Stage("z1", "z1", "X · W1ᵀ",
          "Forward 1 of 4: each hidden unit adds up its weighted inputs (no bias); "
          "row n is W1·xₙ for sample n. Shape N × H."),
    Stage("a1", "a1", "f(z1)",
          "Forward 2 of 4: the hidden activation f = {f} is applied to every sum."),
    Stage("z2", "z2", "a1 · W2ᵀ",
          "Forward 3 of 4: the output unit adds up the weighted hidden activations."),
    Stage("y_hat", "ŷ", "σ(z2)",
          "Forward 4 of 4: the output sigmoid turns the sum into the prediction, 0 < ŷ < 1."),
    Stage("loss", "L", "Σ (y − ŷ)²",
          "The loss: the squared errors of all samples, summed."),
    Stage("dL_dy_hat", "∂L/∂ŷ", "2·(ŷ − y)",
          "Backward 1: the derivative of (y − ŷ)² with respect to ŷ."),
    Stage("delta2", "δ2 = ∂L/∂z2", "∂L/∂ŷ ⊙ σ′(z2)",
          "Backward 2, chain rule through ŷ = σ(z2): multiply by σ′(z2) = σ(z2)·(1 − σ(z2))."),
    Stage("dW2", "∂L/∂W2", "δ2ᵀ · a1",
          "Backward 3: z2 = a1·W2ᵀ, so a W2 weight's gradient is δ2 times the hidden activation "
          "it multiplies, summed over the samples. Checked by finite differences.", "dW2"),
    Stage("dL_da1", "∂L/∂a1", "δ2 · W2",
          "Backward 4: the error flows back to each hidden unit through the weight that "
          "connects it to the output."),
    Stage("delta1", "δ1 = ∂L/∂z1", "∂L/∂a1 ⊙ f′(z1)",
          "Backward 5, chain rule through a1 = f(z1): multiply by f′(z1) = {f_prime}."),
    Stage("dW1", "∂L/∂W1", "δ1ᵀ · X",
          "Backward 6: z1 = X·W1ᵀ, so a W1 weight's gradient is δ1 times the input it "
          "multiplies, summed over the samples. Checked by finite differences.", "dW1"),
    Stage("update", "update", "W ← W − η·∂L/∂W",
          "Gradient descent: every weight moves against its gradient, scaled by the learning "
          "rate η = {lr:g}. These are the weights after the step; “Apply update” takes it."),
)


def format_matrix(a: np.ndarray | float) -> str:
    """Aligned text for a scalar or a small matrix, 3 decimals.

    A matrix whose largest entry is below 0.01 (late gradients) is shown with a common
    power of ten factored out, on a first line such as ``× 1e-04``, so it stays narrow.
    """
    if np.ndim(a) == 0:
        return f"{float(a):.6g}"
    a = np.atleast_2d(np.asarray(a, dtype=np.float64))
    biggest = float(np.max(np.abs(a))) if a.size else 0.0
    head = ""
    if 0.0 < biggest < 1e-2:
        exponent = int(np.floor(np.log10(biggest)))
        a = a / 10.0**exponent
        head = f"× 1e{exponent:03d}\n"
    return head + "\n".join("  ".join(f"{v:+.3f}" for v in row) for row in a)


class BackpropStepper(QWidget):
    """Table of every backprop quantity with formula, value and finite-difference check."""

    stageChanged = pyqtSignal(int)
    updateRequested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stage = 0
        self._activation = "sigmoid"
        self._learning_rate = 1.0
        self._line_counts: tuple[int, ...] = ()
        self.max_difference = float("nan")
        self.gradients_agree = True
        # translucent, over the table's own base colour, so rows read in light and dark themes
        self._row_colours = [QColor(*c) for c in (LOSS_STAGE_DONE, LOSS_STAGE_CURRENT,
                                                  LOSS_STAGE_TODO)]
        self._check_colours = {True: QColor(*LOSS_CHECK_PASSED), False: QColor(*LOSS_ALERT)}

        self.back_button = QPushButton(
            "◀ Back", toolTip="Go back one stage of the chain rule."
        )
        self.next_button = QPushButton(
            "Next ▶",
            toolTip="Go to the next stage: forward pass, loss, then backwards through the chain "
            "rule.\nAt the last stage this applies the gradient-descent update (one iteration).",
        )
        self.stage_label = QLabel(toolTip="Which stage of one training iteration is highlighted.")
        self.explanation = QLabel(
            wordWrap=True, minimumHeight=36, toolTip="What the highlighted row computes and why."
        )
        self.check_label = QLabel(
            wordWrap=True,
            toolTip="Backprop's weight gradients against central finite differences\n"
            "(L(w + h) − L(w − h)) / 2h with h = 1e-5, one weight at a time, in float64.",
        )

        self.table = QTableWidget(len(STAGES), 4)
        self.table.setHorizontalHeaderLabels(
            ["quantity", "chain rule", "value (backprop)", "finite difference"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setToolTip(
            "One iteration of training, top to bottom: the forward pass, the loss, and every\n"
            "delta and weight gradient of backpropagation. Rows are samples (N = 4) for the\n"
            "forward values and deltas. Click a row to jump to it (yellow: the current stage)."
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for row, stage in enumerate(STAGES):
            for col in range(4):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                if col >= 2:
                    item.setFont(mono)
                self.table.setItem(row, col, item)
            self.table.item(row, 0).setText(stage.name)
            self.table.item(row, 1).setText(stage.formula)
        self.table.cellClicked.connect(self._on_table_cell_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.stage_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.check_label)

        self.back_button.clicked.connect(self._on_back_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.set_stage(0)

    # --- public API -------------------------------------------------------------------

    @property
    def stage(self) -> int:
        """Index of the highlighted stage in :data:`STAGES`."""
        return self._stage

    def set_stage(self, stage: int) -> None:
        """Highlight stage ``stage`` (clamped to the valid range) and explain it."""
        stage = int(np.clip(stage, 0, len(STAGES) - 1))
        changed = stage != self._stage
        self._stage = stage
        for row in range(len(STAGES)):
            colour = self._row_colours[int(np.sign(row - stage)) + 1]  # done, current, to do
            for col in range(4):
                self.table.item(row, col).setBackground(colour)
        self.table.scrollToItem(self.table.item(stage, 0))
        self._refresh_text()
        if changed:
            self.stageChanged.emit(stage)

    def show_report(self, report: IterationReport) -> None:
        """Fill the table from one iteration's report (it must hold the finite differences)."""
        self._activation = report.activation
        self._learning_rate = report.learning_rate
        checks = report.checks
        new = report.new_weights
        for row, stage in enumerate(STAGES):
            if stage.key == "update":
                value = (
                    "W1 ←\n" + format_matrix(new["W1"]) + "\nW2 ←\n" + format_matrix(new["W2"])
                )
            else:
                value = format_matrix(report.grads[stage.key])
            self.table.item(row, 2).setText(value)
            check_item = self.table.item(row, 3)
            if stage.checked_by is None:
                check_item.setText("")
                continue
            check = checks[stage.checked_by]
            check_item.setText(
                format_matrix(report.numeric[stage.checked_by])
                + f"\nmax |Δ| {check.difference:.1e} {'✓' if check.agree else '✗'}"
                + f"\nrelative {check.relative:.1e}"
            )
            check_item.setForeground(self._check_colours[check.agree])
        self.max_difference = max(c.difference for c in checks.values())
        self.gradients_agree = all(c.agree for c in checks.values())
        line_counts = tuple(
            max(self.table.item(r, c).text().count("\n") for c in (2, 3))
            for r in range(len(STAGES))
        )
        if line_counts != self._line_counts:  # resize only when a cell grows or shrinks
            self._line_counts = line_counts
            self.table.resizeRowsToContents()
            self.table.resizeColumnsToContents()
        self._refresh_text()

    # --- internals ----------------------------------------------------------------------

    def _refresh_text(self) -> None:
        stage = STAGES[self._stage]
        f, f_prime = ACTIVATION_TEXT[self._activation]
        self.explanation.setText(
            stage.explanation.format(f=f, f_prime=f_prime, lr=self._learning_rate)
        )
        self.stage_label.setText(f"stage {self._stage + 1} of {len(STAGES)}: {stage.name}")
        last = self._stage == len(STAGES) - 1
        self.next_button.setText("Apply update ▶" if last else "Next ▶")
        self.back_button.setEnabled(self._stage > 0)
        if np.isnan(self.max_difference):
            self.check_label.setText("")
        else:
            ok = self.gradients_agree
            self.check_label.setText(
                "Finite-difference check of ∂L/∂W1 and ∂L/∂W2: largest difference "
                f"{self.max_difference:.1e} — "
                + ("backprop agrees ✓" if ok else "MISMATCH ✗")
                + ("" if ok or self._activation != "relu" else
                   " (a relu unit's input is within h of its kink, where the slope jumps)")
            )

    def _on_back_clicked(self) -> None:
        self.set_stage(self._stage - 1)

    def _on_next_clicked(self) -> None:
        if self._stage == len(STAGES) - 1:
            self.updateRequested.emit()
        else:
            self.set_stage(self._stage + 1)

    def _on_table_cell_clicked(self, row: int, _column: int) -> None:
        self.set_stage(row)
