"""Fixtures for the run history: a history in a fresh folder, a tiny network, and runs
recorded from synthetic batch logs (no training: each batch nudges every weight, so
every checkpoint holds different weights)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from core.layers import Activation, Conv2D, Dense, Flatten, MaxPooling2D
from core.model import Sequential
from core.runs import (
    DatasetInfo,
    FreshWeights,
    Run,
    RunHistory,
    RunRecorder,
    StartWeights,
    timeline,
)

DATASET = DatasetInfo("sample", "5,000 MNIST digits", 3200, 800, 1000)
SETTINGS = {"optimizer": "sgd", "lr": 0.05, "batch_size": 100, "epochs": 2, "l1": 0.0,
            "l2": 0.0, "augmentation": {"rotation_range": 0.0, "horizontal_flip": False}}


def tiny_model(filters: int = 2, seed: int = 0) -> Sequential:
    """conv filters@3×3 relu -> maxpool 2 -> flatten -> dense 10 softmax, on 1×8×8."""
    model = Sequential(input_shape=(1, 8, 8), seed=seed, name="tiny")
    model.add(Conv2D(filters, 3))
    model.add(Activation("relu"))
    model.add(MaxPooling2D(2))
    model.add(Flatten())
    model.add(Dense(10))
    model.add(Activation("softmax"))
    model.compile(optimizer="sgd")
    return model


def checkpoint_bytes(model: Sequential) -> int:
    """The size of one checkpoint file of ``model`` (what the budget counts)."""
    return timeline.checkpoint_bytes(model.weight_shapes())


def batch_logs(epoch: int, batch: int, batches: int) -> dict:
    step = epoch * batches + batch + 1
    return {"loss": 2.0 / step, "data_loss": 1.9 / step, "penalty": 0.1 / step,
            "accuracy": 1 - 1 / (step + 1), "lr": 0.05 / step, "epoch": epoch,
            "batch": batch, "batches": batches, "seen": step * 100}


def epoch_logs(epoch: int) -> dict:
    return {"loss": 1.0 / (epoch + 1), "data_loss": 0.9 / (epoch + 1), "penalty": 0.01,
            "accuracy": 0.5 + 0.04 * epoch, "val_loss": 1.1 / (epoch + 1),
            "val_accuracy": 0.5 + 0.05 * epoch}


def feed(recorder: RunRecorder, model: Sequential, epochs: int, batches: int,
         extra_batches: int = 0) -> None:
    """Record ``epochs`` whole epochs of ``batches`` synthetic batches, then
    ``extra_batches`` of the next epoch; every batch adds 0.001 to every weight."""
    for epoch in range(epochs + (1 if extra_batches else 0)):
        last = extra_batches if epoch == epochs else batches
        for batch in range(last):
            for p in model.named_params().values():
                p += np.float32(0.001)
            recorder.on_batch_end(batch_logs(epoch, batch, batches))
        if epoch < epochs:
            recorder.on_epoch_end(epoch_logs(epoch))


def record(history: RunHistory, model: Sequential | None = None, *, epochs: int = 2,
           batches: int = 10, settings: Mapping | None = None,
           start: StartWeights | None = None, name: str | None = None,
           state: str | None = "finished", **options) -> Run:
    """Record a synthetic run into ``history`` and return it as stored (``state`` None:
    leave it recording)."""
    model = model or tiny_model()
    recorder = history.record(model, dataset=DATASET, settings=settings or SETTINGS,
                              start=start or FreshWeights(0), name=name, **options)
    feed(recorder, model, epochs, batches)
    if state is not None:
        recorder.finish(state)
    return history.get(recorder.id)


@pytest.fixture
def history(tmp_path) -> RunHistory:
    return RunHistory(tmp_path)
