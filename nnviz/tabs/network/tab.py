"""The Network tab: the network editor beside a short guide to reading it.

A thin host: the editor (:class:`~nnviz.tabs.network.editor.NetworkEditor`, objectName
``networkEditor``) does the work; the guide says how shapes and weight counts are
computed, so that every number in the rows can be checked by hand.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.tabs.network.editor import NetworkEditor

__all__ = ["GUIDE", "NetworkTab"]

GUIDE = """<p>Each row is one layer; the digits (1×28×28: one channel of 28×28 pixels) go in
at the top and 10 probabilities come out at the bottom. Every row shows the shape of what
it hands on and how many weights it has; both follow as you type.</p>
<p><b>Conv2D</b>, F filters of k×k on C channels: F·(C·k·k + 1) weights. Its maps are
⌊(H − k) / s⌋ + 1 wide with padding <i>valid</i> and stride s, ⌈H / s⌉ with
<i>same</i>.</p>
<p><b>Pooling</b> p×p: no weights; the maps shrink to ⌊H / p⌋.</p>
<p><b>Flatten</b>: C×H×W maps become one vector of C·H·W values. A Dense layer needs it:
nothing flattens on its own.</p>
<p><b>Dense</b>, N units on I inputs: (I + 1)·N weights — most of a network's weights are
usually here.</p>
<p><b>Batch normalization</b>: 2 weights (scale, shift) per channel, plus a running mean
and variance that are not trained.</p>
<p><b>Dropout</b> and activations: no weights, the shape stays.</p>
<p>The last layer must give 10 outputs with softmax. Problems are written beside the
layer they concern, and Start on the Train tab stays off until they are fixed.</p>
<p><b>Build</b> makes the network with fresh random weights (the seed decides them) and
hands it to the Train tab, the Inside, Draw and Regularization tabs, and File → Save.
While training runs, the network cannot change.</p>"""


class NetworkTab(QWidget):
    """The editor (``editor``) and the guide beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkTab")
        self.editor = NetworkEditor()
        guide = QLabel(GUIDE)
        guide.setObjectName("networkGuide")
        guide.setWordWrap(True)
        guide.setTextFormat(Qt.TextFormat.RichText)
        guide.setAlignment(Qt.AlignmentFlag.AlignTop)
        box = QGroupBox("Reading the rows")
        inner = QVBoxLayout(box)
        inner.addWidget(guide)
        inner.addStretch(1)
        box.setMinimumWidth(230)  # narrower on a laptop, so the rows need not scroll
        box.setMaximumWidth(340)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.editor, 1)
        layout.addWidget(box)
