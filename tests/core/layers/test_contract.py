"""Every layer type keeps the shared contract: shapes and weight counts known before
building, configs that rebuild it, a readable repr, and settings checked when it is made."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.layers import (
    ELU,
    LAYER_TYPES,
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPooling2D,
    PReLU,
    layer_from_config,
)

EXAMPLES = {  # one configured layer of every type, and a per-sample input shape for it
    "Conv2D": (Conv2D(3, (3, 2), padding=1, stride=2), (2, 9, 8)),
    "MaxPooling2D": (MaxPooling2D(3, 2, "same"), (2, 7, 7)),
    "AveragePooling2D": (AveragePooling2D((2, 3), 1), (2, 6, 6)),
    "Flatten": (Flatten(), (2, 3, 3)),
    "Dense": (Dense(7, kernel_initializer="normal"), (12,)),
    "Activation": (Activation("leaky_relu", alpha=0.2), (4, 3, 3)),
    "LeakyReLU": (LeakyReLU(0.05), (6,)),
    "ELU": (ELU(0.5), (2, 4, 4)),
    "PReLU": (PReLU(), (3, 2, 2)),
    "Dropout": (Dropout(0.25), (10,)),
    "BatchNormalization": (BatchNormalization(momentum=0.8, epsilon=1e-4), (3, 5, 5)),
}


def test_every_layer_type_has_an_example():
    assert set(EXAMPLES) == set(LAYER_TYPES)


@pytest.mark.parametrize("class_name", EXAMPLES)
def test_param_count_is_known_before_building(class_name):
    layer, shape = EXAMPLES[class_name]
    expected = layer.param_count(shape)
    twin = layer_from_config(class_name, layer.get_config())
    twin.build(shape, np.random.default_rng(0))
    assert twin.count_params == expected
    x = np.random.default_rng(1).random((4, *shape), dtype=np.float32)
    assert twin.forward(x).shape[1:] == twin.output_shape(shape)


@pytest.mark.parametrize("class_name", EXAMPLES)
def test_config_survives_json_and_repr_reads(class_name):
    layer, _ = EXAMPLES[class_name]
    config = json.loads(json.dumps(layer.get_config()))
    twin = layer_from_config(class_name, config)
    assert type(twin) is type(layer) and twin.get_config() == layer.get_config()
    assert repr(twin).startswith(f"{class_name}(") and repr(twin) == repr(layer)


def test_repr_of_the_new_layers():
    assert repr(AveragePooling2D(2)) == ("AveragePooling2D(pool_size=[2, 2], strides=[2, 2], "
                                         "padding='valid')")
    assert repr(LeakyReLU(0.1)) == "LeakyReLU(alpha=0.1)"
    assert repr(BatchNormalization(name="bn")) == ("BatchNormalization(momentum=0.9, "
                                                   "epsilon=0.001)  # bn")


def test_old_activation_and_pooling_configs_still_load():
    """Model files written before alpha, strides and padding existed."""
    assert layer_from_config("Activation", {"name": "a", "activation": "tanh"}).alpha is None
    pool = layer_from_config("MaxPooling2D", {"name": "p", "pool_size": [2, 2]})
    assert pool.strides == (2, 2) and pool.padding == "valid"


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Conv2D(2.5, 3, name="conv2d_1"), r"conv2d_1: filters must be a whole number, got 2.5"),
    (lambda: Conv2D(0, 3), "Conv2D: filters must be at least 1, got 0"),
    (lambda: Conv2D(4, 4, padding="same"), "padding='same' needs a square kernel of odd size"),
    (lambda: Conv2D(4, 3, padding=-1), "padding must be at least 0"),
    (lambda: Conv2D(4, (3, 3, 3)), "kernel_size must be one number or two"),
    (lambda: Dense(True), "units must be a whole number, got True"),
    (lambda: Dense("8"), "units must be a whole number, got '8'"),
    (lambda: Dense(8, kernel_initializer="ones"), "unknown initializer 'ones'"),
    (lambda: MaxPooling2D(0), "pool_size must be at least 1"),
    (lambda: AveragePooling2D(2, padding="full"), "padding must be 'valid' or 'same'"),
    (lambda: Dropout(1.0, name="dropout_2"), r"dropout_2: the dropout rate must be in \[0, 1\)"),
    (lambda: Activation("swish"), "unknown activation 'swish'; choose one of tanh, relu"),
    (lambda: Activation("tanh", alpha=0.1), "tanh takes no alpha"),
    (lambda: LeakyReLU(-1), "alpha must be a number >= 0"),
    (lambda: BatchNormalization(momentum=1.0), r"momentum must be in \[0, 1\)"),
    (lambda: BatchNormalization(epsilon=0), "epsilon must be a number > 0"),
])
def test_bad_settings_are_refused_when_the_layer_is_made(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_whole_floats_are_accepted_as_sizes():
    assert Conv2D(4.0, 3.0).filters == 4 and Dense(np.int64(5)).units == 5
