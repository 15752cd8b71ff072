"""Train the model that ships in ``core/assets/tutorial_cnn.npz`` (the Draw tab's classifier).

Usage: ``python scripts/train_pretrained.py [--data ../shared/data/mnist]
[--pendigits ../shared/data/pendigits/pendigits-orig.tra.gz] [--epochs 20]``

The network is the tutorial CNN exactly, trained by nnviz's own engine on two sources:

* the 60,000 MNIST training digits. MNIST alone misreads many drawings made with a mouse
  or a pen, so every epoch sees freshly varied copies of half of them:
  geometry (rotation ±15°, shear ±15°, zoom ±12 %), stroke width (a random share is
  thickened or thinned), writing styles MNIST's American writers rarely show (7 with a
  crossbar, 1 with a flag and a foot, 4 open at the top), then every varied digit is
  normalised again exactly like a drawing (box to 20 px, centre of mass to the centre);
* real pen trajectories of the UCI "pendigits" writers (Alpaydin & Alimoglu), replayed as
  the Draw tab's canvas draws them (core.replay: the canvas's brush and anti-aliasing,
  strokes redrawn in proportion to the digit's size, the same preprocessing) at random
  sizes (10-95 % of the canvas) and positions, stroke widths 0.75-1.35 times the normal
  one and the same geometric variation. A pool of ``--pool`` renderings per trajectory is
  made once; every epoch draws ``--pen-per-epoch`` of them per trajectory.

The learning rate follows the tutorial (SGD 0.05, Nesterov momentum 0.9, decay 1e-6) and
is lowered for the last epochs. The MNIST test accuracy and what the model was trained on
are stored in the file's metadata, and with ``--figures`` / ``--teach-figures`` the
held-out figures of benchmarks/handwriting.py and benchmarks/teach.py (``--record-only``
adds them to an existing model). Runtime: 17 minutes measured on a 2-core machine
(31 minutes when the machine was shared with other heavy jobs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.augmentation import Augmenter  # noqa: E402
from core.data import as_network_input, load_dataset  # noqa: E402
from core.model import Sequential  # noqa: E402
from core.model_file import save_model  # noqa: E402
from core.models import tutorial_cnn  # noqa: E402
from core.pendigits import PenDigit, read_pendigits  # noqa: E402
from core.preprocess import to_mnist  # noqa: E402
from core.replay import Variation, replay  # noqa: E402

# the source tree's copy, which the next build puts in the wheel (nnviz.session.PRETRAINED_PATH)
OUT = Path(__file__).resolve().parents[1] / "core" / "assets" / "tutorial_cnn.npz"
ROWS, COLS = np.mgrid[0:28, 0:28].astype(np.float32)


def draw_segment(image: np.ndarray, p0, p1, width: float) -> None:
    """Add an anti-aliased line from p0 to p1 ((row, col) pixels) into a 28×28 image."""
    p0, p1 = np.asarray(p0, np.float32), np.asarray(p1, np.float32)
    d = p1 - p0
    length2 = float(d @ d) or 1e-6
    t = np.clip(((ROWS - p0[0]) * d[0] + (COLS - p0[1]) * d[1]) / length2, 0, 1)
    dist = np.hypot(ROWS - (p0[0] + t * d[0]), COLS - (p0[1] + t * d[1]))
    np.maximum(image, np.clip(width / 2 + 0.5 - dist, 0, 1), out=image)


def ink_rows_cols(image: np.ndarray):
    rows = np.flatnonzero(image.max(axis=1) > 0.3)
    cols = np.flatnonzero(image.max(axis=0) > 0.3)
    return rows, cols


def add_style(image: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray:
    """Give a digit a writing style that MNIST rarely has (in place, returns it)."""
    rows, cols = ink_rows_cols(image)
    if len(rows) < 5 or len(cols) < 2:
        return image
    top, bottom, left, right = rows[0], rows[-1], cols[0], cols[-1]
    width = rng.uniform(1.6, 2.6)
    if label == 7:  # crossbar through the stem, a little below the middle
        r = top + (bottom - top) * rng.uniform(0.45, 0.6)
        row_ink = np.flatnonzero(image[int(r)] > 0.3)
        c = row_ink.mean() if len(row_ink) else (left + right) / 2
        half = rng.uniform(2.5, 4.5)
        draw_segment(image, (r + rng.uniform(-1, 1), c - half), (r, c + half), width)
    elif label == 1:  # flag at the top, foot at the bottom
        top_ink = np.flatnonzero(image[top] > 0.3)
        c_top = top_ink.mean() if len(top_ink) else (left + right) / 2
        draw_segment(image, (top, c_top), (top + rng.uniform(3, 5), c_top - rng.uniform(3, 5)),
                     width)
        if rng.random() < 0.6:
            bottom_ink = np.flatnonzero(image[bottom] > 0.3)
            c_bot = bottom_ink.mean() if len(bottom_ink) else (left + right) / 2
            half = rng.uniform(2.5, 4)
            draw_segment(image, (bottom, c_bot - half), (bottom, c_bot + half), width)
    elif label == 4:  # open top: erase the ink joining the two top arms
        band = slice(top, top + max(2, (bottom - top) // 4))
        mid = (left + right) // 2
        image[band, max(mid - 1, 0) : mid + 2] *= 0.0
    return image


def vary_stroke(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Thicken (grey dilation) or thin (raise the ink threshold) a random share of images."""
    out = images.copy()
    choice = rng.random(len(images))
    thick = choice < 0.25
    if thick.any():
        x = out[thick]
        padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
        dilated = np.maximum.reduce([padded[:, 1 + dy : 29 + dy, 1 + dx : 29 + dx]
                                     for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                                     if abs(dy) + abs(dx) <= 1])
        out[thick] = 0.5 * x + 0.5 * dilated
    thin = choice > 0.8
    if thin.any():
        out[thin] = np.clip((out[thin] - 0.35) / 0.65, 0, 1)
    return out


