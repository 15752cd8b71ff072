"""J0 on a grid and its contours agree with J0 itself."""

from __future__ import annotations

import numpy as np
import pytest

from core import regression as R
from tests.core.regression.oracle import problem


def test_j0_grid_and_contours_match_j0():
    X, y = problem(4)
    w1, w2 = np.linspace(-1, 2, 7), np.linspace(-2, 1, 5)
    grid = R.j0_grid(X, y, w1, w2)
    assert grid.shape == (5, 7)
    assert grid[3, 6] == pytest.approx(R.j0(X, y, np.array([w1[6], w2[3]])))
    level = R.j0(X, y, R.ols(X, y)) + 0.4
    pts = R.j0_contour(X, y, level, n_points=64)
    assert pts.shape == (64, 2)
    np.testing.assert_allclose(R.j0(X, y, pts), level, rtol=1e-12)
    assert R.j0_contour(X, y, level - 1.0).shape == (0, 2)
