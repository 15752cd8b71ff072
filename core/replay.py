"""Replay real pen trajectories as drawings on the canvas: random size, position, brush
and slant, then the Draw tab's own preprocessing, giving MNIST-style 28×28 inputs.

Each replayed digit goes through exactly the pipeline of a digit drawn on the canvas:
its strokes are placed on the unit canvas (:func:`core.pendigits.placed`), redrawn at the
normalised stroke width when that step is on, painted by :func:`core.strokes.render` (the
canvas's pixels) and turned into the input by :func:`core.preprocess.drawing_input`.
The geometric variation is the one training uses for MNIST digits: rotation, shear and a
zoom per axis, applied to the points themselves (exact, no resampling blur).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.pendigits import PenDigit, placed
from core.preprocess import drawing_input
from core.strokes import STROKE_RATIO

CANVAS_BRUSH = 0.09
"""The canvas's default brush diameter (fraction of its side)."""
LARGE = (0.4, 0.9)
"""Digit sizes (longer side, share of the canvas) of a digit drawn large."""
SMALL = (0.12, 0.25)
"""Digit sizes of a digit drawn small."""


@dataclass(frozen=True)
class Variation:
    """How replayed digits vary: sizes (share of the canvas), rotation and shear (degrees),
    zoom per axis (fraction), and the stroke ratio's spread (factor range)."""

    sizes: tuple[float, float] = (0.12, 0.9)
    rotation: float = 0.0
    shear: float = 0.0
    zoom: float = 0.0
    ratio_range: tuple[float, float] = (1.0, 1.0)

    @classmethod
    def training(cls) -> Variation:
        """The variation of the shipped model's training: rotation ±15°, shear ±15°,
        zoom ±12 % per axis (as for its MNIST digits), any size from 10 to 95 % of the
        canvas, strokes from 0.75 to 1.35 times the normal width."""
        return cls(sizes=(0.10, 0.95), rotation=15.0, shear=15.0, zoom=0.12,
                   ratio_range=(0.75, 1.35))


def random_transform(rng: np.random.Generator, variation: Variation) -> np.ndarray:
    """A (2, 2) matrix acting on (x, y): zoom per axis, then shear, then rotation."""
    theta = np.deg2rad(rng.uniform(-variation.rotation, variation.rotation))
    shear = np.deg2rad(rng.uniform(-variation.shear, variation.shear))
    zx, zy = rng.uniform(1 - variation.zoom, 1 + variation.zoom, 2)
    c, s = np.cos(theta), np.sin(theta)
    rotate = np.array([[c, -s], [s, c]])
    slant = np.array([[1.0, np.tan(shear)], [0.0, 1.0]])
    return rotate @ slant @ np.diag([zx, zy])


def random_center(rng: np.random.Generator, size: float, brush: float) -> tuple[float, float]:
    """A centre that keeps a digit of ``size`` (and its brush) inside the canvas."""
    margin = min(size / 2.0 + brush / 2.0 + 0.01, 0.5)
    return tuple(rng.uniform(margin, 1.0 - margin, 2))


def replay(digits: Sequence[PenDigit], rng: np.random.Generator,
           variation: Variation | None = None, normalise: bool = True,
           brush: float = CANVAS_BRUSH, resolution: int = 280,
           ) -> tuple[np.ndarray, np.ndarray]:
    """Draw every digit once on a fresh canvas: x (N, 28, 28) float32 in [0, 1], y (N,) int64.

    Sizes are uniform in ``variation.sizes``; a digit the preprocessing finds empty (it
    cannot happen for real digits at these sizes) comes out as a blank input.
    """
    variation = variation or Variation()
    x = np.zeros((len(digits), 28, 28), dtype=np.float32)
    y = np.array([d.label for d in digits], dtype=np.int64)
    for i, digit in enumerate(digits):
        size = rng.uniform(*variation.sizes)
        transform = random_transform(rng, variation)
        strokes = placed(digit, size, random_center(rng, size, brush), brush, transform)
        ratio = STROKE_RATIO * rng.uniform(*variation.ratio_range)
        image = drawing_input(strokes, normalise=normalise, ratio=ratio, resolution=resolution)
        if image is not None:
            x[i] = image
    return x, y


def by_writer(digits: Sequence[PenDigit], writers: Sequence[int]) -> list[PenDigit]:
    """The digits written by ``writers``, in their original order."""
    wanted = set(int(w) for w in writers)
    return [d for d in digits if d.writer in wanted]


def writer_folds(writers: Sequence[int], folds: int = 3) -> list[list[int]]:
    """Split writer ids into ``folds`` disjoint groups of consecutive ids (1-10, 11-20, …)."""
    ordered = sorted(set(int(w) for w in writers))
    return [[int(w) for w in part] for part in np.array_split(ordered, folds)]
