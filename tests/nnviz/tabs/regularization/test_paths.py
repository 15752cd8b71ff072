"""Coefficient paths: the weights against log α, the zero marks and the current α."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.tabs.regularization.paths import CoefficientPaths


@pytest.fixture
def paths(shown) -> CoefficientPaths:
    return shown(CoefficientPaths("Lasso paths (L1)", "tip"), 400, 300)


def test_current_alpha_is_marked_and_hidden_when_not_finite(paths: CoefficientPaths):
    alphas = np.geomspace(1e-3, 1.0, 50)
    paths.set_paths(alphas, np.column_stack([1 - alphas, 0.5 - 0.5 * alphas]), [(0.5, "w₂ = 0 →")])
    paths.set_current(0.1, np.array([0.9, 0.45]), same_t=False)
    assert paths.current_alpha() == pytest.approx(0.1)
    paths.set_current(np.inf, np.zeros(2), same_t=True)  # Ridge at t = 0
    assert paths.current_alpha() is None
    paths.set_current(0.0, np.zeros(2), same_t=False)  # the constraint does not bind
    assert paths.current_alpha() is None
    assert paths.toolTip() == "tip"
