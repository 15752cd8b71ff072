"""Augmentation: exact geometry, standardisation statistics, ZCA, warnings."""

from __future__ import annotations

import numpy as np
import pytest

from core.augmentation import AugmentationConfig, Augmenter, affine_sample


def batch(n=4, seed=0):
    return np.random.default_rng(seed).random((n, 1, 9, 9)).astype(np.float32)


def test_identity_map_returns_the_images():
    x = batch()
    out = affine_sample(x, np.tile(np.eye(2), (4, 1, 1)), np.zeros((4, 2)))
    np.testing.assert_allclose(out, x, atol=1e-6)


def test_quarter_turn_and_integer_shift_are_exact():
    x = batch(1)
    quarter = np.array([[[0.0, -1.0], [1.0, 0.0]]])  # src = R·dst about the centre
    out = affine_sample(x, quarter, np.zeros((1, 2)))
    np.testing.assert_allclose(out[0, 0], np.rot90(x[0, 0], k=-1), atol=1e-6)
    shifted = affine_sample(x, np.eye(2)[None], np.array([[0.0, -2.0]]))  # right by 2
    np.testing.assert_allclose(shifted[0, 0, :, 2:], x[0, 0, :, :-2], atol=1e-6)
    assert np.all(shifted[0, 0, :, :2] == 0)


def test_flips_mirror_exactly():
    x = batch(200)
    aug = Augmenter(horizontal_flip=True, seed=1)
    out = aug.augment(x)
    mirrored = np.all(np.isclose(out, x[..., ::-1], atol=1e-6), axis=(1, 2, 3))
    same = np.all(np.isclose(out, x, atol=1e-6), axis=(1, 2, 3))
    assert np.all(mirrored | same) and 60 < mirrored.sum() < 140


def test_random_geometry_keeps_shape_and_differs_per_image():
    x = np.repeat(batch(1), 8, axis=0)
    out = Augmenter(rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
                    seed=0).augment(x)
    assert out.shape == x.shape and out.dtype == np.float32
    assert len({out[i].tobytes() for i in range(8)}) == 8


def test_featurewise_center_and_std():
    x = batch(50) * 3 + 1
    aug = Augmenter(featurewise_center=True, featurewise_std_normalization=True).fit(x)
    out = aug.standardize(x)
    assert abs(out.mean()) < 1e-5 and abs(out.std() - 1) < 1e-3
    with pytest.raises(RuntimeError, match="fit"):
        Augmenter(featurewise_center=True).standardize(x)


def test_zca_whitening_decorrelates():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((2000, 1))
    x = (base + 0.3 * rng.standard_normal((2000, 16))).reshape(2000, 1, 4, 4)
    aug = Augmenter(zca_whitening=True, zca_epsilon=1e-6).fit(x)
    flat = aug.standardize(x.astype(np.float32)).reshape(2000, -1)
    cov = np.cov(flat - flat.mean(axis=0), rowvar=False)
    np.testing.assert_allclose(cov, np.eye(16), atol=0.05)


def test_warnings_for_options_wrong_for_digits():
    assert any("mirrored 2" in w for w in AugmentationConfig(horizontal_flip=True).warnings())
    assert AugmentationConfig(rotation_range=20).warnings() == []
    assert AugmentationConfig(vertical_flip=True).warnings()


def test_zca_after_centre_and_std_whitens_data_with_an_offset():
    rng = np.random.default_rng(1)
    base = rng.standard_normal((3000, 1))
    x = 5.0 + 2.0 * (base + 0.3 * rng.standard_normal((3000, 9)))
    x = x.reshape(3000, 1, 3, 3)
    aug = Augmenter(featurewise_center=True, featurewise_std_normalization=True,
                    zca_whitening=True, zca_epsilon=1e-6).fit(x)
    flat = aug.standardize(x.astype(np.float32)).reshape(3000, -1).astype(np.float64)
    np.testing.assert_allclose(np.cov(flat, rowvar=False), np.eye(9), atol=0.05)
