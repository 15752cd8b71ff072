"""The weight plane draws what the lab gives it and reads it back."""

from __future__ import annotations

import numpy as np
import pytest

from core import regression as R
from nnviz.tabs.regularization.lab import RegularizationLab
from nnviz.tabs.regularization.plane import RegPlane, band_lut


@pytest.fixture
def plane(shown) -> RegPlane:
    return shown(RegPlane(), 600, 500)


def test_band_colours_darken_up_the_bowl():
    lut = band_lut(10)
    assert lut.shape == (10, 3) and lut.dtype == np.uint8
    assert np.all(np.diff(lut.astype(int).sum(axis=1)) < 0)


def test_landscape_solution_and_marks_are_drawn(plane: RegPlane):
    lab = RegularizationLab()
    land = lab.landscape
    plane.set_landscape(land.j0, land.extent, land.levels, land.contours, lab.w_ols,
                        lab.settings.w_true, land.view)
    labels = [float(text) for text in plane.contour_labels()]
    assert len(labels) >= 3 and labels == sorted(labels)
    sol = lab.set_alpha(0.3)
    plane.set_solution(sol.region, sol.tangent, sol.w)
    np.testing.assert_array_equal(plane.region_points(), sol.region)
    np.testing.assert_array_equal(plane.optimum_point(), sol.w)
    plane.set_zero_marker(lab.first_zero.w)
    np.testing.assert_array_equal(plane.zero_marker_point(), lab.first_zero.w)
    plane.set_zero_marker(None)
    assert plane.zero_marker_point() is None


def test_gradient_descent_trajectories_are_drawn(plane: RegPlane):
    lab = RegularizationLab()
    lab.descent_step(4)
    plain, decayed = lab.descent.trajectories()
    plane.set_gradient_descent(plain, decayed)
    drawn_plain, drawn_decay = plane.gradient_descent_points()
    np.testing.assert_array_equal(drawn_plain, plain)
    np.testing.assert_array_equal(drawn_decay, decayed)
    assert np.all(R.j0(lab.X, lab.y, plain[1:]) < R.j0(lab.X, lab.y, plain[:-1]))
