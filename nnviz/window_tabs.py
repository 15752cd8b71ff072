"""The window's tab bar: which tabs, in what order, with what tooltip, each in a scroll
area that appears only when the window is smaller than the tab."""

from __future__ import annotations

from collections.abc import Sequence

from PyQt6.QtCore import QEvent
from PyQt6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

__all__ = ["TAB_NAMES", "TAB_TIPS", "tab_widget"]

TAB_NAMES = ("Train", "Network", "Inside", "Draw", "Regularization", "Loss")
TAB_TIPS = (
    "Train the network live: data, optimizer, curves, confusion matrix.",
    "Design the network: presets, layers, shapes and weight counts, mistakes "
    "explained before anything runs.",
    "Look inside: filters, feature maps and weight statistics, live.",
    "Draw a digit and watch the network classify it as you draw.",
    "Why L1 gives exact zeros and L2 does not: contours, diamond and circle.",
    "Cross-entropy, softmax and a 2-layer network small enough to follow by hand.",
)
"""Each tab's tooltip, in the order of TAB_NAMES."""


class _TabScrollArea(QScrollArea):
    """Holds a tab: the tab fills the area, and only when the window is smaller than the
    tab's minimum size (a 1366×768 laptop, HiDPI at 200 %) do scroll bars appear.

    (QScrollArea's own widgetResizable sizes by height-for-width, which word-wrapped
    labels inflate to the tab's *preferred* height, so tabs would scroll needlessly.)"""

    def __init__(self, tab: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"{tab.objectName()}Scroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(tab)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            tab = self.widget()
            tab.resize(self.viewport().size().expandedTo(tab.minimumSizeHint()))
        return super().viewportEvent(event)


def tab_widget(tabs: Sequence[QWidget]) -> QTabWidget:
    """The ``tabs`` (in the order of TAB_NAMES) under their names and tooltips, each in a
    scroll area, in a document-mode tab widget named "tabs"."""
    widget = QTabWidget()
    widget.setObjectName("tabs")
    widget.setDocumentMode(True)
    for tab, name, tip in zip(tabs, TAB_NAMES, TAB_TIPS, strict=True):
        index = widget.addTab(_TabScrollArea(tab), name)
        widget.setTabToolTip(index, tip)
    return widget
