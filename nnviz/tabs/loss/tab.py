"""The Loss tab: cross-entropy and softmax made visible, and the from-scratch network.

Two pages:

* "Cross-entropy & softmax" — binary cross-entropy against p with the eps clip, softmax +
  categorical cross-entropy on ten editable scores, and the formulas with the numbers.
* "2-layer network from scratch" — :class:`core.scratch.TwoLayerNetwork` learning XOR,
  with play / pause / step, the loss curve, predictions, weight heat maps and a backprop
  stepper checked against finite differences.

The main window talks to it through two hooks: :meth:`LossTab.set_logits_provider` (for
"Use the current drawing") and :meth:`LossTab.set_scores`.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from nnviz.tabs.loss.entropy_panel import EntropyPanel
from nnviz.tabs.loss.scratch_panel import ScratchPanel
from nnviz.tabs.loss.softmax_panel import LogitsProvider


class LossTab(QWidget):
    """Loss lab facade: two pages, and the hooks the main window uses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossTab")
        self.entropy = EntropyPanel()
        self.entropy.setObjectName("lossEntropyPage")
        self.scratch = ScratchPanel()
        self.scratch.setObjectName("lossScratchPage")
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.entropy, "Cross-entropy && softmax")
        self.pages.addTab(self.scratch, "2-layer network from scratch")
        self.pages.setTabToolTip(
            0, "Binary cross-entropy with its eps clip, and softmax + categorical cross-entropy."
        )
        self.pages.setTabToolTip(
            1, "A 2-layer network learning XOR by gradient descent: every delta and gradient "
            "visible."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def set_logits_provider(self, provider: LogitsProvider | None) -> None:
        """Connect "Use the current drawing": ``provider()`` returns (logits (10,), predicted
        class) for the digit on the Draw tab, or None when nothing is drawn."""
        self.entropy.set_logits_provider(provider)

    def set_scores(self, logits: np.ndarray, true_class: int | None = None) -> None:
        """Load ten class scores (logits, shape (10,)) into the softmax editor.

        ``true_class`` (0–9) becomes the true class; None keeps the current one.  Raises
        ValueError for the wrong number of scores, inf/NaN or a class outside 0–9.
        """
        self.entropy.set_scores(logits, true_class)

    def show_page(self, name: str) -> None:
        """Bring a page to the front: ``"entropy"`` or ``"network"``."""
        pages = {"entropy": self.entropy, "network": self.scratch}
        if name not in pages:
            raise ValueError(f"unknown page {name!r}; choose one of {sorted(pages)}")
        self.pages.setCurrentWidget(pages[name])
