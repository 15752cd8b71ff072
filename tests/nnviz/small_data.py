"""A few hundred digits of the shipped sample, for GUI tests that train for real but fast."""

from __future__ import annotations

from functools import cache

from core.data import Dataset, load_sample


@cache
def small_sample(n_train: int = 300, n_test: int = 50) -> Dataset:
    """The first ``n_train`` training and ``n_test`` test digits of the sample (shared: do
    not modify its arrays)."""
    d = load_sample()
    return Dataset("small", d.x_train[:n_train], d.y_train[:n_train], d.x_test[:n_test],
                   d.y_test[:n_test], source="the first digits of the sample")
