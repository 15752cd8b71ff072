"""Progress of a training run: a state badge, a progress bar and one line of detail.

"Epoch 3/10 · batch 120/480 · 9,850 samples/s · 1 min 12 s left" while running; the
state (idle, running, paused, diverged, stopped, finished) colours the badge and the bar,
and a diverged run shows its message in a warning box that cannot be missed.
"""

from __future__ import annotations

import html
import math

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from nnviz.theme import (
    DIVERGED_BORDER,
    DIVERGED_FILL,
    DIVERGED_TEXT,
    PROGRESS_BORDER,
    TRAINING_STATE_COLORS,
    plot_colors,
    train_colors,
)

__all__ = ["STATES", "TrainProgress", "format_duration", "format_rate"]

_STEPS = 1000  # the bar counts in thousandths of the run

_WORDS = {  # state -> (badge text, tooltip)
    "idle": ("Ready", "No training is running. Press Start to train."),
    "running": ("Training", "The network is training on the worker thread; the plots "
                "update as batches finish."),
    "paused": ("Paused", "Training is paused between two batches; resume, or step one "
               "batch at a time."),
    "diverged": ("Diverged", "The loss stopped being a finite, sane number. Training paused "
                 "itself and kept the last good weights."),
    "stopped": ("Stopped", "Training was stopped before the last epoch; the weights are "
                "kept as they are."),
    "finished": ("Finished", "All epochs are done."),
}
STATES = {state: (text, *TRAINING_STATE_COLORS[state], tip)
          for state, (text, tip) in _WORDS.items()}
"""State -> (badge text, badge colour, bar colour, tooltip)."""


def format_duration(seconds: float) -> str:
    """A duration for people: "45 s", "1 min 12 s", "2 h 05 min" ("" if unknown)."""
    if not math.isfinite(seconds) or seconds < 0:
        return ""
    if seconds < 0.5:
        return "less than 1 s"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def format_rate(samples_per_sec: float) -> str:
    """Training speed: "9,850 samples/s" ("– samples/s" while unknown)."""
    if not math.isfinite(samples_per_sec) or samples_per_sec <= 0:
        return "– samples/s"
    if samples_per_sec < 10:
        return f"{samples_per_sec:.1f} samples/s"
    return f"{samples_per_sec:,.0f} samples/s"


class TrainProgress(QWidget):
    """A progress bar with the run's state and where it is: epoch, batch, speed, time left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainProgress")
        self._state = "idle"
        self._message = ""
        self._progress: tuple[int, int, int, int, int, int, float, float] | None = None

        # the parts, public for tests and tools: badge (state), bar, detail, message_label
        self.badge = QLabel()
        self.badge.setObjectName("trainProgressState")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        width = max(self.badge.fontMetrics().horizontalAdvance(s[0]) for s in STATES.values())
        self.badge.setMinimumWidth(width + 24)

        self.bar = QProgressBar()
        self.bar.setObjectName("trainProgressBar")
        self.bar.setRange(0, _STEPS)
        self.bar.setFormat("%p %")
        self.bar.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.detail = QLabel()
        self.detail.setObjectName("trainProgressDetail")
        self.detail.setToolTip(
            "Where the run is. samples/s is the training speed (a moving average over the\n"
            "last batches); the time left assumes the speed stays as it is.")
        self.message_label = QLabel()
        self.message_label.setObjectName("trainProgressMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.badge)
        top.addWidget(self.bar, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.detail)
        layout.addWidget(self.message_label)
        self.reset()

    # ----------------------------------------------------------------- public API
    def update_progress(self, epoch: int, epochs: int, batch: int, batches: int, seen: int,
                        total: int, samples_per_sec: float, eta_seconds: float) -> None:
        """Show where the run is: ``epoch`` of ``epochs`` and ``batch`` of ``batches``
        (1-based, as people count), ``seen`` of ``total`` samples in the whole run, the
        speed and the estimated seconds left."""
        self._progress = (int(epoch), int(epochs), int(batch), int(batches), int(seen),
                          int(total), float(samples_per_sec), float(eta_seconds))
        fraction = min(1.0, max(0.0, seen / total)) if total > 0 else 0.0
        self.bar.setValue(round(_STEPS * fraction))
        self.bar.setToolTip(f"Progress through the whole run: {seen:,} of {total:,} "
                             f"training samples ({epochs} epochs of {batches} batches).")
        self._show_detail()

    def set_state(self, state: str, message: str = "") -> None:
        """Show the run's ``state`` (one of :data:`STATES`) and ``message`` (may be empty)."""
        if state not in STATES:
            raise ValueError(f"unknown training state {state!r}; one of {', '.join(STATES)}")
        self._state, self._message = state, message
        name, badge, bar, tip = STATES[state]
        self.badge.setText(name)
        self.badge.setToolTip(tip)
        self.badge.setStyleSheet(
            f"QLabel {{ background: {badge}; color: white; font-weight: bold; "
            f"border-radius: 4px; padding: 3px 8px; }}")
        colors = train_colors()
        self.bar.setStyleSheet(
            f"QProgressBar {{ border: 1px solid {PROGRESS_BORDER}; border-radius: 4px; "
            f"background: {colors.progress_trough}; color: {colors.progress_text}; "
            f"min-height: 20px; }}"
            f"QProgressBar::chunk {{ background: {bar}; border-radius: 3px; }}")
        if state == "finished":
            self.bar.setValue(_STEPS)
        if state == "diverged":
            self.message_label.setTextFormat(Qt.TextFormat.RichText)
            self.message_label.setText(
                "<span style='font-size:13pt; font-weight:bold'>⚠</span>&nbsp; "
                + html.escape(message or "Training diverged."))
            self.message_label.setStyleSheet(
                f"QLabel {{ background: {DIVERGED_FILL}; color: {DIVERGED_TEXT}; "
                f"border: 1px solid {DIVERGED_BORDER}; border-radius: 4px; padding: 6px; }}")
        else:
            self.message_label.setTextFormat(Qt.TextFormat.PlainText)
            self.message_label.setText(message)
            self.message_label.setStyleSheet(f"QLabel {{ color: {plot_colors().muted}; }}")
        self.message_label.setVisible(bool(self.message_label.text()))
        self._show_detail()

    def reset(self) -> None:
        """Back to a run not started: empty bar, idle, no message."""
        self._progress = None
        self.bar.setValue(0)
        self.bar.setToolTip("Progress through the whole run (all epochs).")
        self.set_state("idle", "")

    def state(self) -> str:
        return self._state

    def message(self) -> str:
        return self._message

    def text(self) -> str:
        """The detail line, e.g. "Epoch 3/10 · batch 120/480 · 9,850 samples/s · ..."."""
        return self.detail.text()

    def fraction(self) -> float:
        """How full the bar is, 0..1."""
        return self.bar.value() / _STEPS

    # ----------------------------------------------------------------- drawing
    def _show_detail(self) -> None:
        if self._progress is None:
            self.detail.setText("Not started." if self._state == "idle" else "")
            return
        epoch, epochs, batch, batches, seen, total, rate, eta = self._progress
        parts = [f"Epoch {epoch}/{epochs}", f"batch {batch}/{batches}"]
        if self._state in ("idle", "running"):
            left = format_duration(eta)
            parts += [format_rate(rate), f"{left} left" if left else "estimating time left"]
        elif self._state == "finished":
            parts.append(f"all {total:,} samples done")
        else:
            parts.append(f"{seen:,} of {total:,} samples done")
        self.detail.setText(" · ".join(parts))
