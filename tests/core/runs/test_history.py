"""The kept runs: surviving a restart, damaged files, rename, delete and undo, CSV, speed
and a listing while a run is being written."""

from __future__ import annotations

import csv
import json
import shutil
import threading
import time

import numpy as np
import pytest

from core.runs import FreshWeights, RunFileError, RunHistory, RunNotFound, new_run_id
from core.runs.files import CURVES_FILE, RUN_FILE
from tests.core.runs.conftest import DATASET, SETTINGS, feed, record, tiny_model


def test_runs_live_in_the_user_data_folder(isolated_user_dirs):
    history = RunHistory()
    assert history.path == isolated_user_dirs / "data" / "runs"
    assert history.runs() == [] and history.problems == []


def test_runs_survive_reopening_the_history_with_their_curves(history):
    first = record(history, name="no penalty", epochs=2)
    second = record(history, name="L1", epochs=3)
    reopened = RunHistory(history.folder)
    runs = reopened.runs()
    assert [run.name for run in runs] == ["L1", "no penalty"]  # newest first
    assert [run.id for run in runs] == sorted([first.id, second.id], reverse=True)
    for old, new in zip((second, first), runs, strict=True):
        assert new.dataset == DATASET and new.settings == SETTINGS
        assert new.architecture == old.architecture
        for curves in ("batches", "epochs"):
            a, b = getattr(old, curves), getattr(new, curves)
            assert list(a) == list(b)
            assert all(np.array_equal(a[k], b[k]) for k in a)
    assert reopened.problems == []


def test_run_ids_sort_by_time_and_are_unique():
    ids = [new_run_id(1_700_000_000.0 + i / 10) for i in range(20)]
    assert ids == sorted(ids) and len(set(ids)) == 20
    assert new_run_id(1_700_000_000.25).startswith("20231114-221320-250000-")


def test_a_truncated_run_file_is_skipped_and_reported(history):
    good = record(history, name="good")
    bad = record(history, name="bad")
    path = bad.folder / RUN_FILE
    path.write_bytes(path.read_bytes()[:50])
    runs = history.runs()
    assert [run.id for run in runs] == [good.id]
    assert len(history.problems) == 1
    assert bad.id in history.problems[0] and "truncated or corrupt" in history.problems[0]
    with pytest.raises(RunFileError, match="truncated"):
        history.get(bad.id)


@pytest.mark.parametrize("damage", [
    lambda data: data.update(version=7),
    lambda data: data.update(id="20200101-000000-000000-0000"),
    lambda data: data.update(steps="many"),
    lambda data: data.update(start={"kind": "borrowed"}),
    lambda data: data.pop("architecture"),
])
def test_a_run_file_of_another_kind_is_skipped_with_a_reason(history, damage):
    run = record(history)
    data = json.loads((run.folder / RUN_FILE).read_text())
    damage(data)
    (run.folder / RUN_FILE).write_text(json.dumps(data))
    assert history.runs() == []
    assert history.problems and run.id in history.problems[0]


def test_listing_reads_no_curves_and_no_checkpoints(history):
    runs = [record(history) for _ in range(3)]
    for run in runs:
        (run.folder / CURVES_FILE).write_bytes(b"damaged")
        shutil.rmtree(run.folder / "checkpoints")
    reader = RunHistory(history.folder)
    listed = reader.runs()
    assert len(listed) == 3 and reader.problems == []
    with pytest.raises(RunFileError, match="curves.npz is not an .npz file"):
        _ = listed[0].batches


def test_folders_that_are_no_runs_are_passed_over(history):
    record(history)
    (history.path / "notes").mkdir()
    (history.path / ".20250101-000000-000000-abcd.new").mkdir()  # being created
    (history.path / "readme.txt").write_text("hello")
    empty = history.path / new_run_id()
    empty.mkdir()
    assert len(history.runs()) == 1
    assert history.problems == [f"run {empty.name} has no run.json; the run is skipped"]


def test_rename_keeps_the_new_name_and_refuses_a_bad_one(history):
    run = record(history, name="first")
    assert history.rename(run.id, "  L2   0.001 ").name == "L2 0.001"
    assert RunHistory(history.folder).get(run.id).name == "L2 0.001"
    for bad in ("", "   ", "x" * 201, None):
        with pytest.raises(ValueError):
            history.rename(run.id, bad)
    assert history.get(run.id).name == "L2 0.001"