def varied_epoch(x: np.ndarray, y: np.ndarray, rng: np.random.Generator,
                 augmenter: Augmenter) -> np.ndarray:
    """A copy of x (N, 28, 28) float32 with half the digits varied and re-normalised."""
    out = x.copy()
    chosen = np.flatnonzero(rng.random(len(x)) < 0.5)
    varied = vary_stroke(x[chosen], rng)
    for i, index in enumerate(chosen):
        if y[index] in (1, 4, 7) and rng.random() < 0.4:
            add_style(varied[i], int(y[index]), rng)
    varied = augmenter.random_geometry(varied[:, None])[:, 0]
    for i, index in enumerate(chosen):
        normalised = to_mnist(varied[i])
        if normalised is not None:
            out[index] = normalised
    return out


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PENDIGITS_CREDIT = ("UCI pendigits pen trajectories (E. Alpaydin, F. Alimoglu, Bogazici "
                    "University; UCI Machine Learning Repository, CC BY 4.0)")


def default_data() -> str | None:
    """The team's full MNIST beside the checkout, when it is there."""
    shared = SHARED / "mnist"
    return str(shared) if shared.is_dir() else None


def default_pendigits() -> str | None:
    """The pendigits trajectories beside the checkout, when they are there."""
    path = SHARED / "pendigits" / "pendigits-orig.tra.gz"
    return str(path) if path.is_file() else None


def _replay_chunk(args: tuple[list[PenDigit], int]) -> np.ndarray:
    digits, seed = args
    x, _ = replay(digits, np.random.default_rng(seed), Variation.training())
    return np.rint(x * 255.0).astype(np.uint8)


