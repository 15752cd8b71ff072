"""Digit gallery: the digits and captions shown are the ones given, crisp, capped with a note."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QImage

from core.data import load_sample
from nnviz.widgets.digit_gallery import DigitGallery
from nnviz.widgets.digit_image import to_uint8


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    data = load_sample()
    return data.x_test[:300], data.y_test[:300]


@pytest.fixture
def gallery(shown) -> DigitGallery:
    w = shown(DigitGallery(max_shown=200), 700, 500)
    return w


def test_images_and_captions_are_held_and_drawn_as_given(gallery, digits) -> None:
    x, y = digits
    captions = [f"predicted {(t + 1) % 10} (93 %), true {t}" for t in y[:30]]
    gallery.set_digits(x[:30], captions, title="Misclassified")
    np.testing.assert_array_equal(gallery.images(), x[:30])
    assert gallery.captions() == tuple(captions)
    assert gallery.title() == "Misclassified" and gallery.note() == "30 digits"
    lst = gallery.thumbnails
    assert lst.count() == 30
    item = lst.item(7)
    assert item.text().replace("\u00a0", " ") == captions[7]  # the % does not wrap away
    image = item.icon().pixmap(lst.iconSize()).toImage().convertToFormat(
        QImage.Format.Format_Grayscale8)
    assert (image.width(), image.height()) == (56, 56)
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    shown = np.frombuffer(ptr, np.uint8).reshape(56, image.bytesPerLine())[:, :56]
    # every input pixel is a crisp 2 x 2 block of exactly its value
    np.testing.assert_array_equal(shown, np.kron(x[7], np.ones((2, 2), np.uint8)))


def test_at_most_max_shown_with_a_note(gallery, digits) -> None:
    x, y = digits
    many = np.concatenate([x, x[:231]])  # 531 digits
    gallery.set_digits(many, [str(i) for i in range(len(many))], title="true 1, predicted 7")
    assert gallery.shown_count() == 200 and gallery.total_count() == 531
    assert gallery.note() == "showing 200 of 531"
    assert gallery.thumbnails.count() == 200
    np.testing.assert_array_equal(gallery.images(), many[:200])


def test_float_images_are_taken_as_network_input(gallery, digits) -> None:
    x, _ = digits
    gallery.set_digits(x[:3].astype(np.float32) / 255.0, ["a", "b", "c"])
    np.testing.assert_array_equal(gallery.images(), x[:3])
    gallery.set_digits(x[:3, None].astype(np.float64), ["a", "b", "c"])  # (N,1,28,28) 0..255
    np.testing.assert_array_equal(gallery.images(), x[:3])


def test_to_uint8_clips_and_the_gallery_refuses_wrong_shapes(gallery) -> None:
    np.testing.assert_array_equal(to_uint8(np.array([[[-0.2, 0.5, 1.0]]])), [[[0, 128, 255]]])
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        gallery.set_digits(np.zeros((28, 28)), ["one"])


def test_mismatched_captions_are_refused_and_change_nothing(gallery, digits) -> None:
    x, _ = digits
    gallery.set_digits(x[:2], ["a", "b"], "before")
    with pytest.raises(ValueError, match="2 captions"):
        gallery.set_digits(x[:5], ["a", "b"])
    assert gallery.captions() == ("a", "b") and gallery.title() == "before"


def test_clicking_a_thumbnail_emits_its_index(gallery, qtbot, digits) -> None:
    x, _ = digits
    gallery.set_digits(x[:12], [str(i) for i in range(12)])
    lst = gallery.thumbnails
    rect = lst.visualItemRect(lst.item(5))
    with qtbot.waitSignal(gallery.digitClicked, timeout=1000) as blocker:
        qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [5]


def test_clear_and_empty(gallery, digits) -> None:
    x, _ = digits
    gallery.set_digits(x[:4], list("abcd"), "t")
    gallery.clear()
    assert gallery.shown_count() == 0 and gallery.thumbnails.count() == 0 and gallery.title() == ""
    assert gallery.note() == "No digits to show yet."
