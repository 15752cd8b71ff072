"""Backprop stepper: one gradient-descent iteration of the 2-layer network, stage by stage.

Every forward value, delta and weight gradient of :meth:`core.scratch.TwoLayerNetwork.backprop`
is listed in chain-rule order with its formula; the two weight gradients sit beside their
finite-difference estimates.  "Next" walks through the stages; at the last one (the
update) it asks for the update to be applied (``update_requested``).
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

# translucent, over the table's own base colour, so the rows read in light and dark themes
CURRENT_ROW = QColor(255, 190, 0, 90)  # the highlighted stage: light yellow / dark amber
DONE_ROW = QColor(128, 128, 128, 28)  # stages already walked through: a touch of grey
TODO_ROW = QColor(0, 0, 0, 0)
RELATIVE_TOLERANCE = 1e-5  # backprop vs central differences (h = 1e-5, float64)
ABSOLUTE_TOLERANCE = 1e-8

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


def gradient_check(analytic: np.ndarray, numeric: np.ndarray) -> tuple[float, float, bool]:
    """Compare backprop with finite differences: (max |difference|, relative, agree?).

    relative = max |difference| / max(|analytic|, |numeric|).  They agree when the
    difference is below 1e-5 of that scale plus 1e-8, the round-off floor of a central
    difference with h = 1e-5 (about 1e-16 · L / h), so vanishing gradients still pass.
    """
    diff = float(np.max(np.abs(analytic - numeric)))
    scale = max(float(np.max(np.abs(analytic))), float(np.max(np.abs(numeric))))
    relative = diff / scale if scale > 0 else 0.0
    return diff, relative, diff <= RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE


class BackpropStepper(QWidget):
    """Table of every backprop quantity with formula, value and finite-difference check."""

    stage_changed = pyqtSignal(int)
    update_requested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stage = 0
        self._activation = "sigmoid"
        self._learning_rate = 1.0
        self._line_counts: tuple[int, ...] = ()
        self.max_difference = float("nan")
        self.gradients_agree = True

        self._back_button = QPushButton("◀ Back")
        self._back_button.setToolTip("Go back one stage of the chain rule.")
        self._next_button = QPushButton("Next ▶")
        self._next_button.setToolTip(
            "Go to the next stage: forward pass, loss, then backwards through the chain rule.\n"
            "At the last stage this applies the gradient-descent update (one iteration)."
        )
        self._stage_label = QLabel()
        self._stage_label.setToolTip("Which stage of one training iteration is highlighted.")
        self._explanation = QLabel()
        self._explanation.setWordWrap(True)
        self._explanation.setMinimumHeight(36)
        self._explanation.setToolTip("What the highlighted row computes and why.")
        self._check_label = QLabel()
        self._check_label.setWordWrap(True)
        self._check_label.setToolTip(
            "Backprop's weight gradients against central finite differences\n"
            "(L(w + h) − L(w − h)) / 2h with h = 1e-5, one weight at a time, in float64."
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
        buttons.addWidget(self._back_button)
        buttons.addWidget(self._next_button)
        buttons.addWidget(self._stage_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self._explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._check_label)

        self._back_button.clicked.connect(self._on_back_clicked)
        self._next_button.clicked.connect(self._on_next_clicked)
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
            colour = CURRENT_ROW if row == stage else DONE_ROW if row < stage else TODO_ROW
            for col in range(4):
                self.table.item(row, col).setBackground(colour)
        self.table.scrollToItem(self.table.item(stage, 0))
        self._refresh_text()
        if changed:
            self.stage_changed.emit(stage)

    def show_backprop(
        self,
        grads: dict,
        numeric: dict[str, np.ndarray],
        new_weights: dict[str, np.ndarray],
        activation: str,
        learning_rate: float,
    ) -> None:
        """Fill the table from ``TwoLayerNetwork.backprop`` and ``numerical_gradients``.

        ``new_weights`` holds the weights after the update (``W1`` (H, n_in), ``W2`` (1, H)).
        """
        self._activation = activation
        self._learning_rate = learning_rate
        worst, agree = 0.0, True
        for row, stage in enumerate(STAGES):
            if stage.key == "update":
                value = (
                    "W1 ←\n" + format_matrix(new_weights["W1"])
                    + "\nW2 ←\n" + format_matrix(new_weights["W2"])
                )
            else:
                value = format_matrix(grads[stage.key])
            self.table.item(row, 2).setText(value)
            check_item = self.table.item(row, 3)
            if stage.checked_by is None:
                check_item.setText("")
                continue
            diff, relative, ok = gradient_check(
                np.asarray(grads[stage.key]), numeric[stage.checked_by]
            )
            worst, agree = max(worst, diff), agree and ok
            check_item.setText(
                format_matrix(numeric[stage.checked_by])
                + f"\nmax |Δ| {diff:.1e} {'✓' if ok else '✗'}\nrelative {relative:.1e}"
            )
            check_item.setForeground(QColor(20, 140, 50) if ok else QColor(214, 39, 40))
        self.max_difference, self.gradients_agree = worst, agree
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
        self._explanation.setText(
            stage.explanation.format(f=f, f_prime=f_prime, lr=self._learning_rate)
        )
        self._stage_label.setText(f"stage {self._stage + 1} of {len(STAGES)}: {stage.name}")
        last = self._stage == len(STAGES) - 1
        self._next_button.setText("Apply update ▶" if last else "Next ▶")
        self._back_button.setEnabled(self._stage > 0)
        if np.isnan(self.max_difference):
            self._check_label.setText("")
        else:
            ok = self.gradients_agree
            self._check_label.setText(
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
            self.update_requested.emit()
        else:
            self.set_stage(self._stage + 1)

    def _on_table_cell_clicked(self, row: int, _column: int) -> None:
        self.set_stage(row)
