"""The Regularization tab, driven through its own controls and checked against core and sklearn."""

from __future__ import annotations

import time

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from core import regression as R
from nnviz.tabs.regularization import RegularizationTab


@pytest.fixture
def tab(shown):
    return shown(RegularizationTab(), 1280, 800)


def _sk_lasso(X, y, alpha):
    return Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_


def test_tab_identity_and_empty_network_panel(tab):
    assert tab.objectName() == "regularizationTab"
    with pytest.raises(ValueError):
        tab.set_penalty("l3")
    assert not tab.lam_spin.isEnabled()  # linked to the α slider by default
    assert "No network statistics yet" in tab.network.strengths.text()
    assert not tab.network.table.isVisible()
    assert tab.penalty() == "l1"


def test_show_network_regularization_reaches_the_panel(tab):
    tab.show_network_regularization(1e-4, 0.0, {"conv_1": 0.0, "dense_1": 0.254})
    assert "0.0001" in tab.network.strengths.text()
    assert tab.network.rows() == [("conv_1", "0.0 %"), ("dense_1", "25.4 %")]
    with pytest.raises(ValueError):
        tab.show_network_regularization(-1.0, 0.0, {})


def test_alpha_slider_gives_sklearn_lasso_and_moves_t(tab):
    X, y = tab.data()
    for position in (100, 500, 800, 950):
        tab.alpha_slider.set_position(position)
        alpha = tab.alpha()
        assert alpha == pytest.approx(tab.alpha_slider.value())
        np.testing.assert_allclose(tab.weights(), _sk_lasso(X, y, alpha), atol=1e-6)
        assert tab.t_slider.value() == pytest.approx(np.abs(tab.weights()).sum())
        np.testing.assert_allclose(tab.plane.optimum_point(), tab.weights())
        assert tab.lasso_paths.current_alpha() == pytest.approx(alpha)


def test_t_slider_solves_the_constrained_problem_and_moves_alpha(tab):
    X, y = tab.data()
    tab.t_slider.set_position(300)
    t = tab.t()
    assert np.abs(tab.weights()).sum() == pytest.approx(t, rel=1e-9)
    np.testing.assert_allclose(tab.weights(), _sk_lasso(X, y, tab.alpha()), atol=1e-6)
    assert tab.alpha_slider.value() == pytest.approx(tab.alpha())
    region = tab.plane.region_points()
    np.testing.assert_allclose(np.abs(region).sum(axis=1), t, rtol=1e-12)


def test_l1_corner_gives_exact_zero_with_marker_and_message(tab):
    X, y = tab.data()
    zero_alpha = R.zero_alphas(X, y)
    first = float(zero_alpha[zero_alpha < zero_alpha.max()].min())
    j = int(np.argmin(zero_alpha))
    marker = tab.plane.zero_marker_point()
    assert marker is not None and marker[j] == 0.0
    tab.set_alpha(first * 0.9)
    assert np.all(tab.weights() != 0.0)
    assert "becomes exactly 0" in tab.message.text()
    tab.set_alpha(first * 1.1)
    assert tab.weights()[j] == 0.0
    assert tab.weights()[1 - j] != 0.0
    assert "= 0 exactly" in tab.message.text() and "corner" in tab.message.text()
    assert "0 exactly" in tab.readout.text()
    tab.set_alpha(R.alpha_max(X, y) * 1.1)
    assert np.all(tab.weights() == 0.0)
    assert "both weights are <b>exactly 0</b>" in tab.message.text()


def test_l2_circle_matches_sklearn_ridge_and_never_hits_zero(tab):
    X, y = tab.data()
    tab.set_penalty("l2")
    assert tab.penalty() == "l2"
    for position in (50, 400, 700, 990):
        tab.alpha_slider.set_position(position)
        expected = Ridge(alpha=tab.alpha(), fit_intercept=False).fit(X, y).coef_
        np.testing.assert_allclose(tab.weights(), expected, atol=1e-6)
        assert np.all(tab.weights() != 0.0)
        np.testing.assert_allclose(
            np.linalg.norm(tab.plane.region_points(), axis=1), tab.t(), rtol=1e-12
        )
        assert tab.plane.zero_marker_point() is None
        assert "no corners" in tab.message.text()
        assert tab.ridge_paths.current_alpha() == pytest.approx(tab.alpha())


def test_elastic_net_matches_sklearn(tab):
    X, y = tab.data()
    tab.set_penalty("elasticnet")
    tab.rho_slider.set_position(300)
    rho = tab.rho_slider.value()
    tab.alpha_slider.set_position(600)
    expected = ElasticNet(alpha=tab.alpha(), l1_ratio=rho, fit_intercept=False, tol=1e-14,
                          max_iter=1_000_000).fit(X, y).coef_
    np.testing.assert_allclose(tab.weights(), expected, atol=1e-6)
    assert R.region_size(tab.weights(), "elasticnet", rho) == pytest.approx(tab.t(), rel=1e-9)


def test_switching_penalty_keeps_the_region_size(tab):
    tab.set_t(1.0)
    tab.set_penalty("l2")
    assert tab.t() == pytest.approx(1.0)
    assert np.linalg.norm(tab.weights()) == pytest.approx(1.0, rel=1e-9)
    assert tab.lasso_paths.current_alpha() == pytest.approx(
        R.alpha_for_t(*tab.data(), 1.0, "l1"), rel=1e-9
    )


