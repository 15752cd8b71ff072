"""The hover read-out above the training curves: the exact values at the mouse.

Two lines, the nearest batch ("epoch 1.370 (batch 137) · loss 0.21 = data 0.2 + penalty
0.01 …") and the nearest epoch end ("end of epoch 2 · validation loss …"), in the
colours of their curves; a grey hint while the mouse is elsewhere.
"""

from __future__ import annotations

import html
import re

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel, QSizePolicy

from nnviz.tabs.train.history import RunHistory
from nnviz.theme import TRAIN_CURVE, VALIDATION_CURVE, plot_colors

__all__ = ["HoverReadout", "readout_html"]

HINT = "Hover over the plots to read exact values."


def _fmt(value: float, digits: int = 4) -> str:
    return "–" if value is None or np.isnan(value) else f"{value:.{digits}g}"


def _pct(value: float) -> str:
    return "–" if np.isnan(value) else f"{100 * value:.1f} %"


def readout_html(history: RunHistory, x: float) -> str:
    """Rich text for the batch and the epoch end of ``history`` nearest to ``x`` (epochs);
    empty when the history is."""
    lines = []
    i = history.nearest_batch(x)
    if i is not None:
        b = history.batches
        penalty = ""
        if history.has_penalty():
            penalty = f" = data {_fmt(b['data_loss'][i])} + penalty {_fmt(b['penalty'][i])}"
        lines.append(
            f"<b>epoch {b['epoch_position'][i]:.3f}</b> (batch {i + 1}) · "
            f"<span style='color:rgb{TRAIN_CURVE}'>loss {_fmt(b['loss'][i])}{penalty} "
            f"(smoothed {_fmt(b['loss_s'][i])}) · accuracy {_pct(b['accuracy'][i])} "
            f"(smoothed {_pct(b['accuracy_s'][i])})</span> · "
            f"learning rate {_fmt(b['lr'][i])}")
    j = history.nearest_epoch(x)
    if j is not None:
        e = history.epochs
        lines.append(
            f"<b>end of epoch {int(e['epoch'][j])}</b> · "
            f"<span style='color:rgb{VALIDATION_CURVE}'>validation loss "
            f"{_fmt(e['val_loss'][j])} · validation accuracy {_pct(e['val_accuracy'][j])}"
            f"</span> · training means: loss {_fmt(e['loss'][j])}, accuracy "
            f"{_pct(e['accuracy'][j])}")
    return "<br>".join(lines)


class HoverReadout(QLabel):
    """A label of three lines' height (two, with room to wrap) for :func:`readout_html`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainCurvesReadout")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 0, 6, 0)
        self.setToolTip("Exact values at the mouse: the nearest batch (top line) and the "
                        "nearest epoch end (bottom line).")
        # wraps instead of widening the window; room for the two lines to wrap into three
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 4)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.show_hint()

    def show_values(self, history: RunHistory, x: float) -> None:
        """The values of ``history`` nearest to ``x``."""
        self.setText(readout_html(history, x))

    def show_hint(self) -> None:
        """The grey hint that says what hovering does."""
        self.setText(f"<span style='color:{plot_colors().muted}'>{html.escape(HINT)}</span>")

    def plain_text(self) -> str:
        """What the label says, without markup."""
        text = self.text().replace("<br>", "\n")
        return re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ")
