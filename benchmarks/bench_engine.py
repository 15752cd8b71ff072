"""Training throughput and single-digit latency of the numpy engine, side by side with
PyTorch, for every preset network.

Run: ``python benchmarks/bench_engine.py [--rounds 5] [--batches 30] [--presets lenet5 mlp]
[--threads 1]``.
Both engines train each preset (batch 100, float32, SGD + Nesterov, softmax +
cross-entropy computed together) on the same digits with the same number of threads. The
PyTorch network is the one nnviz's own exporter writes (``core.export.to_pytorch``), so
both run the same layers with the same starting weights. Rounds alternate the engines
(and which goes first) so that the load of a shared machine hits both alike; medians are
reported with the numpy/PyTorch ratios. Without torch only the numpy figures are printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.models import PRESETS, display_name, preset  # noqa: E402


def numpy_engine(model, x: np.ndarray, y: np.ndarray, batch: int):
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


def torch_engine(model, x: np.ndarray, y: np.ndarray, batch: int, folder: Path):
    """The preset as nnviz exports it to PyTorch, trained with torch's own SGD."""
    import torch
    import torch.nn.functional as F

    from core.export import to_pytorch

    script, weights = to_pytorch(model, folder / f"{model.name}.py")
    spec = importlib.util.spec_from_file_location(f"bench_{model.name}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.load_network(weights)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y.astype(np.int64))

    def train(batches: int) -> float:
        net.train()
        start = time.perf_counter()
        for i in range(batches):
            j = (i * batch) % (len(x) - batch)
            opt.zero_grad()
            loss = F.cross_entropy(net(xt[j : j + batch], logits=True), yt[j : j + batch])
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
                net(one)
                times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e3

    return train, predict_one


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


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=30, help="batches per timed round")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--presets", nargs="*", default=list(PRESETS), choices=list(PRESETS))
    parser.add_argument("--threads", type=int, default=0,
                        help="threads for each engine (default: the numpy engine's workers); "
                             "1 compares the work per core, which a busy machine moves less")
    parser.add_argument("--pause", type=float, default=0.3,
                        help="seconds between turns: PyTorch's OpenMP threads spin for a while "
                             "after its last call and would slow the numpy turn after it")
    args = parser.parse_args()

    x, y, what = load_inputs(5000)
    models = {name: preset(name, seed=0) for name in args.presets}
    threads = args.threads or max(1, min(next(iter(models.values())).workers,
                                         os.cpu_count() or 1))
    for model in models.values():
        model.workers = threads
    engines: dict[tuple[str, str], tuple] = {}
    try:
        import torch

        torch.set_num_threads(threads)
        version = torch.__version__
    except ImportError:
        torch = None
        print("(torch not installed: numpy figures only; pip install torch==2.13.0)")
    with tempfile.TemporaryDirectory() as folder:
        for name, model in models.items():
            if torch is not None:  # exported before numpy trains, so both start alike
                engines[name, "torch"] = torch_engine(model, x, y, args.batch_size,
                                                      Path(folder))
            engines[name, "numpy"] = numpy_engine(model, x, y, args.batch_size)
    kinds = ["numpy", "torch"] if torch is not None else ["numpy"]
    print(f"{load()} at the start")
    for train, _ in engines.values():  # warm-up
        train(3)
    rates = {key: [] for key in engines}
    latencies = {key: [] for key in engines}
    for round_ in range(args.rounds):
        for name in models:
            for kind in kinds if round_ % 2 == 0 else kinds[::-1]:
                time.sleep(args.pause)  # the other engine's threads go idle first
                train, predict = engines[name, kind]
                rates[name, kind].append(train(args.batches))
                latencies[name, kind].append(predict(100))

    print(f"{load()} at the end")
    print(f"batch {args.batch_size}, float32, {what}; numpy: {threads} worker threads x 1 BLAS "
          f"thread; torch {version if torch else '-'}: {threads} threads; {args.rounds} "
          f"alternating rounds x {args.batches} batches (medians)")
    header = (f"{'preset':<14}{'weights':>9}{'numpy /s':>11}{'torch /s':>11}{'ratio':>7}"
              f"{'numpy ms':>11}{'torch ms':>10}{'ratio':>7}")
    print("\n" + header + "\n" + "-" * len(header))
    for name, model in models.items():
        row = f"{display_name(name):<14}{model.count_params():>9,}"
        n_rate = statistics.median(rates[name, "numpy"])
        n_ms = statistics.median(latencies[name, "numpy"])
        if torch is None:
            print(f"{row}{n_rate:>11,.0f}{'':>18}{n_ms:>11.3f}")
            continue
        t_rate = statistics.median(rates[name, "torch"])
        t_ms = statistics.median(latencies[name, "torch"])
        # ratio per round first: both engines of a round saw the same load
        speed = statistics.median(a / b for a, b in zip(rates[name, "numpy"],
                                                        rates[name, "torch"], strict=True))
        lag = statistics.median(a / b for a, b in zip(latencies[name, "numpy"],
                                                      latencies[name, "torch"], strict=True))
        print(f"{row}{n_rate:>11,.0f}{t_rate:>11,.0f}{speed:>6.2f}x{n_ms:>11.3f}"
              f"{t_ms:>10.3f}{lag:>6.2f}x")
    print("\ntraining: samples/s (ratio > 1 favours numpy); predicting one digit: ms "
          "(ratio < 1 favours numpy)")


if __name__ == "__main__":
    main()
