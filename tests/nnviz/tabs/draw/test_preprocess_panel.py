"""The preprocessing panel shows every step of the recipe and reports its switches."""

from __future__ import annotations

import numpy as np
import pytest

from core.preprocess import stages
from nnviz.tabs.draw.captions import describe
from nnviz.tabs.draw.preprocess_panel import PreprocessPanel
from nnviz.tabs.draw.state import Switches


@pytest.fixture
def panel(shown):
    return shown(PreprocessPanel())


def _drawing() -> np.ndarray:
    image = np.zeros((280, 280), np.float32)
    image[30:120, 40:60] = 1.0                            # a small 1, top-left
    return image


def test_switches_are_reported(panel, qtbot):
    assert panel.switches() == Switches(True, True, True, True)
    with qtbot.waitSignal(panel.switchesChanged):
        panel.center_check.setChecked(False)
    assert panel.switches() == Switches(crop=True, scale=True, center=False)
    with qtbot.waitSignal(panel.switchesChanged):
        panel.strokes_check.setChecked(False)
    assert panel.switches() == Switches(crop=True, scale=True, center=False, strokes=False)
    with qtbot.assertNotEmitted(panel.switchesChanged):
        panel.show_result(stages(_drawing(), center=False), panel.switches())


@pytest.mark.parametrize("switches", [Switches(), Switches(False, False, False, False),
                                      Switches(crop=False)])
def test_every_step_shows_what_it_did(panel, switches):
    result = stages(_drawing(), switches.crop, switches.scale, switches.center)
    panel.show_result(result, switches)
    said = describe(result, switches)
    shown = (panel.raw_detail, panel.box_detail, panel.scaled_detail, panel.input_detail)
    assert [label.text() for label in shown] == [said.raw, said.box, said.scaled, said.input]
    assert all(label.text() for label in shown)


def test_an_empty_drawing_asks_for_a_digit(panel):
    panel.show_result(stages(np.zeros((280, 280), np.float32)), Switches())
    assert panel.input_detail.text() == "28x28: draw a digit"
    assert not panel.grab().isNull()


def test_the_why_overlay_lies_over_the_input(panel):
    panel.show_result(stages(_drawing()), Switches())
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[..., 0] = rgba[..., 3] = 255
    panel.set_input_overlay(rgba)
    assert panel.input_view.has_overlay()
    shot = panel.input_view.grab().toImage()
    corner = shot.pixelColor(shot.width() // 4, shot.height() // 4)  # clear of the marks
    assert corner.red() > 200 and corner.green() < 60
    panel.set_input_overlay(None)
    assert not panel.input_view.has_overlay()