def test_large_t_leaves_the_constraint_inactive(tab):
    X, y = tab.data()
    tab.t_slider.set_position(1000)
    assert tab.alpha() == 0.0
    np.testing.assert_allclose(tab.weights(), R.ols(X, y))
    assert "does not bind" in tab.message.text()


def test_data_controls_reshape_the_problem(tab):
    X0, _ = tab.data()
    tab.n_spin.setValue(120)
    X, y = tab.data()
    assert X.shape == (120, 2) and y.shape == (120,)
    tab.corr_slider.set_position(1000)  # correlation 0.95
    X, _ = tab.data()
    assert np.corrcoef(X.T)[0, 1] > 0.85
    before = tab.data()[0]
    tab.new_button.click()
    assert not np.array_equal(before, tab.data()[0])
    np.testing.assert_array_equal(tab.scatter_plot.points(), tab.data()[0])
    tab.noise_spin.setValue(0.0)
    tab.w1_spin.setValue(-1.0)
    tab.w2_spin.setValue(2.0)
    X, y = tab.data()
    np.testing.assert_allclose(y, X @ np.array([-1.0, 2.0]), atol=1e-12)
    labels = [float(text) for text in tab.plane.contour_labels()]
    assert len(labels) >= 3 and labels == sorted(labels)
    assert labels[0] > R.j0(X, y, R.ols(X, y))  # every labelled contour lies above the minimum


def test_gradient_descent_steps_follow_the_decay_update(tab):
    X, y = tab.data()
    tab.link_check.setChecked(False)
    tab.lam_spin.setValue(10.0)
    tab.lr_spin.setValue(0.1)
    tab.plane.clicked.emit(-1.0, 1.5)
    for _ in range(3):
        tab.step_button.click()
    plain, decayed = tab.gd_trajectories()
    start = np.array([-1.0, 1.5])
    np.testing.assert_allclose(plain, R.gradient_descent(X, y, start, 0.1, 3))
    np.testing.assert_allclose(decayed, R.gradient_descent(X, y, start, 0.1, 3, lam=10.0))
    assert "step 3" in tab.gd_status.text()
    drawn_plain, drawn_decay = tab.plane.gradient_descent_points()
    assert drawn_plain.shape == (4, 2) and drawn_decay.shape == (4, 2)
    tab.reset_button.click()
    assert tab.gd_trajectories()[0].shape == (1, 2)


def test_linked_decay_run_ends_on_the_circle_optimum(tab):
    X, y = tab.data()
    tab.set_penalty("l2")
    tab.set_t(1.0)
    assert tab.lam_spin.value() == pytest.approx(tab.alpha(), abs=1e-3)
    tab.lr_spin.setValue(0.5)
    tab.gd_step(1500)
    _, decayed = tab.gd_trajectories()
    np.testing.assert_allclose(decayed[-1], R.ridge(X, y, tab.lam_spin.value()), atol=1e-6)
    assert np.linalg.norm(decayed[-1]) == pytest.approx(1.0, abs=1e-3)


def test_play_animates_until_paused(tab, qtbot):
    tab.play_button.click()
    assert tab.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: tab.gd_trajectories()[0].shape[0] > 5, timeout=3000)
    tab.play_button.click()
    assert tab.play_button.text() == "Play"
    assert not tab.is_animating()


def test_diverging_run_pauses_itself_and_says_so(tab, qtbot):
    tab.lr_spin.setValue(3.0)  # far above 2 / λ_max
    tab.play_button.click()
    qtbot.waitUntil(lambda: not tab.play_button.isChecked(), timeout=5000)
    assert "Unstable" in tab.gd_status.text()


def test_hiding_the_tab_pauses_the_animation(tab):
    tab.play_button.click()
    tab.hide()
    assert not tab.play_button.isChecked()


def _drag_frames(qapp, capsys, what, slider, positions) -> float:
    """Drag ``slider`` through ``positions``, one painted frame each; print and return the
    mean frame time in ms of the UI thread's own CPU time (other processes on a shared
    machine stretch wall-clock time, not the work a frame costs)."""
    times = []
    for position in positions:
        start = time.thread_time()
        slider.set_position(position)
        qapp.processEvents()
        times.append(time.thread_time() - start)
    mean_ms = 1e3 * float(np.mean(times))
    with capsys.disabled():
        print(f"\n{what}-drag frame {mean_ms:.1f} ms mean, {1e3 * max(times):.1f} ms max")
    return mean_ms


def test_slider_frames_are_fast(tab, qapp, capsys):
    """A frame of an α drag (solve, redraw, paint) must stay well under 50 ms."""
    for penalty in ("l1", "l2", "elasticnet"):
        tab.set_penalty(penalty)
        qapp.processEvents()
        assert _drag_frames(qapp, capsys, f"{penalty}: α", tab.alpha_slider,
                            range(0, 1001, 40)) < 25.0
    # a data slider rebuilds contours, paths and scatter
    assert _drag_frames(qapp, capsys, "correlation", tab.corr_slider, range(400, 700, 15)) < 45.0


def test_zero_region_size(tab):
    tab.t_slider.set_position(0)
    assert np.all(tab.weights() == 0.0)
    assert tab.alpha() == pytest.approx(R.alpha_max(*tab.data()))
    tab.set_penalty("l2")
    tab.t_slider.set_position(0)
    assert np.all(tab.weights() == 0.0) and tab.alpha() == np.inf
    assert "α = ∞" in tab.message.text()
