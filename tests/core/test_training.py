"""The trainer under control from another thread: pause, step, resume, stop, steer, diverge."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from core.data import as_network_input, load_sample
from core.models import tutorial_cnn
from core.training import Trainer, validation_report


@pytest.fixture(scope="module")
def sample():
    d = load_sample()
    return as_network_input(d.x_train), d.y_train.astype(np.int64)


def wait_for(condition, timeout: float = 10.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def run_in_thread(trainer):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("history", trainer.run()))
    thread.start()
    return thread, result


def test_pause_step_resume_stop(sample):
    x, y = sample
    batches, states = [], []
    first_batch = threading.Event()
    paused = threading.Event()

    def on_batch(logs):
        batches.append(logs["batch"])
        first_batch.set()

    def on_state(state, message):
        states.append(state)
        if state == "paused":
            paused.set()

    trainer = Trainer(tutorial_cnn(), x, y, epochs=50, batch_size=100,
                      on_batch_end=on_batch, on_state_change=on_state)
    thread, _ = run_in_thread(trainer)
    assert first_batch.wait(10)
    trainer.pause()
    assert paused.wait(5)
    count = len(batches)
    trainer.step()
    assert wait_for(lambda: len(batches) == count + 1)
    time.sleep(0.2)  # and no more than one
    assert len(batches) == count + 1, "step trains exactly one batch"
    trainer.resume()
    assert wait_for(lambda: len(batches) > count + 1)
    trainer.stop()
    thread.join(2)
    assert not thread.is_alive(), "stop ends the run within a batch"
    assert states[0] == "running" and "paused" in states and states[-1] == "stopped"


def test_learning_rate_and_regularization_change_mid_run(sample):
    x, y = sample
    lrs = []
    trainer = Trainer(tutorial_cnn(), x[:1000], y[:1000], epochs=1, batch_size=100,
                      validation_split=0.0, on_batch_end=lambda logs: lrs.append(logs["lr"]))
    trainer.set_learning_rate(0.01)
    trainer.set_regularization(0.0, 1e-3)
    trainer.run()
    assert lrs[0] == pytest.approx(0.01, rel=1e-4)
    assert trainer.model.layers[0].regularizers["W"].l2 == 1e-3
    assert trainer.model.regularization_loss() > 0


def test_divergence_pauses_and_restores_finite_weights(sample):
    x, y = sample
    states = []
    model = tutorial_cnn()
    trainer = Trainer(model, x[:2000], y[:2000], epochs=3, validation_split=0.0,
                      on_state_change=lambda s, m: states.append((s, m)))
    trainer.set_learning_rate(10.0)  # far beyond the stable rate: the loss becomes NaN/inf
    thread, _ = run_in_thread(trainer)
    wait_for(lambda: any(s == "diverged" for s, _ in states))
    diverged = [m for s, m in states if s == "diverged"]
    assert diverged and "learning rate" in diverged[0]
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert trainer.is_paused
    trainer.stop()
    thread.join(2)
    assert not thread.is_alive()


def test_short_run_on_the_sample_learns(sample):
    x, y = sample
    reports = []
    trainer = Trainer(tutorial_cnn(seed=0), x, y, epochs=2, batch_size=100,
                      on_epoch_end=lambda logs, report: reports.append((logs, report)))
    history = trainer.run()
    assert history.history["val_accuracy"][-1] > 0.85
    logs, report = reports[-1]
    assert report.confusion.sum() == 800 and report.accuracy == pytest.approx(
        logs["val_accuracy"])
    assert len(report.misclassified) == 800 - np.trace(report.confusion)


def test_validation_report():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    report = validation_report(0, probs, np.array([0, 0, 1]))
    assert report.confusion.tolist() == [[1, 1], [1, 0]]
    assert report.misclassified.tolist() == [1, 2]
    assert report.predicted.tolist() == [1, 0] and report.confidence.tolist() == [0.8, 0.6]


def test_a_rolled_back_batch_is_left_out_of_the_epoch_means(sample):
    x, y = sample
    x = x[:1000].copy()
    x[0] = np.nan  # the first batch of the (unshuffled) epoch diverges
    epochs = []
    trainer = Trainer(tutorial_cnn(), x, y[:1000], epochs=1, shuffle=False,
                      validation_split=0.0, on_epoch_end=lambda logs, r: epochs.append(logs))
    trainer.on_state_change = lambda s, m: trainer.resume() if s == "diverged" else None
    history = trainer.run()
    assert np.isfinite(history.history["loss"][0]) and history.history["loss"][0] < 3
    assert all(np.isfinite(w).all() for w in trainer.model.get_weights())


def test_first_batch_divergence_restores_the_starting_weights(sample):
    x, y = sample
    model = tutorial_cnn()
    start = model.get_weights()
    trainer = Trainer(model, x[:300], y[:300], epochs=1, validation_split=0.0)
    trainer.set_learning_rate(1e6)
    trainer.on_state_change = lambda s, m: trainer.stop() if s == "diverged" else None
    trainer.run()
    for before, after in zip(start, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_stopping_mid_epoch_skips_validation(sample):
    x, y = sample
    reports = []
    trainer = Trainer(tutorial_cnn(), x, y, epochs=3,
                      on_epoch_end=lambda logs, report: reports.append(report))
    trainer.on_batch_end = lambda logs: trainer.stop() if logs["batch"] == 2 else None
    trainer.run()
    assert reports == [] and trainer.state == "stopped"


def test_stop_acts_within_a_second_at_batch_10000(chunk_calls):
    """A batch of 10,000 digits takes seconds; the stop flag is checked between its
    chunks, so the run ends in a fraction of one (measured: about 0.02 s)."""
    from core import parallel

    rng = np.random.default_rng(0)
    x = rng.random((10_000, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 10_000)
    model = tutorial_cnn(seed=0)
    before = model.get_weights()
    trainer = Trainer(model, x, y, batch_size=10_000, epochs=5, validation_split=0.0)
    thread, _ = run_in_thread(trainer)
    assert chunk_calls.reached(3).wait(30)
    start = time.perf_counter()
    trainer.stop()
    thread.join(5)
    elapsed = time.perf_counter() - start
    assert not thread.is_alive() and trainer.state == "stopped"
    assert elapsed < 1.0, f"stop took {elapsed:.2f} s"
    assert chunk_calls.count < 10_000 // parallel.CHUNK  # the batch was abandoned part-way
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
