"""Colour scaling of the Inside tab: a symmetric diverging map, white exactly at 0."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtGui import QColor

from nnviz.tabs.inside.colors import (
    DIVERGING,
    GREY,
    PACKED_DIVERGING,
    colorize,
    format_value,
    pack,
    rgba_image,
    symmetric_limit,
    text_color_on,
    unpack,
)


def test_diverging_map_ends_and_middle():
    rgba = colorize(np.array([-2.0, 0.0, 2.0, -5.0, 5.0]), -2.0, 2.0)
    np.testing.assert_array_equal(rgba[0], DIVERGING[0])
    np.testing.assert_array_equal(rgba[2], DIVERGING[-1])
    np.testing.assert_array_equal(rgba[3], DIVERGING[0])     # clipped
    np.testing.assert_array_equal(rgba[4], DIVERGING[-1])
    r, g, b, a = rgba[1]
    assert min(r, g, b) > 235 and a == 255                   # 0 is (near) white
    assert DIVERGING[0, 2] > DIVERGING[0, 0]                   # negative is blue
    assert DIVERGING[-1, 0] > DIVERGING[-1, 2]                 # positive is red


def test_nan_is_the_neutral_colour_and_grey_is_monotone():
    np.testing.assert_array_equal(colorize(np.array([np.nan]), -1, 1)[0], DIVERGING[128])
    assert np.all(np.diff(GREY[:, 0].astype(int)) >= 0)


def test_per_map_limits_broadcast_and_fill_in_place():
    maps = np.stack([np.full((2, 2), 0.5), np.full((2, 2), -3.0)])
    limits = symmetric_limit(maps, axis=(1, 2))
    assert limits.shape == (2, 1, 1)
    np.testing.assert_allclose(limits.reshape(-1), [0.5, 3.0])
    out = np.zeros((2, 2, 2, 4), dtype=np.uint8)
    result = colorize(maps, -limits, limits, out=out)
    assert result is out
    np.testing.assert_array_equal(out[0, 0, 0], DIVERGING[-1])
    np.testing.assert_array_equal(out[1, 0, 0], DIVERGING[0])


def test_limit_never_zero_or_nan():
    assert symmetric_limit(np.zeros(4)) > 0
    assert np.isfinite(symmetric_limit(np.array([np.inf, 1.0])))
    assert symmetric_limit(np.zeros(0)) > 0


def test_rgba_image_shares_the_buffer(qapp):
    buffer = np.zeros((2, 3, 4), dtype=np.uint8)
    image = rgba_image(buffer)
    buffer[1, 2] = (10, 20, 30, 255)
    assert image.pixelColor(2, 1).getRgb() == (10, 20, 30, 255)
    with pytest.raises(ValueError):
        rgba_image(np.zeros((2, 3, 3), dtype=np.uint8))


def test_format_and_text_colour():
    assert format_value(0.12345) == "+0.123"
    assert format_value(-2.0) == "−2.000"
    assert "e" in format_value(1.5e-6)
    assert text_color_on(QColor(255, 255, 255)).red() < 100
    assert text_color_on(QColor(0, 0, 80)).red() > 200


def test_packed_words_round_trip_and_draw_as_rgb32(qapp):
    np.testing.assert_array_equal(unpack(pack(DIVERGING)), DIVERGING)
    words = colorize(np.array([[-1.0, 0.0, 1.0]]), -1.0, 1.0, PACKED_DIVERGING)
    assert words.dtype == np.uint32 and words.shape == (1, 3)
    np.testing.assert_array_equal(unpack(words)[0], colorize(np.array([-1.0, 0.0, 1.0]), -1, 1))
    image = rgba_image(words)
    r, g, b, _ = DIVERGING[-1]
    assert image.pixelColor(2, 0).getRgb() == (r, g, b, 255)
