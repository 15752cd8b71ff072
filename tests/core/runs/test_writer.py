"""The background writer: the latest item wins, no thread outlives the writing, and an
epoch end never waits for the disk."""

from __future__ import annotations

import threading

from core.runs import FreshWeights
from core.runs import record as recording
from core.runs.writer import LatestWriter
from tests.core.runs.conftest import DATASET, SETTINGS, feed, tiny_model


def test_items_handed_over_while_one_is_written_collapse_into_the_latest():
    begun, release, written = threading.Event(), threading.Event(), []

    def write(item):
        begun.set()
        release.wait(10)
        written.append(item)

    writer = LatestWriter(write)
    writer.submit(1)
    assert begun.wait(10)
    writer.submit(2)
    writer.submit(3)  # replaces 2, which was not begun
    assert writer.busy
    release.set()
    writer.wait()
    assert written == [1, 3] and not writer.busy
    writer.submit(4)  # a new thread for new work
    writer.wait()
    assert written == [1, 3, 4]


def test_an_epoch_end_does_not_wait_for_a_slow_disk(history, monkeypatch):
    release = threading.Event()
    real = recording.write_curves

    def slow_disk(*args, **kwargs):
        release.wait(10)
        real(*args, **kwargs)

    monkeypatch.setattr(recording, "write_curves", slow_disk)
    model = tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=SETTINGS,
                              start=FreshWeights(0))
    try:
        feed(recorder, model, epochs=2, batches=5)  # returns while the disk is stuck
        assert recorder.step == 10 and history.get(recorder.id).epochs_done == 0
        assert [c.step for c in recorder.checkpoints()] == [0, 1, 2, 5, 10]
        assert recorder.load_checkpoint(5)["conv2d_1.W"].shape == (2, 1, 3, 3)  # memory
    finally:
        release.set()
    recorder.finish("finished")
    assert history.get(recorder.id).epochs_done == 2
