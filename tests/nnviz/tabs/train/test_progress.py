"""Training progress: the detail line, the bar, and the states (diverged stands out)."""

from __future__ import annotations

import math

import pytest

from nnviz.tabs.train.progress import STATES, TrainProgress, format_duration, format_rate


@pytest.fixture
def progress(shown) -> TrainProgress:
    w = shown(TrainProgress(), 700, 120)
    return w


def test_the_running_line_says_epoch_batch_speed_and_time_left(progress) -> None:
    progress.set_state("running", "")
    progress.update_progress(3, 10, 120, 480, 108_000, 480_000, 9850.4, 72.2)
    assert progress.text() == "Epoch 3/10 · batch 120/480 · 9,850 samples/s · 1 min 12 s left"
    assert progress.fraction() == pytest.approx(108_000 / 480_000, abs=1e-3)
    assert progress.bar.text() == "22 %"
    assert not progress.message_label.isVisible()


@pytest.mark.parametrize(("seconds", "text"), [
    (0.2, "less than 1 s"), (45.4, "45 s"), (72, "1 min 12 s"), (3600 + 5 * 60 + 3, "1 h 05 min"),
    (math.nan, ""), (math.inf, ""), (-1, ""),
])
def test_durations(seconds, text) -> None:
    assert format_duration(seconds) == text


def test_rates() -> None:
    assert format_rate(12345.6) == "12,346 samples/s"
    assert format_rate(3.25) == "3.2 samples/s"
    assert format_rate(0.0) == format_rate(math.nan) == "– samples/s"


def test_unknown_eta_says_it_is_estimating(progress) -> None:
    progress.set_state("running")
    progress.update_progress(1, 10, 1, 40, 100, 40_000, 0.0, math.nan)
    assert progress.text().endswith("– samples/s · estimating time left")


def test_diverged_shows_the_message_in_a_warning_box(progress) -> None:
    progress.set_state("running")
    progress.update_progress(2, 10, 37, 40, 7_700, 40_000, 2000.0, 16.0)
    message = "Training diverged: the loss became nan at epoch 2, batch 37."
    progress.set_state("diverged", message)
    assert progress.state() == "diverged" and progress.message() == message
    assert progress.message_label.isVisible()
    assert "⚠" in progress.message_label.text() and message in progress.message_label.text()
    assert "#fdecea" in progress.message_label.styleSheet()
    assert progress.badge.text() == "Diverged" and STATES["diverged"][1] in \
        progress.badge.styleSheet()
    assert progress.text() == "Epoch 2/10 · batch 37/40 · 7,700 of 40,000 samples done"


def test_every_state_has_its_badge_and_unknown_ones_are_refused(progress) -> None:
    for state, (name, colour, _, tip) in STATES.items():
        progress.set_state(state, "")
        assert progress.badge.text() == name and colour in progress.badge.styleSheet()
        assert progress.badge.toolTip() == tip
    with pytest.raises(ValueError, match="unknown training state"):
        progress.set_state("exploded", "")
    assert progress.state() == "finished"


def test_finished_fills_the_bar_and_reset_empties_it(progress) -> None:
    progress.set_state("running")
    progress.update_progress(10, 10, 40, 40, 39_950, 40_000, 2000.0, 0.0)
    progress.set_state("finished", "Finished 10 epochs.")
    assert progress.fraction() == 1.0
    assert progress.text() == "Epoch 10/10 · batch 40/40 · all 40,000 samples done"
    assert progress.message_label.text() == "Finished 10 epochs."
    progress.reset()
    assert progress.fraction() == 0.0 and progress.state() == "idle"
    assert progress.text() == "Not started." and not progress.message_label.isVisible()
