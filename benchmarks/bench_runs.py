"""What keeping every run costs: recording per batch and per epoch, listing 100 runs,
loading a run's curves and one checkpoint, and training with and without recording.

Run: ``python benchmarks/bench_runs.py [--runs 100] [--folder PATH] [--train-epochs 2]``.

1. Writes ``--runs`` runs of the tutorial CNN of realistic size into a temporary folder
   (or ``--folder``): 10 epochs of 500 batches (5,000 batch points) each, recorded by a
   :class:`core.runs.RunRecorder` from synthetic batch logs, so each keeps 19
   checkpoints (the start, steps 1 ... 200 of the 1-2-5 series and 10 epoch ends). The
   time of every ``on_batch_end`` and ``on_epoch_end`` call is measured, and how long
   the background write of each epoch end takes.
2. Lists them with a new ``RunHistory(folder).runs()`` (as the app does at start; the
   operating system's file cache is warm), loads one run's curves, and loads each
   checkpoint of one run into a network.
3. Trains the tutorial CNN on the shipped sample for ``--train-epochs`` epochs with and
   without a recorder attached, alternately, and compares samples/s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data import as_network_input, load_sample  # noqa: E402
from core.models import tutorial_cnn  # noqa: E402
from core.runs import DatasetInfo, FreshWeights, RunHistory  # noqa: E402
from core.training import Trainer  # noqa: E402

EPOCHS, BATCHES = 10, 500
SETTINGS = {"optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True, "decay": 1e-6,
            "batch_size": 100, "epochs": EPOCHS, "validation_split": 0.2, "l1": 0.0,
            "l2": 0.0, "dropout": 0.0, "use_personal_digits": False,
            "augmentation": {"rotation_range": 0.0, "width_shift_range": 0.0,
                             "height_shift_range": 0.0, "horizontal_flip": False,
                             "featurewise_center": False, "zca_whitening": False}}
DATASET = DatasetInfo("mnist", "~/.keras/datasets/mnist.npz", 48_000, 12_000, 10_000)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def write_runs(history: RunHistory, count: int) -> tuple[list[float], ...]:
    """Record ``count`` synthetic runs; returns the seconds of every batch call, of the
    batch calls that kept a checkpoint, of every epoch-end call (on the training thread)
    and until its background write was done."""
    batch_times, checkpoint_times, epoch_times, write_times = [], [], [], []
    clock = time.perf_counter
    for r in range(count):
        model = tutorial_cnn(seed=r)
        first = next(iter(model.named_params().values()))
        recorder = history.record(model, dataset=DATASET, settings=dict(SETTINGS, seed=r),
                                  start=FreshWeights(r), name=f"run {r + 1}")
        for epoch in range(EPOCHS):
            for batch in range(BATCHES):
                first += np.float32(1e-4)  # the weights change, as in training
                step = epoch * BATCHES + batch + 1
                logs = {"loss": 2.3 / step ** 0.3, "data_loss": 2.3 / step ** 0.3,
                        "penalty": 0.0, "accuracy": 1 - 0.9 / step ** 0.3,
                        "lr": 0.05 / (1 + 1e-6 * step), "epoch": epoch, "batch": batch,
                        "batches": BATCHES, "seen": step * 100, "total": 480_000,
                        "samples_per_sec": 2000.0, "eta_seconds": 100.0}
                kept = len(recorder.checkpoints())
                start = clock()
                recorder.on_batch_end(logs)
                elapsed = clock() - start
                if r == 0:  # the checkpoint count below is not part of the timing
                    (checkpoint_times if len(recorder.checkpoints()) > kept
                     else batch_times).append(elapsed)
            start = clock()
            recorder.on_epoch_end({"loss": 0.3, "accuracy": 0.9, "data_loss": 0.3,
                                   "penalty": 0.0, "val_loss": 0.2, "val_accuracy": 0.94})
            epoch_times.append(clock() - start)
            recorder.wait()  # the background write, done
            write_times.append(clock() - start)
        recorder.finish("finished", {"test_accuracy": 0.95})
    return batch_times, checkpoint_times, epoch_times, write_times


def listing_seconds(folder: Path, repeats: int = 5) -> tuple[float, int]:
    """Median seconds of ``RunHistory(folder).runs()`` and the runs it found."""
    times, found = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        found = len(RunHistory(folder).runs())
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


def training_rates(epochs: int, rounds: int, folder: Path) -> tuple[list[float], list[float]]:
    """Samples/s of the tutorial CNN on the shipped sample, without and with recording."""
    data = load_sample()
    x, y = as_network_input(data.x_train), data.y_train.astype(np.int64)
    history = RunHistory(folder)
    plain, recorded = [], []
    for _ in range(rounds):
        for record in (False, True):
            model = tutorial_cnn(seed=0)
            hooks = {}
            if record:
                recorder = history.record(model, dataset=DatasetInfo.of(data, 0.2),
                                          settings=SETTINGS, start=FreshWeights(0))
                hooks = {"on_batch_end": recorder.on_batch_end,
                         "on_epoch_end": recorder.on_epoch_end,
                         "on_state_change": recorder.on_state_change}
            trainer = Trainer(model, x, y, batch_size=100, epochs=epochs, **hooks)
            start = time.perf_counter()
            trainer.run()
            rate = epochs * len(trainer.x) / (time.perf_counter() - start)
            (recorded if record else plain).append(rate)
    return plain, recorded


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--folder", type=Path, default=None,
                        help="where to write the runs (default: a temporary folder)")
    parser.add_argument("--train-epochs", type=int, default=2)
    parser.add_argument("--train-rounds", type=int, default=2)
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="nnviz-bench-runs-"))
    try:
        history = RunHistory(folder)
        start = time.perf_counter()
        batch, checkpoint, epoch, written = write_runs(history, args.runs)
        print(f"wrote {args.runs} runs in {time.perf_counter() - start:.1f} s")
        sizes = [sum(f.stat().st_size for f in run.folder.rglob("*") if f.is_file())
                 for run in history.runs()]
        run = history.runs()[0]
        print(f"one run: {len(run.checkpoints())} checkpoints, {run.batches.rows:,} batch "
              f"points, {statistics.mean(sizes) / 1e6:.2f} MB on disk "
              f"(run.json {(run.folder / 'run.json').stat().st_size / 1e3:.1f} kB)")
        us = [t * 1e6 for t in batch]
        print(f"on_batch_end: median {statistics.median(us):.1f} µs, mean "
              f"{statistics.mean(us):.1f} µs, 99th percentile "
              f"{np.percentile(us, 99):.1f} µs, max {max(us):.1f} µs ({len(us):,} calls); "
              f"with a checkpoint copy: median {statistics.median(checkpoint) * 1e6:.0f} µs")
        print(f"on_epoch_end on the training thread: median {_ms(statistics.median(epoch))}, "
              f"max {_ms(max(epoch))}; its background write (new checkpoints, curves, "
              f"index, run.json) done after: median {_ms(statistics.median(written))}, max "
              f"{_ms(max(written))} ({len(epoch)} epoch ends)")
        seconds, found = listing_seconds(folder)
        print(f"RunHistory(folder).runs() with {found} runs: {_ms(seconds)} (median of 5)")
        fresh = RunHistory(folder)
        start = time.perf_counter()
        target = fresh.get(run.id)
        _ = target.batches, target.epochs
        print(f"one run's curves loaded: {_ms(time.perf_counter() - start)}")
        start = time.perf_counter()
        fresh.differences([r.id for r in fresh.runs()[:3]])
        print(f"differences of 3 runs (listing included): {_ms(time.perf_counter() - start)}")
        model = target.model()
        loads, applied = [], []
        for kept in target.checkpoints():
            start = time.perf_counter()
            weights = target.load_checkpoint(kept.step)
            loads.append(time.perf_counter() - start)
            model.set_weights(list(weights.values()))
            applied.append(time.perf_counter() - start)
        print(f"load_checkpoint: median {_ms(statistics.median(loads))}, max "
              f"{_ms(max(loads))}; with set_weights into a network: median "
              f"{_ms(statistics.median(applied))} ({len(loads)} checkpoints)")
        plain, recorded = training_rates(args.train_epochs, args.train_rounds,
                                         folder / "training")
        print(f"training on the sample ({args.train_epochs} epochs, {args.train_rounds} "
              f"rounds each): without recording {statistics.median(plain):,.0f} samples/s "
              f"{[round(r) for r in plain]}, with {statistics.median(recorded):,.0f} "
              f"samples/s {[round(r) for r in recorded]}")
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
