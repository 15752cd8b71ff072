"""How fast Stop and closing the window act at a large batch size (10,000 digits).

Run: ``python benchmarks/bench_stop.py [--data PATH] [--rounds 5] [--batch 10000]``.
Uses full MNIST when found (``--data``, or where nnviz looks), else 12,000 random digits.
Each round starts a run, waits a random share of one batch's time so that the request
lands mid-batch, then measures (a) ``Trainer.stop()`` until the training thread has
ended, and (b) ``MainWindow.close()`` until the window is closed and its thread gone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data import Dataset, as_network_input, find_dataset, load_dataset  # noqa: E402
from core.models import tutorial_cnn  # noqa: E402
from core.training import Trainer  # noqa: E402


def data_set(source: str | None) -> Dataset:
    place = source or find_dataset()
    if place is not None:
        return load_dataset(place)
    rng = np.random.default_rng(0)
    return Dataset("random", rng.integers(0, 256, (12_000, 28, 28), dtype=np.uint8),
                   rng.integers(0, 10, 12_000, dtype=np.uint8),
                   np.zeros((10, 28, 28), np.uint8), np.zeros(10, np.uint8), "random digits")


def batch_seconds(x: np.ndarray, y: np.ndarray, batch: int) -> float:
    model = tutorial_cnn(seed=0)
    model.train_on_batch(x[:batch], y[:batch])  # warm-up: buffers, replicas
    start = time.perf_counter()
    model.train_on_batch(x[:batch], y[:batch])
    return time.perf_counter() - start


def stop_latency(x, y, batch: int, delay: float) -> float:
    trainer = Trainer(tutorial_cnn(seed=0), x, y, batch_size=batch, epochs=100,
                      validation_split=0.0)
    thread = threading.Thread(target=trainer.run)
    thread.start()
    time.sleep(delay)
    start = time.perf_counter()
    trainer.stop()
    thread.join()
    return time.perf_counter() - start


def close_latency(app, data: Dataset, batch: int, delay: float) -> float:
    from nnviz.main_window import MainWindow

    window = MainWindow(restore=False)
    window.show()
    window.session.dataset = data
    window.train_tab.batch_spin.setValue(batch)
    window.train_tab.start_button.click()
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    start = time.perf_counter()
    window.close()
    while window.isVisible() or window.controller.is_running:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    window.deleteLater()
    app.processEvents()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    data = data_set(args.data)
    x, y = as_network_input(data.x_train), data.y_train.astype(np.int64)
    one_batch = batch_seconds(x, y, args.batch)
    rng = np.random.default_rng(1)
    delays = 0.5 + rng.random(args.rounds) * one_batch  # the first batch, part-way in
    stops = [stop_latency(x, y, args.batch, d) for d in delays]

    from PyQt6.QtWidgets import QApplication

    from nnviz.app import prepare_application

    app = QApplication.instance() or QApplication(["nnviz"])
    prepare_application(app)
    closes = [close_latency(app, data, args.batch, d) for d in delays]
    print(f"{data.describe()}; batch {args.batch:,} takes {one_batch:.2f} s; "
          f"{args.rounds} rounds, requests at {', '.join(f'{d:.2f}' for d in delays)} s")
    for name, values in (("stop", stops), ("close", closes)):
        print(f"{name:6s} median {statistics.median(values):.3f} s, "
              f"max {max(values):.3f} s  ({', '.join(f'{v:.3f}' for v in values)})")


if __name__ == "__main__":
    main()
