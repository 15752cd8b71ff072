"""Pen strokes as polylines, and a renderer that paints them as the Draw tab's canvas does.

A drawing is a sequence of :class:`Stroke` s: points (n, 2) as (x, y) in unit
coordinates of the square canvas (0..1, x to the right, y downwards), a brush diameter as
a fraction of the side, and whether it erases. :func:`render` paints them into a
(resolution, resolution) float32 image in [0, 1] (ink = 1) exactly as the canvas's
QPainter does: a round dot at the first point, then one round-capped line per segment,
each composited "source over" with anti-aliased coverage. Because every piece is drawn in
one colour, the compositing is a product and does not depend on the order of the pieces:

    ink:    1 - out = (1 - before) · Π_k (1 - α_k)
    eraser:     out =      before  · Π_k (1 - α_k)

where α_k is the share of a pixel that piece k covers, approximated from the distance d
of the pixel's centre to the piece's axis: α = clip(r + ½ - d, 0, 1) for a pen of radius r.

:func:`normalised_width` is the brush the model's input is drawn with: a fixed share of
the digit's own size (the longer side of its points' bounding box), as MNIST's strokes
are a fixed share of the 20-px box whatever size the digit was written at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

STROKE_RATIO = 0.15
"""Brush diameter of the model's input as a share of the digit's size (the longer side of
the bounding box of its points). MNIST digits fill a 20-px box with strokes about 2-3 px
wide; 0.15 of the point extent gives about 2.6 px of the 20-px ink box."""
MIN_WIDTH_PX = 1.0
"""The canvas never paints a pen thinner than one pixel."""


@dataclass(frozen=True)
class Stroke:
    """One press-to-release polyline: ``points`` (n, 2) float as (x, y) in unit
    coordinates, ``width`` the brush diameter as a fraction of the canvas side."""

    points: np.ndarray
    width: float
    erase: bool = False

    def __post_init__(self) -> None:
        points = np.asarray(self.points, dtype=np.float64).reshape(-1, 2)
        if len(points) == 0:
            raise ValueError("a stroke needs at least one point")
        if not np.all(np.isfinite(points)):
            raise ValueError("stroke points must be finite numbers")
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "width", float(self.width))

    def with_width(self, width: float) -> Stroke:
        return Stroke(self.points, width, self.erase)


def ink_extent(strokes: Sequence[Stroke]) -> float:
    """The digit's size: the longer side of the bounding box of the ink strokes' points
    (unit coordinates; 0 for dots only or no ink)."""
    ink = [s.points for s in strokes if not s.erase]
    if not ink:
        return 0.0
    points = np.concatenate(ink)
    return float(np.max(points.max(axis=0) - points.min(axis=0)))


def normalised_width(strokes: Sequence[Stroke], ratio: float = STROKE_RATIO) -> float:
    """The brush diameter (fraction of the canvas side) for the model's input:
    ``ratio`` × :func:`ink_extent` — the digit's strokes in proportion to its size."""
    return ratio * ink_extent(strokes)


def with_normalised_width(strokes: Sequence[Stroke], ratio: float = STROKE_RATIO,
                          ) -> list[Stroke]:
    """The same strokes redrawn at :func:`normalised_width`: every ink stroke gets that
    width; an eraser stroke is scaled by the same factor as the ink (target / mean ink
    width), so it still removes what it removed on the canvas."""
    target = normalised_width(strokes, ratio)
    ink_widths = [s.width for s in strokes if not s.erase]
    if not ink_widths or target <= 0.0:
        return list(strokes)
    factor = target / float(np.mean(ink_widths))
    return [s.with_width(s.width * factor if s.erase else target) for s in strokes]


