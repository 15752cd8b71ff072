"""Hand-made digit polylines in several writing styles, and helpers that draw them (or any
:class:`core.strokes.Stroke` s, e.g. real pen digits) on a DrawCanvas with real
(simulated) mouse events.

Coordinates are unit coordinates of the digit's box: x to the right, y downwards, the
digit spans y = 0 (top) to 1 (bottom) and sits around x = 0.5. A digit is a list of
strokes (pen down to pen up); a stroke is a list of (x, y) points. Curved parts are given
by a few control points and smoothed with a Catmull-Rom spline, straight parts and sharp
corners are kept as they are.

The styles go beyond MNIST's American hands on purpose: a crossed 7, a 1 with a flag and
a foot, a 9 with a curled tail, a one-stroke 4, open and closed 4s, a flat-topped 3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtTest import QTest

Point = tuple[float, float]
Stroke = list[Point]
Digit = list[Stroke]


def _curve(*control: Point, per_segment: int = 10) -> Stroke:
    """A smooth Catmull-Rom curve through the control points (ends included)."""
    pts = [control[0], *control, control[-1]]
    out: Stroke = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(per_segment):
            t = k / per_segment
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(
                    0.5
                    * (
                        2 * p1[d]
                        + (-p0[d] + p2[d]) * t
                        + (2 * p0[d] - 5 * p1[d] + 4 * p2[d] - p3[d]) * t2
                        + (-p0[d] + 3 * p1[d] - 3 * p2[d] + p3[d]) * t3
                    )
                    for d in (0, 1)
                )
            )
    out.append(control[-1])
    return out


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> Stroke:
    """Points of an elliptic arc; angles in degrees, 0 = right, 90 = down (screen y)."""
    n = max(int(abs(end - start) / 8), 2)
    return [
        (
            cx + rx * math.cos(math.radians(start + (end - start) * k / n)),
            cy + ry * math.sin(math.radians(start + (end - start) * k / n)),
        )
        for k in range(n + 1)
    ]


def _join(*parts: Stroke) -> Stroke:
    """One stroke made of consecutive parts (a shared end point is kept once)."""
    out: Stroke = []
    for part in parts:
        if out and part and math.dist(out[-1], part[0]) < 1e-9:
            part = part[1:]
        out.extend(part)
    return out


_LOOP_9 = _arc(0.47, 0.27, 0.25, 0.26, 345, -15)

DIGITS: dict[int, dict[str, Digit]] = {
    0: {
        "oval": [_arc(0.5, 0.5, 0.28, 0.5, 275, -95)],
        "round": [_arc(0.5, 0.5, 0.4, 0.5, 260, -90)],
        "open top": [
            _curve(
                (0.6, 0.03),
                (0.4, 0.02),
                (0.24, 0.3),
                (0.25, 0.75),
                (0.5, 1.0),
                (0.75, 0.72),
                (0.74, 0.25),
                (0.52, 0.0),
            )
        ],
    },
    1: {
        "plain": [[(0.5, 0.0), (0.5, 1.0)]],
        "slanted": [[(0.62, 0.0), (0.4, 1.0)]],
        "flag and foot": [[(0.28, 0.3), (0.55, 0.0), (0.55, 1.0)], [(0.3, 1.0), (0.8, 1.0)]],
        "long flag": [[(0.2, 0.42), (0.58, 0.0), (0.58, 1.0)]],
    },
    2: {
        "classic": [_join(_arc(0.5, 0.27, 0.28, 0.26, 165, 395), [(0.2, 1.0), (0.84, 1.0)])],
        "looped base": [
            _join(
                _arc(0.5, 0.27, 0.27, 0.26, 170, 390),
                _curve(
                    (0.71, 0.43),
                    (0.45, 0.72),
                    (0.27, 0.92),
                    (0.22, 1.0),
                    (0.33, 0.98),
                    (0.45, 0.92),
                    (0.6, 0.97),
                    (0.85, 0.98),
                ),
            )
        ],
        "angular": [
            _join(
                _curve((0.22, 0.2), (0.45, 0.0), (0.72, 0.1), (0.72, 0.32)),
                [(0.72, 0.32), (0.2, 1.0), (0.82, 1.0)],
            )
        ],
    },
    3: {
        "round": [
            _join(_arc(0.48, 0.25, 0.26, 0.23, 200, 450), _arc(0.48, 0.73, 0.3, 0.27, 270, 520))
        ],
        "flat top": [
            _join(
                [(0.22, 0.0), (0.78, 0.0), (0.45, 0.4)],
                _curve((0.45, 0.4), (0.72, 0.52), (0.76, 0.78), (0.55, 1.0), (0.22, 0.9)),
            )
        ],
        "pointed middle": [
            _join(
                _curve((0.22, 0.12), (0.5, 0.0), (0.72, 0.15), (0.65, 0.38), (0.42, 0.48)),
                _curve((0.42, 0.48), (0.7, 0.58), (0.74, 0.82), (0.5, 1.0), (0.22, 0.9)),
            )
        ],
    },
    4: {
        "open": [[(0.38, 0.0), (0.2, 0.64), (0.84, 0.64)], [(0.66, 0.22), (0.66, 1.0)]],
        "closed": [[(0.62, 0.0), (0.17, 0.66), (0.84, 0.66)], [(0.62, 0.0), (0.62, 1.0)]],
        "one stroke": [[(0.36, 0.02), (0.22, 0.6), (0.68, 0.6), (0.68, 0.02), (0.66, 1.0)]],
    },
    5: {
        "two strokes": [
            _join([(0.3, 0.02), (0.27, 0.45)], _arc(0.47, 0.7, 0.3, 0.3, 235, 510)),
            [(0.3, 0.02), (0.78, 0.0)],
        ],
        "one stroke": [
            _join([(0.78, 0.0), (0.3, 0.02), (0.27, 0.45)], _arc(0.47, 0.7, 0.3, 0.3, 235, 510))
        ],
        "flat bowl": [
            _join(
                [(0.3, 0.02), (0.26, 0.42)],
                _curve(
                    (0.26, 0.42), (0.55, 0.4), (0.76, 0.6), (0.7, 0.88), (0.45, 1.0), (0.22, 0.92)
                ),
            ),
            [(0.28, 0.02), (0.75, 0.04)],
        ],
    },
    6: {
        "classic": [
            _curve(
                (0.72, 0.03),
                (0.5, 0.1),
                (0.32, 0.35),
                (0.25, 0.65),
                (0.33, 0.92),
                (0.52, 1.0),
                (0.7, 0.9),
                (0.74, 0.7),
                (0.6, 0.55),
                (0.42, 0.56),
                (0.28, 0.68),
            )
        ],
        "straight stem": [
            _curve(
                (0.66, 0.0),
                (0.45, 0.3),
                (0.28, 0.62),
                (0.3, 0.88),
                (0.5, 1.0),
                (0.7, 0.88),
                (0.7, 0.65),
                (0.5, 0.55),
                (0.3, 0.65),
            )
        ],
    },
    7: {
        "plain": [[(0.2, 0.02), (0.8, 0.0), (0.42, 1.0)]],
        "crossed": [[(0.2, 0.02), (0.8, 0.0), (0.42, 1.0)], [(0.36, 0.52), (0.78, 0.48)]],
        "serif": [[(0.2, 0.16), (0.2, 0.0), (0.8, 0.0), (0.45, 1.0)]],
        "curved stem": [
            _join(
                [(0.22, 0.02), (0.8, 0.02)],
                _curve((0.8, 0.02), (0.6, 0.35), (0.5, 0.65), (0.47, 1.0)),
            )
        ],
    },
    8: {
        "one stroke": [
            _curve(
                (0.68, 0.1),
                (0.5, 0.0),
                (0.3, 0.12),
                (0.33, 0.32),
                (0.5, 0.47),
                (0.7, 0.65),
                (0.7, 0.9),
                (0.5, 1.0),
                (0.3, 0.9),
                (0.3, 0.65),
                (0.5, 0.47),
                (0.67, 0.3),
                (0.68, 0.1),
            )
        ],
        "two loops": [_arc(0.5, 0.24, 0.2, 0.24, 90, 450), _arc(0.5, 0.73, 0.26, 0.27, 270, 630)],
    },
    9: {
        "straight stem": [_join(_LOOP_9, [(0.72, 0.2), (0.72, 1.0)])],
        "curled tail": [
            _join(_LOOP_9, _curve((0.72, 0.2), (0.72, 0.62), (0.66, 0.9), (0.5, 1.0), (0.32, 0.92)))
        ],
        "slanted stem": [_join(_LOOP_9, [(0.72, 0.22), (0.56, 1.0)])],
    },
}


def all_digits() -> list[tuple[int, str, Digit]]:
    """Every (label, style name, strokes) in a stable order."""
    return [
        (label, style, strokes)
        for label, styles in DIGITS.items()
        for style, strokes in styles.items()
    ]


def placements(sizes: Sequence[float] = (0.4, 0.6, 0.85)) -> list[tuple[float, Point]]:
    """(size, centre) pairs: each size at the centre, towards the top-left and towards
    the bottom-right of the canvas (the digit always stays inside)."""
    out = []
    for size in sizes:
        margin = size / 2 + 0.04
        for fx, fy in ((0.5, 0.5), (0.0, 0.0), (1.0, 1.0)):
            out.append((size, (margin + fx * (1 - 2 * margin), margin + fy * (1 - 2 * margin))))
    return out


def to_canvas(
    canvas, digit: Digit, size: float = 0.6, center: Point = (0.5, 0.5), slant: float = 0.0
) -> list[list[QPoint]]:
    """Widget positions of the digit's strokes, resampled every ~3 px like real mouse
    moves. ``size`` is the digit's height as a fraction of the canvas side, ``center``
    its centre in canvas unit coordinates, ``slant`` a shear (x += slant * (0.5 - y))."""
    side = canvas.square_rect().width()
    out = []
    for stroke in digit:
        unit = [
            (center[0] + (x + slant * (0.5 - y) - 0.5) * size, center[1] + (y - 0.5) * size)
            for x, y in stroke
        ]
        points = [unit[0]]
        for a, b in zip(unit, unit[1:], strict=False):
            steps = max(1, int(math.dist(a, b) * side / 3.0))
            points += [
                (a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)
                for k in range(1, steps + 1)
            ]
        positions = [canvas.unit_to_widget(x, y).toPoint() for x, y in points]
        out.append([p for i, p in enumerate(positions) if i == 0 or p != positions[i - 1]])
    return out


def draw_digit(
    canvas,
    digit: Digit,
    size: float = 0.6,
    center: Point = (0.5, 0.5),
    slant: float = 0.0,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
    on_move: Callable[[int, int], None] | None = None,
) -> None:
    """Draw ``digit`` on a DrawCanvas with QTest mouse press / move / release events.

    ``on_move(stroke_index, point_index)`` is called after every move (to check what
    happens during a stroke).
    """
    none = Qt.KeyboardModifier.NoModifier
    for s, points in enumerate(to_canvas(canvas, digit, size, center, slant)):
        QTest.mousePress(canvas, button, none, points[0])
        for i, point in enumerate(points[1:], start=1):
            QTest.mouseMove(canvas, point)
            if on_move is not None:
                on_move(s, i)
        QTest.mouseRelease(canvas, button, none, points[-1])


def replay_strokes(canvas, strokes, button: Qt.MouseButton = Qt.MouseButton.LeftButton,
                   ) -> None:
    """Draw :class:`core.strokes.Stroke` s (unit coordinates, e.g. a real pen digit placed
    by :func:`core.pendigits.placed`) on a DrawCanvas with mouse events: a press at the
    first point, a move to every other point (straight segments between them, as the
    tablet recorded them), a release at the last; the brush is set to each stroke's width.
    Positions are whole widget pixels, as a real mouse gives."""
    none = Qt.KeyboardModifier.NoModifier
    for stroke in strokes:
        canvas.set_brush_width(stroke.width)
        points = [canvas.unit_to_widget(float(x), float(y)).toPoint()
                  for x, y in stroke.points]
        QTest.mousePress(canvas, button, none, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, button, none, points[-1])
