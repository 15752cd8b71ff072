"""The probability bars hold the probabilities they show and mark the top class."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtGui import QColor

from nnviz.tabs.draw.probability_bars import ProbabilityBars
from nnviz.theme import DRAW


def test_bars_show_the_probabilities(shown):
    bars = shown(ProbabilityBars(), 300, 260)
    assert bars.probabilities() is None and bars.top_class() is None
    p = np.full(10, 0.02)
    p[6], p[2] = 0.7, 0.12
    bars.set_probabilities(p)
    np.testing.assert_array_equal(bars.probabilities(), p)
    assert bars.top_class() == 6
    image = bars.grab().toImage()
    row = int((6 + 0.5) * bars.height() / 10)
    greens = {image.pixelColor(x, row).name() for x in range(bars.width())}
    assert QColor(DRAW.prediction).name() in greens          # the answer's bar is green
    bars.set_probabilities(None)
    assert bars.top_class() is None
    with pytest.raises(ValueError):
        bars.set_probabilities(np.ones(9) / 9)
