"""Real pen trajectories of handwritten digits: a reader for the UCI "pendigits" files.

E. Alpaydin and F. Alimoglu (Bogazici University) recorded digits written on a WACOM
PL-100V tablet; the original trajectories (``pendigits-orig.tra`` / ``.tes``, UCI Machine
Learning Repository, CC BY 4.0) are UNIPEN-style text: a ``.SEGMENT DIGIT … "label"`` line
opens a sample, ``.COMMENT label writer number`` names its writer, and each stroke is the
``x y`` lines (integer tablet units, y growing upwards) between ``.PEN_DOWN`` and
``.PEN_UP``. Points were sampled every 100 ms, so straight segments between them are what
a canvas would have drawn.

:func:`read_pendigits` returns :class:`PenDigit` s with screen-convention strokes (y grows
downwards); :func:`placed` puts one on the canvas at a given size and position, as
:class:`core.strokes.Stroke` s ready for :func:`core.strokes.render`.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.strokes import Stroke


class PenDigitsError(ValueError):
    """A pendigits file that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class PenDigit:
    """One written digit: its label, writer id, and strokes as (n, 2) float arrays of
    (x, y) tablet units with y growing downwards (screen convention)."""

    label: int
    writer: int
    strokes: tuple[np.ndarray, ...]

    def bbox(self) -> tuple[np.ndarray, np.ndarray]:
        """(min (x, y), max (x, y)) of all points."""
        points = np.concatenate(self.strokes)
        return points.min(axis=0), points.max(axis=0)


def _open_text(path: Path) -> list[str]:
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="ascii") as handle:
            return handle.read().splitlines()
    except FileNotFoundError:
        raise PenDigitsError(f"{path}: no such file") from None
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise PenDigitsError(f"{path} is corrupt or not a pendigits text file ({error})") from None


def read_pendigits(path: str | Path) -> list[PenDigit]:
    """Every sample of a pendigits trajectory file (plain or gzipped), in file order.

    Tablet y grows upwards; it is flipped (y_screen = -y, any offset is irrelevant once a
    digit is placed) so strokes read like screen drawings. Raises :class:`PenDigitsError`
    for a missing or malformed file.
    """
    path = Path(path)
    lines = _open_text(path)
    digits: list[PenDigit] = []
    label = writer = None
    strokes: list[np.ndarray] = []
    points: list[tuple[float, float]] | None = None

    def finish() -> None:
        if label is not None:
            if points is not None or not strokes:
                raise PenDigitsError(f"{path}: sample {len(digits) + 1} ends without "
                                     "finishing its strokes")
            digits.append(PenDigit(label, writer if writer is not None else 0, tuple(strokes)))

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            if line.startswith(".SEGMENT"):
                finish()
                label, writer, strokes, points = int(line.split('"')[1]), None, [], None
            elif line.startswith(".COMMENT") and label is not None:
                writer = int(line.split()[2])
            elif line.startswith(".PEN_DOWN"):
                points = []
            elif line.startswith(".PEN_UP"):
                if points:
                    xy = np.asarray(points, dtype=np.float64)
                    xy[:, 1] *= -1.0
                    strokes.append(xy)
                points = None
            elif line[0].isdigit() or line[0] == "-":
                if points is None:
                    raise ValueError("a point outside a stroke")
                x, y = line.split()
                points.append((float(x), float(y)))
        except (ValueError, IndexError) as error:
            raise PenDigitsError(f"{path}, line {number}: cannot read {raw!r} ({error})") from None
    finish()
    if not digits:
        raise PenDigitsError(f"{path} holds no digit samples")
    if any(not 0 <= d.label <= 9 for d in digits):
        raise PenDigitsError(f"{path}: labels must be digits 0-9")
    return digits


def placed(digit: PenDigit, size: float, center: tuple[float, float] = (0.5, 0.5),
           width: float = 0.09, transform: np.ndarray | None = None) -> list[Stroke]:
    """The digit's strokes on the canvas: the longer side of its bounding box becomes
    ``size`` (fraction of the canvas side), the box's centre sits at ``center`` (unit
    coordinates), painted with a brush ``width``.

    ``transform`` (2, 2), optional, is applied about the box centre before scaling
    (rotation, shear, zoom: the geometric variation of training).
    """
    lo, hi = digit.bbox()
    mid = (lo + hi) / 2.0
    pieces = [s - mid for s in digit.strokes]
    if transform is not None:
        pieces = [p @ np.asarray(transform, dtype=np.float64).T for p in pieces]
        allpoints = np.concatenate(pieces)
        mid2 = (allpoints.min(axis=0) + allpoints.max(axis=0)) / 2.0
        pieces = [p - mid2 for p in pieces]
        extent = float(np.max(allpoints.max(axis=0) - allpoints.min(axis=0)))
    else:
        extent = float(np.max(hi - lo))
    factor = size / max(extent, 1e-9)
    c = np.asarray(center, dtype=np.float64)
    return [Stroke(p * factor + c, width) for p in pieces]
