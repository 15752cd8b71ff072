"""What the Inside tab's painted views share: their set-up, their fonts, cell tooltips.

The network view, the explanation and the filter grids are QWidgets painted with
QPainter that grow with the window, follow the mouse and explain the cell under it in a
tooltip; they label things in a bold and a smaller font derived from the widget's own.
"""

from __future__ import annotations

from PyQt6.QtGui import QFont, QMouseEvent
from PyQt6.QtWidgets import QSizePolicy, QToolTip, QWidget

SMALL = 0.85
"""Size of the small font relative to the widget's font."""
SMALLEST = 7.0
"""Points below which the small font does not shrink."""


def init_painted(widget: QWidget, width: int, height: int, tip: str) -> None:
    """Set up a painted view: at least ``width`` × ``height``, growing both ways, tracking
    the mouse, with ``tip`` as its tooltip."""
    widget.setMouseTracking(True)
    widget.setMinimumSize(width, height)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    widget.setToolTip(tip)


def fonts(font: QFont, small: float = SMALL) -> tuple[QFont, QFont, QFont]:
    """(base, bold, small) fonts from ``font``; the small one ``small`` times its size."""
    base = QFont(font)
    bold = QFont(base)
    bold.setBold(True)
    smaller = QFont(base)
    smaller.setPointSizeF(max(SMALLEST, base.pointSizeF() * small))
    return base, bold, smaller


def show_cell_tip(widget: QWidget, event: QMouseEvent, tip: str | None) -> None:
    """Show ``tip`` at the mouse (None: hide the tooltip)."""
    if tip is None:
        QToolTip.hideText()
    else:
        QToolTip.showText(event.globalPosition().toPoint(), tip, widget)
