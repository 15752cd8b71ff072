"""The presets: the documented weight counts, a display name and description each, configs
that rebuild them exactly, and every one learns on the shipped sample in one epoch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.data import as_network_input, load_sample
from core.layers import AveragePooling2D, Conv2D
from core.model import Sequential
from core.models import (
    DEFAULT_PRESET,
    PRESET_INFO,
    PRESETS,
    TUTORIAL_OPTIMIZER,
    display_name,
    preset,
)

WEIGHTS = {"tutorial_cnn": 35_754, "lenet5": 61_706, "mlp": 101_770, "wide_cnn": 81_258}


def test_every_preset_has_its_documented_weight_count_and_a_description():
    assert set(PRESETS) == set(WEIGHTS) == set(PRESET_INFO) and DEFAULT_PRESET == "tutorial_cnn"
    for name, count in WEIGHTS.items():
        model = preset(name)
        assert model.count_params() == count and model.name == name
        display, description = PRESET_INFO[name]
        assert display and description and display_name(name) == display
    assert f"{display_name('lenet5')}, {preset('lenet5').count_params():,} weights" == (
        "LeNet-5, 61,706 weights")
    assert display_name("my_net") == "my_net"


def test_lenet5_shapes():
    model = preset("lenet5")
    assert model.output_shapes() == [(6, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10),
                                     (16, 10, 10), (16, 5, 5), (400,), (120,), (120,), (84,),
                                     (84,), (10,), (10,)]
    assert sum(isinstance(layer, AveragePooling2D) for layer in model.layers) == 2


def test_mlp_has_no_convolution_and_wide_cnn_the_wider_filters():
    assert not any(isinstance(layer, Conv2D) for layer in preset("mlp").layers)
    assert [layer.filters for layer in preset("wide_cnn").layers
            if isinstance(layer, Conv2D)] == [16, 32, 32]


@pytest.mark.parametrize("name", PRESETS)
def test_presets_are_compiled_with_the_tutorial_sgd_and_seeded(name):
    model = preset(name, seed=3)
    settings = model.optimizer.get_config()
    assert all(settings[k] == v for k, v in TUTORIAL_OPTIMIZER.items() if k != "name")
    again, other = preset(name, seed=3), preset(name, seed=4)
    x = np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    assert not np.array_equal(other.predict(x), model.predict(x))


def test_an_unknown_preset_is_named():
    with pytest.raises(ValueError, match="unknown preset 'vgg16'; choose one of tutorial_cnn"):
        preset("vgg16")


@pytest.mark.parametrize("name", PRESETS)
def test_from_config_of_get_config_predicts_identically(name):
    model = preset(name, seed=1)
    rebuilt = Sequential.from_config(json.loads(json.dumps(model.get_config())))
    rebuilt.set_weights(model.get_weights())
    assert rebuilt.get_config() == model.get_config()
    x = np.random.default_rng(0).random((5, 1, 28, 28), dtype=np.float32)
    np.testing.assert_array_equal(rebuilt.predict(x), model.predict(x))


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_learns_on_the_shipped_sample_in_one_epoch(name):
    data = load_sample()
    model = preset(name)
    history = model.fit(as_network_input(data.x_train), data.y_train, batch_size=100,
                        epochs=1, validation_split=0.2, verbose=0)
    assert history.history["val_accuracy"][-1] > 0.6  # chance is 0.1
