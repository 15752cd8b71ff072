"""Layers with a shared contract (see :mod:`core.layers.base`) and a name registry."""

from __future__ import annotations

from core.checks import known_settings
from core.layers.activations import ACTIVATIONS, ELU, Activation, LeakyReLU, PReLU
from core.layers.base import Layer
from core.layers.conv import Conv2D
from core.layers.dense import Dense
from core.layers.dropout import Dropout
from core.layers.normalization import BatchNormalization
from core.layers.pooling import AveragePooling2D, MaxPooling2D, Pooling2D
from core.layers.reshape import Flatten

LAYER_TYPES: dict[str, type[Layer]] = {
    cls.__name__: cls for cls in (Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dense,
                                  Activation, LeakyReLU, ELU, PReLU, Dropout, BatchNormalization)
}


def layer_from_config(class_name: str, config: dict) -> Layer:
    """Rebuild a layer from its class name and ``get_config()`` dict (model files use this);
    an unknown class, an unknown setting or a bad value raises ValueError."""
    cls = LAYER_TYPES.get(class_name) if isinstance(class_name, str) else None
    if cls is None:
        raise ValueError(f"unknown layer type {class_name!r:.40}; choose one of "
                         f"{', '.join(LAYER_TYPES)}")
    return cls(**known_settings(cls, config, class_name))


__all__ = [
    "ACTIVATIONS", "Activation", "AveragePooling2D", "BatchNormalization", "Conv2D", "Dense",
    "Dropout", "ELU", "Flatten", "LAYER_TYPES", "Layer", "LeakyReLU", "MaxPooling2D",
    "PReLU", "Pooling2D", "layer_from_config",
]
