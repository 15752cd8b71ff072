"""Which digits a report points at, without Qt: its mistakes and one cell's digits."""

from __future__ import annotations

import numpy as np

from core.training import validation_report
from nnviz.tabs.train.report import cell_digits, misclassified_digits

NAMES = tuple(str(d) for d in range(10))


def made_up():
    """Eight validation digits (each image filled with its index) and a report on them:
    digits 2 and 5 (true 1 and 3) were taken for 7, digit 6 (true 3) for 8."""
    labels = np.array([0, 1, 1, 3, 3, 3, 3, 9])
    predicted = labels.copy()
    predicted[[2, 5, 6]] = [7, 7, 8]
    probs = np.full((8, 10), 0.01)
    probs[np.arange(8), predicted] = 0.91
    images = np.arange(8, dtype=np.uint8)[:, None, None] * np.ones((1, 28, 28), np.uint8)
    return images, labels, validation_report(2, probs, labels)


def test_the_mistakes_with_what_was_said_and_what_was_true() -> None:
    images, _, report = made_up()
    selection = misclassified_digits(report, images, NAMES)
    assert selection.images[:, 0, 0].tolist() == [2, 5, 6]
    assert selection.captions == ["said 7 (91%)\ntrue 1", "said 7 (91%)\ntrue 3",
                                  "said 8 (91%)\ntrue 3"]
    assert selection.title == "Misclassified validation digits after epoch 3: 3"


def test_a_mistake_cell_holds_the_digits_of_that_mistake() -> None:
    images, labels, report = made_up()
    selection = cell_digits(report, images, labels, 3, 7, NAMES)
    assert selection.images[:, 0, 0].tolist() == [5]
    assert selection.captions == ["said 7 (91%)"]
    assert selection.title == "True 3, predicted 7: 1 digits"


def test_a_diagonal_cell_holds_the_class_minus_its_mistakes() -> None:
    images, labels, report = made_up()
    selection = cell_digits(report, images, labels, 3, 3, NAMES)
    assert selection.images[:, 0, 0].tolist() == [3, 4]
    assert selection.captions == ["true 3", "true 3"]
    assert len(cell_digits(report, images, labels, 4, 4, NAMES).images) == 0
