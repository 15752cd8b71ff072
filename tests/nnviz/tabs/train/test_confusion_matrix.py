"""Confusion matrix: counts shown as given, row-normalised colours, clicks emit the cell."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt

from nnviz.tabs.train.confusion_matrix import OFF_SATURATION, ConfusionMatrix, cell_colours

DIGITS = [str(d) for d in range(10)]
# the mistakes a small CNN typically makes on MNIST: true -> often predicted as
_CONFUSERS = {0: (6, 2), 1: (7, 8), 2: (7, 3), 3: (5, 8), 4: (9, 6), 5: (3, 6), 6: (0, 5),
              7: (2, 9), 8: (3, 5), 9: (4, 7)}


def plausible_confusion(seed: int = 0, accuracy: float = 0.95) -> np.ndarray:
    """(10, 10) counts of a plausible validation run: ~100 digits per class, most right,
    the mistakes mostly going to each digit's usual look-alikes."""
    rng = np.random.default_rng(seed)
    confusion = np.zeros((10, 10), dtype=np.int64)
    for true in range(10):
        n = int(rng.integers(85, 116))
        p = np.full(10, 0.1 * (1 - accuracy) / 8)
        a, b = _CONFUSERS[true]
        p[a], p[b] = 0.55 * (1 - accuracy), 0.35 * (1 - accuracy)
        p[true] = 0.0
        p[true] = 1 - p.sum() - rng.uniform(0, 0.03)
        p = p / p.sum()
        confusion[true] = rng.multinomial(n, p)
    return confusion


@pytest.fixture
def matrix(shown) -> ConfusionMatrix:
    w = shown(ConfusionMatrix(), 560, 560)
    return w


def click(qtbot, matrix: ConfusionMatrix, pos: QPoint) -> None:
    qtbot.mouseClick(matrix.plot_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_counts_and_names_are_shown_as_given(matrix) -> None:
    m = plausible_confusion()
    matrix.set_matrix(m, DIGITS)
    np.testing.assert_array_equal(matrix.matrix(), m)
    assert matrix.class_names() == tuple(DIGITS)
    for i, j in [(0, 0), (4, 9), (9, 4), (3, 3), (1, 0)]:
        assert matrix.cell_text(i, j) == f"{m[i, j]:,}"
    assert matrix.tick_labels("left") == matrix.tick_labels("bottom") == DIGITS
    assert matrix.tick_labels("right")[4] == f"{100 * m[4, 4] / m[4].sum():.1f} %"
    assert f"{np.trace(m):,} correct" in matrix.title()
    m2 = m.copy()
    m2[0, 0] += 1000
    matrix.set_matrix(m2, DIGITS)  # same size: numbers update in the same items
    assert matrix.cell_text(0, 0) == f"{m2[0, 0]:,}"


def test_colours_are_row_normalised() -> None:
    m = np.array([[90, 10, 0], [1, 9, 0], [0, 0, 0]])
    rgba, t = cell_colours(m)
    assert t[0, 0] == pytest.approx(0.9) and t[1, 1] == pytest.approx(0.9)  # same share
    assert t[0, 1] == pytest.approx(np.sqrt(0.1 / OFF_SATURATION))
    assert t[1, 0] == t[0, 1]  # 1 of 10 reads like 10 of 100
    assert (rgba[2, :, :3] == 255).all() and (rgba[0, 2, :3] == 255).all()  # empty: white
    assert rgba[0, 0, 1] > rgba[0, 0, 0]  # diagonal green, mistakes red
    assert rgba[0, 1, 0] > rgba[0, 1, 1]


def test_clicking_a_cell_emits_true_and_predicted(matrix, qtbot) -> None:
    matrix.set_matrix(plausible_confusion(), DIGITS)
    with qtbot.waitSignal(matrix.cellClicked, timeout=1000) as blocker:
        click(qtbot, matrix, matrix.cell_center(4, 9))
    assert blocker.args == [4, 9]
    assert matrix.selected_cell() == (4, 9)
    assert "true 4, predicted 9" in matrix.hover_text()
    with qtbot.waitSignal(matrix.cellClicked, timeout=1000) as blocker:
        click(qtbot, matrix, matrix.cell_center(7, 7))
    assert blocker.args == [7, 7]


def test_clicking_outside_the_cells_emits_nothing(matrix, qtbot) -> None:
    matrix.set_matrix(plausible_confusion(), DIGITS)
    with qtbot.assertNotEmitted(matrix.cellClicked):
        click(qtbot, matrix, QPoint(2, 2))


def test_hover_describes_the_cell(matrix) -> None:
    m = plausible_confusion()
    matrix.set_matrix(m, DIGITS)
    view = matrix.plot_view
    view.scene().sigMouseMoved.emit(view.mapToScene(matrix.cell_center(3, 5)))
    text = matrix.hover_text()
    assert f"true 3, predicted 5: {m[3, 5]:,} mistaken" in text
    assert f"of the {m[3].sum():,} digits" in text
    assert matrix.hovered_cell() == (3, 5)
    view.scene().sigMouseMoved.emit(view.mapToScene(QPoint(2, 2)))  # off the cells
    assert matrix.hovered_cell() is None


def test_bad_input_is_refused_and_changes_nothing(matrix) -> None:
    m = plausible_confusion()
    matrix.set_matrix(m, DIGITS)
    for bad, names in [(np.zeros((3, 4), int), "abc"), (m, DIGITS[:9]),
                       (-m, DIGITS), (m + 0.5, DIGITS)]:
        with pytest.raises(ValueError):
            matrix.set_matrix(bad, names)
    np.testing.assert_array_equal(matrix.matrix(), m)


def test_clear_and_another_size(matrix, qtbot) -> None:
    matrix.set_matrix(plausible_confusion(), DIGITS)
    matrix.clear()
    assert matrix.matrix() is None and matrix.cell_text(0, 0) == ""
    with qtbot.assertNotEmitted(matrix.cellClicked):
        click(qtbot, matrix, matrix.plot_view.viewport().rect().center())
    matrix.set_matrix(np.array([[5, 1], [2, 7]]), ["shirt", "sneaker"])
    assert [matrix.cell_text(i, j) for i in range(2) for j in range(2)] == ["5", "1", "2", "7"]
    assert matrix.tick_labels("left") == ["shirt (0)", "sneaker (1)"]  # long: numbered
    assert matrix.tick_labels("bottom") == ["0", "1"]


def test_cells_too_low_for_their_counts_hide_them_until_there_is_room(matrix, qtbot) -> None:
    m = plausible_confusion()
    matrix.set_matrix(m, DIGITS)
    texts = [text for row in matrix._texts for text in row]
    assert not matrix.is_cramped() and all(text.isVisible() for text in texts)
    matrix.resize(560, 150)  # 10 rows in well under a line of text each
    qtbot.waitUntil(matrix.is_cramped, timeout=2000)
    assert not any(text.isVisible() for text in texts)
    matrix.resize(560, 560)
    qtbot.waitUntil(lambda: not matrix.is_cramped(), timeout=2000)
    assert all(text.isVisible() for text in texts) and matrix.cell_text(0, 0) == f"{m[0, 0]:,}"
