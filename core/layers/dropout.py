"""Dropout: zero a random share of activations while training (inverted scaling)."""

from __future__ import annotations

import numpy as np

from core.layers.base import Layer


class Dropout(Layer):
    """In training, y = x·mask / (1 - rate) with mask ~ Bernoulli(1 - rate); at inference y = x.

    Inverted scaling keeps the expected activation unchanged, so nothing changes at test
    time. ``rate`` may change between batches (e.g. from the GUI).
    """

    kind = "dropout"

    def __init__(self, rate: float, name: str | None = None, dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        if isinstance(rate, bool) or not isinstance(rate, int | float | np.number) \
                or not 0.0 <= rate < 1.0:
            raise ValueError(f"{self.label}: the dropout rate must be in [0, 1) (the share of "
                             f"activations zeroed while training), got {rate!r}")
        self.rate = float(rate)
        self._mask: np.ndarray | None = None

    def forward(self, x, training=False):
        self._ensure_built(x)
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = 1.0 - self.rate
        self._mask = (self.rng.random(x.shape, dtype=np.float32) < keep).astype(x.dtype) / keep
        return x * self._mask

    def backward(self, grad_out):
        return grad_out.copy() if self._mask is None else grad_out * self._mask

    def sync_from(self, original):
        self.rate = original.rate

    def get_config(self):
        return {"name": self.name, "rate": self.rate}
