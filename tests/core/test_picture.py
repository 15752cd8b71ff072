"""core.picture: the ink of any picture of a digit, or a clear "no digit here"."""

from __future__ import annotations

import numpy as np
import pytest

from core.picture import PictureError, picture_ink
from core.preprocess import to_mnist


def seven(h=120, w=100, ink=1.0, paper=0.0) -> np.ndarray:
    """A light 7 on dark paper, (h, w) float in [0, 1]."""
    image = np.full((h, w), paper, np.float32)
    image[h // 5 : h // 5 + h // 12, w // 5 : 4 * w // 5] = ink
    for r in range(h // 5, 4 * h // 5):
        c = int(4 * w // 5 - (r - h // 5) * 0.4)
        image[r, max(c - w // 16, 0) : c + w // 16] = ink
    return image


def test_light_on_dark_is_taken_as_it_is():
    result = picture_ink(seven())
    assert not result.inverted and result.size == (100, 120)
    assert "light ink on a dark ground" in result.polarity()
    np.testing.assert_allclose(result.ink, seven(), atol=1e-6)


def test_dark_on_light_is_detected_and_inverted_to_the_same_digit():
    paper_photo = 0.9 - 0.7 * seven()  # grey ink 0.2 on off-white paper 0.9
    result = picture_ink(paper_photo)
    assert result.inverted and "inverted" in result.polarity()
    np.testing.assert_allclose(to_mnist(result.ink), to_mnist(seven()), atol=1e-5)


def test_uint8_pictures_and_faint_texture():
    noisy = np.clip(seven() * 0.8 + np.random.default_rng(0).uniform(0, 0.1, (120, 100)), 0, 1)
    result = picture_ink((noisy * 255).astype(np.uint8))
    assert result.ink[seven() == 0].max() == 0.0  # paper texture under a quarter dropped
    assert result.ink[seven() == 1].min() > 0.8


def test_specks_are_removed():
    image = seven()
    image[5, 5] = image[110, 90] = 1.0
    ink = picture_ink(image).ink
    assert ink[5, 5] == 0.0 and ink[110, 90] == 0.0 and ink.sum() == pytest.approx(seven().sum())


@pytest.mark.parametrize(("picture", "message"), [
    (np.full((50, 60), 0.7, np.float32), "uniform"),
    (np.random.default_rng(1).random((80, 80)).astype(np.float32), "scattered|ink"),
    (np.ones((4, 40), np.float32), "too small"),
    (np.pad(np.ones((80, 80), np.float32), 2), "of the picture is ink"),
    (np.zeros((3, 3, 3)), "grey picture"),
])
def test_no_digit_like_ink_is_said_not_guessed(picture, message):
    with pytest.raises(PictureError, match=message):
        picture_ink(picture)