def _pieces(stroke: Stroke, side: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points (k, 2) in pixels of the stroke's pieces: the dot at the first
    point (a zero-length piece), then every segment."""
    p = stroke.points * side
    starts = np.concatenate([p[:1], p[:-1]])
    ends = np.concatenate([p[:1], p[1:]])
    return starts, ends


def _log_transmittance(starts: np.ndarray, ends: np.ndarray, radius: float,
                       resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """Σ_k log(1 - α_k) for the pixels the pieces touch: (flat pixel indices, sums).

    Each piece is evaluated on a square window around it. Pieces are sorted by the window
    they need and evaluated in vectorised chunks that share one window size, so a long
    segment does not inflate the windows of the short ones.
    """
    reach = radius + 1.0
    lo = np.floor(np.minimum(starts, ends) - reach).astype(np.int64)
    hi = np.ceil(np.maximum(starts, ends) + reach).astype(np.int64)
    need = np.max(hi - lo, axis=1) + 1
    order = np.argsort(need, kind="stable")
    starts = starts.astype(np.float32)[order]
    ends = ends.astype(np.float32)[order]
    lo, need = lo[order], need[order]
    r_half = np.float32(radius + 0.5)
    indices, sums = [], []
    c = 0
    while c < len(order):
        # as many pieces as fit in about 200k window pixels at the largest window among them
        stop = c + 1
        while stop < len(order) and (stop + 1 - c) * int(need[stop]) ** 2 <= 200_000:
            stop += 1
        size = int(need[stop - 1])
        offsets = np.arange(size)
        a, b, origin = starts[c:stop], ends[c:stop], lo[c:stop]
        c = stop
        # pixel indices of each window: x (k, 1, size), y (k, size, 1)
        cx = (origin[:, 0, None] + offsets)[:, None, :]
        cy = (origin[:, 1, None] + offsets)[:, :, None]
        px = cx.astype(np.float32) + np.float32(0.5)  # pixel centres
        py = cy.astype(np.float32) + np.float32(0.5)
        d = b - a
        length2 = np.maximum((d * d).sum(axis=1), np.float32(1e-12))[:, None, None]
        ax, ay = a[:, 0, None, None], a[:, 1, None, None]
        dx_, dy_ = d[:, 0, None, None], d[:, 1, None, None]
        t = ((px - ax) * dx_ + (py - ay) * dy_) / length2
        np.clip(t, 0.0, 1.0, out=t)
        ex = px - (ax + t * dx_)
        ey = py - (ay + t * dy_)
        alpha = r_half - np.sqrt(ex * ex + ey * ey)
        inside = (alpha > 0) & (cx >= 0) & (cx < resolution) & (cy >= 0) & (cy < resolution)
        indices.append(np.broadcast_to(cy * resolution + cx, alpha.shape)[inside])
        sums.append(np.log1p(-np.minimum(alpha[inside], np.float32(1.0 - 1e-6))))
    return np.concatenate(indices), np.concatenate(sums)


def render(strokes: Sequence[Stroke], resolution: int = 280) -> np.ndarray:
    """Paint ``strokes`` as the canvas does: (resolution, resolution) float32 in [0, 1],
    ink = 1 (see the module docstring for the compositing)."""
    resolution = int(resolution)
    if resolution <= 0:
        raise ValueError(f"resolution must be positive, got {resolution}")
    flat = np.zeros(resolution * resolution, dtype=np.float64)  # ink, as 1 - transmittance
    for stroke in strokes:
        radius = max(stroke.width * resolution, MIN_WIDTH_PX) / 2.0
        starts, ends = _pieces(stroke, float(resolution))
        index, log_t = _log_transmittance(starts, ends, radius, resolution)
        if index.size == 0:
            continue
        transmittance = np.exp(np.bincount(index, log_t, minlength=flat.size))
        if stroke.erase:
            flat *= transmittance
        else:
            flat = 1.0 - (1.0 - flat) * transmittance
    image = flat.reshape(resolution, resolution)
    image[image > 1.0 - 1e-5] = 1.0  # full coverage (the log of 0 is clamped above)
    image[image < 1e-5] = 0.0
    return image.astype(np.float32)


SPACING = 0.25
"""Redrawn strokes keep a point only this far (in brush diameters) from the last one kept."""


def thinned(stroke: Stroke, spacing: float) -> Stroke:
    """The stroke without points closer than ``spacing`` (unit coordinates) to the last
    point kept (the last point always stays). A mouse reports a point every few pixels;
    for a wide brush most of them change nothing but the cost: on a curve of radius ρ the
    path moves by at most spacing² / (8ρ)."""
    points = stroke.points
    if len(points) <= 2 or spacing <= 0.0:
        return stroke
    keep = [0]
    for i in range(1, len(points) - 1):
        if np.hypot(*(points[i] - points[keep[-1]])) >= spacing:
            keep.append(i)
    keep.append(len(points) - 1)
    return Stroke(points[keep], stroke.width, stroke.erase)


def drawing_image(strokes: Sequence[Stroke], normalise: bool = True,
                  ratio: float = STROKE_RATIO, resolution: int = 280) -> np.ndarray:
    """The image the model's input is made from: the strokes redrawn at
    :func:`normalised_width` (``normalise``; points :func:`thinned` to a quarter of that
    width apart) or at their own widths (then exactly the canvas's pixels),
    (resolution, resolution) float32."""
    if not normalise:
        return render(strokes, resolution)
    redrawn = with_normalised_width(strokes, ratio)
    return render([thinned(s, SPACING * s.width) for s in redrawn], resolution)
