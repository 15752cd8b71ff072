"""What each preprocessing stage did, in words that stay true whatever is switched off.

Kept without Qt: :func:`describe` reads a result of :func:`core.preprocess.stages` and
the switches it was made with, and says what really happened — e.g. with "Crop to the
ink" off, centring may not be able to bring the centre of mass to the centre (the whole
canvas is the box and can move only a few pixels), and the caption says how far off it
stayed instead of claiming "centred".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.preprocess import BOX, CENTER, FRAME

CENTRED_WITHIN = 1.0
"""A centre of mass at most this far (pixels) from the frame's centre counts as centred."""


@dataclass(frozen=True)
class Captions:
    """One line (or two) per stage: the drawing, the box, the scaled box, the input."""

    raw: str
    box: str
    scaled: str
    input: str


@dataclass(frozen=True)
class Source:
    """Where the drawing came from, for the first caption: the canvas (with its brush and
    the width the strokes were redrawn at, fractions of the side) or a picture."""

    brush: float | None = None
    redrawn: float | None = None
    picture: str | None = None


def off_centre(result: dict) -> float:
    """Distance (pixels) of the input's centre of mass from the frame's centre."""
    row, col = result["com"]
    return math.hypot(row - CENTER, col - CENTER)


def _raw(result: dict, source: Source) -> str:
    height, width = result["raw"].shape
    if source.picture is not None:
        return f"{width}x{height} px picture: {source.picture}"
    line = f"{width}x{height} px, ink = white"
    if result["empty"] or source.brush is None:
        return line
    to_input = result["scale"] * width  # input pixels per canvas side
    if source.redrawn is not None:
        return (f"{line}; strokes redrawn to scale: {source.redrawn * to_input:.1f} px "
                "wide in the input")
    return f"{line}; strokes as drawn: {source.brush * to_input:.1f} px wide in the input"


def describe(result: dict, switches, source: Source | None = None) -> Captions:
    """Captions for ``result`` made with ``switches`` (crop, scale, center) from
    ``source``; an empty result asks for a digit."""
    source = source or Source()
    raw = _raw(result, source)
    if result["empty"]:
        return Captions(raw, "nothing to crop yet", "", "28x28: draw a digit")
    box = result["box"]
    box_text = (f"{box.shape[1]}x{box.shape[0]} px box around the ink" if switches.crop
                else f"off: the whole {box.shape[1]}x{box.shape[0]} px image is the box")
    sh, sw = result["scaled"].shape
    factor = result["scale"]
    if switches.scale:
        what = "longer side" if switches.crop else "the whole canvas's side"
        scaled_text = f"{sw}x{sh} px (x{factor:.2f}): {what} fitted to {BOX} px"
    else:
        scaled_text = f"off: {sw}x{sh} px, shrunk x{factor:.2f} with the canvas"
    distance = off_centre(result)
    if switches.center and distance <= CENTRED_WITHIN:
        input_text = f"{FRAME}x{FRAME} model input, centre of mass at the centre"
    elif switches.center:
        input_text = (f"{FRAME}x{FRAME} model input: the box could not move far enough, the "
                      f"centre of mass stays {distance:.0f} px off the centre")
    else:
        input_text = (f"off: {FRAME}x{FRAME} input, the digit where it was drawn, centre "
                      f"of mass {distance:.0f} px off the centre")
    return Captions(raw, box_text, scaled_text, input_text)
