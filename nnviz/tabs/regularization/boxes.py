"""The Regularization lab's small widget factories: notes that keep their height, muted
notes and titled boxes of controls with the lab's tight margins."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QGroupBox, QLabel, QLayout, QVBoxLayout

from nnviz.theme import plot_colors


def note(tip: str, text: str = "", lines: int = 0) -> QLabel:
    """A word-wrapped rich-text label for the lab's sentences and numbers; with ``lines`` it
    keeps the height of that many lines whatever it says, so the layout never jumps."""
    label = QLabel(text, toolTip=tip, wordWrap=True, textFormat=Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    if lines:
        label.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 4)
    return label


def muted(label: QLabel) -> QLabel:
    """``label`` in the theme's muted text colour (for notes that explain, not report)."""
    label.setStyleSheet(f"color: {plot_colors().muted};")
    return label


def group(title: str, tip: str, layout_type: type[QLayout]) -> tuple[QGroupBox, QLayout]:
    """A titled box of controls with the lab's tight margins, and its layout."""
    box = QGroupBox(title, toolTip=tip)
    layout = layout_type(box)
    layout.setContentsMargins(6, 4, 6, 4)
    if isinstance(layout, QVBoxLayout):
        layout.setSpacing(4)
    else:
        layout.setVerticalSpacing(4)
    return box, layout
