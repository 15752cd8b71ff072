"""The sample scatter: one dot a row, the title with n and the correlation."""

from __future__ import annotations

import numpy as np

from nnviz.tabs.regularization.scatter import SampleScatter


def test_set_sample_shows_every_row(qtbot):
    plot = SampleScatter()
    qtbot.addWidget(plot)
    X = np.array([[0.0, 1.0], [1.0, -1.0], [-2.0, 0.5]])
    plot.set_sample(X, np.array([-1.0, 0.0, 3.0]), 0.25)
    np.testing.assert_array_equal(plot.points(), X)
    assert "n = 3, corr +0.25" in plot.getPlotItem().titleLabel.text
    plot.set_sample(X, np.zeros(3), float("nan"))  # y all 0: no division by zero
    assert "corr +nan" in plot.getPlotItem().titleLabel.text
