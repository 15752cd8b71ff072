"""The run history, without Qt: columns as given, smoothing as TensorBoard's, runs one after
another, nearest points, CSV."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.tabs.train.history import (
    BATCH_COLUMNS,
    CSV_COLUMNS,
    DEFAULT_SMOOTHING,
    EPOCH_COLUMNS,
    Columns,
    RunHistory,
    smooth,
)
from tests.nnviz.tabs.train.runs import ema_loop, fake_run, feed


def filled(run: dict, every: int = 7) -> RunHistory:
    history = RunHistory()
    feed(history, run, every)
    return history


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=150),
       st.sampled_from([0.0, 0.01, 0.3, 0.6, 0.9, 0.99]), st.integers(1, 149))
def test_smooth_matches_the_loop_also_when_continued(values, w, cut) -> None:
    x = np.array(values)
    x[::17] = np.nan  # non-finite points are skipped
    expected = ema_loop(x, w)
    np.testing.assert_allclose(smooth(x, w)[0], expected, rtol=1e-9, atol=1e-9)
    head, state = smooth(x[:cut], w)
    tail, _ = smooth(x[cut:], w, state)
    np.testing.assert_allclose(np.concatenate([head, tail]), expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("w", [0.05, 0.6, 0.9, 0.99])
def test_smooth_of_a_long_noisy_series_in_many_blocks(w) -> None:
    x = np.random.default_rng(1).lognormal(0, 1, 9000)
    head, state = smooth(x[:4321], w)
    tail, _ = smooth(x[4321:], w, state)
    np.testing.assert_allclose(np.concatenate([head, tail]), ema_loop(x, w), rtol=1e-10)
    with pytest.raises(ValueError, match="smoothing weight"):
        smooth(x, 1.0)


def test_smooth_starts_at_the_first_value_and_follows_a_constant() -> None:
    s, _ = smooth(np.full(500, 3.0), 0.99)
    np.testing.assert_allclose(s, 3.0)  # debiased: no ramp up from 0



def test_columns_grow_and_keep_what_was_appended() -> None:
    columns = Columns(("a", "b"))
    values = np.arange(3000, dtype=np.float64)
    for start in range(0, 3000, 700):  # past the first capacity of 1024
        part = values[start:start + 700]
        columns.append({"a": part, "b": -part})
    assert columns.n == 3000
    np.testing.assert_array_equal(columns["a"], values)
    np.testing.assert_array_equal(columns["b"], -values)
    columns.clear()
    assert columns.n == 0 and columns["a"].size == 0


def test_held_series_are_the_ones_given_and_copies() -> None:
    run = fake_run(epochs=3, batches=20)
    history = filled(run)
    held = history.batch_data()
    for key in BATCH_COLUMNS:
        np.testing.assert_array_equal(held[key], run["batch"][key])
    epochs = history.epoch_data()
    np.testing.assert_array_equal(np.column_stack([epochs[k] for k in EPOCH_COLUMNS]),
                                  np.array(run["epoch"]))
    held["loss"][:] = 0
    assert history.batch_data()["loss"][0] == run["batch"]["loss"][0]


def test_smoothing_is_extended_incrementally_and_redone_on_a_new_weight() -> None:
    run = fake_run(epochs=2, batches=30)
    history = filled(run, every=4)
    assert history.smoothing == DEFAULT_SMOOTHING
    for name in ("loss", "data_loss", "penalty", "accuracy"):
        np.testing.assert_allclose(history.smoothed(name),
                                   ema_loop(run["batch"][name], DEFAULT_SMOOTHING))
    history.set_smoothing(0.9)
    np.testing.assert_allclose(history.smoothed("loss"), ema_loop(run["batch"]["loss"], 0.9))
    history.set_smoothing(5.0)  # clipped
    assert history.smoothing == pytest.approx(0.99)


def test_unequal_lengths_are_refused_and_add_nothing() -> None:
    history = RunHistory()
    with pytest.raises(ValueError, match="one length"):
        history.add_batches([0.1, 0.2], [1.0], [1.0], [0.0], [0.5], [0.05])
    assert history.batches.n == 0
    history.add_batches([], [], [], [], [], [])
    assert history.batches.n == 0


def test_runs_follow_each_other_on_one_axis() -> None:
    history = RunHistory()
    assert history.begin_run() == 0
    history.add_batches([0.5, 1.0, 1.4], [1.0] * 3, [1.0] * 3, [0.0] * 3, [0.5] * 3, [0.1] * 3)
    assert history.begin_run() == 2 and history.run_start == 2  # the next whole epoch
    assert history.last_whole_epoch() == 2.0
    history.clear()
    assert history.run_start == 0 and history.last_whole_epoch() == 1.0


def test_nearest_batch_and_epoch() -> None:
    history = RunHistory()
    assert history.nearest_batch(1.0) is None and history.nearest_epoch(1.0) is None
    history.add_batches([0.5, 1.0, 1.5], [2.0, 1.25, 0.75], [1.9, 1.2, 0.7],
                        [0.1, 0.05, 0.05], [0.5, 0.625, 0.75], [0.05, 0.05, 0.04])
    history.add_epoch(1, 1.5, 0.6, 1.6, 0.55)
    assert [history.nearest_batch(x) for x in (-3.0, 0.74, 0.75, 1.2, 1.3, 9.0)] == [
        0, 0, 0, 1, 2, 2]  # a tie goes to the earlier batch
    assert history.nearest_epoch(7.0) == 0


def test_the_penalty_counts_only_when_it_is_on() -> None:
    history = RunHistory()
    history.add_batches([0.1, 0.2], [1.0, 1.0], [1.0, 1.0], [0.0, np.nan], [0.5, 0.5],
                        [0.1, 0.1])
    assert not history.has_penalty()
    history.add_batches(0.3, 1.1, 1.0, 0.1, 0.5, 0.1)
    assert history.has_penalty()


def test_csv_has_the_header_and_the_rows_in_order(tmp_path) -> None:
    run = fake_run(epochs=2, batches=5)
    history = filled(run, every=3)
    path = tmp_path / "history.csv"
    history.write_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["row"] for r in rows] == ["batch"] * 5 + ["epoch"] + ["batch"] * 5 + ["epoch"]
    batch_rows = [r for r in rows if r["row"] == "batch"]
    for column, key in (("loss", "loss"), ("penalty", "penalty"), ("learning_rate", "lr")):
        np.testing.assert_array_equal([float(r[column]) for r in batch_rows], run["batch"][key])
    first_epoch = rows[5]
    assert first_epoch["epoch"] == "1" and first_epoch["learning_rate"] == ""
    assert float(first_epoch["val_accuracy"]) == run["epoch"][0][2]
    last = rows[-1]
    assert last["epoch"] == "2" and last["data_loss"] == ""
    assert float(last["val_loss"]) == run["epoch"][1][1]


def test_non_finite_values_are_held_and_written_as_they_are(tmp_path) -> None:
    history = RunHistory()
    history.add_batches([0.1, 0.2], [np.inf, np.nan], [np.inf, np.nan], [0.0, 0.0],
                        [0.1, 0.1], [10.0, 10.0])
    assert np.isinf(history.batch_data()["loss"][0])
    assert np.isnan(history.smoothed("loss")).all()
    assert [row[3] for row in history.csv_rows()] == ["inf", "nan"]
