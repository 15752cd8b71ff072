"""Weight initialisers, looked up by name as in Keras (``"normal"``, ``"glorot_uniform"``...).

Each initialiser is called as ``init(shape, fans, rng, dtype) -> array`` where ``fans`` is
(fan_in, fan_out): Dense (in, out) has fans (in, out); Conv2D (F, C, kh, kw) has
(C*kh*kw, F*kh*kw).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Initializer = Callable[[tuple[int, ...], tuple[int, int], np.random.Generator, type], np.ndarray]


def normal(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """N(0, 0.05²): Keras' ``"normal"`` (RandomNormal(stddev=0.05)), the tutorial's dense init."""
    return rng.normal(0.0, 0.05, size=shape).astype(dtype)


def uniform(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """U(-0.05, 0.05): Keras' ``"uniform"``."""
    return rng.uniform(-0.05, 0.05, size=shape).astype(dtype)


def glorot_uniform(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """U(-l, l) with l = sqrt(6 / (fan_in + fan_out)): Keras' default kernel initialiser."""
    limit = np.sqrt(6.0 / (fans[0] + fans[1]))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def glorot_normal(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """N(0, 2 / (fan_in + fan_out))."""
    return rng.normal(0.0, np.sqrt(2.0 / (fans[0] + fans[1])), size=shape).astype(dtype)


def he_normal(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """N(0, 2 / fan_in): suits relu layers."""
    return rng.normal(0.0, np.sqrt(2.0 / fans[0]), size=shape).astype(dtype)


def he_uniform(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """U(-l, l) with l = sqrt(6 / fan_in)."""
    limit = np.sqrt(6.0 / fans[0])
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def zeros(shape, fans, rng, dtype=np.float32) -> np.ndarray:
    """All zeros: biases, PReLU slopes."""
    return np.zeros(shape, dtype=dtype)


_REGISTRY: dict[str, Initializer] = {
    f.__name__: f
    for f in (normal, uniform, glorot_uniform, glorot_normal, he_normal, he_uniform, zeros)
}


def names() -> list[str]:
    """Names accepted by :func:`get`, for combo boxes."""
    return sorted(_REGISTRY)


def get(identifier: str | Initializer) -> Initializer:
    """Resolve an initialiser name (or pass a callable through)."""
    if callable(identifier):
        return identifier
    if not isinstance(identifier, str) or identifier not in _REGISTRY:
        raise ValueError(f"unknown initializer {identifier!r:.40}; choose one of {names()}")
    return _REGISTRY[identifier]


def check(identifier: str | Initializer) -> str | Initializer:
    """``identifier`` unchanged if :func:`get` can resolve it (layers keep the name for
    their config), else the ValueError of :func:`get`."""
    get(identifier)
    return identifier
