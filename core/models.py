"""Ready-made architectures for 1×28×28 digits: the 2016 Keras tutorial's CNN (the default),
LeNet-5, a dense MLP and a wider CNN, each compiled with the tutorial's SGD.

``PRESETS`` maps a name to its builder ``build(seed=0, compile=True) -> Sequential``;
``PRESET_INFO`` gives each a display name and a one-line description; :func:`preset` builds
one by name. The networks' names are the preset names, so a saved LeNet-5 loads back as
"lenet5" and :func:`display_name` shows it as "LeNet-5". Trainable weights of each:

=============  ========  ==============================================================
preset         weights   layers
=============  ========  ==============================================================
tutorial_cnn    35,754   conv 4@5×5, conv 8@3×3, pool, conv 16@3×3, pool, 128, 10
lenet5          61,706   conv 6@5×5 same, avg-pool, conv 16@5×5, avg-pool, 120, 84, 10
mlp            101,770   flatten 784, 128, 10
wide_cnn        81,258   conv 16@5×5, conv 32@3×3, pool, conv 32@3×3, pool, 128, 10
=============  ========  ==============================================================

``check_architecture`` (from :mod:`core.architecture`) says what is wrong with a network
before it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from core.architecture import check_architecture, inspect_architecture
from core.layers import Activation, AveragePooling2D, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from core.model import Sequential
from core.optimizers import SGD

TUTORIAL_OPTIMIZER = {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True, "decay": 1e-6}
TUTORIAL_TRAINING = {"batch_size": 100, "epochs": 10, "validation_split": 0.2, "shuffle": True}
DIGITS = (1, 28, 28)


class PresetInfo(NamedTuple):
    """How the app shows a preset: ``display_name`` ("LeNet-5") and a one-line description."""

    display_name: str
    description: str


def _compiled(model: Sequential, compile: bool) -> Sequential:
    """The tutorial's training setup: SGD(lr=0.05, decay=1e-6, momentum=0.9, nesterov=True),
    categorical cross-entropy, accuracy. Every preset trains well with it on the digits, so
    switching networks changes one thing at a time."""
    if compile:
        model.compile(loss="categorical_crossentropy", optimizer=SGD(**_sgd_args()),
                      metrics=["accuracy"])
    return model


def tutorial_cnn(seed: int | None = 0, dropout: float = 0.0, kernel_regularizer=None,
                 compile: bool = True) -> Sequential:
    """The 2016 Keras tutorial's CNN for 1×28×28 digits, compiled as the tutorial does.

    conv 4@5×5 tanh -> conv 8@3×3 tanh -> maxpool 2 -> conv 16@3×3 relu -> maxpool 2
    -> flatten 256 -> dense 128 tanh (normal init) -> dense 10 softmax (normal init);
    SGD(lr=0.05, decay=1e-6, momentum=0.9, nesterov=True), categorical cross-entropy.
    ``dropout`` > 0 inserts a Dropout before each dense layer (0 = the tutorial).
    """
    return _tutorial_shape("tutorial_cnn", (4, 8, 16), seed, dropout, kernel_regularizer,
                           compile)


def wide_cnn(seed: int | None = 0, dropout: float = 0.0, kernel_regularizer=None,
             compile: bool = True) -> Sequential:
    """The tutorial CNN with 16, 32 and 32 filters instead of 4, 8 and 16 (81,258 weights):
    conv 16@5×5 tanh -> conv 32@3×3 tanh -> maxpool 2 -> conv 32@3×3 relu -> maxpool 2
    -> flatten 512 -> dense 128 tanh -> dense 10 softmax."""
    return _tutorial_shape("wide_cnn", (16, 32, 32), seed, dropout, kernel_regularizer, compile)


def _tutorial_shape(name: str, filters: tuple[int, int, int], seed, dropout,
                    kernel_regularizer, compile: bool) -> Sequential:
    model = Sequential(input_shape=DIGITS, seed=seed, name=name)
    model.add(Conv2D(filters[0], 5, kernel_regularizer=kernel_regularizer))
    model.add(Activation("tanh"))
    model.add(Conv2D(filters[1], 3, kernel_regularizer=kernel_regularizer))
    model.add(Activation("tanh"))
    model.add(MaxPooling2D(2))
    model.add(Conv2D(filters[2], 3, kernel_regularizer=kernel_regularizer))
    model.add(Activation("relu"))
    model.add(MaxPooling2D(2))
    model.add(Flatten())
    if dropout:
        model.add(Dropout(dropout))
    model.add(Dense(128, kernel_initializer="normal", kernel_regularizer=kernel_regularizer))
    model.add(Activation("tanh"))
    if dropout:
        model.add(Dropout(dropout))
    model.add(Dense(10, kernel_initializer="normal", kernel_regularizer=kernel_regularizer))
    model.add(Activation("softmax"))
    return _compiled(model, compile)


def lenet5(seed: int | None = 0, compile: bool = True) -> Sequential:
    """LeNet-5 (LeCun et al., 1998) for 28×28 digits: the original's 32×32 input is
    replaced by 'same' padding on the first convolution, which keeps every later shape.

    conv 6@5×5 same tanh -> avg-pool 2 (14×14) -> conv 16@5×5 tanh (10×10) -> avg-pool 2
    (5×5) -> flatten 400 -> dense 120 tanh -> dense 84 tanh -> dense 10 softmax:
    61,706 weights. (The original's trainable subsampling coefficients, sparse C3
    connections and RBF output become plain averages, full connections and a softmax.)
    """
    model = Sequential(input_shape=DIGITS, seed=seed, name="lenet5")
    model.add(Conv2D(6, 5, padding="same", activation="tanh"))
    model.add(AveragePooling2D(2))
    model.add(Conv2D(16, 5, activation="tanh"))
    model.add(AveragePooling2D(2))
    model.add(Flatten())
    model.add(Dense(120, activation="tanh"))
    model.add(Dense(84, activation="tanh"))
    model.add(Dense(10, activation="softmax"))
    return _compiled(model, compile)


def mlp(seed: int | None = 0, compile: bool = True) -> Sequential:
    """A dense network, no convolutions: flatten 784 -> dense 128 relu -> dense 10 softmax
    (101,770 weights: more than the tutorial CNN, and it sees no neighbourhoods)."""
    model = Sequential(input_shape=DIGITS, seed=seed, name="mlp")
    model.add(Flatten())
    model.add(Dense(128, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return _compiled(model, compile)


PRESETS: dict[str, Callable[..., Sequential]] = {
    "tutorial_cnn": tutorial_cnn, "lenet5": lenet5, "mlp": mlp, "wide_cnn": wide_cnn,
}
DEFAULT_PRESET = "tutorial_cnn"
PRESET_INFO: dict[str, PresetInfo] = {
    "tutorial_cnn": PresetInfo("Tutorial CNN", "Three small convolutions with max pooling, "
                               "then 128 dense units: the 2016 Keras MNIST tutorial"),
    "lenet5": PresetInfo("LeNet-5", "LeCun's 1998 digit reader: two convolutions with "
                         "average-pooling subsampling, then 120 and 84 dense units"),
    "mlp": PresetInfo("Dense MLP", "No convolutions: every pixel feeds 128 relu units, "
                      "which feed the 10 outputs"),
    "wide_cnn": PresetInfo("Wide CNN", "The tutorial CNN with four times the filters "
                           "(16, 32, 32): more to look at, slower to train"),
}


def preset(name: str, seed: int | None = 0) -> Sequential:
    """The preset ``name`` (a key of :data:`PRESETS`), freshly initialised from ``seed``
    and compiled with the tutorial's SGD."""
    try:
        build = PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
    return build(seed=seed)


def display_name(name: str) -> str:
    """How to show a network called ``name``: the preset's display name, else the name."""
    info = PRESET_INFO.get(name)
    return info.display_name if info else name


def _sgd_args() -> dict:
    return {k: v for k, v in TUTORIAL_OPTIMIZER.items() if k != "name"}


__all__ = [
    "DEFAULT_PRESET", "PRESETS", "PRESET_INFO", "PresetInfo", "TUTORIAL_OPTIMIZER",
    "TUTORIAL_TRAINING", "check_architecture", "display_name", "inspect_architecture",
    "lenet5", "mlp", "preset", "tutorial_cnn", "wide_cnn",
]
