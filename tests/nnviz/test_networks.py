"""Networks in words and as folded architectures: names, one-line descriptions, building
with a seed, dropout before each Dense layer."""

from __future__ import annotations

import numpy as np
import pytest

from core.layers import Dropout
from core.models import PRESET_INFO, PRESETS, preset
from nnviz.networks import (
    architecture_of,
    build_network,
    fold,
    network_summary,
    network_title,
    preset_architecture,
    same_architecture,
    with_dropout,
)


@pytest.mark.parametrize("name", list(PRESETS))
def test_a_folded_preset_builds_the_preset(name) -> None:
    model = preset(name)
    folded = preset_architecture(name)
    assert all("name" not in spec["config"] for spec in folded["layers"])
    rebuilt = build_network(folded, seed=0)
    assert rebuilt.get_config()["layers"] == model.get_config()["layers"]
    for a, b in zip(rebuilt.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # the presets' seeds draw the same weights
    assert network_title(model) == PRESET_INFO[name].display_name
    assert network_summary(folded) == PRESET_INFO[name].description


def test_folding_joins_a_kernel_layer_and_its_activation() -> None:
    layers = preset("mlp").get_config()["layers"]
    assert [s["class_name"] for s in layers] == ["Flatten", "Dense", "Activation", "Dense",
                                                 "Activation"]
    folded = fold(layers)
    assert [(s["class_name"], s["config"].get("activation")) for s in folded] == [
        ("Flatten", None), ("Dense", "relu"), ("Dense", "softmax")]
    assert fold(folded) == folded
    assert same_architecture(layers, folded)


def test_an_edited_network_is_described_by_its_layers() -> None:
    config = architecture_of(preset("lenet5"))
    config["layers"][0]["config"]["filters"] = 8
    assert network_summary(config) == network_summary({**config, "name": "mine"})
    assert network_summary(config).startswith("conv 8@5×5 same tanh → avg-pool 2 → conv 16@5×5")
    assert not same_architecture(config["layers"], preset_architecture("lenet5")["layers"])


def test_kernel_sizes_compare_as_their_layers_read_them() -> None:
    a = preset_architecture("tutorial_cnn")["layers"]
    b = [dict(spec, config=dict(spec["config"])) for spec in a]
    b[0]["config"]["kernel_size"] = 5  # [5, 5] in the preset
    assert same_architecture(a, b)


def test_dropout_before_each_dense_layer_keeps_the_weights_valid() -> None:
    model = preset("lenet5")
    config = with_dropout(model.get_config(), 0.4)
    rebuilt = build_network(config, seed=1)
    assert [layer.rate for layer in rebuilt.layers if isinstance(layer, Dropout)] == [0.4] * 3
    rebuilt.set_weights(model.get_weights())  # the same weights fit
    x = np.random.default_rng(0).random((3, 1, 28, 28), dtype=np.float32)
    np.testing.assert_allclose(rebuilt.predict(x), model.predict(x), rtol=1e-5, atol=1e-6)
