"""check_architecture: the message a user needs for each broken network, nothing for a
sound one, and shapes and weight counts that match the built network — without building."""

from __future__ import annotations

import json

import pytest

from core import architecture
from core.architecture import check_architecture, inspect_architecture
from core.layers.base import Layer
from core.models import PRESETS, preset
from tests.core.networks import every_layer_type


def layer(class_name: str, **config) -> dict:
    return {"class_name": class_name, "config": config}


def network(*layers: dict, input_shape=(1, 28, 28)) -> dict:
    return {"name": "edited", "input_shape": list(input_shape), "layers": list(layers)}


HEAD = (layer("Flatten"), layer("Dense", units=10, activation="softmax"))
CONV = layer("Conv2D", filters=4, kernel_size=5)
POOL = layer("MaxPooling2D", pool_size=2)

BROKEN = {
    "kernel larger than its input": (
        network(CONV, POOL, POOL, POOL, POOL, layer("Conv2D", filters=8, kernel_size=3), *HEAD),
        ["conv2d_2: a 3×3 kernel does not fit its 1×1 input — remove a pooling layer or use "
         "padding='same'"]),
    "pool larger than its input": (
        network(CONV, layer("AveragePooling2D", pool_size=5), POOL, POOL, POOL, *HEAD),
        ["max_pooling2d_3: a 2×2 pool does not fit its 1×1 input — remove a pooling layer or "
         "use padding='same' in the layers before it"]),
    "dense on conv maps": (
        network(layer("Conv2D", filters=8, kernel_size=3), POOL, POOL, POOL,
                layer("Dense", units=10, activation="softmax")),
        ["dense_1 expects a flat (N, features) input, got (N, 8, 3, 3): add a Flatten "
         "before it"]),
    "convolution after the flatten": (
        network(layer("Flatten"), layer("Conv2D", filters=2, kernel_size=3), HEAD[1]),
        ["conv2d_1 expects images (N, channels, height, width), got (N, 784): convolutions "
         "come before the Flatten"]),
    "last layer gives 84": (
        network(layer("Flatten"), layer("Dense", units=84, activation="tanh")),
        ["the last layer must give 10 outputs with softmax (one probability for each digit); "
         "it gives 84: make the last Dense layer 10 units"]),
    "last layer without softmax": (
        network(layer("Flatten"), layer("Dense", units=10), layer("Activation",
                                                                   activation="relu")),
        ["the last layer must give 10 outputs with softmax (one probability for each digit); "
         "it ends with relu: make it softmax"]),
    "dropout after the softmax": (
        network(*HEAD, layer("Dropout", rate=0.5)),
        ["the last layer must give 10 outputs with softmax (one probability for each digit); "
         "it ends with a Dropout layer: end it with softmax"]),
    "ends on maps": (
        network(CONV),
        ["the last layer must give 10 outputs with softmax (one probability for each digit); "
         "it ends with (N, 4, 24, 24) maps: add a Flatten and a Dense layer of 10 units with "
         "softmax"]),
    "too many weights": (
        network(layer("Flatten"), layer("Dense", units=61_000, activation="relu"), HEAD[1]),
        ["this network has 48.5 million weights: more than nnviz can train interactively (at "
         "most 5 million) — use fewer units or filters, or pool before the first Dense layer"]),
    "too much arithmetic": (
        network(layer("Conv2D", filters=64, kernel_size=3, padding="same"),
                layer("Conv2D", filters=64, kernel_size=3, padding="same"),
                layer("MaxPooling2D", pool_size=28), *HEAD),
        ["this network needs 29.4 million multiply-adds per digit: more than nnviz can train "
         "interactively (at most 20 million) — use fewer filters, or pool or stride earlier"]),
    "zero and fractional sizes": (
        network(layer("Conv2D", filters=0, kernel_size=3),
                layer("Conv2D", filters=4, kernel_size=2.5), layer("Dense", units=-3), *HEAD),
        ["conv2d_1: filters must be at least 1, got 0",
         "conv2d_2: kernel_size must be a whole number, got 2.5",
         "dense_1: units must be at least 1, got -3"]),
    "unknown layer type and activation": (
        network(layer("Conv3D", filters=4), layer("Activation", activation="swish"),
                layer("Flatten"), layer("Dense", units=10, activation="softmaxx")),
        ["layer 1: unknown layer type 'Conv3D'; choose one of Conv2D, MaxPooling2D, "
         "AveragePooling2D, Flatten, Dense, Activation, LeakyReLU, ELU, PReLU, Dropout, "
         "BatchNormalization",
         "activation_1: unknown activation 'swish'; choose one of tanh, relu, leaky_relu, elu, "
         "sigmoid, softmax, linear",
         "dense_1: unknown activation 'softmaxx'; choose one of tanh, relu, leaky_relu, elu, "
         "sigmoid, softmax, linear"]),
    "dropout rate of 1": (
        network(layer("Flatten"), layer("Dropout", rate=1.0), HEAD[1]),
        ["dropout_1: the dropout rate must be in [0, 1) (the share of activations zeroed "
         "while training), got 1.0"]),
    "empty": (
        network(),
        ["the network has no layers: it needs at least a Flatten and a Dense layer of 10 "
         "units with softmax"]),
    "nothing to train": (
        network(layer("MaxPooling2D", pool_size=(14, 28)), layer("Flatten"),
                layer("Dropout", rate=0.1), layer("Activation", activation="softmax"),
                input_shape=(1, 28, 28)),
        ["the last layer must give 10 outputs with softmax (one probability for each digit); "
         "it gives 2: make the last Dense layer 10 units",
         "the network has no layer with weights to train: add a Dense or Conv2D layer"]),
    "misspelt and missing settings": (
        network(layer("Flatten"), layer("Dense", unit=10)),
        ["dense_1: Dense has no setting 'unit'", "dense_1: Dense needs 'units'"]),
    "two layers with one name": (
        network(layer("Flatten", name="in"), layer("Dense", units=10, activation="softmax",
                                                   name="in")),
        ["in: two layers have this name; each needs its own"]),
    "other images": (
        network(*HEAD, input_shape=(3, 32, 32)),
        ["the input must be the digits' 1×28×28 images, got [3, 32, 32]"]),
    "'same' with an even kernel": (
        network(layer("Conv2D", filters=4, kernel_size=4, padding="same"), *HEAD),
        ["conv2d_1: padding='same' needs a square kernel of odd size (3×3, 5×5...), got 4×4"]),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_network_gets_the_message_a_user_needs(case):
    config, messages = BROKEN[case]
    assert check_architecture(json.loads(json.dumps(config))) == messages


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_is_sound(name):
    assert check_architecture(preset(name).get_config()) == []


def test_every_layer_type_in_one_sound_network():
    assert check_architecture(every_layer_type().get_config()) == []


def test_malformed_descriptions_are_problems_not_crashes():
    assert check_architecture([]) == ["the network description has no list of layers"]
    assert check_architecture({"layers": [42, *HEAD]}) == [
        "layer 1: a layer is described by a class name and a dict of settings"]
    assert check_architecture({"layers": list(HEAD)}) == []  # the digits' input by default


def test_problems_sit_beside_their_layer_with_shapes_and_counts(monkeypatch):
    def no_weights(*args, **kwargs):
        raise AssertionError("check_architecture allocated a weight")

    monkeypatch.setattr(Layer, "_add_param", no_weights)
    config = network(CONV, layer("Dense", units=10), *HEAD)
    report = inspect_architecture(config)
    assert [r.name for r in report.layers] == ["conv2d_1", "dense_1", "flatten_1", "dense_2"]
    assert report.layers[0].output_shape == (4, 24, 24) and report.layers[0].params == 104
    assert report.layers[1].problems and report.layers[1].output_shape is None
    assert report.layers[2].output_shape is None and not report.layers[2].problems
    assert not report.ok and report.problems == report.layers[1].problems


def test_shapes_and_counts_match_the_built_network():
    for model in (*(preset(name) for name in PRESETS), every_layer_type()):
        report = inspect_architecture(model.get_config())
        assert report.total_params == model.count_params()
        assert [r.output_shape for r in report.layers] == model.output_shapes()
        assert [r.params for r in report.layers] == [layer.count_params
                                                     for layer in model.layers]


def test_limits_are_round_numbers_users_can_read():
    assert architecture._amount(48_000_000) == "48 million"
    assert architecture._amount(2_500_000) == "2.5 million"
    assert architecture._amount(61_706) == "61,706"
