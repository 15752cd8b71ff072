"""Which validation digits to show for an epoch's report: its mistakes, or one cell of its
confusion matrix. Qt-free.

A :class:`core.training.ValidationReport` lists only the misclassified digits
(``misclassified`` indexes the validation set; ``true``, ``predicted`` and ``confidence``
run along it), so a diagonal cell's digits are the class's others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.training import ValidationReport

__all__ = ["DigitSelection", "cell_digits", "misclassified_digits"]


@dataclass(frozen=True)
class DigitSelection:
    """Digits to show: images (N, 28, 28), one caption each, and a title."""

    images: np.ndarray
    captions: list[str]
    title: str


def misclassified_digits(report: ValidationReport, images: np.ndarray,
                         names: Sequence[str]) -> DigitSelection:
    """The digits the network got wrong, captioned "said 6 (72%) / true 8".

    ``images`` (N, 28, 28) is the validation set the report was measured on.
    """
    captions = [f"said {names[p]} ({c:.0%})\ntrue {names[t]}"
                for p, t, c in zip(report.predicted, report.true, report.confidence,
                                   strict=True)]
    wrong = images[report.misclassified]
    return DigitSelection(wrong, captions, f"Misclassified validation digits after epoch "
                          f"{report.epoch + 1}: {len(wrong):,}")


def cell_digits(report: ValidationReport, images: np.ndarray, labels: np.ndarray,
                true_class: int, predicted_class: int,
                names: Sequence[str]) -> DigitSelection:
    """The validation digits of one confusion-matrix cell (true class, predicted class).

    ``images`` (N, 28, 28) and ``labels`` (N,) are the validation set of the report.
    """
    if true_class == predicted_class:
        right = (labels == true_class) & ~np.isin(np.arange(len(labels)), report.misclassified)
        chosen = images[right]
        captions = [f"true {true_class}"] * len(chosen)
    else:
        mask = (report.true == true_class) & (report.predicted == predicted_class)
        chosen = images[report.misclassified[mask]]
        captions = [f"said {predicted_class} ({c:.0%})" for c in report.confidence[mask]]
    return DigitSelection(chosen, captions, f"True {names[true_class]}, predicted "
                          f"{names[predicted_class]}: {len(chosen):,} digits")
