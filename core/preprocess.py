"""Turn a drawing into an MNIST-style 28x28 input, the way MNIST itself was made.

The recipe (LeCun et al.): crop the drawing to the bounding box of its ink, scale the
box so its longer side is 20 px (keeping the aspect ratio; area averaging gives the grey
anti-aliased edges), then place it in a 28x28 frame so that the intensity-weighted
centre of mass sits at the centre of the frame (pixel index 14, as measured on MNIST).
Pixels are float32 in [0, 1] with ink = 1 and background = 0, the model's ``x / 255``.

Each step can be switched off to show why it matters:

- ``crop=False``: the whole image counts as the box, so a small digit stays small.
- ``scale=False``: the box is shrunk by the plain image-to-28 factor instead of being
  fitted to 20 px, so the digit keeps the size it had on the canvas.
- ``center=False``: the box keeps the relative position it had in the image.

Everything is vectorised: resampling is two small matrix products.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.strokes import STROKE_RATIO, Stroke, drawing_image

FRAME = 28
"""Side of the model input in pixels."""
BOX = 20
"""Side of the box the digit's longer side is fitted to."""
CENTER = 14.0
"""Row / column index the centre of mass is moved to (MNIST's mean is 14.0, 14.0)."""
INK_THRESHOLD = 0.05
"""Pixels brighter than this count as ink for the bounding box."""


def _as_float_image(image: np.ndarray) -> np.ndarray:
    """Validate a 2-D image and return it as float32 in [0, 1] (uint8 is divided by 255)."""
    image = np.asarray(image)
    if image.ndim != 2 or image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"expected a 2-D (H, W) image, got an array of shape {image.shape}")
    if image.dtype == np.uint8:
        return image.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(image.dtype, np.number) or np.issubdtype(image.dtype, np.complexfloating):
        raise ValueError(f"expected a numeric image, got dtype {image.dtype}")
    out = np.asarray(image, dtype=np.float32)
    out = np.nan_to_num(out, nan=0.0, posinf=1.0, neginf=0.0)
    return np.clip(out, 0.0, 1.0)


def area_matrix(n_in: int, scale: float, n_out: int) -> np.ndarray:
    """Area-averaging resampling matrix of shape (n_out, n_in) for one axis.

    Output pixel ``i`` covers the source interval [i / scale, (i + 1) / scale); its value
    is the mean of the source pixels weighted by how much of each lies in that interval.
    Parts of the interval beyond the source count as background, so the last output
    pixel may be partly covered (that keeps the scale exact). For ``scale > 1`` this is
    box upsampling.
    """
    lo = np.arange(n_out, dtype=np.float64)[:, None] / scale
    hi = lo + 1.0 / scale
    j = np.arange(n_in, dtype=np.float64)[None, :]
    overlap = np.clip(np.minimum(hi, j + 1.0) - np.maximum(lo, j), 0.0, None)
    return (overlap * scale).astype(np.float32)


def resample(image: np.ndarray, scale: float) -> np.ndarray:
    """Resize an (h, w) image by ``scale`` with area averaging, keeping the aspect ratio.

    Returns an array of shape (ceil(h * scale), ceil(w * scale)), float32.
    """
    h, w = image.shape
    out_h = max(1, math.ceil(h * scale - 1e-6))
    out_w = max(1, math.ceil(w * scale - 1e-6))
    rows = area_matrix(h, scale, out_h)
    cols = area_matrix(w, scale, out_w)
    return rows @ image.astype(np.float32, copy=False) @ cols.T


