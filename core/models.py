"""Ready-made architectures: the CNN of the 2016 Keras MNIST tutorial."""

from __future__ import annotations

from core.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from core.model import Sequential
from core.optimizers import SGD

TUTORIAL_OPTIMIZER = {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True, "decay": 1e-6}
TUTORIAL_TRAINING = {"batch_size": 100, "epochs": 10, "validation_split": 0.2, "shuffle": True}


def tutorial_cnn(seed: int | None = 0, dropout: float = 0.0, kernel_regularizer=None,
                 compile: bool = True) -> Sequential:
    """The 2016 Keras tutorial's CNN for 1×28×28 digits, compiled as the tutorial does.

    conv 4@5×5 tanh -> conv 8@3×3 tanh -> maxpool 2 -> conv 16@3×3 relu -> maxpool 2
    -> flatten 256 -> dense 128 tanh (normal init) -> dense 10 softmax (normal init);
    SGD(lr=0.05, decay=1e-6, momentum=0.9, nesterov=True), categorical cross-entropy.
    ``dropout`` > 0 inserts a Dropout before each dense layer (0 = the tutorial).
    """
    model = Sequential(input_shape=(1, 28, 28), seed=seed, name="tutorial_cnn")
    model.add(Conv2D(4, 5, kernel_regularizer=kernel_regularizer))
    model.add(Activation("tanh"))
    model.add(Conv2D(8, 3, kernel_regularizer=kernel_regularizer))
    model.add(Activation("tanh"))
    model.add(MaxPooling2D(2))
    model.add(Conv2D(16, 3, kernel_regularizer=kernel_regularizer))
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
    if compile:
        model.compile(loss="categorical_crossentropy", optimizer=SGD(**_sgd_args()),
                      metrics=["accuracy"])
    return model


def _sgd_args() -> dict:
    return {k: v for k, v in TUTORIAL_OPTIMIZER.items() if k != "name"}
