"""The from-scratch network's run, without Qt: loss history, first rise, one iteration laid open."""

from __future__ import annotations

import numpy as np
import pytest

from core.scratch import XOR_X, XOR_Y, TwoLayerNetwork
from nnviz.tabs.loss.scratch_run import ScratchRun, gradient_check, iteration_report


def test_gradient_check_tolerates_round_off_but_not_a_wrong_gradient() -> None:
    a = np.array([1.0, -2.0])
    assert gradient_check(a, a + 1e-9).agree
    wrong = gradient_check(a, a * 1.01)
    assert not wrong.agree
    assert wrong.difference == pytest.approx(0.02) and wrong.relative == pytest.approx(0.02 / 2.02)
    assert gradient_check(np.array([1e-17]), np.array([1e-11])).agree  # vanishing gradient


def test_a_run_records_the_losses_fit_would_return() -> None:
    run = ScratchRun()
    losses = run.advance(1500, 1.0)
    np.testing.assert_array_equal(losses, TwoLayerNetwork(3).fit(XOR_X, XOR_Y))
    np.testing.assert_array_equal(run.losses, losses)
    assert run.finished and run.first_rise is None and run.stopped is None


def test_advance_in_pieces_equals_one_go_and_may_run_past_the_count() -> None:
    run = ScratchRun(iterations=10)
    pieces = np.concatenate([run.advance(4, 0.5), run.advance(4, 0.5), run.advance(7, 0.5)])
    assert run.iteration == 15 and run.finished
    np.testing.assert_array_equal(pieces, TwoLayerNetwork(3).fit(XOR_X, XOR_Y, 15, 0.5))
    run.set_iterations(20)
    assert not run.finished and len(run.losses) == 15


def test_the_first_rise_of_the_loss_is_found() -> None:
    run = ScratchRun(activation="relu")  # not monotonic at learning rate 1.0
    losses = run.advance(300, 1.0)
    i = run.first_rise
    assert i is not None and losses[i] > losses[i - 1]
    assert np.all(np.diff(losses[:i]) <= 0)


def test_a_diverging_update_stops_the_run_and_keeps_the_weights() -> None:
    run = ScratchRun()
    run.advance(3, 1.0)
    before = run.network.get_weights()
    assert len(run.advance(5, np.inf)) == 0  # an update of inf · gradient
    assert run.iteration == 3 and "not finite" in run.stopped
    np.testing.assert_array_equal(run.network.W1, before["W1"])
    run.advance(1, 1.0)
    assert run.stopped is None and run.iteration == 4


def test_iteration_report_lays_one_iteration_open() -> None:
    net = TwoLayerNetwork(3, n_hidden=3, activation="tanh")
    report = iteration_report(net, XOR_X, XOR_Y, 0.5)
    grads = net.backprop(XOR_X, XOR_Y)
    np.testing.assert_allclose(report.new_weights["W1"], net.W1 - 0.5 * grads["dW1"])
    np.testing.assert_allclose(report.predictions, grads["y_hat"][:, 0])
    assert report.loss == pytest.approx(grads["loss"])
    assert set(report.checks) == {"dW1", "dW2"} and all(c.agree for c in report.checks.values())
    np.testing.assert_array_equal(report.correct, np.round(report.predictions) == [0, 1, 1, 0])
    assert not report.dead_units and not report.linear_units  # only relu units die
    assert iteration_report(net, XOR_X, XOR_Y, 0.5, numeric=False).checks == {}


def test_a_solved_run_and_dead_relu_units_are_recognised() -> None:
    run = ScratchRun()
    run.advance(1500, 1.0)
    assert run.report(1.0).solved
    dead = ScratchRun(activation="relu")
    dead.network.W1[...] = -1.0  # every hidden input negative for every sample
    report = dead.report(1.0)
    assert report.dead_units and not report.linear_units
    dead.network.W1[...] = 1.0  # every hidden input positive: a linear network
    assert dead.report(1.0).linear_units
