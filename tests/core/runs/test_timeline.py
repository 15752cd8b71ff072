"""Which checkpoints a run keeps: the 1-2-5 series, the budget and the thinning rule."""

from __future__ import annotations

import pytest

from core.models import tutorial_cnn
from core.runs.timeline import (
    DEFAULT_BUDGET,
    Checkpoint,
    checkpoint_bytes,
    max_checkpoints,
    next_log_step,
    series_number,
    thin,
)


def test_the_log_steps_follow_the_1_2_5_series():
    steps, step = [], 0
    while step < 20_000:
        step = next_log_step(step)
        steps.append(step)
    assert steps == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]
    assert next_log_step(3) == 5 and next_log_step(999) == 1000 and next_log_step(1000) == 2000
    assert [series_number(s) for s in steps[:7]] == [1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(ValueError):
        series_number(3)


def test_the_default_budget_holds_360_tutorial_cnn_checkpoints():
    shapes = tutorial_cnn(compile=False).weight_shapes()
    assert checkpoint_bytes(shapes) == 145_550  # what np.savez writes
    assert max_checkpoints(DEFAULT_BUDGET, checkpoint_bytes(shapes)) == 360
    assert max_checkpoints(10, 1000) == 2  # never fewer than the first and the last


def _epochs(n: int, batches: int = 10) -> list[Checkpoint]:
    return [Checkpoint(e * batches, float(e), "epoch") for e in range(1, n + 1)]


def _steps(*steps: int) -> list[Checkpoint]:
    return [Checkpoint(s, s / 1000, "step") for s in steps]


START = Checkpoint(0, 0.0, "start")


def test_thinning_drops_step_checkpoints_before_any_epoch_end():
    checkpoints = [START, *_steps(1, 2, 5), *_epochs(3, batches=1000)]
    kept, dropped = thin(checkpoints, 5)
    assert [c.kind for c in kept] == ["start", "step", "epoch", "epoch", "epoch"]
    assert [c.step for c in dropped] == [1, 5]  # every other one, oldest first


def test_thinning_keeps_the_first_and_the_last_even_when_only_two_fit():
    checkpoints = [START, *_steps(1, 2), *_epochs(4, batches=100)]
    kept, dropped = thin(checkpoints, 1)
    assert kept == [START, checkpoints[-1]]
    assert len(dropped) == len(checkpoints) - 2


def test_thinned_epoch_ends_are_spaced_evenly_and_the_oldest_most_thinly():
    kept = [START]
    for checkpoint in _epochs(40):  # one epoch end at a time, as a run adds them
        kept, _ = thin([*kept, checkpoint], 8)
    epochs = [round(c.position) for c in kept if c.kind == "epoch"]
    assert kept[0] == START and len(kept) == 8
    assert epochs == [8, 16, 24, 28, 32, 36, 40]  # every 8th, then every 4th


def test_the_end_checkpoint_is_kept_as_the_last():
    end = Checkpoint(1005, 10.5, "end")
    kept, _ = thin([START, *_epochs(10, batches=100), end], 3)
    assert kept[0] == START and kept[-1] == end and kept[1].kind == "epoch"
