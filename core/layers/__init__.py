"""Layers with a shared contract (see :mod:`core.layers.base`) and a name registry."""

from __future__ import annotations

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
    """Rebuild a layer from its class name and ``get_config()`` dict (model files use this)."""
    try:
        cls = LAYER_TYPES[class_name]
    except KeyError:
        raise ValueError(f"unknown layer type {class_name!r}") from None
    return cls(**config)


__all__ = [
    "ACTIVATIONS", "Activation", "Conv2D", "Dense", "Dropout", "Flatten", "Layer",
    "LAYER_TYPES", "MaxPooling2D", "PReLU", "layer_from_config",
]
