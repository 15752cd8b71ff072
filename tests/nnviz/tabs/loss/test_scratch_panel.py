"""The second page: the XOR network trained live, driven through its own controls."""

from __future__ import annotations

import numpy as np
import pytest

from core.scratch import XOR_X, XOR_Y, TwoLayerNetwork
from nnviz.tabs.loss.scratch_panel import ScratchPanel


@pytest.fixture
def panel(shown) -> ScratchPanel:
    return shown(ScratchPanel(), 1280, 800)


def test_play_runs_1500_iterations_falling_every_time(qtbot, panel: ScratchPanel) -> None:
    panel.speed_spin.setValue(500)
    with qtbot.waitSignal(panel.runFinished, timeout=10_000):
        panel.play_button.click()
    assert not panel.is_playing and panel.play_button.text() == "▶ Play"
    losses = panel.losses
    assert losses.shape == (1500,) and panel.first_rise is None
    np.testing.assert_array_equal(losses, TwoLayerNetwork(3).fit(XOR_X, XOR_Y))
    rounded = [int(panel.prediction_table.item(i, 5).text()) for i in range(4)]
    assert rounded == [0, 1, 1, 0]
    assert "fell at every iteration" in panel.status_label.text()
    assert "round to their targets ✓" in panel.status_label.text()
    x, _ = panel.loss_curve()
    assert len(x) == 1500
    np.testing.assert_allclose(panel.w1_map.matrix(), panel.network.W1)
    np.testing.assert_allclose(panel.w2_map.matrix(), panel.network.W2.T)


def test_every_iteration_is_announced_with_its_loss(qtbot, panel: ScratchPanel) -> None:
    seen = []
    panel.iterationFinished.connect(lambda i, loss: seen.append((i, loss)))
    panel.step(3)
    assert [i for i, _ in seen] == [1, 2, 3]
    np.testing.assert_array_equal([loss for _, loss in seen], panel.losses)


def test_pause_stops_and_step_adds_one(qtbot, panel: ScratchPanel) -> None:
    panel.speed_spin.setValue(1)
    with qtbot.waitSignal(panel.iterationFinished, timeout=5_000):
        panel.play_button.click()
    panel.play_button.click()
    assert not panel.is_playing
    n = panel.network.iteration
    assert 0 < n < 1500
    with qtbot.assertNotEmitted(panel.runFinished):
        panel.step_button.click()
    assert panel.network.iteration == n + 1 and len(panel.losses) == n + 1


def test_stepper_apply_update_is_one_iteration(panel: ScratchPanel) -> None:
    stepper = panel.stepper
    expected = TwoLayerNetwork(3)
    grads = expected.backprop(XOR_X, XOR_Y)
    for _ in range(stepper.table.rowCount() - 1):
        stepper.next_button.click()
    assert panel.network.iteration == 0
    stepper.next_button.click()  # "Apply update"
    assert panel.network.iteration == 1 and stepper.stage == 0
    np.testing.assert_allclose(panel.network.W1, expected.W1 - grads["dW1"])
    assert stepper.gradients_agree


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_controls_rebuild_the_network(panel: ScratchPanel, activation: str) -> None:
    panel.step(5)
    panel.hidden_spin.setValue(6)
    assert panel.network.iteration == 0 and panel.network.n_hidden == 6
    assert panel.w1_map.matrix_shape() == (6, 3) and panel.w2_map.matrix_shape() == (6, 1)
    panel.activation_combo.setCurrentText(activation)
    assert panel.network.activation == activation
    panel.step(3)
    assert panel.stepper.gradients_agree


def test_learning_rate_applies_without_a_reset(panel: ScratchPanel) -> None:
    panel.step(2)
    panel.learning_rate_spin.setValue(0.5)
    expected = TwoLayerNetwork(3)
    expected.fit(XOR_X, XOR_Y, 2)
    expected.step(XOR_X, XOR_Y, 0.5)
    panel.step(1)
    np.testing.assert_allclose(panel.network.W1, expected.W1)


def test_play_at_the_end_starts_a_fresh_run(qtbot, panel: ScratchPanel) -> None:
    panel.iterations_spin.setValue(20)
    panel.speed_spin.setValue(50)
    with qtbot.waitSignal(panel.runFinished, timeout=5_000):
        panel.play()
    assert panel.network.iteration == 20
    with qtbot.waitSignal(panel.runFinished, timeout=5_000):
        panel.play()
    assert panel.network.iteration == 20 and len(panel.losses) == 20


def test_a_rising_loss_is_reported(panel: ScratchPanel) -> None:
    panel.activation_combo.setCurrentText("relu")  # not monotonic at learning rate 1.0
    panel.step(300)
    assert panel.first_rise is not None
    assert f"rose at iteration {panel.first_rise}" in panel.status_label.text()


def test_a_diverging_update_pauses_and_is_reported(qtbot, panel: ScratchPanel) -> None:
    panel.learning_rate_spin.setMaximum(float("inf"))  # beyond any rate the control offers
    panel.learning_rate_spin.setValue(float("inf"))
    panel.play()
    with qtbot.assertNotEmitted(panel.iterationFinished):
        qtbot.waitUntil(lambda: not panel.is_playing, timeout=2_000)
    assert panel.network.iteration == 0
    assert panel.status_label.text().startswith("Stopped: the update at iteration 0")
