"""Real handwriting on the canvas, measured on writers the model never saw.

Run: ``python benchmarks/handwriting.py [--folds 3] [--epochs 20] [--out DIR]``
(about 15 minutes a fold on 2 cores).

The 30 pendigits writers are split into writer-disjoint folds (1-10, 11-20, 21-30). For
each fold the shipped model's recipe (scripts/train_pretrained.py: MNIST plus the real
strokes of the other 20 writers) trains a model; then every digit of the fold's own 10
writers is replayed on the canvas (core.replay: the canvas's brush, the Draw tab's
preprocessing) once at a large size (40-90 % of the canvas) and once at a small one
(12-25 %), at a random position, and classified. Printed: the read rate per fold, large
and small, overall, and the MNIST test accuracy of each fold model. The fold models are
saved in ``--out`` with the figures (``results.json``, merged with the folds of earlier
runs there, so folds can run one at a time with ``--only``; for benchmarks/teach.py).
``--baseline MODEL`` measures a model file on all 30 writers instead (writers it never saw).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data import load_dataset  # noqa: E402
from core.model import Sequential  # noqa: E402
from core.pendigits import read_pendigits  # noqa: E402
from core.replay import LARGE, SMALL, Variation, by_writer, replay, writer_folds  # noqa: E402
from scripts.train_pretrained import default_data, default_pendigits, train  # noqa: E402


def read_rates(model, digits, seed: int) -> dict[str, float]:
    """Share of ``digits`` read right, replayed large and small (and per class misses)."""
    out = {}
    for name, sizes in (("large", LARGE), ("small", SMALL)):
        x, y = replay(digits, np.random.default_rng(seed), Variation(sizes=sizes))
        predicted = model.predict(x[:, None]).argmax(axis=1)
        out[name] = float(np.mean(predicted == y))
        out[f"{name}_n"] = len(y)
        confusions = {}
        for t, p in zip(y[predicted != y], predicted[predicted != y], strict=True):
            key = f"{int(t)}->{int(p)}"
            confusions[key] = confusions.get(key, 0) + 1
        out[f"{name}_misses"] = dict(sorted(confusions.items(), key=lambda kv: -kv[1])[:6])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=default_data())
    parser.add_argument("--pendigits", default=default_pendigits())
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--only", type=int, nargs="*", default=None,
                        help="run only these folds (1-based)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--pen-per-epoch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/handwriting"))
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    pen = read_pendigits(args.pendigits)
    writers = sorted({d.writer for d in pen})
    if args.baseline is not None:
        rates = read_rates(Sequential.load(args.baseline), pen, seed=1)
        print(json.dumps({"model": str(args.baseline), "writers": writers, **rates}, indent=1))
        return
    mnist = load_dataset(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    saved = args.out / "results.json"
    earlier = json.loads(saved.read_text()) if saved.exists() else []
    results = [r for r in earlier if not args.only or r["fold"] not in args.only]
    for k, test_writers in enumerate(writer_folds(writers, args.folds), start=1):
        if args.only and k not in args.only:
            continue
        train_digits = [d for d in pen if d.writer not in set(test_writers)]
        model, mnist_accuracy, minutes = train(
            mnist, train_digits, args.epochs, args.seed, args.pool, args.pen_per_epoch,
            log=lambda text, k=k: print(f"fold {k}: {text}", flush=True))
        model.save(args.out / f"fold{k}.npz", metadata={
            "test_writers": test_writers, "mnist_test_accuracy": round(mnist_accuracy, 4)})
        rates = read_rates(model, by_writer(pen, test_writers), seed=100 + k)
        result = {"fold": k, "test_writers": test_writers, "mnist": mnist_accuracy,
                  "minutes": round(minutes, 1), **rates}
        results.append(result)
        print(json.dumps(result), flush=True)
    results.sort(key=lambda r: r["fold"])
    with open(saved, "w") as handle:
        json.dump(results, handle, indent=1)
    for name in ("large", "small"):
        right = sum(r[name] * r[f"{name}_n"] for r in results)
        total = sum(r[f"{name}_n"] for r in results)
        print(f"{name}: " + ", ".join(f"fold {r['fold']} {r[name]:.2%}" for r in results)
              + f"; overall {right / total:.2%} of {total}")
    print("MNIST test: " + ", ".join(f"fold {r['fold']} {r['mnist']:.2%}" for r in results))


if __name__ == "__main__":
    main()
