"""The Loss tab: both halves, driven through their own widgets, and the main-window hooks."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from core.functional import softmax
from core.losses import binary_crossentropy, categorical_crossentropy
from core.scratch import XOR_X, XOR_Y, TwoLayerNetwork
from nnviz.tabs.loss.tab import LossTab

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


@pytest.fixture
def tab(qtbot) -> LossTab:
    widget = LossTab()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    return widget


def _bar_heights(bars: pg.BarGraphItem) -> np.ndarray:
    return np.asarray(bars.opts["height"], dtype=np.float64)


# --- cross-entropy and softmax --------------------------------------------------------


def test_tab_has_two_pages_and_the_object_name(tab: LossTab) -> None:
    assert tab.objectName() == "lossTab"
    assert tab.pages.count() == 2
    tab.show_page("network")
    assert tab.pages.currentWidget() is tab.scratch
    with pytest.raises(ValueError):
        tab.show_page("nope")


def test_binary_curves_are_core_losses_with_the_default_eps(tab: LossTab) -> None:
    e = tab.entropy
    assert e.epsilon == pytest.approx(binary_crossentropy.epsilon)
    p, y1 = e._curve_y1.getData()
    _, y0 = e._curve_y0.getData()
    np.testing.assert_allclose(y1, binary_crossentropy.elementwise(np.ones_like(p), p))
    np.testing.assert_allclose(y0, binary_crossentropy.elementwise(np.zeros_like(p), p))
    assert e._cap_line.value() == pytest.approx(-np.log(1e-7))


def test_eps_control_moves_the_clip_and_the_cap(tab: LossTab) -> None:
    e = tab.entropy
    e.eps_slider.setValue(-10)  # eps = 0.1
    assert e.epsilon == pytest.approx(0.1)
    assert e._clip_low.getRegion() == pytest.approx((0.0, 0.1))
    assert e._clip_high.getRegion() == pytest.approx((0.9, 1.0))
    _, y1 = e._curve_y1.getData()
    assert np.max(y1) == pytest.approx(-np.log(0.1))
    assert "eps = 1e-01" in e.eps_label.text()


def test_probe_at_zero_shows_what_log0_would_be(tab: LossTab) -> None:
    e = tab.entropy
    e.p_slider.setValue(0)
    text = e.log0_label.text()
    assert "+inf" in text and "NaN" in text
    assert e.formula_table.item(2, 3).text() == "+inf  |  NaN"
    assert float(e.formula_table.item(0, 3).text()) == pytest.approx(-np.log(1e-7), rel=1e-4)
    e.p_slider.setValue(250)
    assert float(e.formula_table.item(0, 3).text()) == pytest.approx(-np.log(0.25), abs=1e-4)
    assert float(e.formula_table.item(1, 3).text()) == pytest.approx(-np.log(0.75), abs=1e-4)


def test_dragging_the_probe_line_moves_the_slider(tab: LossTab) -> None:
    e = tab.entropy
    e._probe_line.setValue(0.8)
    assert e.p_slider.value() == 800 and e.probe_p == pytest.approx(0.8)


def test_set_scores_drives_the_bars_and_they_match_core_losses(tab: LossTab) -> None:
    e = tab.entropy
    z = np.array([1.0, -2.0, 0.5, 0.0, 4.0, -1.0, 2.5, 0.3, -0.7, 1.1])
    tab.set_scores(z, true_class=6)
    assert e.true_class_combo.currentIndex() == 6
    y = np.eye(10)[6][None]
    p = softmax(z[None])[0]
    np.testing.assert_allclose(_bar_heights(e._prob_bars), p)
    np.testing.assert_allclose(_bar_heights(e._nll_bars), -np.log(p))
    np.testing.assert_allclose(
        _bar_heights(e._grad_bars), categorical_crossentropy.gradient_from_logits(y, z[None])[0]
    )
    assert e.readout.loss == pytest.approx(categorical_crossentropy(y, p[None]))
    assert float(e.formula_table.item(5, 3).text()) == pytest.approx(e.readout.loss, abs=1e-4)
    # None keeps the true class.
    tab.set_scores(z[::-1])
    assert e.true_class_combo.currentIndex() == 6


def test_temperature_scales_the_scores(tab: LossTab) -> None:
    e = tab.entropy
    z = np.linspace(-3, 3, 10)
    tab.set_scores(z, 2)
    np.testing.assert_array_equal(e.score_editor.scores(), z)  # full precision kept
    e.temperature_slider.setValue(round(np.log10(2.0) * 100))
    t = e.temperature
    assert t == pytest.approx(2.0, rel=0.02)
    np.testing.assert_allclose(_bar_heights(e._prob_bars), softmax(z / t))
    np.testing.assert_allclose(e.readout.gradient_logits, (softmax(z / t) - np.eye(10)[2]) / t)


def test_typing_a_score_updates_the_loss(tab: LossTab) -> None:
    e = tab.entropy
    tab.set_scores(np.zeros(10), 0)
    assert e.readout.loss == pytest.approx(np.log(10))
    e.score_editor._spins[0].setValue(5.0)
    assert e.readout.probabilities[0] == pytest.approx(np.exp(5) / (np.exp(5) + 9))


@pytest.mark.parametrize(
    "logits, true_class", [(np.zeros(9), None), (np.full(10, np.inf), None), (np.zeros(10), 10)]
)
def test_bad_scores_are_refused_and_change_nothing(tab: LossTab, logits, true_class) -> None:
    before = tab.entropy.score_editor.scores()
    with pytest.raises(ValueError):
        tab.set_scores(logits, true_class)
    np.testing.assert_array_equal(tab.entropy.score_editor.scores(), before)


def test_use_the_current_drawing(tab: LossTab) -> None:
    e = tab.entropy
    assert not e.use_drawing_button.isEnabled()  # no provider yet
    drawn: list = [None]
    tab.set_logits_provider(lambda: drawn[0])
    assert e.use_drawing_button.isEnabled()
    before = e.score_editor.scores()
    e.use_drawing_button.click()
    assert "Nothing is drawn" in e.status_label.text()
    np.testing.assert_array_equal(e.score_editor.scores(), before)

    logits = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 9.0, 0.9, 1.0], dtype=np.float32)
    drawn[0] = (logits, 7)
    e.use_drawing_button.click()
    np.testing.assert_array_equal(e.score_editor.scores(), logits.astype(np.float64))
    assert e.true_class_combo.currentIndex() == 7
    assert "predicts 7" in e.status_label.text()

    drawn[0] = (np.zeros(5), 1)
    e.use_drawing_button.click()
    assert "could not be used" in e.status_label.text()


def test_a_failing_provider_is_reported_not_raised(tab: LossTab) -> None:
    def broken() -> None:
        raise RuntimeError("no model loaded")

    tab.set_logits_provider(broken)
    tab.entropy.use_drawing_button.click()
    assert "no model loaded" in tab.entropy.status_label.text()


def test_random_and_reset_buttons(tab: LossTab) -> None:
    e = tab.entropy
    e.random_button.click()
    assert not np.allclose(e.score_editor.scores(), e.score_editor.scores()[0])
    e.temperature_slider.setValue(50)
    e.reset_button.click()
    assert e.temperature == pytest.approx(1.0) and e.true_class_combo.currentIndex() == 3
    assert np.argmax(e.readout.probabilities) == 3


# --- the network from scratch -----------------------------------------------------------


def test_play_runs_1500_iterations_falling_every_time(qtbot, tab: LossTab) -> None:
    s = tab.scratch
    tab.show_page("network")
    tab.show()
    s.speed_spin.setValue(500)
    with qtbot.waitSignal(s.run_finished, timeout=10_000):
        s.play_button.click()
    assert not s.is_playing and s.play_button.text() == "▶ Play"
    losses = s.losses
    assert losses.shape == (1500,) and s.first_rise is None
    np.testing.assert_array_equal(losses, TwoLayerNetwork(3).fit(XOR_X, XOR_Y))
    rounded = [int(s.prediction_table.item(i, 5).text()) for i in range(4)]
    assert rounded == [0, 1, 1, 0]
    assert "fell at every iteration" in s.status_label.text()
    assert "round to their targets ✓" in s.status_label.text()
    x, y = s._loss_curve.getData()
    assert len(x) == 1500
    np.testing.assert_allclose(s.w1_map._image.image, s.network.W1)
    np.testing.assert_allclose(s.w2_map._image.image, s.network.W2.T)


def test_pause_stops_and_step_adds_one(qtbot, tab: LossTab) -> None:
    s = tab.scratch
    s.speed_spin.setValue(1)
    s.play_button.click()
    with qtbot.waitSignal(s.iteration_finished, timeout=5_000):
        pass
    s.play_button.click()
    assert not s.is_playing
    n = s.network.iteration
    assert 0 < n < 1500
    s.step_button.click()
    assert s.network.iteration == n + 1 and len(s.losses) == n + 1


def test_stepper_apply_update_is_one_iteration(tab: LossTab) -> None:
    s = tab.scratch
    stepper = s.stepper
    expected = TwoLayerNetwork(3)
    grads = expected.backprop(XOR_X, XOR_Y)
    for _ in range(stepper.table.rowCount() - 1):
        stepper._next_button.click()
    assert s.network.iteration == 0
    stepper._next_button.click()  # "Apply update"
    assert s.network.iteration == 1 and stepper.stage == 0
    np.testing.assert_allclose(s.network.W1, expected.W1 - grads["dW1"])
    assert stepper.gradients_agree


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_controls_rebuild_the_network(tab: LossTab, activation: str) -> None:
    s = tab.scratch
    s.step(5)
    s.hidden_spin.setValue(6)
    assert s.network.iteration == 0 and s.network.n_hidden == 6
    assert s.w1_map.matrix_shape() == (6, 3) and s.w2_map.matrix_shape() == (6, 1)
    s.activation_combo.setCurrentText(activation)
    assert s.network.activation == activation
    s.step(3)
    assert s.stepper.gradients_agree


def test_learning_rate_applies_without_a_reset(tab: LossTab) -> None:
    s = tab.scratch
    s.step(2)
    s.learning_rate_spin.setValue(0.5)
    expected = TwoLayerNetwork(3)
    expected.fit(XOR_X, XOR_Y, 2)
    expected.step(XOR_X, XOR_Y, 0.5)
    s.step(1)
    np.testing.assert_allclose(s.network.W1, expected.W1)


def test_play_at_the_end_starts_a_fresh_run(qtbot, tab: LossTab) -> None:
    s = tab.scratch
    s.iterations_spin.setValue(20)
    s.speed_spin.setValue(50)
    with qtbot.waitSignal(s.run_finished, timeout=5_000):
        s.play()
    assert s.network.iteration == 20
    with qtbot.waitSignal(s.run_finished, timeout=5_000):
        s.play()
    assert s.network.iteration == 20 and len(s.losses) == 20


def test_a_rising_loss_is_reported(tab: LossTab) -> None:
    s = tab.scratch
    s.activation_combo.setCurrentText("relu")  # not monotonic at learning rate 1.0
    s.step(300)
    assert s.first_rise is not None
    assert f"rose at iteration {s.first_rise}" in s.status_label.text()


def test_eps_extremes_keep_every_curve_finite(tab: LossTab) -> None:
    e = tab.entropy
    for position in (e.eps_slider.minimum(), e.eps_slider.maximum()):
        e.eps_slider.setValue(position)
        for curve in (e._curve_y1, e._curve_y0, e._curve_sq1, e._curve_sq0):
            assert np.all(np.isfinite(curve.getData()[1]))
        assert e._cap_line.value() == pytest.approx(-np.log(e.epsilon))
    assert e.epsilon == pytest.approx(10**-0.6)
