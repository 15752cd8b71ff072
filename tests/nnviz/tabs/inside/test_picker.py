"""The input picker: it shows the strip it is given and reports clicks and keys."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtTest import QTest

from nnviz.tabs.inside.picker import DRAWN, InputPicker


@pytest.fixture
def picker(shown):
    widget = shown(InputPicker(), 1100, 66)
    images = np.random.default_rng(1).integers(0, 256, (20, 28, 28)).astype(np.uint8)
    widget.show_strip(images, np.arange(20) % 10, selection=0)
    return widget


def test_clicks_choose_digits_and_the_drawn_tile(picker, qtbot):
    assert picker.selection() == 0 and picker.count() == 20
    with qtbot.waitSignal(picker.selectionChanged) as changed:
        QTest.mouseClick(picker, Qt.MouseButton.LeftButton,
                         pos=picker.tile_rect(7).center().toPoint())
    assert changed.args == [7] and picker.selection() == 7
    with qtbot.waitSignal(picker.selectionChanged) as changed:
        QTest.mouseClick(picker, Qt.MouseButton.LeftButton,
                         pos=picker.drawn_rect().center().toPoint())
    assert changed.args == [DRAWN]
    assert picker.drawn_rect().right() <= picker.width()
    with qtbot.assertNotEmitted(picker.selectionChanged):   # the same tile again: no news
        QTest.mouseClick(picker, Qt.MouseButton.LeftButton,
                         pos=picker.drawn_rect().center().toPoint())


def test_keys_move_the_choice_around_the_strip(picker, qtbot):
    with qtbot.assertNotEmitted(picker.selectionChanged):   # set by the tab: no signal
        picker.set_selection(19)
    with qtbot.waitSignal(picker.selectionChanged) as changed:
        QTest.keyClick(picker, Qt.Key.Key_Right)
    assert changed.args == [DRAWN] and picker.selection() == DRAWN
    QTest.keyClick(picker, Qt.Key.Key_Right)
    assert picker.selection() == 0
    QTest.keyClick(picker, Qt.Key.Key_Left)
    assert picker.selection() == DRAWN


def test_guesses_drawn_tile_and_a_new_strip(picker):
    picker.set_predictions(np.arange(20) % 10)
    np.testing.assert_array_equal(picker.predictions(), np.arange(20) % 10)
    picker.set_drawn(np.random.default_rng(0).random((28, 28)))
    assert not picker.grab().isNull()
    picker.show_strip(np.zeros((5, 28, 28), np.uint8), np.arange(5), selection=None)
    assert picker.count() == 5 and picker.predictions() is None and picker.selection() is None
    picker.set_drawn(None)
    assert not picker.grab().isNull()
    with pytest.raises(ValueError):
        picker.show_strip(np.zeros((5, 28, 28), np.uint8), np.arange(4))


def test_why_overlays_are_painted_over_their_tiles(picker):
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[..., 0] = rgba[..., 3] = 255
    picker.set_why_overlays([rgba] + [None] * 19, drawn=rgba)
    assert picker.has_why_overlays()
    shot = picker.grab().toImage()
    first, second = picker.tile_rect(0).center(), picker.tile_rect(1).center()
    assert shot.pixelColor(first.toPoint()).red() > 200
    assert shot.pixelColor(first.toPoint()).green() < 60
    assert not (shot.pixelColor(second.toPoint()).red() > 200
                and shot.pixelColor(second.toPoint()).green() < 60)
    picker.set_why_overlays(None)
    assert not picker.has_why_overlays()
