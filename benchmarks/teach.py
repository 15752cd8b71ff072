"""Teach, measured on writers the model never saw: 3 labelled digits of each kind, then
how many of the same person's other digits are read right.

Run: ``python benchmarks/teach.py [--folds DIR] [--writers 1 2 ...]`` (about 20 s a writer
on 2 cores) after ``benchmarks/handwriting.py`` has saved its fold models in DIR.

For every writer of a fold, with that fold's model (trained without the fold's writers):
all their digits are replayed on the canvas (core.replay, at random large and small sizes
and positions, as a user would draw them); 3 of each digit form the teach set (the
personal digits), the rest (about 220) the test. core.teach runs exactly as the Teach
button runs it (the default TeachConfig, MNIST training digits to mix in); printed per
writer: the read rate before → after, the MNIST test accuracy (10,000 digits) before →
after and the seconds teaching took; then the median and the worst writer.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data import load_dataset  # noqa: E402
from core.model import Sequential  # noqa: E402
from core.pendigits import read_pendigits  # noqa: E402
from core.replay import Variation, by_writer, replay  # noqa: E402
from core.teach import TeachConfig, accuracy, teach  # noqa: E402
from scripts.train_pretrained import default_data, default_pendigits  # noqa: E402

PER_DIGIT = 3


def writer_inputs(digits, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The writer's digits drawn on the canvas, each at a random size (12-90 %)."""
    return replay(digits, np.random.default_rng(seed), Variation(sizes=(0.12, 0.9)))


def split(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(teach, test) indices: ``PER_DIGIT`` random digits of each class to teach."""
    taught = np.concatenate([rng.permutation(np.flatnonzero(y == k))[:PER_DIGIT]
                             for k in range(10)])
    return np.sort(taught), np.setdiff1d(np.arange(len(y)), taught)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=default_data())
    parser.add_argument("--pendigits", default=default_pendigits())
    parser.add_argument("--folds", type=Path, default=Path("benchmarks/out/handwriting"))
    parser.add_argument("--writers", type=int, nargs="*", default=None)
    parser.add_argument("--steps", type=int, default=None, help="override TeachConfig.steps")
    parser.add_argument("--lr", type=float, default=None, help="override TeachConfig.lr")
    parser.add_argument("--share", type=float, default=None,
                        help="override TeachConfig.personal_share")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args()
    config = TeachConfig()
    if args.steps is not None:
        config = TeachConfig(**{**config.__dict__, "steps": args.steps})
    if args.lr is not None:
        config = TeachConfig(**{**config.__dict__, "lr": args.lr})
    if args.share is not None:
        config = TeachConfig(**{**config.__dict__, "personal_share": args.share})
    mnist = load_dataset(args.data)
    pen = read_pendigits(args.pendigits)
    rows = []
    for path in sorted(args.folds.glob("fold*.npz")):
        model = Sequential.load(path)
        mnist_before = accuracy(model, mnist.x_test, mnist.y_test)
        for writer in model.metadata["test_writers"]:
            if args.writers and writer not in args.writers:
                continue
            x, y = writer_inputs(by_writer(pen, [writer]), seed=writer)
            taught, test = split(y, np.random.default_rng(writer))
            start = time.perf_counter()
            result = teach(model, x[taught], y[taught], mnist.x_train, mnist.y_train,
                           config=config, seed=writer)
            seconds = time.perf_counter() - start
            row = {"writer": writer, "fold": path.stem, "test_digits": int(len(test)),
                   "before": accuracy(model, x[test], y[test]),
                   "after": accuracy(result.model, x[test], y[test]),
                   "mnist_before": mnist_before,
                   "mnist_after": accuracy(result.model, mnist.x_test, mnist.y_test),
                   "seconds": round(seconds, 1)}
            rows.append(row)
            print(f"writer {writer:2d} ({path.stem}): {row['before']:.1%} -> {row['after']:.1%} "
                  f"of {len(test)}; MNIST {mnist_before:.2%} -> {row['mnist_after']:.2%}; "
                  f"{seconds:.1f} s", flush=True)
    after = np.array([r["after"] for r in rows])
    before = np.array([r["before"] for r in rows])
    worst = rows[int(np.argmin(after))]
    print(f"{len(rows)} writers: median {np.median(before):.1%} -> {np.median(after):.1%}; "
          f"worst after: writer {worst['writer']} {worst['before']:.1%} -> {worst['after']:.1%}; "
          f"writers at >= 99 %: {int(np.sum(after >= 0.99))}; MNIST after: min "
          f"{min(r['mnist_after'] for r in rows):.2%}; teaching took a median "
          f"{np.median([r['seconds'] for r in rows]):.1f} s (max "
          f"{max(r['seconds'] for r in rows):.1f} s)")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
