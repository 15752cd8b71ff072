"""The input picker: two digits of each class per page, clicks, keys and the drawn tile."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtTest import QTest

from nnviz.tabs.inside.picker import DRAWN, InputPicker, page_indices


def _labels(n: int = 200, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 10, n)


def test_pages_hold_two_of_each_class_in_order():
    labels = _labels()
    first, second = page_indices(labels, 0), page_indices(labels, 1)
    assert list(labels[first]) == list(range(10)) * 2
    assert list(labels[second]) == list(range(10)) * 2
    assert not set(first) & set(second)
    for digit in range(10):
        occurrences = np.flatnonzero(labels == digit)
        assert first[digit] == occurrences[0] and first[10 + digit] == occurrences[1]


def test_pages_wrap_and_fall_back_to_slices():
    labels = _labels(60)
    pages = min(np.bincount(labels)) // 2
    np.testing.assert_array_equal(page_indices(labels, pages), page_indices(labels, 0))
    few = np.array([3, 3, 3, 5, 5])                          # not ten classes
    np.testing.assert_array_equal(page_indices(few, 0), np.arange(5))
    assert len(page_indices(np.zeros(0), 0)) == 0


@pytest.fixture
def picker(shown):
    widget = shown(InputPicker(), 1100, 66)
    images = np.random.default_rng(1).integers(0, 256, (200, 28, 28)).astype(np.uint8)
    widget.set_samples(images, _labels())
    return widget


def test_clicks_choose_digits_and_the_drawn_tile(picker, qtbot):
    assert picker.selection() == 0
    with qtbot.waitSignal(picker.selectionChanged) as changed:
        QTest.mouseClick(picker, Qt.MouseButton.LeftButton,
                         pos=picker.tile_rect(7).center().toPoint())
    assert changed.args == [7] and picker.selected_sample() == picker.shown_indices()[7]
    with qtbot.waitSignal(picker.selectionChanged) as changed:
        QTest.mouseClick(picker, Qt.MouseButton.LeftButton,
                         pos=picker.drawn_rect().center().toPoint())
    assert changed.args == [DRAWN] and picker.selected_sample() is None
    assert picker.drawn_rect().right() <= picker.width()


def test_keys_predictions_and_pages(picker, qtbot):
    picker.select(19)
    QTest.keyClick(picker, Qt.Key.Key_Right)
    assert picker.selection() == DRAWN
    QTest.keyClick(picker, Qt.Key.Key_Right)
    assert picker.selection() == 0
    QTest.keyClick(picker, Qt.Key.Key_Left)
    assert picker.selection() == DRAWN
    picker.select(3)
    before = picker.selected_sample()
    with qtbot.waitSignal(picker.selectionChanged):
        picker.next_page()
    assert picker.selection() == 3 and picker.selected_sample() != before
    picker.set_predictions(np.arange(20) % 10)
    picker.set_drawn(np.random.default_rng(0).random((28, 28)))
    assert not picker.grab().isNull()
    with pytest.raises(IndexError):
        picker.select(20)
    with pytest.raises(ValueError):
        picker.select("sample")
