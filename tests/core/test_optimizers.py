"""Optimizer steps against hand-computed values (Keras' update rules)."""

from __future__ import annotations

import numpy as np
import pytest

from core import optimizers


def run(opt, grads, p0=1.0):
    p = np.array([p0])
    trace = []
    for g in grads:
        opt.update({"w": p}, {"w": np.array([g])})
        trace.append(p[0])
    return trace


def test_plain_sgd():
    assert run(optimizers.SGD(lr=0.1), [2.0, 1.0]) == pytest.approx([0.8, 0.7])


def test_sgd_momentum():
    # v1 = -0.1*2 = -0.2, p = 0.8; v2 = 0.9*-0.2 - 0.1*1 = -0.28, p = 0.52
    assert run(optimizers.SGD(lr=0.1, momentum=0.9), [2.0, 1.0]) == pytest.approx([0.8, 0.52])


def test_sgd_nesterov():
    # v1 = -0.2, p = 1 + 0.9*-0.2 - 0.2 = 0.62; v2 = -0.28, p = 0.62 + 0.9*-0.28 - 0.1 = 0.268
    trace = run(optimizers.SGD(lr=0.1, momentum=0.9, nesterov=True), [2.0, 1.0])
    assert trace == pytest.approx([0.62, 0.268])


def test_sgd_decay_follows_keras():
    opt = optimizers.SGD(lr=0.1, decay=0.5)
    # step 1 uses lr 0.1, step 2 uses 0.1 / (1 + 0.5 * 1), step 3 0.1 / 2
    expected = [0.9, 0.9 - 0.1 / 1.5, 0.9 - 0.1 / 1.5 - 0.05]
    assert run(opt, [1.0, 1.0, 1.0]) == pytest.approx(expected)
    assert opt.current_lr() == pytest.approx(0.1 / 2.5)


def test_adagrad():
    trace = run(optimizers.Adagrad(lr=0.1, epsilon=0.0), [2.0, 1.0])
    assert trace == pytest.approx([0.9, 0.9 - 0.1 * 1 / np.sqrt(5)])


def test_adadelta():
    opt = optimizers.Adadelta(lr=1.0, rho=0.5, epsilon=1e-2)
    a = 0.5 * 4
    u = 2 * np.sqrt(1e-2) / np.sqrt(a + 1e-2)
    assert run(opt, [2.0]) == pytest.approx([1 - u])


def test_adam_first_step_is_lr_times_sign():
    trace = run(optimizers.Adam(lr=0.01, epsilon=0.0), [3.0, 3.0])
    assert trace == pytest.approx([0.99, 0.98])


def test_lr_can_change_between_steps_and_state_rolls_back():
    opt = optimizers.SGD(lr=0.1, momentum=0.9)
    p = np.array([1.0])
    opt.update({"w": p}, {"w": np.array([1.0])})
    saved = opt.get_state()
    opt.lr = 0.01
    opt.update({"w": p}, {"w": np.array([1.0])})
    opt.set_state(saved)
    assert opt.iterations == 1
    np.testing.assert_allclose(opt.state["w"]["velocity"], [-0.1])


def test_registry():
    opt = optimizers.get({"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True})
    assert isinstance(opt, optimizers.SGD) and opt.nesterov
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.get("rmsprop2")
    with pytest.raises(ValueError):
        optimizers.SGD(lr=0)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: optimizers.SGD(lr=float("nan")), "the learning rate must be a finite number"),
    (lambda: optimizers.SGD(lr=float("inf")), "the learning rate must be a finite number"),
    (lambda: optimizers.SGD(lr="0.1"), "the learning rate must be a number, got '0.1'"),
    (lambda: optimizers.SGD(momentum=float("nan")), "momentum must be a finite number"),
    (lambda: optimizers.SGD(decay=-1), "the learning-rate decay must be >= 0"),
    (lambda: optimizers.SGD(nesterov="yes"), "nesterov must be true or false"),
    (lambda: optimizers.Adagrad(epsilon=float("inf")), "epsilon must be a finite number"),
    (lambda: optimizers.Adadelta(rho=2), r"rho must be in \[0, 1\]"),
    (lambda: optimizers.Adam(beta_1=1.0), r"beta_1 must be in \[0, 1\)"),
    (lambda: optimizers.Adam(beta_2=float("nan")), "beta_2 must be a finite number"),
    (lambda: optimizers.get({"name": "sgd", "speed": 2}), "the sgd optimizer has no setting "
     "'speed'"),
    (lambda: optimizers.get({"name": 3}), "unknown optimizer 3"),
    (lambda: optimizers.get(["sgd"]), "an optimizer is a name or a dict"),
])
def test_optimizers_refuse_settings_that_are_not_finite_numbers(make, message):
    with pytest.raises(ValueError, match=message):
        make()
