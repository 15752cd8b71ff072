"""Recording a run: curves, checkpoints within the budget, and failures that never stop
training."""

from __future__ import annotations

import errno

import numpy as np
import pytest

from core.runs import CheckpointError, CheckpointWeights, RunFileError, RunHistory
from core.runs import record as recording
from core.runs.files import CHECKPOINT_FOLDER, checkpoint_file
from core.training import Trainer
from tests.core.runs.conftest import (
    DATASET,
    SETTINGS,
    batch_logs,
    checkpoint_bytes,
    epoch_logs,
    feed,
    record,
    tiny_model,
)


def test_every_batch_and_epoch_is_recorded_as_logged(history):
    run = record(history, epochs=3, batches=500)  # 1,500 rows: the buffer grows
    assert run.steps == 1500 and run.epochs_done == 3 and run.state == "finished"
    b, e = run.batches, run.epochs
    assert b.rows == 1500 and e.rows == 3
    assert np.array_equal(b["step"], np.arange(1, 1501))
    logs = [batch_logs(ep, i, 500) for ep in range(3) for i in range(500)]
    for field in ("loss", "data_loss", "penalty", "accuracy", "lr"):
        assert np.array_equal(b[field], [log[field] for log in logs])
    assert b["position"][499] == 1.0 and b["position"][500] == 1.002
    assert list(e["epoch"]) == [1, 2, 3] and list(e["step"]) == [500, 1000, 1500]
    assert list(e["val_accuracy"]) == [epoch_logs(i)["val_accuracy"] for i in range(3)]
    assert run.figures["best_val_accuracy"] == epoch_logs(2)["val_accuracy"]
    assert run.figures["best_epoch"] == 3


def test_zero_shares_are_counted_per_kernel_layer_and_overall(history):
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=CheckpointWeights("x", 1))
    conv, dense = model.layers[0].params["W"], model.layers[4].params["W"]
    conv.flat[:9] = 0.0  # half of 2×1×3×3
    dense[:] = 0.0
    recorder.on_batch_end(batch_logs(0, 0, 1))
    recorder.on_epoch_end(epoch_logs(0))
    recorder.wait()  # for the background write
    run = history.get(recorder.id)
    assert run.zero_layers == ["conv2d_1", "dense_1"]
    assert run.epochs["zero_share_by_layer"].tolist() == [[0.5, 1.0]]
    assert run.epochs["zero_share"][0] == pytest.approx((9 + dense.size) / (18 + dense.size))
    assert run.zero_share == run.epochs["zero_share"][0]


def test_checkpoints_follow_the_log_steps_and_every_epoch_end(history):
    run = record(history, epochs=3, batches=20)
    kept = [(c.step, c.kind) for c in run.checkpoints()]
    assert kept == [(0, "start"), (1, "step"), (2, "step"), (5, "step"), (10, "step"),
                    (20, "epoch"), (40, "epoch"), (50, "step"), (60, "epoch")]
    files = sorted(p.name for p in (run.folder / CHECKPOINT_FOLDER).iterdir())
    assert files == [f"{step:09d}.npz" for step, _ in kept]


def test_a_run_stopped_mid_epoch_keeps_its_last_weights(history):
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=CheckpointWeights("x", 1))
    feed(recorder, model, epochs=1, batches=10, extra_batches=4)
    recorder.on_state_change("stopped", "Training stopped.")
    run = history.get(recorder.id)
    assert run.state == "stopped" and run.steps == 14
    assert run.checkpoints()[-1].kind == "end" and run.checkpoints()[-1].step == 14
    assert run.checkpoints()[-1].position == pytest.approx(1.4)
    weights = run.load_checkpoint(14)
    for name, p in model.named_params().items():
        assert np.array_equal(weights[name], p)
    recorder.on_batch_end(batch_logs(1, 5, 10))  # after the end: ignored
    assert recorder.step == 14


def test_checkpoints_respect_the_budget_and_keep_first_last_and_epoch_ends(history):
    model = tiny_model()
    keep = 8
    run = record(history, model, epochs=30, batches=7, budget=keep * checkpoint_bytes(model))
    kept = run.checkpoints()
    assert len(kept) == keep
    files = list((run.folder / CHECKPOINT_FOLDER).iterdir())
    assert len(files) == keep
    assert sum(f.stat().st_size for f in files) <= keep * checkpoint_bytes(model)
    assert kept[0].step == 0 and kept[-1].step == 30 * 7
    assert all(c.kind == "epoch" for c in kept[1:])  # step ones went first


def test_with_room_the_step_checkpoints_stay_and_the_epoch_ends_are_thinned_last(history):
    model = tiny_model()
    # 1 start + 6 log steps (1 ... 50) + 12 epoch ends = 19 > 16
    run = record(history, model, epochs=12, batches=7, budget=16 * checkpoint_bytes(model))
    kinds = [c.kind for c in run.checkpoints()]
    assert len(kinds) == 16 and kinds.count("epoch") == 12 and kinds[0] == "start"


def test_loading_a_checkpoint_gives_exactly_the_weights_saved(history):
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=CheckpointWeights("x", 1))
    start = {name: p.copy() for name, p in model.named_params().items()}
    feed(recorder, model, epochs=0, batches=10, extra_batches=5)
    at_five = recorder.load_checkpoint(5)  # not written yet: from memory
    expected = {name: w.copy() for name, w in start.items()}
    for _ in range(5):
        for w in expected.values():
            w += np.float32(0.001)
    assert list(at_five) == list(model.named_params())
    for name in expected:
        assert at_five[name].dtype == np.float32
        assert np.array_equal(at_five[name], expected[name])
    recorder.finish("stopped")
    for loaded in (recorder.load_checkpoint(5), RunHistory(history.folder).get(
            recorder.id).load_checkpoint(5)):  # from the file, here and after re-opening
        for name in expected:
            assert np.array_equal(loaded[name], expected[name])
    assert np.array_equal(history.get(recorder.id).load_checkpoint(0)["dense_1.W"],
                          start["dense_1.W"])


