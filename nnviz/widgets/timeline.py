"""The timeline bar: a scrubber over one run's checkpoints, in the row of the tab bar.

It shows a :class:`~nnviz.widgets.timeline_state.Timeline` and says what the user does
with it; what the views then show is the window's business (``nnviz.timeline_link``).
The scrubber's right end is "now"; while it is elsewhere the bar turns amber, so that on
every tab it is plain that the filters, maps and answers are those of the past.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QToolButton, QWidget

from nnviz.theme import TIMELINE_PAST_BORDER, TIMELINE_PAST_FILL, TIMELINE_PAST_TEXT
from nnviz.widgets.timeline_state import Timeline

__all__ = ["TimelineBar"]

_TIP = ("The run's checkpoints: its starting weights, the weights after steps 1, 2, 5, 10, "
        "20, 50 … and at every epoch end. Drag to go back in training: the Inside tab "
        "shows the filters and maps of then, the Draw tab what the network answered then, "
        "and the curves a line at that step. The right end is now. Training that runs "
        "goes on undisturbed meanwhile.")


class TimelineBar(QWidget):
    """One row: "Timeline", the scrubber, what it shows, Continue from here, Back to now.

    Signals: ``positionChosen(int)`` when the user moves the scrubber (a place of the
    :class:`Timeline`), ``continueRequested()``, ``nowRequested()``.
    """

    positionChosen = pyqtSignal(int)
    continueRequested = pyqtSignal()
    nowRequested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        caption = QLabel("<b>Timeline</b>")
        caption.setToolTip(_TIP)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setToolTip(_TIP)
        self.slider.setMinimumWidth(160)
        self.slider.setMaximumWidth(260)
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.label = QLabel()
        self.label.setObjectName("timelineLabel")
        self.label.setMinimumWidth(330)  # the tab bar's corner gives it no more
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.continue_button = QToolButton()
        self.continue_button.setText("Continue training from here")
        self.continue_button.setObjectName("timelineContinueButton")
        self.continue_button.clicked.connect(self.continueRequested)
        self.now_button = QToolButton()
        self.now_button.setText("Back to now")
        self.now_button.setObjectName("timelineNowButton")
        self.now_button.setToolTip("Show the weights of now again (live while training runs).")
        self.now_button.clicked.connect(self.nowRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 0, 4, 0)
        row.setSpacing(6)
        row.addWidget(caption)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label, 2)
        row.addWidget(self.continue_button)
        row.addWidget(self.now_button)
        self.show_timeline(Timeline(), can_continue=False)

    def show_timeline(self, timeline: Timeline, can_continue: bool, why_not: str = "") -> None:
        """Show ``timeline`` (without emitting ``positionChosen``); ``can_continue``: whether
        a run may start from the chosen checkpoint now (``why_not`` says why not)."""
        blocked = self.slider.blockSignals(True)
        self.slider.setRange(0, max(timeline.positions - 1, 0))
        self.slider.setValue(timeline.position())
        self.slider.blockSignals(blocked)
        self.slider.setEnabled(timeline.run_id is not None and timeline.positions > 1)
        self.label.setText(timeline.text())
        self.label.setToolTip(timeline.text())
        self.now_button.setEnabled(timeline.scrubbing)
        self.continue_button.setEnabled(timeline.scrubbing and can_continue)
        self.continue_button.setToolTip(
            "Start a new run from the weights shown, with the settings on the left; the "
            "new run records this run and step as its parent." + (
                f"\n\n{why_not}" if why_not else ""))
        self._show_past(timeline.scrubbing)

    def _show_past(self, past: bool) -> None:
        self.setProperty("past", past)
        self.setStyleSheet(
            f"#timelineBar {{ background: {TIMELINE_PAST_FILL}; border-top: 2px solid "
            f"{TIMELINE_PAST_BORDER}; }} #timelineBar QLabel {{ color: {TIMELINE_PAST_TEXT}; }}"
            if past else "")

    def is_past(self) -> bool:
        """Whether the bar says the views show a checkpoint (amber)."""
        return bool(self.property("past"))

    def _on_slider_value_changed(self, value: int) -> None:
        self.positionChosen.emit(value)
