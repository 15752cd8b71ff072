"""core.strokes: the canvas's brush in numpy, and strokes in proportion to the digit."""

from __future__ import annotations

import numpy as np
import pytest

from core.strokes import (
    STROKE_RATIO,
    Stroke,
    drawing_image,
    ink_extent,
    normalised_width,
    render,
    thinned,
    with_normalised_width,
)


def line(x0, y0, x1, y1, width=0.1, erase=False, steps=1):
    t = np.linspace(0.0, 1.0, steps + 1)[:, None]
    return Stroke(np.array([x0, y0]) + t * np.array([x1 - x0, y1 - y0]), width, erase)


def test_a_segment_is_a_round_capped_band_of_the_brush_width():
    image = render([line(0.2, 0.5, 0.8, 0.5, width=0.1)], 200)
    assert image.dtype == np.float32 and image.shape == (200, 200)
    column = image[:, 100]
    assert column[100] == 1.0 and column[:80].max() == 0.0
    assert column.sum() == pytest.approx(20.0, abs=0.6)  # 0.1 of 200 px, anti-aliased edges
    assert image[100, 35:165].min() == 1.0              # solid along the axis
    assert image[100, 31] > 0.5 and image[100, 25] == 0.0  # round caps reach r beyond the ends


def test_a_single_point_is_a_dot_of_the_brush_diameter():
    image = render([Stroke([[0.5, 0.5]], 0.2)], 100)
    assert image.sum() == pytest.approx(np.pi * 10.0 ** 2, rel=0.03)


def test_dense_or_sparse_points_on_one_line_give_nearly_the_same_ink():
    sparse = render([line(0.1, 0.3, 0.9, 0.7, steps=1)], 120)
    dense = render([line(0.1, 0.3, 0.9, 0.7, steps=40)], 120)
    assert np.abs(sparse - dense).max() < 0.35  # only edge pixels differ (overlapping AA)
    assert np.abs(sparse.sum() - dense.sum()) < 0.03 * sparse.sum()


def test_compositing_does_not_depend_on_the_order_of_the_ink():
    a, b = line(0.2, 0.2, 0.8, 0.8), line(0.2, 0.8, 0.8, 0.2)
    np.testing.assert_allclose(render([a, b], 80), render([b, a], 80), atol=1e-6)


def test_the_eraser_removes_ink_under_it():
    ink = line(0.1, 0.5, 0.9, 0.5, width=0.1)
    erased = render([ink, line(0.5, 0.1, 0.5, 0.9, width=0.2, erase=True)], 100)
    assert erased[50, 50] == 0.0 and erased[50, 20] == 1.0
    assert render([line(0.5, 0.1, 0.5, 0.9, erase=True)], 50).max() == 0.0


def test_normalised_width_follows_the_digit_size():
    small = [line(0.1, 0.1, 0.1, 0.25, width=0.09), line(0.05, 0.2, 0.15, 0.2, width=0.09)]
    assert ink_extent(small) == pytest.approx(0.15)
    assert normalised_width(small) == pytest.approx(STROKE_RATIO * 0.15)
    redrawn = with_normalised_width(small + [line(0.1, 0.1, 0.1, 0.2, 0.045, erase=True)])
    assert [s.width for s in redrawn[:2]] == pytest.approx([STROKE_RATIO * 0.15] * 2)
    assert redrawn[2].width == pytest.approx(0.5 * STROKE_RATIO * 0.15)  # scaled alike
    assert ink_extent([Stroke([[0.3, 0.3]], 0.1)]) == 0.0 and ink_extent([]) == 0.0


def test_drawing_image_with_or_without_normalising():
    strokes = [line(0.3, 0.2, 0.35, 0.8, width=0.05)]
    np.testing.assert_array_equal(drawing_image(strokes, normalise=False, resolution=90),
                                  render(strokes, 90))
    wide = drawing_image(strokes, resolution=90)
    assert (wide[50] > 0.5).sum() > (render(strokes, 90)[50] > 0.5).sum()


@pytest.mark.parametrize("points", [np.zeros((0, 2)), [[0.1, np.nan]]])
def test_bad_points_are_refused(points):
    with pytest.raises(ValueError):
        Stroke(points, 0.1)


def test_a_bad_resolution_is_refused():
    with pytest.raises(ValueError, match="resolution"):
        render([], 0)


def test_thinning_drops_only_points_that_change_nothing_but_the_cost():
    t = np.linspace(0.0, np.pi, 200)
    arc = Stroke(np.stack([0.5 + 0.3 * np.cos(t), 0.5 + 0.3 * np.sin(t)], axis=1), 0.1)
    thin = thinned(arc, 0.025)
    assert len(thin.points) < 50 and thin.points[0].tolist() == arc.points[0].tolist()
    assert thin.points[-1].tolist() == arc.points[-1].tolist()
    gaps = np.hypot(*np.diff(thin.points[:-1], axis=0).T)
    assert gaps.min() >= 0.025
    exact, fast = render([arc], 200), render([thin], 200)
    # fewer overlapping anti-aliased edges: a little less ink at the rims only
    assert np.abs(exact - fast).mean() < 2e-3 and abs(exact.sum() - fast.sum()) < 0.03 * exact.sum()
    assert thinned(Stroke([[0.1, 0.1], [0.1, 0.1001]], 0.1), 0.5).points.shape == (2, 2)
