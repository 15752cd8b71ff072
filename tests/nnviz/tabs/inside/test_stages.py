"""Stages of the architecture strip and pixel explanations, checked against the engine."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import as_network_input, load_sample
from core.layers import (
    ELU,
    Activation,
    BatchNormalization,
    Conv2D,
    Dense,
    Flatten,
    LeakyReLU,
    MaxPooling2D,
)
from core.model import Sequential
from core.models import preset, tutorial_cnn
from nnviz.tabs.inside.stages import explain, network_stages, shape_text, stage_outputs


@pytest.fixture(scope="module")
def digit() -> np.ndarray:
    return as_network_input(load_sample().x_test[:1])  # (1, 1, 28, 28)


def test_tutorial_cnn_strip_shapes_and_params():
    stages = network_stages(tutorial_cnn())
    assert " → ".join(s.shape_text for s in stages) == (
        "28×28 → 4×24×24 → 8×22×22 → 8×11×11 → 16×9×9 → 16×4×4 → 256 → 128 → 10")
    assert [s.params for s in stages] == [0, 104, 296, 0, 1168, 0, 0, 32896, 1290]
    assert [s.kind for s in stages] == ["input", "conv", "conv", "pool", "conv", "pool",
                                        "flatten", "dense", "dense"]
    assert [s.activation for s in stages] == [None, "tanh", "tanh", None, "relu", None, None,
                                              "tanh", "softmax"]
    assert stages[1].description == "Conv 5×5 + tanh"
    assert stages[1].layers == (0, 1) and stages[1].output == 1


def test_dropout_joins_the_stage_before_it():
    stages = network_stages(tutorial_cnn(dropout=0.5))
    assert len(stages) == 9
    assert stages[6].description == "Flatten + dropout"


def test_shape_text():
    assert shape_text((1, 28, 28), drop_single_channel=True) == "28×28"
    assert shape_text((1, 28, 28)) == "1×28×28"
    assert shape_text((256,)) == "256"


def _all(model, x):
    stages = network_stages(model)
    acts = model.activations(x)
    return stages, acts, stage_outputs(stages, x[0], acts)


def test_stage_outputs_are_the_model_activations(digit):
    model = tutorial_cnn()
    stages, acts, outputs = _all(model, digit)
    np.testing.assert_array_equal(outputs[0], digit[0])
    for stage, out in zip(stages[1:], outputs[1:], strict=True):
        np.testing.assert_array_equal(out, acts[stage.output][0])


@pytest.mark.parametrize("stage,index", [(1, (2, 5, 7)), (2, (7, 0, 21)), (4, (15, 8, 0))])
def test_conv_explanation_redoes_the_layer_arithmetic(digit, stage, index):
    model = tutorial_cnn()
    stages, acts, outputs = _all(model, digit)
    e = explain(model, stages, outputs, acts, stage, index)
    layer = model.layers[stages[stage].main]
    f, i, j = index
    kh, kw = layer.kernel_size
    np.testing.assert_array_equal(e.patch, outputs[stage - 1][:, i:i + kh, j:j + kw])
    np.testing.assert_array_equal(e.kernel, layer.params["W"][f])
    np.testing.assert_allclose(e.products.sum(axis=(1, 2)), e.channel_sums)
    assert e.z == pytest.approx(float(acts[stages[stage].main][0][index]))
    assert e.total == pytest.approx(e.z, rel=1e-4, abs=1e-5)
    assert e.value == float(outputs[stage][index])
    assert e.region.rows == (i, i + kh) and e.region.cols == (j, j + kw)


def test_conv_explanation_with_padding_and_stride():
    model = Sequential([Conv2D(3, 3, padding="same", stride=2), Activation("relu")],
                       input_shape=(2, 7, 7), seed=3)
    x = np.random.default_rng(0).normal(size=(1, 2, 7, 7)).astype(np.float32)
    stages, acts, outputs = _all(model, x)
    for index in [(0, 0, 0), (2, 3, 3), (1, 0, 3)]:
        e = explain(model, stages, outputs, acts, 1, index)
        assert e.total == pytest.approx(e.z, rel=1e-4, abs=1e-5)
    corner = explain(model, stages, outputs, acts, 1, (0, 0, 0))
    assert np.all(corner.patch[:, 0, :] == 0) and np.all(corner.patch[:, :, 0] == 0)
    assert corner.region.rows == (0, 2) and corner.region.cols == (0, 2)


def test_pool_flatten_and_dense_explanations(digit):
    model = tutorial_cnn()
    stages, acts, outputs = _all(model, digit)
    pool = explain(model, stages, outputs, acts, 3, (1, 3, 4))
    window = outputs[2][1, 6:8, 8:10]
    np.testing.assert_array_equal(pool.window, window)
    assert pool.value == window.max() == pool.window[pool.winner]
    flat = explain(model, stages, outputs, acts, 6, (37,))
    assert flat.source == (2, 1, 1) and flat.value == outputs[5][2, 1, 1]
    dense = explain(model, stages, outputs, acts, 7, (5,))
    np.testing.assert_array_equal(dense.inputs, outputs[6])
    np.testing.assert_array_equal(dense.weights, model.layers[stages[7].main].params["W"][:, 5])
    assert dense.total == pytest.approx(dense.z, rel=1e-4, abs=1e-5)
    top = np.abs(dense.products[dense.top])
    assert np.all(top[:-1] >= top[1:]) and top[0] == np.abs(dense.products).max()
    out = explain(model, stages, outputs, acts, 8, (3,))
    assert out.value == pytest.approx(float(model.predict(digit)[0, 3]))
    assert explain(model, stages, outputs, acts, 0, (0, 4, 5)).kind == "input"


def test_a_model_without_input_shape_is_refused():
    with pytest.raises(ValueError):
        network_stages(Sequential([Flatten(), Dense(3)]))


def test_pool_only_model():
    model = Sequential([MaxPooling2D(2)], input_shape=(1, 4, 4))
    stages = network_stages(model)
    assert [s.shape for s in stages] == [(1, 4, 4), (1, 2, 2)]


def _explained(model, digit, stage_index, index):
    stages = network_stages(model)
    activations = model.activations(digit)
    outputs = stage_outputs(stages, digit[0], activations)
    return stages, explain(model, stages, outputs, activations, stage_index, index)


def test_lenet5_average_pooling_is_the_mean_of_its_window(digit):
    model = preset("lenet5")
    stages, e = _explained(model, digit, 2, (3, 5, 6))
    assert [s.description for s in stages[1:5]] == ["Conv 5×5 + tanh", "Avg pool 2×2",
                                                    "Conv 5×5 + tanh", "Avg pool 2×2"]
    assert e.kind == "pool" and e.average and e.winner is None and e.window.shape == (2, 2)
    before = stage_outputs(stages, digit[0], model.activations(digit))[1]
    np.testing.assert_allclose(e.window, before[3, 10:12, 12:14])
    assert e.total == pytest.approx(e.value, rel=1e-5) == pytest.approx(e.window.mean(),
                                                                        rel=1e-5)


def test_padded_pooling_leaves_the_padding_out(digit):
    model = Sequential([Conv2D(2, 3), MaxPooling2D(2, padding="same"), Flatten(),
                        Dense(10, activation="softmax")], input_shape=(1, 28, 28))  # 26 -> 13
    _, e = _explained(model, digit, 2, (1, 12, 12))
    assert e.window.shape == (2, 2) and np.isnan(e.window).sum() == 0  # 26 = 13·2: no pad
    odd = Sequential([Conv2D(2, 4), MaxPooling2D(2, padding="same"), Flatten(),
                      Dense(10, activation="softmax")], input_shape=(1, 28, 28))  # 25 -> 13
    _, e = _explained(odd, digit, 2, (0, 12, 12))
    assert np.isnan(e.window).sum() == 3  # the last window has one real value
    assert e.total == pytest.approx(e.value, rel=1e-5)


def test_batch_normalization_is_a_stage_explained_by_its_statistics(digit):
    model = Sequential([Conv2D(3, 3), BatchNormalization(), LeakyReLU(0.1), Flatten(),
                        Dense(16), ELU(), Activation("tanh"), Dense(10, activation="softmax")],
                       input_shape=(1, 28, 28))
    model.compile()
    model.train_on_batch(np.repeat(digit, 8, axis=0) * np.linspace(0.5, 1, 8)[:, None, None,
                                                                               None],
                         np.arange(8))  # moving statistics away from (0, 1)
    stages, e = _explained(model, digit, 2, (1, 4, 9))
    assert [s.description for s in stages] == ["Input", "Conv 3×3", "Batch norm + leaky relu",
                                                "Flatten", "Dense + elu + tanh",
                                                "Dense + softmax"]
    assert e.kind == "norm"
    x, mean, variance, epsilon, gamma, beta = e.norm
    assert mean != 0 and variance != 1
    assert e.total == pytest.approx(e.z, rel=1e-4, abs=1e-6)
    assert e.value == pytest.approx(e.z if e.z > 0 else 0.1 * e.z, rel=1e-4, abs=1e-6)
