"""The Regularization tab, driven through its own controls and checked against core and sklearn."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtWidgets import QLabel
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from core import regression as R
from nnviz.tabs.regularization import RegularizationTab
from nnviz.widgets.float_slider import format_value


@pytest.fixture
def tab(shown):
    return shown(RegularizationTab(), 1280, 800)


def _sk_lasso(X, y, alpha):
    return Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_


def test_tab_identity_and_empty_network_panel(tab):
    assert tab.objectName() == "regularizationTab"
    with pytest.raises(ValueError):
        tab.set_penalty("l3")
    assert not tab.gd_alpha_field.isEnabled()  # linked to the α slider by default
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


def test_gradient_descent_steps_follow_the_decay_update_under_l2(tab, qtbot):
    X, y = tab.data()
    tab.set_penalty("l2")
    tab.link_check.setChecked(False)
    assert tab.gd_alpha_field.isEnabled() and tab.lam_spin is tab.gd_alpha_field
    with qtbot.waitSignal(tab.gd_alpha_field.valueChanged):
        tab.gd_alpha_field.setText("1e1")  # typed in scientific notation
        tab.gd_alpha_field.editingFinished.emit()
    tab.lr_spin.setValue(0.1)
    tab.plane.clicked.emit(-1.0, 1.5)
    for _ in range(3):
        tab.step_button.click()
    plain, decayed = tab.gd_trajectories()
    start = np.array([-1.0, 1.5])
    np.testing.assert_allclose(plain, R.gradient_descent(X, y, start, 0.1, 3))
    np.testing.assert_allclose(decayed, R.gradient_descent(X, y, start, 0.1, 3, lam=10.0))
    assert "step 3" in tab.gd_status.text() and "decay" in tab.gd_status.text()
    drawn_plain, drawn_decay = tab.plane.gradient_descent_points()
    assert drawn_plain.shape == (4, 2) and drawn_decay.shape == (4, 2)
    tab.reset_button.click()
    assert tab.gd_trajectories()[0].shape == (1, 2)


def test_linked_decay_run_ends_on_the_circle_optimum(tab):
    X, y = tab.data()
    tab.set_penalty("l2")
    tab.set_t(1.0)
    assert tab.gd_alpha_field.value() == tab.alpha()
    tab.lr_spin.setValue(0.5)
    tab.gd_step(1500)
    _, decayed = tab.gd_trajectories()
    np.testing.assert_allclose(decayed[-1], R.ridge(X, y, tab.alpha()), atol=1e-6)
    assert np.linalg.norm(decayed[-1]) == pytest.approx(1.0, abs=1e-3)


def test_l1_descent_lands_on_the_diamond_corner_with_an_exact_zero(tab):
    """Under L1 the penalised run is the soft-threshold descent at the plane's α: it ends at
    w* on the diamond, the zeroed weight exactly 0.0, unlike weight decay."""
    first = tab.lab.first_zero
    tab.set_alpha(1.3 * first.alpha)
    assert tab.weights()[first.index] == 0.0
    assert "GD&nbsp;+&nbsp;L1&nbsp;(soft-threshold)" in tab.legend.text()
    assert "soft-threshold" in tab.gd_status.text() and "exact zeros" in tab.gd_note.text()
    tab.gd_step(3000)
    _, run = tab.gd_trajectories()
    assert run[-1, first.index] == 0.0
    np.testing.assert_allclose(run[-1], tab.weights(), atol=1e-9)
    assert np.abs(run[-1]).sum() == pytest.approx(tab.t(), rel=1e-9)  # on the diamond
    np.testing.assert_allclose(tab.plane.gradient_descent_points()[1][-1], run[-1])
    tab.set_penalty("l2")
    assert tab.gd_trajectories()[0].shape == (1, 2)  # a new rule: the runs restart
    assert "GD&nbsp;+&nbsp;weight&nbsp;decay" in tab.legend.text()


def test_gd_settings_stay_sane_at_the_largest_alpha(tab):
    """At the top of the Ridge α range the field reads a plain number and η follows the
    stability limit, so the runs converge instead of blowing up."""
    tab.set_penalty("l2")
    tab.alpha_slider.set_position(1000)
    alpha = tab.alpha()
    assert tab.gd_alpha_field.text() == format_value(alpha) and "000.000" not in \
        tab.gd_alpha_field.text()
    assert "η held at" in tab.gd_status.text() and "Unstable" not in tab.gd_status.text()
    tab.gd_step(3000)
    np.testing.assert_allclose(tab.gd_trajectories()[1][-1], tab.weights(), atol=1e-6)
    tab.cap_check.setChecked(False)  # the chosen η = 0.2 is far above the limit now
    assert "Unstable" in tab.gd_status.text() and "Lower η" in tab.gd_status.text()


def test_alpha_can_be_typed_in_scientific_notation(tab, qtbot):
    X, y = tab.data()
    field = tab.alpha_slider.field
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "5e-2")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert tab.alpha() == 0.05
    np.testing.assert_allclose(tab.weights(), _sk_lasso(X, y, 0.05), atol=1e-6)
    assert tab.alpha_slider.slider.value() == tab.alpha_slider._to_position(0.05)
    assert tab.t_slider.value() == pytest.approx(np.abs(tab.weights()).sum())
    assert "α = <b>0.05</b>" in tab.readout.text()


def test_a_click_on_the_alpha_groove_moves_the_knob_where_clicked(tab, qtbot):
    groove = tab.alpha_slider.slider
    x = int(groove.width() * 0.75)
    qtbot.mouseClick(groove, Qt.MouseButton.LeftButton, pos=QPoint(x, groove.height() // 2))
    assert groove.value() == pytest.approx(groove.position_at(x), abs=1)
    assert tab.alpha() == pytest.approx(tab.alpha_slider.value_at(groove.value()))


def _click_path(qtbot, paths, alpha):
    vb = paths.getPlotItem().getViewBox()
    (_, _), (y0, y1) = vb.viewRange()
    scene = vb.mapViewToScene(QPointF(paths.view_x_of(alpha), 0.5 * (y0 + y1)))
    qtbot.mouseClick(paths.viewport(), Qt.MouseButton.LeftButton,
                     pos=paths.mapFromScene(scene))


def test_a_click_on_the_lasso_paths_sets_alpha_there(tab, qtbot):
    X, y = tab.data()
    lo, hi = tab.lab.alpha_range("l1")
    target = float(np.sqrt(lo * hi))
    with qtbot.waitSignal(tab.lasso_paths.alphaClicked) as blocker:
        _click_path(qtbot, tab.lasso_paths, target)
    assert blocker.args[0] == pytest.approx(target, rel=0.05)  # within a pixel or two
    assert tab.alpha() == blocker.args[0]
    np.testing.assert_allclose(tab.weights(), _sk_lasso(X, y, tab.alpha()), atol=1e-6)
    assert tab.lasso_paths.current_alpha() == pytest.approx(tab.alpha())


def test_a_click_on_the_other_penalty_paths_moves_its_dashed_line_there(tab, qtbot):
    tab.set_penalty("l1")
    lo, hi = tab.lab.alpha_range("l2")
    target = float(np.sqrt(lo * hi))
    with qtbot.waitSignal(tab.ridge_paths.alphaClicked) as blocker:
        _click_path(qtbot, tab.ridge_paths, target)
    assert tab.penalty() == "l1"  # the plane keeps its penalty and takes that circle's t
    assert tab.ridge_paths.current_alpha() == pytest.approx(blocker.args[0], rel=1e-6)
    w = R.ridge(*tab.data(), blocker.args[0])
    assert tab.t() == pytest.approx(np.linalg.norm(w), rel=1e-9)


def test_the_labels_say_population_and_sample_correlation(tab):
    form = tab.corr_slider.parentWidget().layout()
    assert form.labelForField(tab.corr_slider).text() == "corr(x₁, x₂) set"
    assert "sample corr" in tab.scatter_plot.getPlotItem().titleLabel.text
    assert "J0 =" in tab.j0_note.text() and "without the penalty" in tab.j0_note.text()
    assert "Ridge" in tab.units_note.text() and "(1/2n)" in tab.units_note.text()


def test_messages_keep_their_height_and_fit_it(tab, qapp):
    """The notes that change (explanation, readout, GD status) have fixed heights, large
    enough for their longest text at the tab's width: the layout never jumps."""
    boxes = (tab.message, tab.readout, tab.gd_status, tab.gd_note, tab.legend, tab.objective)
    heights = [b.height() for b in boxes]
    texts = {b: [] for b in boxes}
    for penalty in ("l1", "l2", "elasticnet"):
        tab.set_penalty(penalty)
        for position in (0, 300, 600, 1000):
            tab.alpha_slider.set_position(position)
            for cap in (True, False):
                tab.cap_check.setChecked(cap)
                qapp.processEvents()
                assert [b.height() for b in boxes] == heights
                for b in boxes:
                    texts[b].append(b.text())
    for b in boxes:
        for text in texts[b]:
            probe = QLabel(text, wordWrap=True, textFormat=Qt.TextFormat.RichText)
            probe.setFont(b.font())
            probe.setStyleSheet(b.styleSheet())  # the same padding and border
            assert probe.heightForWidth(b.width()) <= b.height(), text


