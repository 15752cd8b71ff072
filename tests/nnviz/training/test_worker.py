"""The training worker driven directly (on the test's thread): what it sends and when."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QObject, Qt, QThread, pyqtSignal, pyqtSlot

import nnviz.training.worker as worker_module
from core.data import as_network_input, load_sample
from core.models import tutorial_cnn
from core.training import Trainer
from nnviz.training.worker import BATCH_KEYS, TrainingWorker, return_to_main_thread


@pytest.fixture(scope="module")
def digits():
    d = load_sample()
    return as_network_input(d.x_train[:400]), d.y_train[:400].astype(np.int64)


class Recorder:
    """Everything a worker emits, in order."""

    def __init__(self, worker: TrainingWorker) -> None:
        self.events: list[tuple[str, tuple]] = []
        for name in ("batchesReady", "epochFinished", "snapshotReady", "stateChanged",
                     "failed", "finished"):
            getattr(worker, name).connect(lambda *args, n=name: self.events.append((n, args)))

    def of(self, name: str) -> list[tuple]:
        return [args for n, args in self.events if n == name]


def run(trainer: Trainer) -> Recorder:
    worker = TrainingWorker(trainer)
    recorder = Recorder(worker)
    worker.run()
    return recorder


def test_every_batch_arrives_once_with_its_progress(qtbot, digits) -> None:
    x, y = digits
    sent = run(Trainer(tutorial_cnn(), x, y, batch_size=32, epochs=2, validation_split=0.2))
    payloads = [args[0] for args in sent.of("batchesReady")]
    batches = 2 * -(-320 // 32)
    assert sum(len(p["loss"]) for p in payloads) == batches
    assert all(set(BATCH_KEYS) <= set(p) for p in payloads)
    positions = np.concatenate([p["position"] for p in payloads])
    np.testing.assert_allclose(positions, (np.arange(batches) + 1) / 10)
    last = payloads[-1]["progress"]
    assert (last["epoch"], last["batch"], last["batches"]) == (1, 9, 10)


def test_each_epoch_ends_with_its_logs_a_report_and_a_snapshot(qtbot, digits) -> None:
    x, y = digits
    model = tutorial_cnn()
    sent = run(Trainer(model, x, y, batch_size=40, epochs=2, validation_split=0.2))
    epochs = sent.of("epochFinished")
    assert [logs["epoch"] for logs, _ in epochs] == [0, 1]
    assert all(report.confusion.sum() == 80 for _, report in epochs)
    names = [n for n, _ in sent.events]
    for end in (i for i, n in enumerate(names) if n == "epochFinished"):
        assert "snapshotReady" in names[:end]  # the epoch's weights come before its end
    snapshot = sent.of("snapshotReady")[-1][0]
    assert snapshot.step == model.optimizer.iterations == 16
    live = model.named_params()
    for name, w in snapshot.weights.items():
        np.testing.assert_array_equal(w, live[name])
        assert not np.shares_memory(w, live[name])


def test_states_end_finished_and_finished_comes_last(qtbot, digits) -> None:
    x, y = digits
    sent = run(Trainer(tutorial_cnn(), x[:100], y[:100], epochs=1, validation_split=0.0))
    states = [state for state, _ in sent.of("stateChanged")]
    assert states[0] == "running" and states[-1] == "finished"
    assert sent.events[-1] == ("finished", ())
    assert not sent.of("failed")


def test_metrics_are_coalesced_between_intervals(qtbot, digits, monkeypatch) -> None:
    never = 1e12  # seconds: no interval passes during the test
    monkeypatch.setattr(worker_module, "METRICS_INTERVAL", never)
    monkeypatch.setattr(worker_module, "SNAPSHOT_INTERVAL", never)
    x, y = digits
    sent = run(Trainer(tutorial_cnn(), x, y, batch_size=20, epochs=2, validation_split=0.0))
    payloads = [args[0] for args in sent.of("batchesReady")]
    # only each epoch's end sends, all of its batches at once
    assert [len(p["loss"]) for p in payloads] == [20, 20]
    assert [s.epoch for (s,) in sent.of("snapshotReady")] == [0, 1]


def test_an_error_is_reported_with_its_traceback_and_the_run_still_finishes(
        qtbot, digits) -> None:
    x, y = digits
    trainer = Trainer(tutorial_cnn(), x[:100], y[:100], epochs=1, validation_split=0.0)

    def explode(batch):
        raise RuntimeError("boom")

    trainer.augment = explode
    sent = run(trainer)
    (details,), = sent.of("failed")
    assert "RuntimeError: boom" in details and "Traceback" in details
    assert sent.events[-1] == ("finished", ())


class _Job(QObject):
    done = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self.ran_on = None

    @pyqtSlot()
    def run(self) -> None:
        self.ran_on = QThread.currentThread()
        return_to_main_thread(self)
        self.done.emit()


def test_a_worker_goes_back_to_the_ui_thread_before_it_ends(qtbot, qapp):
    """So that its deleteLater destroys it on the UI thread: destroyed on its own thread
    it made Qt call the QThread's Python-side disconnectNotify under a signal lock, which
    deadlocked against a UI thread holding the GIL."""
    thread, job = QThread(), _Job()
    job.moveToThread(thread)
    thread.started.connect(job.run)
    job.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(thread.finished, timeout=5000):
        thread.start()
    assert thread.wait(2000)
    assert job.ran_on is not qapp.thread() and job.thread() is qapp.thread()
