"""Snapshot statistics: copies, norms, zero fractions, update ratios."""

from __future__ import annotations

import numpy as np

from core.diagnostics import param_stats, take_snapshot
from core.models import tutorial_cnn


def test_param_stats_values():
    w = np.array([[0.0, 3.0], [4.0, 0.0]], dtype=np.float32)
    stats = param_stats("dense_1.W", w, grad=np.ones_like(w), previous=w * 0.5)
    assert stats.layer == "dense_1" and stats.weight_norm == 5.0 and stats.grad_norm == 2.0
    assert stats.zero_fraction == 0.5 and stats.update_ratio == 0.5
    assert stats.histogram[0].sum() == 4 and len(stats.histogram[1]) == 41


def test_snapshot_copies_weights_and_tracks_updates():
    model = tutorial_cnn()
    x = np.random.default_rng(0).random((20, 1, 28, 28), dtype=np.float32)
    y = np.arange(20) % 10
    model.train_on_batch(x, y)
    first = take_snapshot(model, epoch=0)
    live = model.named_params()
    assert all(not np.shares_memory(first.weights[k], live[k]) for k in live)
    assert np.isnan(first.stats["dense_1.W"].update_ratio)
    model.train_on_batch(x, y)
    second = take_snapshot(model, epoch=0, previous=first)
    assert second.step == 2 and second.stats["dense_1.W"].update_ratio > 0
    assert set(second.zero_fractions()) == {"conv2d_1", "conv2d_2", "conv2d_3", "dense_1",
                                            "dense_2"}
