"""core.replay: real trajectories drawn on the canvas at random sizes and places."""

from __future__ import annotations

import numpy as np
import pytest

from core.pendigits import PenDigit, placed
from core.preprocess import drawing_input
from core.replay import (
    SMALL,
    Variation,
    by_writer,
    random_center,
    random_transform,
    replay,
    writer_folds,
)
from core.strokes import ink_extent


def seven(writer=1) -> PenDigit:
    return PenDigit(7, writer, (np.array([[0.0, 0.0], [10.0, 0.0], [4.0, 14.0]]),
                                np.array([[2.0, 7.0], [8.0, 7.0]])))


def test_replay_is_the_canvas_pipeline_at_a_random_place():
    x, y = replay([seven()], np.random.default_rng(3), Variation(sizes=SMALL))
    rng = np.random.default_rng(3)  # the same draws, by hand
    size = rng.uniform(*SMALL)
    transform = random_transform(rng, Variation(sizes=SMALL))
    strokes = placed(seven(), size, random_center(rng, size, 0.09), 0.09, transform)
    rng.uniform(1.0, 1.0)
    np.testing.assert_array_equal(x[0], drawing_input(strokes))
    assert y.tolist() == [7] and x.dtype == np.float32 and x.shape == (1, 28, 28)
    assert SMALL[0] <= ink_extent(strokes) <= SMALL[1]


def test_training_variation_varies_and_stays_on_the_canvas():
    rng = np.random.default_rng(0)
    variation = Variation.training()
    for _ in range(50):
        size = rng.uniform(*variation.sizes)
        centre = random_center(rng, size, 0.09)
        strokes = placed(seven(), size, centre, 0.09, random_transform(rng, variation))
        points = np.concatenate([s.points for s in strokes])
        assert points.min() >= 0.0 and points.max() <= 1.0
    x, _ = replay([seven()] * 6, np.random.default_rng(1), variation)
    assert len({x[i].tobytes() for i in range(6)}) == 6
    assert all(x[i].max() == pytest.approx(1.0) for i in range(6))


def test_writer_folds_are_disjoint_and_cover_everyone():
    folds = writer_folds(range(1, 31), 3)
    assert folds == [list(range(1, 11)), list(range(11, 21)), list(range(21, 31))]
    digits = [seven(w) for w in (1, 2, 11, 12, 30)]
    assert [d.writer for d in by_writer(digits, folds[1])] == [11, 12]