def test_play_animates_until_paused(tab, qtbot):
    tab.play_button.click()
    assert tab.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: tab.gd_trajectories()[0].shape[0] > 5, timeout=3000)
    tab.play_button.click()
    assert tab.play_button.text() == "Play"
    assert not tab.is_animating()


def test_diverging_run_pauses_itself_and_says_so(tab, qtbot):
    tab.cap_check.setChecked(False)
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
    """A frame of an α drag (solve, redraw, paint) costs a few ms (a data slider's about
    30 ms, it rebuilds contours, paths and scatter): the bounds leave room for a shared
    machine's load and fail only when a frame grows several times dearer."""
    for penalty in ("l1", "l2", "elasticnet"):
        tab.set_penalty(penalty)
        qapp.processEvents()
        assert _drag_frames(qapp, capsys, f"{penalty}: α", tab.alpha_slider,
                            range(0, 1001, 40)) < 40.0
    assert _drag_frames(qapp, capsys, "correlation", tab.corr_slider, range(400, 700, 15)) < 90.0


def test_zero_region_size(tab):
    tab.t_slider.set_position(0)
    assert np.all(tab.weights() == 0.0)
    assert tab.alpha() == pytest.approx(R.alpha_max(*tab.data()))
    tab.set_penalty("l2")
    tab.t_slider.set_position(0)
    assert np.all(tab.weights() == 0.0) and tab.alpha() == np.inf
    assert "α = ∞" in tab.message.text()
