"""The Regularization lab's state, without Qt: data, α ↔ t, first zeros, gradient descent."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from core import regression as R
from nnviz.tabs.regularization.lab import DataSettings, DescentRuns, RegularizationLab


@pytest.fixture
def lab() -> RegularizationLab:
    return RegularizationLab()


def _sk_lasso(X, y, alpha):
    return Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_


def test_data_follow_the_settings_and_the_seed(lab):
    assert lab.X.shape == (50, 2) and lab.y.shape == (50,)
    np.testing.assert_allclose(lab.w_ols, R.ols(lab.X, lab.y))
    lab.set_data(DataSettings(n=120, noise=0.0, corr=0.9, w1=-1.0, w2=2.0))
    assert lab.X.shape == (120, 2)
    np.testing.assert_allclose(lab.y, lab.X @ np.array([-1.0, 2.0]), atol=1e-12)
    assert lab.correlation() > 0.8
    again = RegularizationLab(DataSettings(n=120, noise=0.0, corr=0.9, w1=-1.0, w2=2.0))
    np.testing.assert_array_equal(again.X, lab.X)  # same seed, same sample
    before = lab.X.copy()
    lab.new_sample()
    assert lab.seed == 2017 and not np.array_equal(before, lab.X)
    with pytest.raises(ValueError):
        lab.set_data(DataSettings(corr=1.0))


def test_a_target_without_signal_is_recognised():
    lab = RegularizationLab(DataSettings(noise=0.0, w1=0.0, w2=0.0))
    assert lab.target_uncorrelated()
    assert np.all(lab.set_alpha(0.5).w == 0.0)


def test_landscape_bands_and_levels_around_the_least_squares_point(lab):
    land = lab.landscape
    assert land.j0.shape == (256, 256)
    assert np.all(np.diff(land.levels) > 0) and land.levels[0] > lab.j0_ols
    x0, x1, y0, y1 = land.view
    assert x0 < lab.w_ols[0] < x1 and y0 < lab.w_ols[1] < y1
    assert land.extent[0] < x0 and land.extent[1] > x1  # the bands fill the view
    for level, curve in zip(land.levels, land.contours, strict=True):
        if curve.shape[0]:
            np.testing.assert_allclose(R.j0(lab.X, lab.y, curve), level, rtol=1e-9)


def test_a_small_data_change_keeps_the_view_still(lab):
    view = lab.view
    lab.set_data(DataSettings(noise=1.05))
    assert lab.view == view
    lab.set_data(DataSettings(w1=-3.0, w2=3.0))
    assert lab.view != view


def test_alpha_gives_sklearn_lasso_and_t_the_diamond_that_holds_it(lab):
    for alpha in (0.01, 0.1, 0.5):
        sol = lab.set_alpha(alpha)
        np.testing.assert_allclose(sol.w, _sk_lasso(lab.X, lab.y, alpha), atol=1e-6)
        assert sol.t == pytest.approx(np.abs(sol.w).sum())
        assert sol.j0 == pytest.approx(R.j0(lab.X, lab.y, sol.w))
        np.testing.assert_allclose(np.abs(sol.region).sum(axis=1), sol.t, rtol=1e-12)
        assert lab.solution is sol


def test_t_solves_the_constrained_problem_and_alpha_gives_it_back(lab):
    for penalty, size in (("l1", lambda w: np.abs(w).sum()), ("l2", np.linalg.norm)):
        lab.set_penalty(penalty)
        sol = lab.set_t(1.0)
        assert size(sol.w) == pytest.approx(1.0, rel=1e-9)
        np.testing.assert_allclose(lab.set_alpha(sol.alpha).w, sol.w, atol=1e-9)
    expected = Ridge(alpha=sol.alpha, fit_intercept=False).fit(lab.X, lab.y).coef_
    np.testing.assert_allclose(sol.w, expected, atol=1e-6)


def test_elastic_net_matches_sklearn_at_its_rho(lab):
    lab.set_penalty("elasticnet")
    lab.set_rho(0.3)
    sol = lab.set_alpha(0.2)
    expected = ElasticNet(alpha=0.2, l1_ratio=0.3, fit_intercept=False, tol=1e-14,
                          max_iter=1_000_000).fit(lab.X, lab.y).coef_
    np.testing.assert_allclose(sol.w, expected, atol=1e-6)
    assert R.region_size(sol.w, "elasticnet", 0.3) == pytest.approx(sol.t, rel=1e-9)
    assert lab.l1_ratio() == 0.3 and lab.l1_ratio("l1") == 1.0 and lab.l1_ratio("l2") == 0.0


def test_a_large_t_leaves_the_constraint_idle(lab):
    sol = lab.set_t(lab.t_max())
    assert sol.alpha == 0.0
    np.testing.assert_allclose(sol.w, lab.w_ols)
    assert lab.t_max() == pytest.approx(1.15 * np.abs(lab.w_ols).sum())


def test_first_zero_is_the_smaller_zero_alpha_and_l2_has_none(lab):
    zeros = R.zero_alphas(lab.X, lab.y)
    first = lab.first_zero
    assert first.alpha == pytest.approx(zeros.min()) and first.index == int(np.argmin(zeros))
    assert first.w[first.index] == 0.0 and first.t == pytest.approx(np.abs(first.w).sum())
    assert np.all(lab.set_alpha(0.9 * first.alpha).w != 0.0)
    w = lab.set_alpha(1.1 * first.alpha).w
    assert w[first.index] == 0.0 and w[1 - first.index] != 0.0
    assert np.all(lab.set_alpha(1.1 * lab.alpha_max()).w == 0.0)
    lab.set_penalty("l2")
    assert lab.first_zero is None and lab.alpha_max() == np.inf
    lab.set_penalty("elasticnet")
    assert lab.first_zero is not None and lab.first_zero.w[lab.first_zero.index] == 0.0


def test_the_path_runs_from_zero_to_least_squares(lab):
    np.testing.assert_array_equal(lab.path, lab.knots[1])
    for penalty in ("l2", "elasticnet"):
        lab.set_penalty(penalty)
        np.testing.assert_array_equal(lab.path[0], [0.0, 0.0])
        np.testing.assert_array_equal(lab.path[-1], lab.w_ols)


def test_marks_show_the_other_penalty_at_the_same_t(lab):
    sol = lab.set_t(1.0)
    alpha, w, same_t = sol.mark("l1")
    assert (alpha, same_t) == (sol.alpha, False) and w is sol.w
    alpha, w, same_t = sol.mark("l2")
    assert same_t and np.linalg.norm(w) == pytest.approx(1.0, rel=1e-9)
    assert sol.ridge_alpha == alpha == pytest.approx(R.alpha_for_t(lab.X, lab.y, 1.0, "l2"))


def test_unknown_penalty_is_refused_and_changes_nothing(lab):
    with pytest.raises(ValueError, match="unknown penalty"):
        lab.set_penalty("l3")
    assert lab.penalty == "l1"


def test_alpha_ranges_span_least_squares_to_all_zero(lab):
    lo, hi = lab.alpha_range("l1")
    assert hi == pytest.approx(1.25 * R.alpha_max(lab.X, lab.y)) and lo == pytest.approx(hi / 1250)
    lo, hi = lab.alpha_range("l2")
    assert 0 < lo < hi
    alphas, coefs, zeros = lab.lasso_path()
    assert alphas.shape == (240,) and coefs.shape == (240, 2)
    np.testing.assert_array_equal(coefs[alphas >= zeros.max()], 0.0)
    alphas, coefs = lab.ridge_path()
    np.testing.assert_allclose(coefs[0], R.ridge(lab.X, lab.y, alphas[0]))


def test_descent_follows_the_update_with_and_without_decay(lab):
    lab.lr, lab.lam = 0.1, 10.0
    lab.descent.reset(np.array([-1.0, 1.5]))
    status = lab.descent_step(3)
    plain, decayed = lab.descent.trajectories()
    start = np.array([-1.0, 1.5])
    np.testing.assert_allclose(plain, R.gradient_descent(lab.X, lab.y, start, 0.1, 3))
    np.testing.assert_allclose(decayed, R.gradient_descent(lab.X, lab.y, start, 0.1, 3, lam=10.0))
    assert status.steps == 3 and not status.finished and not status.unstable
    assert status.decay_factor == pytest.approx(1 - 0.1 * 10.0 / 50)
    plain[0] = 99.0  # a copy
    assert lab.descent.trajectories()[0][0, 0] == -1.0
    lab.descent.reset()
    assert lab.descent.steps == 0 and lab.descent.trajectories()[0].tolist() == [[-1.0, 1.5]]


def test_descent_converges_to_the_ridge_optimum_for_alpha_lambda(lab):
    lab.lr, lab.lam = 0.5, 20.0
    status = lab.descent_step(3000)
    assert status.converged and status.finished
    _, decayed = lab.descent.trajectories()
    np.testing.assert_allclose(decayed[-1], R.ridge(lab.X, lab.y, 20.0), atol=1e-6)


def test_descent_diverges_above_the_stable_rate(lab):
    lab.lr = 3.0
    assert lab.descent_status().unstable  # before a step: η is above 2 / λ_max
    status = lab.descent_step(200)
    assert status.unstable and status.finished and not status.converged
    assert status.max_lr == pytest.approx(R.gd_max_lr(lab.X, lab.lam))


def test_descent_stops_after_its_last_step():
    runs = DescentRuns(max_steps=5)
    X, y = np.eye(2), np.ones(2)
    runs.step(X, y, 0.01, 0.0, 50)
    assert runs.steps == 5 and runs.trajectories()[0].shape == (6, 2)
