"""What Start says and does about the Network tab's network (Qt-free)."""

from __future__ import annotations

from nnviz.tabs.train.network_gate import NetworkGate


def test_nothing_to_say() -> None:
    gate = NetworkGate()
    assert not gate.blocks() and gate.ready() and gate.start_label(False) == "Start"
    assert gate.line(False)[0] == ""


def test_a_network_that_cannot_be_built_blocks_the_start() -> None:
    gate = NetworkGate("dense_1 expects a flat (N, features) input")
    assert gate.blocks() and not gate.ready()
    assert gate.line(False)[0] == "⚠ dense_1 expects a flat (N, features) input"
    assert gate.line(True)[0] == ""  # a run going on is not blocked by a draft


def test_unbuilt_changes_are_built_before_the_run() -> None:
    built = []
    gate = NetworkGate("", lambda: built.append(1) or True, "LeNet-5 (edited)", 3)
    assert gate.start_label(False) == "Build and start" and gate.start_label(True) == "Start"
    assert "builds “LeNet-5 (edited)” first, with fresh weights (seed 3)" in gate.line(False)[0]
    assert gate.ready() and built == [1]
    failing = NetworkGate("", lambda: False, "x", 0)
    assert not failing.ready()  # a build that failed (it said why) starts nothing
