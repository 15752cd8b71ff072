"""nnviz's training engine: a small numpy library with a Keras-like API. Never imports Qt.

The curated public API::

    from core import Sequential, preset, tutorial_cnn, layers, losses, optimizers, regularizers
    from core.data import load_mnist, as_network_input

Modules: ``layers`` (Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dense, Activation,
LeakyReLU, ELU, PReLU, Dropout, BatchNormalization),
``functional`` (softmax, im2col), ``losses``, ``optimizers``, ``regularizers``,
``initializers``, ``model`` (Sequential), ``parallel`` (its data parallelism over threads),
``model_file`` (the ``.npz`` format), ``models`` (the presets: tutorial_cnn, lenet5, mlp,
wide_cnn), ``architecture`` (check_architecture: a network's mistakes before it is built),
``callbacks``,
``training`` (the thread-safe Trainer), ``data`` (loaders, ``to_categorical``),
``download`` (full MNIST / Fashion-MNIST, checksummed), ``augmentation``, ``preprocess``
(drawing -> MNIST input), ``regression`` (a package: Lasso / Ridge / elastic net and their
geometry), ``scratch`` (the 2-layer network), ``diagnostics``, ``personal`` (the user's own
digits), ``export`` (ONNX and a PyTorch script), ``cli``. No module imports another in a
circle (tests/core/test_import_contract.py checks it).
"""

from core import initializers, layers, losses, optimizers, regularizers
from core.data import to_categorical
from core.model import Sequential
from core.models import preset, tutorial_cnn

__all__ = [
    "Sequential", "initializers", "layers", "losses", "optimizers", "preset", "regularizers",
    "to_categorical", "tutorial_cnn",
]
