"""Sharded training and prediction give the same numbers as a single pass."""

from __future__ import annotations

import numpy as np

from core import regularizers
from core.models import tutorial_cnn
from core.parallel import shard_slices


def test_shards_cover_everything_once():
    for n in (1, 15, 32, 100, 101):
        slices = shard_slices(n, 3)
        covered = np.concatenate([np.arange(n)[s] for s in slices])
        np.testing.assert_array_equal(covered, np.arange(n))
        assert all(s.stop - s.start >= 16 for s in slices) or len(slices) == 1


def test_two_workers_train_like_one():
    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 64)
    reg = regularizers.l1_l2(1e-4, 1e-3)
    one = tutorial_cnn(seed=3, kernel_regularizer=reg, dropout=0.0)
    two = tutorial_cnn(seed=3, kernel_regularizer=reg, dropout=0.0)
    one.workers, two.workers = 1, 2
    for _ in range(3):
        logs_one = one.train_on_batch(x, y)
        logs_two = two.train_on_batch(x, y)
        assert abs(logs_two["loss"] - logs_one["loss"]) < 1e-5
        assert logs_two["accuracy"] == logs_one["accuracy"]
    for a, b in zip(one.get_weights(), two.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_sharded_predict_equals_single_pass():
    model = tutorial_cnn(seed=1)
    x = np.random.default_rng(2).random((1500, 1, 28, 28), dtype=np.float32)
    model.workers = 1
    single = model.predict(x)
    model.workers = 2
    np.testing.assert_allclose(model.predict(x), single, rtol=1e-5, atol=1e-7)
