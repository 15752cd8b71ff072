"""The penalty's words on the Train tab: the share of exact zeros, and the one warning line
when the penalty keeps the network from learning. Qt-free."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.tabs.train.history import RunHistory
from nnviz.tabs.train.penalty import (
    FLAT_BATCHES,
    PENALTY_FACTOR,
    SUGGESTED_L1,
    penalty_warning,
    zero_share,
    zero_share_text,
)

GUESSING = math.log(10)


def history(data_loss, penalty) -> RunHistory:
    data_loss = np.asarray(data_loss, dtype=np.float64)
    penalty = np.broadcast_to(np.asarray(penalty, dtype=np.float64), data_loss.shape)
    h = RunHistory()
    n = len(data_loss)
    h.add_batches(np.arange(1, n + 1) / 32, data_loss + penalty, data_loss, penalty,
                  np.full(n, 0.1), np.full(n, 0.05))
    return h


def test_a_penalty_far_above_the_loss_of_guessing_is_said_at_once() -> None:
    warning = penalty_warning(history([2.3], [1500.0]), 10)  # L1 typed as 1 instead of 1e-4
    assert "1.5e+03" in warning and "ln 10 = 2.30" in warning
    assert f"try L1 = {SUGGESTED_L1:g}" in warning
    assert penalty_warning(history([2.3], [0.9 * PENALTY_FACTOR * GUESSING]), 10) == ""


def test_a_data_loss_stuck_at_guessing_under_a_penalty_is_said() -> None:
    stuck = history(np.full(FLAT_BATCHES, 2.30), 15.0)  # L1 = 0.01 from fresh weights
    assert "no better than guessing" in penalty_warning(stuck, 10)
    assert penalty_warning(history(np.full(FLAT_BATCHES - 1, 2.30), 15.0), 10) == ""


@pytest.mark.parametrize("case", ["learning", "no penalty", "empty"])
def test_nothing_is_said_while_the_network_learns_or_has_no_penalty(case) -> None:
    if case == "learning":  # L1 = 0.005 from fresh weights: leaves the guessing level early
        h = history(np.linspace(2.3, 1.9, FLAT_BATCHES), 7.5)
    elif case == "no penalty":  # a stuck run without a penalty is not the penalty's fault
        h = history(np.full(FLAT_BATCHES, 2.30), 0.0)
    else:
        h = RunHistory()
    assert penalty_warning(h, 10) == ""


def test_the_zero_share_weights_each_layer_by_its_size() -> None:
    fractions = {"conv2d_1": 0.5, "dense_1": 0.1, "extra": 1.0}
    sizes = {"conv2d_1": 100, "dense_1": 900}
    assert zero_share(fractions, sizes) == pytest.approx((50 + 90) / 1000)
    text, tip = zero_share_text(fractions, sizes)
    assert text == "exact zeros: 14.0 %"
    assert "conv2d_1: 50.0 % of 100" in tip and "extra" not in tip
    assert zero_share({}, sizes) is None and zero_share_text({}, {})[0] == "exact zeros: –"
