"""Teaching on its own QThread: it finishes, it stops, one run at a time."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import load_sample
from core.models import tutorial_cnn
from core.teach import ReplayData, TeachConfig
from nnviz.tabs.draw.teach_runner import TeachRunner


@pytest.fixture(scope="module")
def replay():
    data = load_sample()
    return ReplayData(data.x_train, data.y_train.astype(np.int64), data.x_test[:200],
                      data.y_test[:200].astype(np.int64), "sample test")


@pytest.fixture
def mine():
    data = load_sample()
    return data.x_test[300:330].astype(np.float32) / 255.0, data.y_test[300:330].astype(np.int64)


@pytest.fixture
def runner(qapp, replay):
    runner = TeachRunner()
    runner.set_replay(replay)
    runner.config = TeachConfig(steps=6, final_steps=2)
    yield runner
    runner.stop()


def test_a_run_finishes_on_the_ui_thread_with_the_taught_copy(runner, qtbot, mine):
    model = tutorial_cnn(seed=1)
    with qtbot.waitSignal(runner.finished, timeout=30000) as blocker:
        assert runner.start(model, *mine)
        assert runner.is_running()
        assert not runner.start(model, *mine)  # one at a time
    result = blocker.args[0]
    assert result.model is not None and result.model is not model
    assert result.previous is model and result.others_count == 200
    qtbot.waitUntil(lambda: not runner.is_running())


def test_stop_ends_a_run_and_keeps_nothing(runner, qtbot, mine):
    runner.config = TeachConfig(steps=100_000, final_steps=0)
    results = []
    runner.finished.connect(results.append)
    assert runner.start(tutorial_cnn(seed=1), *mine)
    assert runner.stop(10000) and not runner.is_running()
    qtbot.waitUntil(lambda: bool(results))
    assert results[0].model is None and "stopped" in results[0].message
