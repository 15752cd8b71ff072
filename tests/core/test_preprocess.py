"""The MNIST recipe: crop to the ink, fit the longer side to 20 px, centre by mass in 28x28."""

from __future__ import annotations

import gzip
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.preprocess import area_matrix, center_of_mass, ink_bbox, resample, stages, to_mnist


def canvas(side: int = 280) -> np.ndarray:
    return np.zeros((side, side), dtype=np.float32)


def glyph(img: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """An L-shaped 'digit' (asymmetric, so its centre of mass is not the box centre)."""
    stroke = max(2, min(height, width) // 5)
    img[top : top + height, left : left + stroke] = 1.0
    img[top + height - stroke : top + height, left : left + width] = 1.0
    return img


def ink_extent(x: np.ndarray, threshold: float = 0.05) -> tuple[int, int]:
    top, bottom, left, right = ink_bbox(x, threshold)
    return bottom - top, right - left


def test_small_off_centre_digit_ends_up_centred_and_20_px_tall():
    img = glyph(canvas(), top=12, left=200, height=50, width=30)
    x = to_mnist(img)
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() == pytest.approx(1.0)
    assert ink_extent(x)[0] == 20
    row, col = center_of_mass(x)
    assert abs(row - 14.0) <= 0.5 and abs(col - 14.0) <= 0.5


@pytest.mark.parametrize(
    ("height", "width", "expected"),
    [(120, 60, (20, 10)), (60, 180, (7, 20)), (100, 100, (20, 20)), (200, 20, (20, 2))],
)
def test_aspect_ratio_is_kept(height, width, expected):
    img = canvas()
    img[30 : 30 + height, 40 : 40 + width] = 1.0
    result = stages(img)
    assert result["scaled"].shape == expected
    assert result["bbox"] == (30, 30 + height, 40, 40 + width)
    assert ink_extent(result["input"]) == expected


def test_empty_and_nearly_empty_input_give_none():
    assert to_mnist(canvas()) is None
    dot = canvas()
    dot[100:110, 100:110] = 1.0  # a 10-px dot: smaller than 8 % of the side
    assert to_mnist(dot) is None
    faint = canvas() + 0.01  # below the ink threshold everywhere
    assert to_mnist(faint) is None
    result = stages(canvas())
    assert result["empty"] and result["input"] is None and result["raw"].shape == (280, 280)


def test_uint8_input_is_scaled_like_float():
    img = glyph(canvas(), 50, 60, 150, 90)
    as_uint8 = np.rint(img * 255).astype(np.uint8)
    np.testing.assert_allclose(to_mnist(as_uint8), to_mnist(img), atol=1e-6)


def test_resample_matches_block_mean_for_integer_factor():
    rng = np.random.default_rng(0)
    img = rng.random((280, 140)).astype(np.float32)
    expected = img.reshape(28, 10, 14, 10).mean(axis=(1, 3))
    np.testing.assert_allclose(resample(img, 0.1), expected, rtol=1e-5, atol=1e-6)


def test_area_matrix_conserves_mass():
    m = area_matrix(97, 20 / 97, 20)
    # every source pixel is spread over the outputs with total weight = scale
    np.testing.assert_allclose(m.sum(axis=0), 20 / 97, rtol=1e-5)
    np.testing.assert_allclose(m.sum(axis=1), 1.0, rtol=1e-5)


def test_crop_off_keeps_a_small_digit_small():
    img = glyph(canvas(), 12, 200, 50, 30)
    x = to_mnist(img, crop=False)
    # the whole 280-px canvas goes into 20 px, so 50 px of digit become about 4
    assert ink_extent(x)[0] <= 5


def test_scale_off_keeps_the_canvas_size():
    img = glyph(canvas(), 12, 200, 50, 30)
    x = to_mnist(img, scale=False)
    assert ink_extent(x)[0] == 5  # 50 px * 28 / 280
    big = glyph(canvas(), 5, 5, 270, 200)
    assert ink_extent(to_mnist(big, scale=False))[0] == 27


def test_center_off_keeps_the_position():
    img = glyph(canvas(), 12, 200, 50, 30)
    result = stages(img, center=False)
    sh, sw = result["scaled"].shape
    assert result["offset"] == (0, 28 - sw)  # top right, as drawn, clipped inside the frame
    row, col = result["com"]
    assert row < 13 and col > 16
    centred = stages(img)["com"]
    assert abs(centred[0] - 14) <= 0.5 and abs(centred[1] - 14) <= 0.5


def test_all_steps_off_is_a_plain_downscale():
    img = glyph(canvas(), 12, 200, 50, 30)
    x = to_mnist(img, crop=False, scale=False, center=False)
    expected = img.reshape(28, 10, 28, 10).mean(axis=(1, 3))
    np.testing.assert_allclose(x, expected / expected.max(), atol=1e-5)


def test_bad_input_is_rejected_or_sanitised():
    with pytest.raises(ValueError, match="2-D"):
        to_mnist(np.zeros((3, 28, 28)))
    with pytest.raises(ValueError, match="2-D"):
        to_mnist(np.zeros((0, 28)))
    img = glyph(canvas(), 50, 60, 150, 90)
    img[0, 0] = np.nan
    x = to_mnist(img)
    assert np.all(np.isfinite(x))


@settings(max_examples=40, deadline=None)
@given(
    top=st.integers(0, 200),
    left=st.integers(0, 200),
    height=st.integers(25, 79),
    width=st.integers(25, 79),
)
def test_any_placed_glyph_is_fitted_and_centred(top, left, height, width):
    result = stages(glyph(canvas(), top, left, height, width))
    x = result["input"]
    assert max(ink_extent(x)) == 20
    assert 0.0 <= x.min() and x.max() <= 1.0
    sh, sw = result["scaled"].shape
    for axis, (com, offset, size) in enumerate(
        zip(result["com"], result["offset"], (sh, sw), strict=True)
    ):
        clipped = offset in (0, 28 - size)  # the patch touches the frame's edge
        # an integer shift centres to within half a pixel (plus float32 rounding)
        assert abs(com - 14.0) <= 0.5 + 1e-4 or (clipped and abs(com - 14.0) <= 1.0 + 1e-4), axis


def test_mnist_digits_are_already_in_mnist_form(mnist_dir):
    """Oracle: MNIST itself was made by this recipe, so its digits come back almost
    unchanged (up to the peak normalisation)."""
    with gzip.open(mnist_dir / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:200]
    same = 0
    for image in images:
        x = to_mnist(image)
        original = image.astype(np.float32) / image.max()
        same += np.abs(x - original).max() < 1e-6
    assert same / len(images) >= 0.9


def test_preprocessing_a_280_canvas_is_fast():
    img = glyph(canvas(), 40, 60, 180, 120)
    to_mnist(img)
    times = []
    for _ in range(30):
        start = time.perf_counter()
        to_mnist(img)
        times.append(time.perf_counter() - start)
    assert np.median(times) < 2e-3


def test_non_square_image_with_all_steps_off_sits_centred():
    img = np.zeros((140, 280), dtype=np.float32)
    img[20:120, 30:250] = 1.0
    result = stages(img, crop=False, scale=False, center=False)
    assert result["scaled"].shape == (14, 28)
    assert result["offset"] == (7, 0)
    expected = np.zeros((28, 28), np.float32)
    expected[7:21] = img.reshape(14, 10, 28, 10).mean(axis=(1, 3))
    np.testing.assert_allclose(result["input"], expected, atol=1e-6)