def test_a_checkpoint_that_does_not_fit_the_network_is_refused_clearly(history):
    run = record(history)
    with pytest.raises(CheckpointError, match="no checkpoint at step 3 "):
        run.load_checkpoint(3)
    other = tiny_model(filters=4)
    np.savez(checkpoint_file(run.folder, 5), **other.named_params())
    with pytest.raises(CheckpointError, match=r"conv2d_1.W has shape \(4, 1, 3, 3\), "
                                              r"expected \(2, 1, 3, 3\)"):
        run.load_checkpoint(5)
    checkpoint_file(run.folder, 10).write_bytes(b"PK\x03\x04 cut short")
    with pytest.raises(CheckpointError, match="step 10 is"):
        run.load_checkpoint(10)
    checkpoint_file(run.folder, 20).unlink()
    with pytest.raises(CheckpointError, match="gone"):
        run.load_checkpoint(20)


def test_a_run_rebuilds_its_network_with_a_checkpoint(history):
    model = tiny_model()
    run = record(history, model)
    rebuilt = run.model()
    assert rebuilt.get_config() == model.get_config()
    for (name, a), b in zip(model.named_params().items(), rebuilt.get_weights(), strict=True):
        assert np.array_equal(a, b), name


def test_continuing_from_a_checkpoint_records_the_parent(history):
    parent = record(history)
    child = record(history, start=CheckpointWeights(parent.id, 10))
    assert child.parent == (parent.id, 10) and parent.parent is None
    assert child.start.describe() == f"step 10 of run {parent.id}"


def test_settings_changed_while_training_are_kept_with_their_step(history):
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=CheckpointWeights("x", 1))
    feed(recorder, model, epochs=0, batches=10, extra_batches=3)
    recorder.on_setting_changed("lr", 0.01)
    recorder.finish("finished", {"test_accuracy": 0.9})
    run = history.get(recorder.id)
    assert run.changes == [(3, "lr", 0.01)] and run.figures["test_accuracy"] == 0.9


def test_bad_settings_are_refused_and_leave_nothing_behind(history):
    with pytest.raises(ValueError, match="plain data"):
        history.record(tiny_model(), dataset=DATASET, settings={"augment": object()},
                       start=CheckpointWeights("x", 1))
    with pytest.raises(ValueError, match="a run ends"):
        history.record(tiny_model(), dataset=DATASET, settings=SETTINGS,
                       start=CheckpointWeights("x", 1)).finish("exploded")
    assert [run.state for run in history.runs()] == ["recording"]


def test_a_failed_write_never_stops_training_and_the_next_one_catches_up(history,
                                                                      monkeypatch):
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=CheckpointWeights("x", 1))
    real = recording.write_curves

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recording, "write_curves", disk_full)
    feed(recorder, model, epochs=1, batches=10)  # the epoch end's write fails
    recorder.wait()
    assert "could not be saved: no space left on device" in recorder.problem
    monkeypatch.setattr(recording, "write_curves", real)
    feed(recorder, model, epochs=1, batches=10)
    recorder.finish("finished")
    assert recorder.problem is None
    run = history.get(recorder.id)
    assert run.batches.rows == 20 and run.epochs.rows == 2
    assert [c.step for c in run.checkpoints()][:4] == [0, 1, 2, 5]


def test_a_trainer_records_through_the_recorder(history):
    rng = np.random.default_rng(0)
    x = rng.random((60, 1, 8, 8), dtype=np.float32)
    y = rng.integers(0, 10, 60)
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=CheckpointWeights("x", 1))
    trainer = Trainer(model, x, y, batch_size=12, epochs=3, validation_split=0.2,
                      on_batch_end=recorder.on_batch_end, on_epoch_end=recorder.on_epoch_end,
                      on_state_change=recorder.on_state_change)
    history_ = trainer.run()
    run = history.get(recorder.id)
    assert recorder.closed and run.state == "finished" and history.recorder(run.id) is None
    assert run.steps == 12 and list(run.epochs["step"]) == [4, 8, 12]
    assert np.allclose(run.epochs["val_accuracy"], history_.history["val_accuracy"])
    assert np.allclose(run.epochs["loss"], history_.history["loss"])
    final = run.load_checkpoint(12)
    for name, p in model.named_params().items():
        assert np.array_equal(final[name], p)


def test_a_run_continued_from_a_checkpoint_starts_from_exactly_its_weights(history):
    parent = record(history, epochs=2, batches=10)
    model = parent.model(step=5)
    model.compile(optimizer="sgd")
    child = record(history, model, start=CheckpointWeights(parent.id, 5), epochs=1)
    start, at_five = child.load_checkpoint(0), parent.load_checkpoint(5)
    assert all(np.array_equal(start[name], at_five[name]) for name in at_five)
    assert child.parent == (parent.id, 5)


def test_a_history_that_cannot_be_written_says_so_and_keeps_nothing(tmp_path):
    (tmp_path / "runs").write_text("a file where the runs folder should be")
    history = RunHistory(tmp_path)
    with pytest.raises(RunFileError, match="cannot be kept in"):
        history.record(tiny_model(), dataset=DATASET, settings=SETTINGS,
                       start=CheckpointWeights("x", 1))
    assert (tmp_path / "runs").read_text().startswith("a file")
