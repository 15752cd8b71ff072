"""The 1-D view F(x) = f(x) + λ|x|: its minimiser and the λ from which it is 0."""

from __future__ import annotations

import numpy as np
import pytest

from core import regression as R


def test_one_d_lambda_half_moves_the_minimum_and_lambda_two_zeroes_it():
    f = R.SmoothLoss1D(k=1.0, c=1.0)
    assert R.zero_threshold_1d(f) == 1.0
    assert R.argmin_penalised_1d(f, 0.5) == pytest.approx(0.5)
    assert R.argmin_penalised_1d(f, 2.0) == 0.0
    assert R.argmin_penalised_1d(f, 1.0) == 0.0


@pytest.mark.parametrize("k,c,q", [(1.0, 1.0, 0.0), (0.5, -2.0, 0.3), (3.0, 0.7, 2.0)])
@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0, 2.5])
def test_one_d_minimiser_beats_a_dense_grid(k, c, q, lam):
    f = R.SmoothLoss1D(k, c, q)
    x = np.linspace(-4, 4, 400_001)
    best = x[np.argmin(R.penalised_1d(f, x, lam))]
    x_star = R.argmin_penalised_1d(f, lam)
    assert x_star == pytest.approx(best, abs=1e-4)
    assert R.penalised_1d(f, x_star, lam) <= R.penalised_1d(f, best, lam) + 1e-15
    assert (x_star == 0.0) == (lam >= R.zero_threshold_1d(f))