def ink_bbox(
    image: np.ndarray, threshold: float = INK_THRESHOLD
) -> tuple[int, int, int, int] | None:
    """Bounding box (top, bottom, left, right) of pixels above ``threshold``, end-exclusive.

    ``image`` is (H, W) float in [0, 1]. Returns None when no pixel is above the threshold.
    """
    ink = image > threshold
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Intensity-weighted centre (row, col) of an (h, w) image in pixel-index coordinates."""
    total = float(image.sum())
    if total <= 0.0:
        h, w = image.shape
        return (h - 1) / 2.0, (w - 1) / 2.0
    row = float(image.sum(axis=1) @ np.arange(image.shape[0], dtype=np.float32)) / total
    col = float(image.sum(axis=0) @ np.arange(image.shape[1], dtype=np.float32)) / total
    return row, col


def is_nearly_empty(
    image: np.ndarray,
    bbox: tuple[int, int, int, int] | None,
    min_ink: float,
    min_extent: float,
) -> bool:
    """True when there is too little ink to be a digit.

    Too little means: no ink at all, a summed intensity below ``min_ink`` times the image
    area, or a bounding box whose longer side is below ``min_extent`` times the image's
    longer side (a dot or a tiny scribble).
    """
    if bbox is None:
        return True
    h, w = image.shape
    if float(image.sum()) < min_ink * h * w:
        return True
    top, bottom, left, right = bbox
    return max(bottom - top, right - left) < min_extent * max(h, w)


def stages(
    image: np.ndarray,
    crop: bool = True,
    scale: bool = True,
    center: bool = True,
    *,
    min_ink: float = 0.001,
    min_extent: float = 0.08,
) -> dict:
    """Run the MNIST recipe and return every intermediate, for display and for tests.

    Parameters
    ----------
    image : (H, W) array, float in [0, 1] (ink = 1) or uint8 (ink = 255).
    crop, scale, center : switch the three steps on or off (see the module docstring).
    min_ink, min_extent : thresholds of :func:`is_nearly_empty`.

    Returns a dict with

    - ``raw``: the (H, W) float32 input;
    - ``bbox``: (top, bottom, left, right) of the region used, end-exclusive (the ink box,
      or the whole image when ``crop`` is off);
    - ``box``: that (h, w) region of ``raw``;
    - ``scale``: the resampling factor;
    - ``scaled``: the resampled box with its peak at 1 (at most 20x20 when ``scale`` is
      on, up to 28x28 when it is off);
    - ``offset``: (row, col) of its top-left corner in the frame;
    - ``com``: the centre of mass (row, col) in the final frame;
    - ``input``: the (28, 28) float32 model input;
    - ``empty``: True when there is too little ink; then every entry but ``raw`` is None.
    """
    raw = _as_float_image(image)
    height, width = raw.shape
    ink_box = ink_bbox(raw)
    result: dict = {
        "raw": raw,
        "bbox": None,
        "box": None,
        "scale": None,
        "scaled": None,
        "offset": None,
        "com": None,
        "input": None,
        "empty": True,
    }
    if is_nearly_empty(raw, ink_box, min_ink, min_extent):
        return result

    top, bottom, left, right = ink_box if crop else (0, height, 0, width)
    box = raw[top:bottom, left:right]
    side = max(height, width)
    factor = BOX / max(box.shape) if scale else FRAME / side
    scaled = resample(box, factor)
    scaled = scaled[:FRAME, :FRAME]  # by construction at most 28 px; guard rounding anyway
    peak = float(scaled.max())
    if peak > 0.0:
        # MNIST strokes are saturated at 255; a thin brush shrunk by area averaging
        # would otherwise come out grey.
        scaled = scaled / np.float32(peak)

    sh, sw = scaled.shape
    if center:
        com_row, com_col = center_of_mass(scaled)
        row = round(CENTER - com_row)
        col = round(CENTER - com_col)
    else:
        # Keep the box where it was: the image, shrunk by FRAME / side, sits centred in
        # the frame and the box's centre keeps its place in it.
        to_frame = FRAME / side
        row = round(FRAME / 2.0 + ((top + bottom) - height) / 2.0 * to_frame - sh / 2.0)
        col = round(FRAME / 2.0 + ((left + right) - width) / 2.0 * to_frame - sw / 2.0)
    row = min(max(row, 0), FRAME - sh)
    col = min(max(col, 0), FRAME - sw)

    frame = np.zeros((FRAME, FRAME), dtype=np.float32)
    frame[row : row + sh, col : col + sw] = scaled
    np.clip(frame, 0.0, 1.0, out=frame)
    result.update(
        bbox=(top, bottom, left, right),
        box=box,
        scale=factor,
        scaled=scaled,
        offset=(row, col),
        com=center_of_mass(frame),
        input=frame,
        empty=False,
    )
    return result


def to_mnist(
    image: np.ndarray,
    crop: bool = True,
    scale: bool = True,
    center: bool = True,
    *,
    min_ink: float = 0.001,
    min_extent: float = 0.08,
) -> np.ndarray | None:
    """Preprocess a drawing into the (28, 28) float32 input the model sees.

    ``image`` is (H, W), float in [0, 1] or uint8. Returns None when there is no ink or
    too little to be a digit (see :func:`is_nearly_empty`), so callers never classify an
    empty canvas. See :func:`stages` for the steps and the switches.
    """
    return stages(image, crop, scale, center, min_ink=min_ink, min_extent=min_extent)["input"]


def drawing_input(
    strokes: Sequence[Stroke],
    normalise: bool = True,
    ratio: float = STROKE_RATIO,
    resolution: int = 280,
    *,
    min_extent: float = 0.0,
) -> np.ndarray | None:
    """The (28, 28) float32 input of a canvas drawing given as strokes, exactly as the
    Draw tab makes it with every step on: :func:`core.strokes.drawing_image` (strokes
    redrawn in proportion to the digit's size when ``normalise``), then :func:`to_mnist`.
    None when there is too little ink (see :func:`is_nearly_empty`)."""
    image = drawing_image(strokes, normalise, ratio, resolution)
    return to_mnist(image, min_extent=min_extent)
