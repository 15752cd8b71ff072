"""Layers with a shared contract (see :mod:`core.layers.base`) and a name registry."""

from __future__ import annotations

from core.checks import known_settings
from core.layers.activations import ACTIVATIONS, Activation, PReLU
from core.layers.base import Layer
from core.layers.conv import Conv2D
from core.layers.dense import Dense
from core.layers.dropout import Dropout
from core.layers.pooling import MaxPooling2D
from core.layers.reshape import Flatten

LAYER_TYPES: dict[str, type[Layer]] = {
    cls.__name__: cls for cls in (Conv2D, MaxPooling2D, Flatten, Dense, Activation, PReLU, Dropout)
}


def layer_from_config(class_name: str, config: dict) -> Layer:
    """Rebuild a layer from its class name and ``get_config()`` dict (model files use this);
    an unknown class, an unknown setting or a bad value raises ValueError."""
    cls = LAYER_TYPES.get(class_name) if isinstance(class_name, str) else None
    if cls is None:
        raise ValueError(f"unknown layer type {class_name!r:.40}")
    return cls(**known_settings(cls, config, class_name))


__all__ = [
    "ACTIVATIONS", "Activation", "Conv2D", "Dense", "Dropout", "Flatten", "Layer",
    "LAYER_TYPES", "MaxPooling2D", "PReLU", "layer_from_config",
]
