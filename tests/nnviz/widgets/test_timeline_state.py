"""The timeline's state, Qt-free: places over the checkpoints and "now", what it says."""

from __future__ import annotations

from core.runs import Checkpoint
from nnviz.widgets.timeline_state import Timeline, checkpoint_text

CHECKPOINTS = [Checkpoint(0, 0.0, "start"), Checkpoint(1, 0.03, "step"),
               Checkpoint(2, 0.06, "step"), Checkpoint(32, 1.0, "epoch"),
               Checkpoint(50, 1.56, "step"), Checkpoint(64, 2.0, "epoch")]


def test_the_places_are_the_checkpoints_then_now():
    t = Timeline()
    assert t.positions == 1 and not t.scrubbing and "no run kept yet" in t.text()
    t.show_run("r", "L1 0.003", CHECKPOINTS)
    assert t.positions == 7 and t.position() == 6 and not t.scrubbing
    assert t.choose(3) == CHECKPOINTS[3] and t.step == 32 and t.scrubbing
    assert t.text() == "end of epoch 1 (step 32) of “L1 0.003”"
    assert t.choose(6) is None and not t.scrubbing and t.text().startswith("now · 6 checkpoints")
    assert t.choose(-5) == CHECKPOINTS[0] and t.choose(99) is None


def test_the_chosen_step_stays_chosen_as_checkpoints_come_and_go():
    t = Timeline()
    t.show_run("r", "run", CHECKPOINTS[:4])
    t.choose(2)
    t.update(CHECKPOINTS)  # the run trained on
    assert t.step == 2 and t.position() == 2
    t.update([c for c in CHECKPOINTS if c.step != 2])  # thinned out: the nearest stays
    assert t.step == 1
    t.now()
    t.update(CHECKPOINTS)
    assert not t.scrubbing and t.position() == len(CHECKPOINTS)


def test_checkpoints_in_words():
    assert checkpoint_text(CHECKPOINTS[0]) == "the starting weights (step 0)"
    assert checkpoint_text(CHECKPOINTS[4]) == "step 50 (epoch 1.56)"
    assert checkpoint_text(Checkpoint(70, 2.19, "end")) == "the run's end: step 70 (epoch 2.19)"
