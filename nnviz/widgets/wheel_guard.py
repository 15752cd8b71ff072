"""The mouse wheel changes a field only when the field has the keyboard focus.

Scrolling a panel of settings with the wheel must scroll the panel, not change the spin
box or combo box that happens to pass under the pointer (Epochs 50 → 51, or the learning
rate of a running run). One event filter on the QApplication, for every window:

* spin boxes, combo boxes and sliders (not scroll bars) get ``Qt.FocusPolicy.StrongFocus``
  when they are first polished, so the wheel no longer gives them the focus;
* a wheel event over one of them without the focus is not given to it but to its parents,
  nearest first, until one takes it: the scroll area around it scrolls. (The guard passes
  it on itself, as Qt would for a real wheel, so a synthetic event behaves the same.)

A click or Tab gives a field the focus; then the wheel steps it as usual.
"""

from __future__ import annotations

from PyQt6.QtCore import QEvent, QObject, QPointF, Qt
from PyQt6.QtGui import QWheelEvent
from PyQt6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

__all__ = ["WheelGuard", "guards_wheel", "install_wheel_guard"]

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


def guards_wheel(widget: QObject) -> bool:
    """Whether ``widget`` is a field the wheel may change only while it has the focus."""
    return isinstance(widget, _GUARDED) and not isinstance(widget, QScrollBar)


class WheelGuard(QObject):
    """The application-wide event filter described in the module docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        kind = event.type()
        if kind == QEvent.Type.Wheel and guards_wheel(watched) and not watched.hasFocus():
            _pass_to_parents(watched, event)
            event.accept()
            return True
        if kind == QEvent.Type.Polish and guards_wheel(watched) \
                and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def _pass_to_parents(widget: QWidget, event: QWheelEvent) -> None:
    """Offer ``event`` to ``widget``'s parents, nearest first, until one accepts it."""
    parent = widget.parentWidget()
    while parent is not None:
        position = QPointF(widget.mapTo(parent, event.position().toPoint()))
        passed = QWheelEvent(position, event.globalPosition(), event.pixelDelta(),
                             event.angleDelta(), event.buttons(), event.modifiers(),
                             event.phase(), event.inverted())
        passed.ignore()
        QApplication.sendEvent(parent, passed)
        if passed.isAccepted() or parent.isWindow():
            return
        parent = parent.parentWidget()


def install_wheel_guard(app: QApplication | None = None) -> WheelGuard:
    """Install the guard on ``app`` (default: the running QApplication), once; returns it.

    Widgets polished before the call (none, when called before the first window is built)
    are given StrongFocus here.
    """
    app = app or QApplication.instance()
    guard = app.findChild(WheelGuard, "nnvizWheelGuard")
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName("nnvizWheelGuard")
        app.installEventFilter(guard)
        for widget in app.allWidgets():
            if guards_wheel(widget) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return guard
