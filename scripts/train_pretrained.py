"""Train the model that ships in ``core/assets/tutorial_cnn.npz`` (the Draw tab's classifier).

Usage: ``python scripts/train_pretrained.py [--data ../shared/data/mnist] [--epochs 20]``

The network is the tutorial CNN exactly, trained by nnviz's own engine on the
60,000 MNIST training digits. MNIST alone misreads many drawings made with a mouse or a
pen, so every epoch sees freshly varied copies of the digits:

* geometry: rotation ±15°, shear ±15°, zoom ±12 % (slant and proportions vary by hand);
* stroke width: a random share is thickened or thinned (a canvas brush is not a pen);
* writing styles MNIST (American writers) rarely shows: 7 with a crossbar, 1 with a flag
  and a foot, and 4 drawn open at the top;
* then every varied digit is normalised again exactly like a drawing is
  (core.preprocess.to_mnist: box to 20 px, centre of mass to the centre).

Half of each epoch is the untouched digits, so MNIST accuracy itself is kept. The
learning rate follows the tutorial (SGD 0.05, Nesterov momentum 0.9, decay 1e-6) and is
lowered for the last epochs. Test accuracy on the 10,000 MNIST test digits is stored in
the file's metadata and printed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from core.augmentation import Augmenter
from core.data import as_network_input, load_dataset
from core.model_file import save_model
from core.models import tutorial_cnn
from core.preprocess import to_mnist

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


def default_data() -> str | None:
    """The team's full MNIST beside the checkout, when it is there."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    return str(shared) if shared.is_dir() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=default_data(),
                        help="MNIST folder or mnist.npz (default: ../shared/data/mnist beside "
                        "the checkout when present, else the usual places)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    data = load_dataset(args.data)
    if data.is_sample:
        raise SystemExit("full MNIST not found: pass --data or set NNVIZ_DATA")
    rng = np.random.default_rng(args.seed)
    x = data.x_train.astype(np.float32) / 255.0
    y = data.y_train.astype(np.int64)
    x_test, y_test = as_network_input(data.x_test), data.y_test
    augmenter = Augmenter(rotation_range=15, shear_range=15, zoom_range=0.12, seed=args.seed)
    model = tutorial_cnn(seed=args.seed)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        remaining = args.epochs - epoch
        model.optimizer.lr = 0.05 if remaining > 4 else (0.015 if remaining > 2 else 0.005)
        t0 = time.perf_counter()
        x_epoch = varied_epoch(x, y, rng, augmenter)
        t1 = time.perf_counter()
        history = model.fit(x_epoch[:, None], y, batch_size=100, epochs=1, verbose=0)
        test = model.evaluate(x_test, y_test)
        print(f"epoch {epoch + 1}/{args.epochs}: lr {model.optimizer.lr:g}, "
              f"train loss {history.history['loss'][0]:.4f} acc "
              f"{history.history['accuracy'][0]:.4f}, test acc {test['accuracy']:.4f} "
              f"(varying {t1 - t0:.1f}s, training {time.perf_counter() - t1:.1f}s)", flush=True)
    test = model.evaluate(x_test, y_test)
    save_model(model, args.out, metadata={
        "test_accuracy": round(test["accuracy"], 4),
        "trained_on": "MNIST 60,000 training digits with style/stroke/geometry variation",
        "recipe": "scripts/train_pretrained.py", "epochs": args.epochs, "seed": args.seed,
        "minutes": round((time.perf_counter() - start) / 60, 1)})
    print(f"saved {args.out}: MNIST test accuracy {test['accuracy']:.4f}")


if __name__ == "__main__":
    main()