def test_renaming_a_run_while_it_records_survives_its_next_save(history):
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS, start=FreshWeights(3))
    history.rename(recorder.id, "live")
    feed(recorder, model, epochs=1, batches=5)
    recorder.finish("finished")
    assert RunHistory(history.folder).get(recorder.id).name == "live"


def test_delete_goes_to_the_trash_and_can_be_undone(history):
    keep, drop = record(history, name="keep"), record(history, name="drop")
    history.delete(drop.id)
    assert [run.id for run in history.runs()] == [keep.id]
    assert history.deleted() == [drop.id]
    with pytest.raises(RunNotFound):
        history.get(drop.id)
    restored = history.restore(drop.id)
    assert restored.name == "drop" and restored.batches.rows == drop.batches.rows
    assert len(history.runs()) == 2 and history.deleted() == []
    history.delete(drop.id)
    history.empty_trash()
    assert history.deleted() == [] and not (history.path / ".trash" / drop.id).exists()
    with pytest.raises(RunNotFound):
        history.restore(drop.id)


def test_a_run_cannot_be_deleted_while_it_records(history):
    recorder = history.record(tiny_model(), dataset=DATASET, settings=SETTINGS,
                              start=FreshWeights(3))
    with pytest.raises(ValueError, match="while it is recording"):
        history.delete(recorder.id)
    recorder.finish("stopped")
    history.delete(recorder.id)
    assert history.runs() == []


@pytest.mark.parametrize("run_id", ["../../etc", "", 17, "20250101-000000-000000-zzzz"])
def test_unknown_or_malformed_ids_are_not_found(history, run_id):
    with pytest.raises(RunNotFound):
        history.get(run_id)
    with pytest.raises(RunNotFound):
        history.get(new_run_id())


def test_export_csv_writes_every_batch_and_epoch(history, tmp_path):
    run = record(history, epochs=2, batches=5)
    path = history.export_csv(run.id, tmp_path / "curves.csv")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["row"] for r in rows] == ["batch"] * 5 + ["epoch"] + ["batch"] * 5 + ["epoch"]
    assert rows[5]["step"] == "5" and rows[5]["epoch"] == "1"
    assert float(rows[5]["val_accuracy"]) == run.epochs["val_accuracy"][0]
    assert float(rows[0]["learning_rate"]) == run.batches["lr"][0]
    assert rows[0]["val_loss"] == "" and rows[5]["data_loss"] != ""


def test_a_hundred_runs_list_fast(history):
    """The real figure, for runs of realistic size, is in benchmarks/bench_runs.py."""
    template = record(history, epochs=10, batches=500)  # 5,000 batches
    for _ in range(99):
        run_id = new_run_id()
        shutil.copytree(template.folder, history.path / run_id)
        data = json.loads((history.path / run_id / RUN_FILE).read_text())
        (history.path / run_id / RUN_FILE).write_text(json.dumps(dict(data, id=run_id)))
    start = time.perf_counter()
    runs = RunHistory(history.folder).runs()
    elapsed = time.perf_counter() - start
    assert len(runs) == 100
    assert elapsed < 2.0, f"listing 100 runs took {elapsed:.2f} s"


def test_a_listing_while_a_run_is_written_never_fails(history):
    """A run being created or saved is either not listed yet or listed whole."""
    done = threading.Event()
    errors: list[BaseException] = []

    def write_runs():
        try:
            for _ in range(4):
                model = tiny_model()
                recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                                          start=FreshWeights(3))
                feed(recorder, model, epochs=15, batches=3)
                recorder.finish("finished")
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=write_runs, name="run-writer")
    writer.start()
    listings = 0
    try:
        while not done.is_set() or listings == 0:
            reader = RunHistory(history.folder)
            for run in reader.runs():
                assert run.epochs.rows == run.batches.rows // 3 or run.state == "recording"
                kept = run.checkpoints()
                if kept:
                    run.load_checkpoint(kept[-1].step)
            assert reader.problems == []
            listings += 1
    finally:
        writer.join()
    assert not errors and listings > 0
    assert [run.state for run in RunHistory(history.folder).runs()] == ["finished"] * 4
