"""What the Inside tab's painted views share: their set-up, their fonts, cell tooltips.

The network view, the explanation and the filter grids are QWidgets painted with
QPainter that grow with the window, follow the mouse and explain the cell under it in a
tooltip; they label things in a bold and a smaller font derived from the widget's own.

Tooltips there are tied to the area they explain: each is shown with that area's rectangle,
so Qt hides it as soon as the mouse leaves it, and a view's general description shows only
over its labels, never over the maps and kernels it would hide.
"""

from __future__ import annotations

from collections.abc import Iterable

from PyQt6.QtCore import QPointF, QRectF
from PyQt6.QtGui import QFont, QHelpEvent, QMouseEvent
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


def show_cell_tip(widget: QWidget, event: QMouseEvent, tip: str | None,
                  rect: QRectF | None = None) -> None:
    """Show ``tip`` at the mouse, hidden again once the mouse leaves ``rect`` (widget
    coordinates; None: the whole widget); None hides the tooltip."""
    if tip is None:
        QToolTip.hideText()
    elif rect is None:
        QToolTip.showText(event.globalPosition().toPoint(), tip, widget)
    else:
        QToolTip.showText(event.globalPosition().toPoint(), tip, widget, rect.toAlignedRect())


def show_area_tip(widget: QWidget, event: QHelpEvent,
                  areas: Iterable[tuple[QRectF, str]]) -> bool:
    """Answer a tooltip request (``QEvent.Type.ToolTip``): the tip of the first area
    [(rect, tip)] under the mouse, bound to that rect; none there hides any tooltip. Returns
    True (the event is handled) so that ``event()`` can return it."""
    pos = QPointF(event.pos())
    for rect, tip in areas:
        if tip and rect.contains(pos):
            QToolTip.showText(event.globalPos(), tip, widget, rect.toAlignedRect())
            return True
    QToolTip.hideText()
    event.ignore()
    return True