def render_pool(digits: list[PenDigit], copies: int, seed: int,
                workers: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """``copies`` varied renderings of every digit: x (copies, N, 28, 28) uint8, y (N,)."""
    chunks = [(digits[i:i + 250], seed * 100_003 + c * 1009 + i)
              for c in range(copies) for i in range(0, len(digits), 250)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(_replay_chunk, chunks))
    per_copy = -(-len(digits) // 250)
    x = np.stack([np.concatenate(parts[c * per_copy:(c + 1) * per_copy])
                  for c in range(copies)])
    return x, np.array([d.label for d in digits], dtype=np.int64)


def learning_rate(epoch: int, epochs: int) -> float:
    """0.05 (the tutorial's), then 0.015 for the second-to-last two epochs and 0.005 for
    the last two."""
    remaining = epochs - epoch
    return 0.05 if remaining > 4 else (0.015 if remaining > 2 else 0.005)


def train(mnist, pen: list[PenDigit], epochs: int = 20, seed: int = 0, pool: int = 10,
          pen_per_epoch: int = 2, log=print, model=None):
    """The shipped model's recipe; returns (model, MNIST test accuracy, minutes)."""
    rng = np.random.default_rng(seed)
    x = mnist.x_train.astype(np.float32) / 255.0
    y = mnist.y_train.astype(np.int64)
    x_test, y_test = as_network_input(mnist.x_test), mnist.y_test
    start = time.perf_counter()
    pen_x = pen_y = None
    if pen:
        pen_x, pen_y = render_pool(pen, pool, seed)
        log(f"rendered {pool} x {len(pen)} pen digits in {time.perf_counter() - start:.0f} s")
    augmenter = Augmenter(rotation_range=15, shear_range=15, zoom_range=0.12, seed=seed)
    model = model or tutorial_cnn(seed=seed)
    for epoch in range(epochs):
        model.optimizer.lr = learning_rate(epoch, epochs)
        t0 = time.perf_counter()
        parts_x, parts_y = [varied_epoch(x, y, rng, augmenter)], [y]
        if pen_x is not None:
            copy = rng.integers(0, len(pen_x), (pen_per_epoch, len(pen_y)))
            rows = np.arange(len(pen_y))
            parts_x += [pen_x[c, rows].astype(np.float32) / 255.0 for c in copy]
            parts_y += [pen_y] * pen_per_epoch
        x_epoch, y_epoch = np.concatenate(parts_x), np.concatenate(parts_y)
        t1 = time.perf_counter()
        history = model.fit(x_epoch[:, None], y_epoch, batch_size=100, epochs=1, verbose=0)
        test = model.evaluate(x_test, y_test)
        log(f"epoch {epoch + 1}/{epochs}: lr {model.optimizer.lr:g}, "
            f"train loss {history.history['loss'][0]:.4f} acc "
            f"{history.history['accuracy'][0]:.4f}, test acc {test['accuracy']:.4f} "
            f"(varying {t1 - t0:.1f}s, training {time.perf_counter() - t1:.1f}s)")
    test = model.evaluate(x_test, y_test)
    return model, test["accuracy"], (time.perf_counter() - start) / 60.0


def measured(handwriting: Path | None, teaching: Path | None) -> dict:
    """The held-out figures of benchmarks/handwriting.py (its results.json) and
    benchmarks/teach.py (its --out JSON), summarised for the model's metadata."""
    out: dict = {}
    if handwriting is not None:
        folds = json.loads(Path(handwriting).read_text())
        out["held_out_writers"] = {
            "protocol": "benchmarks/handwriting.py: 3 writer-disjoint folds of 10 writers, "
                        "trained on the other 20 with this recipe; every digit drawn once "
                        "large (40-90 % of the canvas) and once small (12-25 %)",
            "folds": [{"test_writers": f["test_writers"], "large": round(f["large"], 4),
                       "small": round(f["small"], 4), "mnist_test": f["mnist"]}
                      for f in folds],
        }
        for name in ("large", "small"):
            right = sum(f[name] * f[f"{name}_n"] for f in folds)
            out["held_out_writers"][name] = round(right / sum(f[f"{name}_n"] for f in folds), 4)
    if teaching is not None:
        rows = json.loads(Path(teaching).read_text())
        after = [r["after"] for r in rows]
        out["teach"] = {
            "protocol": "benchmarks/teach.py: each held-out writer, 3 drawings of each digit "
                        "taught to the fold model, the writer's other digits tested",
            "writers": len(rows), "median_before": round(float(np.median(
                [r["before"] for r in rows])), 4),
            "median_after": round(float(np.median(after)), 4),
            "worst_after": round(min(after), 4),
            "writers_at_99": sum(a >= 0.99 for a in after),
            "mnist_after_min": round(min(r["mnist_after"] for r in rows), 4),
            "seconds_median": float(np.median([r["seconds"] for r in rows])),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=default_data(),
                        help="MNIST folder or mnist.npz (default: ../shared/data/mnist beside "
                        "the checkout when present, else the usual places)")
    parser.add_argument("--pendigits", default=default_pendigits(),
                        help="pendigits-orig.tra(.gz) (default: ../shared/data/pendigits)")
    parser.add_argument("--writers", type=int, nargs="*", default=None,
                        help="pendigits writer ids to train on (default: all)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--pen-per-epoch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--figures", type=Path, default=None,
                        help="results.json of benchmarks/handwriting.py, recorded in the "
                        "metadata")
    parser.add_argument("--teach-figures", type=Path, default=None,
                        help="the --out JSON of benchmarks/teach.py, recorded in the metadata")
    parser.add_argument("--record-only", action="store_true",
                        help="train nothing: record --figures / --teach-figures in the "
                        "metadata of the model already at --out")
    args = parser.parse_args()
    if args.record_only:
        model = Sequential.load(args.out)
        model.metadata.update(measured(args.figures, args.teach_figures))
        save_model(model, args.out)
        print(f"recorded the measured figures in {args.out}")
        return

    data = load_dataset(args.data)
    if data.is_sample:
        raise SystemExit("full MNIST not found: pass --data or set NNVIZ_DATA")
    if not args.pendigits:
        raise SystemExit("pendigits trajectories not found: pass --pendigits")
    pen = read_pendigits(args.pendigits)
    if args.writers:
        pen = [d for d in pen if d.writer in set(args.writers)]
    writers = sorted({d.writer for d in pen})
    model, accuracy, minutes = train(data, pen, args.epochs, args.seed, args.pool,
                                     args.pen_per_epoch, log=lambda t: print(t, flush=True))
    metadata = {
        "test_accuracy": round(accuracy, 4),
        "trained_on": {
            "mnist": "MNIST 60,000 training digits (LeCun, Cortes, Burges; CC BY-SA 3.0) "
                     "with style/stroke/geometry variation",
            "pendigits": f"{len(pen)} digits of writers {writers[0]}-{writers[-1]} "
                         f"({len(writers)} writers) of the {PENDIGITS_CREDIT}, replayed on "
                         "the canvas",
        },
        "pendigits_writers": writers,
        "recipe": {"script": "scripts/train_pretrained.py", "epochs": args.epochs,
                   "seed": args.seed, "pool": args.pool, "pen_per_epoch": args.pen_per_epoch,
                   "stroke_width": "normalised to 15 % of the digit's size"},
        "minutes": round(minutes, 1),
        **measured(args.figures, args.teach_figures),
    }
    save_model(model, args.out, metadata=metadata)
    print(f"saved {args.out}: MNIST test accuracy {accuracy:.4f} ({minutes:.1f} min)")


if __name__ == "__main__":
    main()
