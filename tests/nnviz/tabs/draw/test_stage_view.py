"""A preprocessing stage view paints its image at the field's pixel pitch, with overlays."""

from __future__ import annotations

import numpy as np
from PyQt6.QtGui import QColor

from nnviz.tabs.draw.stage_view import StageView
from nnviz.theme import DRAW


def test_image_overlays_and_empty_field(shown):
    view = shown(StageView(side=112), 112, 112)
    image = np.zeros((28, 28), np.float32)
    image[10:18, 10:18] = 1.0
    view.set_image(image, boxes=((2, 26, 2, 26),))
    grabbed = view.grab().toImage()
    pitch = 112 / 28
    assert grabbed.pixelColor(int(14 * pitch), int(14 * pitch)).name() == "#ffffff"
    assert grabbed.pixelColor(int(5 * pitch), int(5 * pitch)).name() == "#000000"
    box = grabbed.pixelColor(int(14 * pitch), int(2 * pitch))      # on the box's top edge
    assert box.green() > box.red() and box.green() > 100
    view.set_image(None, placeholder="empty")
    empty = view.grab().toImage().pixelColor(10, 10)
    assert empty.name() == QColor(DRAW.empty_field).name()
