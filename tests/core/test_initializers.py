"""Initialisers: the tutorial's normal(0.05) and Glorot's limits."""

from __future__ import annotations

import numpy as np
import pytest

from core import initializers


def test_normal_has_keras_sigma():
    w = initializers.get("normal")((400, 300), (400, 300), np.random.default_rng(0))
    assert w.dtype == np.float32 and abs(w.std() - 0.05) < 0.001


def test_glorot_uniform_limit_for_conv_fans():
    shape, fans = (8, 4, 3, 3), (4 * 9, 8 * 9)
    w = initializers.glorot_uniform(shape, fans, np.random.default_rng(0))
    limit = np.sqrt(6 / (36 + 72))
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.95 * limit


def test_unknown_name():
    with pytest.raises(ValueError, match="unknown initializer"):
        initializers.get("nope")
    assert "he_normal" in initializers.names()
