"""Backprop stepper: every quantity listed, the finite-difference check, stage navigation."""

from __future__ import annotations

import numpy as np
import pytest

from core.scratch import XOR_X, XOR_Y, TwoLayerNetwork
from nnviz.tabs.loss.backprop_view import (
    STAGES,
    BackpropStepper,
    format_matrix,
    gradient_check,
)


def _show(stepper: BackpropStepper, net: TwoLayerNetwork, numeric=None) -> dict:
    grads = net.backprop(XOR_X, XOR_Y)
    numeric = numeric if numeric is not None else net.numerical_gradients(XOR_X, XOR_Y)
    new = {"W1": net.W1 - grads["dW1"], "W2": net.W2 - grads["dW2"]}
    stepper.show_backprop(grads, numeric, new, net.activation, 1.0)
    return grads


def test_format_matrix_is_aligned_and_factors_out_tiny_scales() -> None:
    assert format_matrix(0.0019663) == "0.0019663"
    assert format_matrix(np.array([[1.0, -2.5]])) == "+1.000  -2.500"
    assert format_matrix(np.array([[4.7e-4, -1.2e-5]])) == "× 1e-04\n+4.700  -0.120"


def test_gradient_check_tolerates_round_off_but_not_a_wrong_gradient() -> None:
    a = np.array([1.0, -2.0])
    assert gradient_check(a, a + 1e-9)[2]
    assert not gradient_check(a, a * 1.01)[2]
    assert gradient_check(np.array([1e-17]), np.array([1e-11]))[2]  # vanishing gradient


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_table_lists_every_backprop_quantity_and_agrees(qtbot, activation: str) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    net = TwoLayerNetwork(3, activation=activation)
    grads = _show(stepper, net)
    assert stepper.table.rowCount() == len(STAGES)
    for row, stage in enumerate(STAGES):
        if stage.key != "update":
            assert stepper.table.item(row, 2).text() == format_matrix(grads[stage.key])
    checked = [row for row, s in enumerate(STAGES) if s.checked_by]
    assert [STAGES[r].key for r in checked] == ["dW2", "dW1"]
    for row in checked:
        assert "✓" in stepper.table.item(row, 3).text()
    assert stepper.gradients_agree and stepper.max_difference < 1e-8
    assert "agrees" in stepper._check_label.text()


def test_a_wrong_gradient_is_flagged(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    net = TwoLayerNetwork(3)
    numeric = net.numerical_gradients(XOR_X, XOR_Y)
    numeric["dW1"] = numeric["dW1"] * 1.5
    _show(stepper, net, numeric)
    assert not stepper.gradients_agree
    assert "MISMATCH" in stepper._check_label.text()
    assert "✗" in stepper.table.item([s.key for s in STAGES].index("dW1"), 3).text()


def test_next_walks_the_stages_then_asks_for_the_update(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    _show(stepper, TwoLayerNetwork(3))
    assert stepper.stage == 0 and not stepper._back_button.isEnabled()
    for expected in range(1, len(STAGES)):
        with qtbot.waitSignal(stepper.stage_changed) as blocker:
            stepper._next_button.click()
        assert blocker.args == [expected]
    assert stepper._next_button.text().startswith("Apply update")
    assert "learning" in stepper._explanation.text()
    with qtbot.waitSignal(stepper.update_requested):
        stepper._next_button.click()
    stepper._back_button.click()
    assert stepper.stage == len(STAGES) - 2


def test_clicking_a_row_jumps_to_its_stage(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    _show(stepper, TwoLayerNetwork(3, activation="tanh"))
    row = [s.key for s in STAGES].index("delta1")
    stepper.table.cellClicked.emit(row, 1)
    assert stepper.stage == row
    assert "1 − tanh²(z)" in stepper._explanation.text()
