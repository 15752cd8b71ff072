"""First half of the Loss lab: binary cross-entropy vs p, softmax + categorical CE on ten
scores, and the formulas with the current numbers plugged in.

Three views side by side (:class:`BinaryPanel`, :class:`SoftmaxPanel`,
:class:`FormulaTable`); everything they plot comes from :mod:`nnviz.tabs.loss.math`, which
calls ``core.losses``: the curves and bars are the very numbers the CNN is trained with.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QGroupBox, QSplitter, QVBoxLayout, QWidget

from nnviz.tabs.loss.binary_panel import BinaryPanel
from nnviz.tabs.loss.formula_table import FormulaTable
from nnviz.tabs.loss.math import SoftmaxReadout
from nnviz.tabs.loss.softmax_panel import LogitsProvider, SoftmaxPanel


class EntropyPanel(QWidget):
    """BCE against p with the eps clip, softmax + CE on ten editable scores, formula table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binary = BinaryPanel()
        self.softmax = SoftmaxPanel()
        self.formula_table = FormulaTable()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.binary)
        top.addWidget(self.softmax)
        top.setSizes([600, 680])
        formulas = QGroupBox("The formulas, with the current numbers plugged in")
        QVBoxLayout(formulas).addWidget(self.formula_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(formulas)
        split.setSizes([520, 250])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        self.binary.probeChanged.connect(self.formula_table.show_binary)
        self.softmax.readoutChanged.connect(self.formula_table.show_softmax)
        self.formula_table.show_binary(self.binary.probe)
        self.formula_table.show_softmax(self.softmax.readout)

    @property
    def epsilon(self) -> float:
        """The clip eps of the binary plot."""
        return self.binary.epsilon

    @property
    def probe_p(self) -> float:
        """The probed probability p in [0, 1]."""
        return self.binary.probe_p

    @property
    def temperature(self) -> float:
        """The softmax temperature T."""
        return self.softmax.temperature

    @property
    def readout(self) -> SoftmaxReadout:
        """Everything softmax + cross-entropy computed from the current scores."""
        return self.softmax.readout

    def set_logits_provider(self, provider: LogitsProvider | None) -> None:
        """Install the callable behind "Use the current drawing" (None disables the button)."""
        self.softmax.set_logits_provider(provider)

    def set_scores(self, logits: np.ndarray, true_class: int | None = None) -> None:
        """Load ten scores (and optionally the true class); raises ValueError on bad input."""
        self.softmax.set_scores(logits, true_class)
