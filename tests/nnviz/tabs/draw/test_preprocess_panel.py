"""The preprocessing panel shows every step of the recipe and reports its switches."""

from __future__ import annotations

import numpy as np
import pytest

from core.preprocess import stages
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
    assert panel.switches() == Switches(True, True, True)
    with qtbot.waitSignal(panel.switchesChanged):
        panel.center_check.setChecked(False)
    assert panel.switches() == Switches(crop=True, scale=True, center=False)
    with qtbot.assertNotEmitted(panel.switchesChanged):
        panel.show_result(stages(_drawing(), center=False), panel.switches())


def test_every_step_is_described(panel):
    result = stages(_drawing())
    panel.show_result(result, Switches())
    h, w = result["box"].shape
    assert panel.raw_detail.text() == "280x280 px, ink = white"
    assert panel.box_detail.text() == f"{w}x{h} px box"
    assert panel.scaled_detail.text().endswith(f"(x{result['scale']:.2f})")
    assert panel.input_detail.text() == "28x28 model input, centred"
    off = Switches(crop=False, scale=False, center=False)
    panel.show_result(stages(_drawing(), False, False, False), off)
    assert panel.box_detail.text() == "off: the whole canvas is used"
    assert panel.scaled_detail.text().startswith("off:")
    assert panel.input_detail.text().endswith("off: where you drew it")
    panel.show_result(stages(np.zeros((280, 280), np.float32)), Switches())
    assert panel.input_detail.text() == "28x28: draw a digit"
    assert not panel.grab().isNull()
