"""The "Teach it your handwriting" box: label and add drawings, then Teach.

A view only: the label spin box, Add and Remove, a strip of the latest personal digits,
the Teach button with its progress and result (before → after) and "Undo teaching". The
Draw tab connects the buttons and fills in the texts.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from core.teach import TeachResult
from nnviz.tabs.draw.preprocess_panel import detail_label
from nnviz.tabs.draw.stage_view import StageView
from nnviz.tabs.draw.state import RECENT
from nnviz.theme import DRAW

LABEL_TIP = "The true digit of your drawing. It follows the prediction until you change it."
TEACH_TIP = (
    "Fine-tune the network on your labelled digits, in a few seconds, without blocking "
    "the app.\nYour digits are shown many times, slightly varied, mixed with other "
    "people's digits so it\nkeeps reading theirs. A third of your digits is held out "
    "first to show honestly what it learned.\nThree labelled drawings of each digit are "
    "enough."
)
UNDO_TIP = "Go back to the model as it was before the last teaching."


def button(text: str, tip: str, name: str = "") -> QPushButton:
    """A push button with a tooltip (and an objectName when given)."""
    widget = QPushButton(text)
    widget.setToolTip(tip)
    if name:
        widget.setObjectName(name)
    return widget


def _wrapped(text: str = "", lines: int = 0) -> QLabel:
    """A word-wrapped label; ``lines`` > 0 reserves that many lines of height (wrapped
    labels do not pass their height up through the tab's layouts, and a reserved height
    keeps the box from jumping when a message appears)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if lines:
        label.setMinimumHeight(lines * label.fontMetrics().lineSpacing() + 2)
    return label


def _figure(before: float | None, after: float | None, digits: int) -> str:
    """ "93.3 % → 100 %" with the new figure coloured by whether it rose."""
    if before is None or after is None:
        return "—"
    colour = DRAW.teach_better if after >= before else DRAW.teach_worse
    fmt = (lambda v: f"{v:.0%}") if digits <= 100 else (lambda v: f"{v:.1%}")
    return f"{fmt(before)} → <b style='color:{colour}'>{fmt(after)}</b>"


class TeachBox(QGroupBox):
    """The personal digits and Teach: ``label_spin``, ``add_button``, ``remove_button``,
    ``teach_button`` (objectName ``teachButton``), ``undo_teach_button``
    (``undoTeachButton``), ``teach_progress``, ``teach_result`` (``teachResult``),
    ``count_label`` and ``teach_status``."""

    def __init__(self) -> None:
        super().__init__("Teach it your handwriting")
        self.setToolTip("Your labelled drawings form a personal set, saved in your data "
                        "folder and loaded next time;\nTeach adapts the network to them in "
                        "seconds.")
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped("Wrong answer, or a style it should know? Confirm or "
                                  "correct the label and add the drawing; then press Teach."))
        this_is = QLabel("This is a")
        this_is.setToolTip(LABEL_TIP)
        self.label_spin = QSpinBox()
        self.label_spin.setRange(0, 9)
        self.label_spin.setToolTip(LABEL_TIP)
        self.add_button = button("Add to my digits",
                                  "Save the 28x28 input shown under 'What the network sees' "
                                  "with this label\nto your personal digits, then clear the "
                                  "canvas for the next one.")
        row = QHBoxLayout()
        row.addWidget(this_is)
        row.addWidget(self.label_spin)
        row.addWidget(self.add_button, stretch=1)
        layout.addLayout(row)

        self._views: list[StageView] = []
        self._captions: list[QLabel] = []
        strip = QGridLayout()
        strip.setHorizontalSpacing(4)
        strip.setVerticalSpacing(0)
        for k in range(RECENT):
            view = StageView(side=40)
            view.setMinimumSize(32, 32)
            caption = detail_label()
            caption.setWordWrap(False)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            strip.addWidget(view, 0, k)
            strip.addWidget(caption, 1, k)
            self._views.append(view)
            self._captions.append(caption)
        strip.setColumnStretch(RECENT, 1)
        layout.addLayout(strip)

        self.count_label = _wrapped()
        self.remove_button = button("Remove last",
                                     "Delete the most recently added drawing from your set.")
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label, stretch=1)
        count_row.addWidget(self.remove_button)
        layout.addLayout(count_row)

        self.teach_button = button("Teach", TEACH_TIP, "teachButton")
        self.undo_teach_button = button("Undo teaching", UNDO_TIP, "undoTeachButton")
        self.undo_teach_button.setEnabled(False)
        self.teach_progress = QProgressBar()
        self.teach_progress.setRange(0, 100)
        self.teach_progress.setTextVisible(False)
        self.teach_progress.setMaximumHeight(8)
        self.teach_progress.setVisible(False)
        teach_row = QHBoxLayout()
        teach_row.addWidget(self.teach_button)
        teach_row.addWidget(self.undo_teach_button)
        teach_row.addWidget(self.teach_progress, stretch=1)
        layout.addLayout(teach_row)
        self.teach_result = _wrapped(lines=3)
        self.teach_result.setObjectName("teachResult")
        self.teach_result.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.teach_result)
        self.teach_status = _wrapped(lines=2)
        layout.addWidget(self.teach_status)

    def show_recent(self, recent: list[tuple[int, np.ndarray, int]]) -> None:
        """The latest personal digits: (index, (28, 28) image, label), oldest first."""
        for slot, (view, caption) in enumerate(zip(self._views, self._captions, strict=True)):
            shown = slot < len(recent)
            view.setVisible(shown)
            caption.setVisible(shown)
            if not shown:
                continue
            index, image, label = recent[slot]
            view.set_image(image)
            view.setToolTip(f"Personal digit #{index + 1}, labelled {label}")
            caption.setText(str(label))

    def show_result(self, result: TeachResult, others: str) -> None:
        """Before → after of a finished teaching (``others``: what the other writers'
        test digits are, e.g. "MNIST test")."""
        if result.model is None:
            self.teach_result.setText(result.message)
            return
        lines = [f"{result.message} Every tab now uses it."]
        if result.personal_before is not None:
            lines.append(f"Your held-out digits ({result.personal_held_out}): "
                         f"{_figure(result.personal_before, result.personal_after, 100)}")
        else:
            lines.append("Too few digits of a kind to hold any out: add two or more of "
                         "each digit to see before → after.")
        if result.others_before is not None:
            lines.append(f"Other writers ({result.others_count:,} {others} digits): "
                         f"{_figure(result.others_before, result.others_after, 1000)}")
        self.teach_result.setText("<br>".join(lines))
