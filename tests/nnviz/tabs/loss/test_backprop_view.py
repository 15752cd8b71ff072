"""Backprop stepper: every quantity listed, the finite-difference check, stage navigation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.scratch import XOR_X, XOR_Y, TwoLayerNetwork
from nnviz.tabs.loss.backprop_view import STAGES, BackpropStepper, format_matrix
from nnviz.tabs.loss.scratch_run import iteration_report


def _show(stepper: BackpropStepper, net: TwoLayerNetwork, numeric=None) -> dict:
    report = iteration_report(net, XOR_X, XOR_Y, 1.0)
    if numeric is not None:
        report = replace(report, numeric=numeric)
    stepper.show_report(report)
    return report.grads


def test_format_matrix_is_aligned_and_factors_out_tiny_scales() -> None:
    assert format_matrix(0.0019663) == "0.0019663"
    assert format_matrix(np.array([[1.0, -2.5]])) == "+1.000  -2.500"
    assert format_matrix(np.array([[4.7e-4, -1.2e-5]])) == "× 1e-04\n+4.700  -0.120"


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
    assert "agrees" in stepper.check_label.text()


def test_a_wrong_gradient_is_flagged(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    net = TwoLayerNetwork(3)
    numeric = net.numerical_gradients(XOR_X, XOR_Y)
    numeric["dW1"] = numeric["dW1"] * 1.5
    _show(stepper, net, numeric)
    assert not stepper.gradients_agree
    assert "MISMATCH" in stepper.check_label.text()
    assert "✗" in stepper.table.item([s.key for s in STAGES].index("dW1"), 3).text()


def test_next_walks_the_stages_then_asks_for_the_update(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    _show(stepper, TwoLayerNetwork(3))
    assert stepper.stage == 0 and not stepper.back_button.isEnabled()
    for expected in range(1, len(STAGES)):
        with qtbot.waitSignal(stepper.stageChanged) as blocker:
            stepper.next_button.click()
        assert blocker.args == [expected]
    assert stepper.next_button.text().startswith("Apply update")
    assert "learning" in stepper.explanation.text()
    with qtbot.waitSignal(stepper.updateRequested):
        stepper.next_button.click()
    stepper.back_button.click()
    assert stepper.stage == len(STAGES) - 2


def test_clicking_a_row_jumps_to_its_stage(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    _show(stepper, TwoLayerNetwork(3, activation="tanh"))
    row = [s.key for s in STAGES].index("delta1")
    stepper.table.cellClicked.emit(row, 1)
    assert stepper.stage == row
    assert "1 − tanh²(z)" in stepper.explanation.text()


def test_set_stage_clamps_and_is_silent_when_nothing_changes(qtbot) -> None:
    stepper = BackpropStepper()
    qtbot.addWidget(stepper)
    with qtbot.assertNotEmitted(stepper.stageChanged):
        stepper.set_stage(0)
        stepper.set_stage(-3)
    stepper.set_stage(99)
    assert stepper.stage == len(STAGES) - 1
    assert stepper.stage_label.text().endswith("update")
