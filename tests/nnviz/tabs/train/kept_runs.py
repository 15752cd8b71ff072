"""Kept runs made up quickly for the runs panel and timeline tests: a real recorder over
the tutorial CNN, fed with made-up batch and epoch logs (no training)."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from core.models import tutorial_cnn
from core.runs import DatasetInfo, FreshWeights, RunHistory, StartWeights
from nnviz.settings import TrainingSettings

DATASET = DatasetInfo("sample", "the shipped sample", 4000, 1000, 1000)


def make_run(store: RunHistory, name: str = "run", *, l1: float = 0.0, l2: float = 0.0,
             epochs: int = 2, batches: int = 5, seed: int = 0, accuracy: float = 0.9,
             start: StartWeights | None = None, zero_share_of: float = 0.0) -> str:
    """Record a finished run of ``epochs`` × ``batches`` made-up batches (the loss falls
    from 2.3, the validation accuracy climbs to ``accuracy``); the weights change a little
    every batch, and ``zero_share_of`` of the first kernel is set to 0 at the end.
    Returns its id."""
    model = tutorial_cnn(seed=seed)
    settings = asdict(TrainingSettings(l1=l1, l2=l2, epochs=epochs))
    recorder = store.record(model, dataset=DATASET, settings=settings,
                            start=start or FreshWeights(seed), name=name)
    kernel = model.layers[0].params["W"]
    for epoch in range(epochs):
        for batch in range(batches):
            kernel += np.float32(0.01)
            step = epoch * batches + batch + 1
            recorder.on_batch_end({"loss": 2.3 / step, "data_loss": 2.3 / step - l1,
                                   "penalty": l1 + l2, "accuracy": 1 - 0.9 / step,
                                   "lr": 0.05, "epoch": epoch, "batch": batch,
                                   "batches": batches})
        if epoch == epochs - 1 and zero_share_of:
            flat = kernel.reshape(-1)
            flat[: int(zero_share_of * flat.size)] = 0.0
        share = accuracy * (epoch + 1) / epochs
        recorder.on_epoch_end({"loss": 2.3 / (epoch + 1), "accuracy": share,
                               "data_loss": 2.3 / (epoch + 1), "penalty": l1 + l2,
                               "val_loss": 2.0 / (epoch + 1), "val_accuracy": share})
    recorder.finish("finished")
    return recorder.id
