"""The training thread: throttled signals, copies only, clean shutdown."""

from __future__ import annotations

import gc
import time

import numpy as np
import pytest

from core.data import as_network_input, load_sample
from core.models import tutorial_cnn
from core.training import Trainer
from nnviz.training.controller import TrainingController
from nnviz.training.worker import METRICS_INTERVAL


@pytest.fixture(scope="module")
def sample():
    d = load_sample()
    return as_network_input(d.x_train), d.y_train.astype(np.int64)


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    yield c
    assert c.shutdown(3000)


def test_batches_are_coalesced_and_throttled(qtbot, controller, sample):
    x, y = sample
    payloads = []

    def on_batches(payload):
        payloads.append(payload)

    controller.batchesReady.connect(on_batches)
    # many small batches (640 training digits in batches of 4), far more than the
    # throttle lets through one by one, at a fraction of the compute of full batches
    trainer = Trainer(tutorial_cnn(), x[:800], y[:800], epochs=2, batch_size=4)
    start = time.perf_counter()
    with qtbot.waitSignal(controller.runFinished, timeout=60000):
        controller.start(trainer)
    seconds = time.perf_counter() - start
    batches = sum(len(p["loss"]) for p in payloads)
    assert batches == 2 * 640 // 4  # every batch arrives, coalesced
    # at most one payload a METRICS_INTERVAL, plus a flush at each epoch end and the end
    # (arrival times bunch when the UI thread is busy, so count, do not time, them)
    assert len(payloads) <= seconds / METRICS_INTERVAL + 2 + 2
    assert len(payloads) < batches / 5


def test_snapshots_are_copies(qtbot, controller, sample):
    x, y = sample
    snapshots = []
    controller.snapshotReady.connect(snapshots.append)
    model = tutorial_cnn()
    trainer = Trainer(model, x[:1000], y[:1000], epochs=1, validation_split=0.0)
    with qtbot.waitSignal(controller.runFinished, timeout=30000):
        controller.start(trainer)
    assert snapshots
    live = model.named_params()
    for name, w in snapshots[-1].weights.items():
        assert w is not live[name] and not np.shares_memory(w, live[name])


def test_shutdown_while_running_returns_within_a_second(qtbot, controller, sample):
    x, y = sample
    trainer = Trainer(tutorial_cnn(), x, y, epochs=100)
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        controller.start(trainer)
    start = time.perf_counter()
    assert controller.shutdown(3000)
    assert time.perf_counter() - start < 1.0
    assert not controller.is_running


def test_worker_errors_are_reported(qtbot, controller, sample):
    x, y = sample
    trainer = Trainer(tutorial_cnn(), x[:200], y[:200], epochs=1, validation_split=0.0)

    def explode(batch):
        raise RuntimeError("boom")

    trainer.augment = explode
    with qtbot.waitSignal(controller.failed, timeout=10000) as blocker:
        controller.start(trainer)
    assert "boom" in blocker.args[0]
    qtbot.waitUntil(lambda: not controller.is_running, timeout=3000)


def test_the_finished_signal_of_a_thread_shutdown_already_ended_is_harmless(qtbot, controller,
                                                                            sample):
    """shutdown() ends and drops the thread; its queued ``finished`` arrives afterwards
    (it used to ask sender() for the deleted thread: a segmentation fault), and a new run
    started in between is not mistaken for the old one."""
    x, y = sample
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        controller.start(Trainer(tutorial_cnn(), x, y, epochs=100))
    assert controller.shutdown(3000)
    gc.collect()  # the old thread's wrapper and C++ object are gone now
    with qtbot.waitSignal(controller.batchesReady, timeout=10000):
        controller.start(Trainer(tutorial_cnn(), x, y, epochs=100))
    qtbot.wait(100)  # the stale ``finished`` is delivered here
    assert controller.is_running  # the second run is still known
    assert controller.shutdown(3000)
