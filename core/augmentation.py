"""Real-time data augmentation with the tutorial's options (Keras' ImageDataGenerator).

``Augmenter.fit(x)`` learns the featurewise statistics (mean, std, ZCA matrix) from
training images; ``augment(batch)`` applies random geometry (rotation, shifts, zoom,
shear, flips) followed by the standardisation; ``standardize(x)`` applies only the
latter, and must also be used at prediction time when the model was trained with it.
Batches are NCHW float32; every transform is vectorised over the whole batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass
class AugmentationConfig:
    """The options, named as Keras names them (ranges: degrees, fractions of the size)."""

    featurewise_center: bool = False
    featurewise_std_normalization: bool = False
    zca_whitening: bool = False
    zca_epsilon: float = 1e-6
    rotation_range: float = 0.0
    width_shift_range: float = 0.0
    height_shift_range: float = 0.0
    zoom_range: float = 0.0
    shear_range: float = 0.0
    horizontal_flip: bool = False
    vertical_flip: bool = False

    @property
    def changes_geometry(self) -> bool:
        return bool(self.rotation_range or self.width_shift_range or self.height_shift_range
                    or self.zoom_range or self.shear_range or self.horizontal_flip
                    or self.vertical_flip)

    @property
    def standardizes(self) -> bool:
        return self.featurewise_center or self.featurewise_std_normalization or self.zca_whitening

    def warnings(self) -> list[str]:
        """Plain-words cautions about options that hurt digits."""
        notes = []
        if self.horizontal_flip:
            notes.append("Horizontal flip is wrong for digits: a mirrored 2 is not a 2 "
                         "(and a mirrored 3 looks like an epsilon). Use it for Fashion-MNIST.")
        if self.vertical_flip:
            notes.append("Vertical flip turns 6 into something like 9: wrong for digits.")
        if self.rotation_range > 30:
            notes.append("Rotations beyond about 30° make 6 and 9 (and 2 and 5) ambiguous.")
        return notes


class Augmenter:
    """Random geometric transforms plus featurewise standardisation, for NCHW batches."""

    def __init__(self, config: AugmentationConfig | None = None, seed: int | None = 0,
                 **options) -> None:
        self.config = config or AugmentationConfig(**options)
        self.rng = np.random.default_rng(seed)
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None
        self.zca: np.ndarray | None = None

    def fit(self, x: np.ndarray) -> Augmenter:
        """Learn per-channel mean and std and the ZCA matrix from images x: (N, C, H, W)."""
        x = np.asarray(x, dtype=np.float64)
        cfg = self.config
        self.mean = x.mean(axis=(0, 2, 3), keepdims=True)[0]  # (C, 1, 1), Keras channels_first
        self.std = x.std(axis=(0, 2, 3), keepdims=True)[0]
        if cfg.zca_whitening:  # fitted on the data as standardize() leaves it, as Keras does
            if cfg.featurewise_center:
                x = x - self.mean
            if cfg.featurewise_std_normalization:
                x = x / (self.std + 1e-6)
            flat = x.reshape(len(x), -1)
            flat = flat - flat.mean(axis=0)
            sigma = flat.T @ flat / len(flat)
            u, s, _ = np.linalg.svd(sigma)
            self.zca = ((u / np.sqrt(s + cfg.zca_epsilon)) @ u.T).astype(np.float32)
        return self

    def standardize(self, x: np.ndarray) -> np.ndarray:
        """Apply the fitted featurewise centring / normalisation / ZCA (a new array)."""
        cfg = self.config
        if not cfg.standardizes:
            return x
        if self.mean is None:
            raise RuntimeError("call fit(x) before using featurewise options")
        out = x.astype(np.float32, copy=True)
        if cfg.featurewise_center:
            out -= self.mean.astype(np.float32)
        if cfg.featurewise_std_normalization:
            out /= self.std.astype(np.float32) + np.float32(1e-6)
        if cfg.zca_whitening:
            shape = out.shape
            out = (out.reshape(len(out), -1) @ self.zca).reshape(shape)
        return out

    def augment(self, x: np.ndarray) -> np.ndarray:
        """Random transform of each image of x: (N, C, H, W), then standardisation."""
        if self.config.changes_geometry:
            x = self.random_geometry(x)
        return self.standardize(x)

    __call__ = augment

    def random_geometry(self, x: np.ndarray) -> np.ndarray:
        """Rotate, shift, zoom, shear and flip each image by its own random amounts.

        Each output pixel samples the input bilinearly at an affine image of its own
        position (about the image centre); pixels from outside the frame are 0.
        """
        cfg, rng = self.config, self.rng
        n, c, h, w = x.shape
        theta = np.deg2rad(rng.uniform(-cfg.rotation_range, cfg.rotation_range, n))
        shear = np.deg2rad(rng.uniform(-cfg.shear_range, cfg.shear_range, n))
        zoom = rng.uniform(1 - cfg.zoom_range, 1 + cfg.zoom_range, (2, n))
        ty = rng.uniform(-cfg.height_shift_range, cfg.height_shift_range, n) * h
        tx = rng.uniform(-cfg.width_shift_range, cfg.width_shift_range, n) * w
        flip_x = np.where(cfg.horizontal_flip & (rng.random(n) < 0.5), -1.0, 1.0)
        flip_y = np.where(cfg.vertical_flip & (rng.random(n) < 0.5), -1.0, 1.0)
        # inverse map output -> input, (N, 2, 2) acting on (row, col) offsets from the centre
        cos, sin = np.cos(theta), np.sin(theta)
        a = np.empty((n, 2, 2))
        a[:, 0, 0] = cos / zoom[0]
        a[:, 0, 1] = (sin + np.tan(shear) * cos) / zoom[0]
        a[:, 1, 0] = -sin / zoom[1]
        a[:, 1, 1] = (cos - np.tan(shear) * sin) / zoom[1]
        a[:, :, 0] *= flip_y[:, None]
        a[:, :, 1] *= flip_x[:, None]
        return affine_sample(x, a, np.stack([-ty, -tx], axis=1))

    def get_config(self) -> dict:
        return asdict(self.config)


def affine_sample(x: np.ndarray, matrix: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Bilinear resampling of every image of a batch under its own affine map.

    x: (N, C, H, W); matrix: (N, 2, 2) and offset: (N, 2) map an output pixel's
    (row, col) offset from the centre to the input's: src = matrix @ dst + offset.
    Returns float32 (N, C, H, W); samples outside the image read 0.
    """
    n, c, h, w = x.shape
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    rows, cols = np.mgrid[0:h, 0:w]
    dst = np.stack([rows.ravel() - cy, cols.ravel() - cx])              # (2, H*W)
    src = matrix @ dst + offset[:, :, None]                             # (N, 2, H*W)
    sy, sx = src[:, 0] + cy, src[:, 1] + cx
    y0, x0 = np.floor(sy).astype(np.int64), np.floor(sx).astype(np.int64)
    fy, fx = (sy - y0).astype(np.float32), (sx - x0).astype(np.float32)
    padded = np.pad(x.astype(np.float32, copy=False), ((0, 0), (0, 0), (1, 1), (1, 1)))
    flat = padded.reshape(n, c, (h + 2) * (w + 2))
    out = np.zeros((n, c, h * w), dtype=np.float32)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            yy = np.clip(y0 + dy + 1, 0, h + 1)
            xx = np.clip(x0 + dx + 1, 0, w + 1)
            inside = (y0 + dy >= -1) & (y0 + dy <= h) & (x0 + dx >= -1) & (x0 + dx <= w)
            weight = (wy * wx * inside)[:, None, :]
            idx = np.broadcast_to((yy * (w + 2) + xx)[:, None, :], out.shape)
            out += weight * np.take_along_axis(flat, idx, axis=2)
    return out.reshape(n, c, h, w)
