"""Training throughput and single-digit latency of the numpy engine, side by side with PyTorch.

Run: ``python benchmarks/bench_engine.py [--rounds 5] [--batches 40]``.
Both engines train the tutorial CNN (batch 100, float32, SGD + Nesterov) on the same
inputs with the same number of threads, in alternating rounds so that the load of a
shared machine hits both alike; medians are reported with the numpy/PyTorch ratio.
Without torch installed only the numpy figures are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.models import tutorial_cnn  # noqa: E402


def peer_threads(model_workers: int) -> int:
    """PyTorch gets as many threads as the numpy engine uses (its worker threads)."""
    return max(1, min(model_workers, os.cpu_count() or 1))


def numpy_engine(x: np.ndarray, y: np.ndarray, batch: int):
    model = tutorial_cnn(seed=0)

    def train(batches: int) -> float:
        start = time.perf_counter()
        for i in range(batches):
            j = (i * batch) % (len(x) - batch)
            model.train_on_batch(x[j : j + batch], y[j : j + batch])
        return batches * batch / (time.perf_counter() - start)

    def predict_one(repeats: int) -> float:
        one = x[:1]
        model.predict(one)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            model.predict(one)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e3

    return train, predict_one


def torch_engine(x: np.ndarray, y: np.ndarray, batch: int, threads: int):
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(1, 4, 5), nn.Tanh(), nn.Conv2d(4, 8, 3), nn.Tanh(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(256, 128), nn.Tanh(), nn.Linear(128, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    loss_fn = nn.CrossEntropyLoss()
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y.astype(np.int64))

    def train(batches: int) -> float:
        net.train()
        start = time.perf_counter()
        for i in range(batches):
            j = (i * batch) % (len(x) - batch)
            opt.zero_grad()
            loss = loss_fn(net(xt[j : j + batch]), yt[j : j + batch])
            loss.backward()
            opt.step()
        return batches * batch / (time.perf_counter() - start)

    def predict_one(repeats: int) -> float:
        net.eval()
        one = xt[:1]
        times = []
        with torch.inference_mode():
            net(one)
            for _ in range(repeats):
                start = time.perf_counter()
                torch.softmax(net(one), dim=1)
                times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e3

    return train, predict_one, torch.__version__


def load_inputs(n: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Real digits when some MNIST is around (full or the shipped sample), else noise."""
    try:
        from core.data import load_mnist

        (x, y), _ = load_mnist()
        x = (x[:n].astype(np.float32) / 255.0)[:, None]
        return x, y[:n].astype(np.int64), "MNIST digits"
    except Exception:  # noqa: BLE001 - benchmark still runs on noise
        rng = np.random.default_rng(0)
        return (rng.random((n, 1, 28, 28), dtype=np.float32),
                rng.integers(0, 10, n), "random inputs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=40, help="batches per timed round")
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()

    x, y, what = load_inputs(5000)
    threads = peer_threads(tutorial_cnn().workers)
    np_train, np_predict = numpy_engine(x, y, args.batch_size)
    engines = {"numpy": (np_train, np_predict)}
    try:
        t_train, t_predict, version = torch_engine(x, y, args.batch_size, threads)
        engines[f"torch {version}"] = (t_train, t_predict)
    except ImportError:
        print("(torch not installed: numpy figures only; pip install torch==2.13.0)")

    for train, _ in engines.values():  # warm-up
        train(5)
    rates = {name: [] for name in engines}
    latencies = {name: [] for name in engines}
    for _ in range(args.rounds):
        for name, (train, predict) in engines.items():
            rates[name].append(train(args.batches))
            latencies[name].append(predict(200))

    print(f"tutorial CNN, batch {args.batch_size}, float32, {what}; numpy: {threads} worker "
          f"threads x 1 BLAS thread, torch: {threads} threads; {args.rounds} rounds x "
          f"{args.batches} batches (median)")
    print(f"{'engine':<16}{'train samples/s':>18}{'predict 1 digit (ms)':>24}")
    for name in engines:
        print(f"{name:<16}{statistics.median(rates[name]):>18,.0f}"
              f"{statistics.median(latencies[name]):>24.3f}")
    names = list(engines)
    if len(names) == 2:
        a, b = names
        speed = statistics.median(rates[a]) / statistics.median(rates[b])
        latency = statistics.median(latencies[a]) / statistics.median(latencies[b])
        print(f"ratio numpy/torch: training throughput {speed:.2f}x, prediction latency "
              f"{latency:.2f}x (throughput > 1 and latency < 1 favour numpy)")


if __name__ == "__main__":
    main()
