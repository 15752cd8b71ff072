"""Weight heat map: fixed colour levels, values written in, rebuilt only on a new shape."""

from __future__ import annotations

import numpy as np

from nnviz.tabs.loss.weight_map import WeightMap


def test_levels_stay_fixed_and_values_are_annotated(qtbot) -> None:
    w = WeightMap("W1", level=10.0, colorbar=True)
    qtbot.addWidget(w)
    m = np.array([[1.234, -5.0, 0.0], [9.0, -0.5, 2.0]])
    w.set_matrix(m)
    assert w.matrix_shape() == (2, 3)
    assert w.levels() == (-10.0, 10.0)
    assert w.cell_texts()[:2] == ["+1.23", "-5.00"]
    w.set_matrix(m * 3)  # beyond the levels: colours saturate, the scale does not move
    assert w.levels() == (-10.0, 10.0)
    assert w.cell_texts()[:2] == ["+3.70", "-15.00"] and len(w.cell_texts()) == 6
    np.testing.assert_array_equal(w.matrix(), m * 3)


def test_a_large_matrix_is_drawn_without_numbers(qtbot) -> None:
    w = WeightMap("W1")
    qtbot.addWidget(w)
    w.set_matrix(np.zeros((16, 3)))
    assert w.matrix_shape() == (16, 3) and w.cell_texts() == []
    w.set_matrix(np.zeros((4, 3)))
    assert len(w.cell_texts()) == 12
