"""Made-up training runs for the curve and history tests, and the smoothing oracle."""

from __future__ import annotations

import numpy as np

from nnviz.tabs.train.history import BATCH_COLUMNS


def fake_run(epochs: int = 10, batches: int = 40, seed: int = 0, l2: float = 1e-4) -> dict:
    """A plausible run: loss falling from 2.3 with batch noise, accuracy rising, an L2
    penalty that grows as the weights do, and a learning rate lowered by hand at epoch 6.

    Returns {"batch": {BATCH_COLUMNS: (epochs*batches,)}, "epoch": [(epoch, val_loss,
    val_acc, loss, acc)]}.
    """
    rng = np.random.default_rng(seed)
    n = epochs * batches
    pos = (np.arange(n) + 1) / batches
    data = 0.035 + 2.25 * np.exp(-pos / 0.3) + 0.2 * np.exp(-pos / 2.5)
    data = data * np.exp(rng.normal(0, 0.25, n))
    penalty = l2 * 300 * (1 - np.exp(-pos / 1.5)) + l2 * 40
    acc = 1 / (1 + (data / 0.45) ** 1.7) + rng.normal(0, 0.01, n)
    acc = np.clip(np.round(acc * 100) / 100, 0, 1)  # batches of 100 give whole percents
    lr = np.where(pos <= 6, 0.05, 0.02) / (1 + 1e-6 * np.arange(n))
    batch = {"epoch_position": pos, "loss": data + penalty, "data_loss": data,
             "penalty": penalty, "accuracy": acc, "lr": lr}
    rows = []
    for e in range(1, epochs + 1):
        part = slice((e - 1) * batches, e * batches)
        val_loss = 0.05 + 2.0 * np.exp(-e / 0.35) + 0.2 * np.exp(-e / 2.5) + 0.002 * e
        rows.append((e, val_loss, 1 / (1 + (val_loss / 0.45) ** 1.7),
                     float(batch["loss"][part].mean()), float(acc[part].mean())))
    return {"batch": batch, "epoch": rows}


def ema_loop(values: np.ndarray, w: float) -> np.ndarray:
    """The textbook (TensorBoard) debiased EMA, one value at a time: the oracle."""
    out, last, k = [], 0.0, 0
    for v in values:
        if not np.isfinite(v):
            out.append(np.nan)
            continue
        last = w * last + (1 - w) * v
        k += 1
        out.append(last / (1 - w**k))
    return np.array(out)


def feed(target, run: dict, every: int = 7) -> None:
    """Give ``run`` to ``target`` (a RunHistory or TrainCurves: both have add_batches and
    add_epoch) the way the worker does: a few batches at a time, each epoch as it ends."""
    b = run["batch"]
    rows = iter(run["epoch"])
    pending = next(rows, None)
    n = len(b["loss"])
    for start in range(0, n, every):
        part = slice(start, min(start + every, n))
        target.add_batches(*(b[k][part] for k in BATCH_COLUMNS))
        while pending is not None and pending[0] <= b["epoch_position"][part.stop - 1]:
            target.add_epoch(*pending)
            pending = next(rows, None)
