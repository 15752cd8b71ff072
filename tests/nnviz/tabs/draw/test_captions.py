"""The stage captions tell the truth of every switch (no Qt needed)."""

from __future__ import annotations

import numpy as np
import pytest

from core.preprocess import stages
from nnviz.tabs.draw.captions import Source, describe, off_centre
from nnviz.tabs.draw.state import Switches


def corner_digit() -> np.ndarray:
    image = np.zeros((280, 280), np.float32)
    image[20:100, 20:40] = 1.0  # a small 1 in the top-left corner
    image[20:30, 20:60] = 1.0
    return image


def run(switches: Switches, source: Source | None = None):
    result = stages(corner_digit(), switches.crop, switches.scale, switches.center)
    return result, describe(result, switches, source)


def test_every_step_on():
    result, said = run(Switches())
    assert said.box.startswith("40x80 px box around the ink")
    assert said.scaled.endswith("longer side fitted to 20 px")
    assert said.input == "28x28 model input, centre of mass at the centre"
    assert off_centre(result) <= 1.0


def test_without_crop_centring_cannot_reach_the_centre_and_says_so():
    result, said = run(Switches(crop=False))
    assert "the whole 280x280 px image is the box" in said.box
    assert "the whole canvas's side fitted to 20 px" in said.scaled
    assert off_centre(result) > 3.0
    assert "centre of mass stays" in said.input and "at the centre" not in said.input
    assert f"{off_centre(result):.0f} px off" in said.input


@pytest.mark.parametrize("switches", [Switches(center=False), Switches(False, False, False)])
def test_without_centring_the_offset_is_given(switches):
    result, said = run(switches)
    assert said.input.startswith("off:") and f"{off_centre(result):.0f} px off" in said.input


def test_without_scaling():
    _, said = run(Switches(scale=False))
    assert said.scaled.startswith("off:") and "shrunk x0.10 with the canvas" in said.scaled


def test_the_first_caption_says_how_the_strokes_were_drawn():
    _, redrawn = run(Switches(), Source(brush=0.09, redrawn=0.012))
    assert "strokes redrawn to scale" in redrawn.raw
    _, drawn = run(Switches(strokes=False), Source(brush=0.09))
    assert "strokes as drawn" in drawn.raw
    _, picture = run(Switches(), Source(picture="dark ink on light paper (inverted)"))
    assert picture.raw == "280x280 px picture: dark ink on light paper (inverted)"


def test_an_empty_drawing():
    said = describe(stages(np.zeros((280, 280), np.float32)), Switches())
    assert said.input == "28x28: draw a digit" and said.box == "nothing to crop yet"
