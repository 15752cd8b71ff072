"""Digit arrays to Qt images: values, crisp scaling, independence from the numpy buffer."""

from __future__ import annotations

import numpy as np

from nnviz.widgets.digit_image import digit_pixmap, gray_qimage, to_uint8


def test_to_uint8_scales_floats_and_keeps_uint8():
    assert to_uint8(np.array([0.0, 0.5, 1.0, np.nan])).tolist() == [0, 128, 255, 0]
    assert to_uint8(np.array([0.0, 200.0])).tolist() == [0, 200]  # already 0..255
    assert to_uint8(np.zeros((2, 1, 3, 3), np.uint8)).shape == (2, 3, 3)


def test_gray_qimage_copies_the_pixels(qapp):
    image = np.zeros((3, 4), np.float32)
    image[1, 2] = 1.0
    qimage = gray_qimage(image)
    image[:] = 0.5  # the QImage must not follow the array
    assert (qimage.width(), qimage.height()) == (4, 3)
    assert qimage.pixelColor(2, 1).value() == 255 and qimage.pixelColor(0, 0).value() == 0


def test_digit_pixmap_is_nearest_neighbour(qapp):
    image = np.zeros((2, 2), np.uint8)
    image[0, 0] = 255
    picture = digit_pixmap(image, 3).toImage()
    assert (picture.width(), picture.height()) == (6, 6)
    assert picture.pixelColor(2, 2).value() == 255 and picture.pixelColor(3, 3).value() == 0
