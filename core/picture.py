"""Any picture of a digit as a drawing: find the ink, whichever way round it is.

A photo or scan is grey levels (H, W) in [0, 1]. MNIST's digits are light ink on a dark
ground, so :func:`picture_ink` first decides which is the paper: the median of the
picture's border (a digit rarely touches the edge). Light paper (dark ink on light, the
usual photo) is inverted. Then the ink is the distance of each pixel from the paper
level, divided by the strongest contrast in the picture (its 20th strongest pixel);
faint texture below a quarter of it is dropped, and so are specks: connected blobs far
smaller than the largest one. A tiny picture is enlarged smoothly, so its box is not
fitted to 20 px as a few big square pixels.

A picture with no digit-like ink raises :class:`PictureError` with the reason instead of
guessing: a (nearly) uniform picture, ink everywhere, or only scattered specks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

MIN_SIDE = 5
"""A picture smaller than this (pixels) cannot hold a readable digit."""
MIN_CONTRAST = 0.12
"""The strongest ink must differ from the paper by at least this much (of full scale)."""
FAINT = 0.25
"""Ink weaker than this share of the strongest contrast is paper texture, not ink."""
MAX_INK_SHARE = 0.45
"""A digit on a plain ground covers less than this share of the picture."""
SPECK = 0.03
"""Blobs smaller than this share of the largest blob are specks (noise, dust)."""
MAX_BLOBS = 6
"""More separate blobs than this (after dropping specks) is not one digit."""
SMOOTH_SIDE = 84
"""Pictures with a shorter longer side are enlarged smoothly (bilinear) to about this, so a
tiny picture does not become a few big square pixels when its box is fitted to 20 px."""


class PictureError(ValueError):
    """A picture that cannot be read as a digit; the message says why in plain words."""


@dataclass(frozen=True)
class PictureInk:
    """The ink of a picture: ``ink`` (H, W) float32 in [0, 1] (ink = 1, as the canvas;
    a tiny picture enlarged smoothly), ``inverted`` True when the picture was dark ink on
    light paper, ``size`` the picture's (width, height) as given."""

    ink: np.ndarray
    inverted: bool
    size: tuple[int, int]

    def polarity(self) -> str:
        """How the picture was written, in words."""
        return ("dark ink on light paper (inverted)" if self.inverted
                else "light ink on a dark ground")


def _linear(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix of linear interpolation between pixel centres (edges held)."""
    position = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0, n_in - 1.0)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n_in - 1)
    weight = position - low
    matrix = np.zeros((n_out, n_in), dtype=np.float32)
    matrix[np.arange(n_out), low] += 1.0 - weight
    matrix[np.arange(n_out), high] += weight
    return matrix


def _enlarge(image: np.ndarray) -> np.ndarray:
    """A small (H, W) image enlarged by a whole factor to about :data:`SMOOTH_SIDE`."""
    h, w = image.shape
    factor = SMOOTH_SIDE // max(h, w)
    if factor < 2:
        return image
    return _linear(h, h * factor) @ image @ _linear(w, w * factor).T


def _blobs(mask: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """4-connected blobs of a boolean mask: (labels (H, W) int32, 0 = none; sizes)."""
    labels = np.zeros(mask.shape, dtype=np.int32)
    sizes: list[int] = []
    h, w = mask.shape
    for start in zip(*np.nonzero(mask), strict=True):
        if labels[start]:
            continue
        sizes.append(0)
        label = len(sizes)
        labels[start] = label
        queue = deque([start])
        while queue:
            r, c = queue.popleft()
            sizes[-1] += 1
            for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
                if 0 <= rr < h and 0 <= cc < w and mask[rr, cc] and not labels[rr, cc]:
                    labels[rr, cc] = label
                    queue.append((rr, cc))
    return labels, sizes


def _coarse(mask: np.ndarray, side: int = 96) -> tuple[np.ndarray, int]:
    """The mask on a grid of at most ``side`` cells a side (a cell is ink when any of its
    pixels is), and the cell size: blob counting stays fast on huge pictures."""
    step = max(1, int(np.ceil(max(mask.shape) / side)))
    if step == 1:
        return mask, 1
    h, w = mask.shape
    padded = np.zeros((-(-h // step) * step, -(-w // step) * step), dtype=bool)
    padded[:h, :w] = mask
    return padded.reshape(padded.shape[0] // step, step, -1, step).any(axis=(1, 3)), step


def picture_ink(gray: np.ndarray) -> PictureInk:
    """The ink of a grey picture (H, W) float in [0, 1] (or uint8), light or dark paper.

    Raises :class:`PictureError` when the picture is too small or holds no digit-like ink.
    """
    gray = np.asarray(gray)
    if gray.ndim != 2:
        raise PictureError(f"expected a grey picture (H, W), got shape {gray.shape}")
    if gray.dtype == np.uint8:
        gray = gray.astype(np.float32) / np.float32(255.0)
    gray = np.nan_to_num(np.asarray(gray, dtype=np.float32), nan=0.0)
    h, w = gray.shape
    if min(h, w) < MIN_SIDE:
        raise PictureError(f"The picture is {w}x{h} pixels: too small to hold a digit "
                           f"(at least {MIN_SIDE}x{MIN_SIDE}).")
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    paper = float(np.median(border))
    inverted = paper > 0.5
    distance = (paper - gray) if inverted else (gray - paper)
    # the strongest ink, robust to a few hot pixels: the 20th strongest value
    k = min(20, distance.size)
    contrast = float(np.partition(distance.ravel(), -k)[-k])
    if contrast < MIN_CONTRAST:
        raise PictureError("No digit-like ink: the picture is nearly one uniform shade.")
    ink = np.clip((distance / contrast - FAINT) / (1.0 - FAINT), 0.0, 1.0)
    strong = ink > 0.5
    if strong.mean() > MAX_INK_SHARE:
        raise PictureError(f"No digit-like ink: {strong.mean():.0%} of the picture is ink; "
                           "a digit is a few strokes on a plain ground.")
    coarse, step = _coarse(ink > 0.0)
    labels, sizes = _blobs(coarse)
    if not sizes:
        raise PictureError("No digit-like ink found in the picture.")
    largest = max(sizes)
    kept = [k + 1 for k, size in enumerate(sizes) if size >= SPECK * largest]
    if len(kept) > MAX_BLOBS:
        raise PictureError(f"No digit-like ink: the ink is {len(kept)} scattered blobs "
                           "(noise or texture), not a digit's strokes.")
    keep = np.isin(labels, kept)
    if step > 1:
        keep = np.repeat(np.repeat(keep, step, axis=0), step, axis=1)[:h, :w]
    ink = np.where(keep, ink, 0.0).astype(np.float32)
    return PictureInk(_enlarge(ink).astype(np.float32), inverted, (w, h))
