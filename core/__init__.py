"""nnviz's training engine: a small numpy library with a Keras-like API. Never imports Qt.

The curated public API::

    from core import Sequential, tutorial_cnn, layers, losses, optimizers, regularizers
    from core.data import load_mnist, as_network_input

Modules: ``layers`` (Conv2D, MaxPooling2D, Flatten, Dense, Activation, PReLU, Dropout),
``losses``, ``optimizers``, ``regularizers``, ``initializers``, ``model`` (Sequential),
``models`` (tutorial_cnn), ``callbacks``, ``training`` (the thread-safe Trainer), ``data``,
``augmentation``, ``preprocess`` (drawing -> MNIST input), ``regression`` (Lasso / Ridge
geometry), ``scratch`` (the 2-layer network), ``diagnostics``, ``model_file``.
"""

from core import initializers, layers, losses, optimizers, regularizers
from core.model import Sequential, to_categorical
from core.models import tutorial_cnn

__all__ = [
    "Sequential", "initializers", "layers", "losses", "optimizers", "regularizers",
    "to_categorical", "tutorial_cnn",
]
