"""Weight heat map: fixed colour levels, values written in, rebuilt only on a new shape."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from nnviz.tabs.loss.weight_map import WeightMap

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


def test_levels_stay_fixed_and_values_are_annotated(qtbot) -> None:
    w = WeightMap("W1", level=10.0, colorbar=True)
    qtbot.addWidget(w)
    m = np.array([[1.234, -5.0, 0.0], [9.0, -0.5, 2.0]])
    w.set_matrix(m)
    assert w.matrix_shape() == (2, 3)
    assert tuple(w._image.getLevels()) == (-10.0, 10.0)
    assert [t.textItem.toPlainText() for t in w._texts][:2] == ["+1.23", "-5.00"]
    texts_before = list(w._texts)
    w.set_matrix(m * 3)  # beyond the levels: colours saturate, the scale does not move
    assert tuple(w._image.getLevels()) == (-10.0, 10.0)
    assert w._texts == texts_before  # same shape, same items
    np.testing.assert_array_equal(w._image.image, m * 3)


def test_a_large_matrix_is_drawn_without_numbers(qtbot) -> None:
    w = WeightMap("W1")
    qtbot.addWidget(w)
    w.set_matrix(np.zeros((16, 3)))
    assert w.matrix_shape() == (16, 3) and w._texts == []
    w.set_matrix(np.zeros((4, 3)))
    assert len(w._texts) == 12
