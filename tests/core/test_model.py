"""Sequential: whole-model gradients, fit semantics, weights, summary, L1 zeros."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import regularizers
from core.callbacks import LambdaCallback, TerminateOnNaN
from core.layers import LAYER_TYPES, Activation, Conv2D, Dense, Flatten, MaxPooling2D
from core.model import Sequential, to_categorical
from core.models import tutorial_cnn
from core.optimizers import SGD
from tests.core.gradient_check import assert_close, numerical_gradient
from tests.core.networks import every_layer_type


def tiny_cnn(dtype="float64", reg=None):
    model = Sequential(input_shape=(1, 8, 8), seed=3)
    model.add(Conv2D(2, 3, kernel_regularizer=reg, dtype=dtype))
    model.add(Activation("tanh", dtype=dtype))
    model.add(MaxPooling2D(2, dtype=dtype))
    model.add(Flatten(dtype=dtype))
    model.add(Dense(3, kernel_regularizer=reg, dtype=dtype))
    model.add(Activation("softmax", dtype=dtype))
    model.compile("categorical_crossentropy", SGD(lr=0.1))
    return model


@pytest.mark.parametrize("reg", [None, regularizers.l1_l2(0.01, 0.02)])
def test_whole_model_gradient_with_fused_head(reg):
    model = tiny_cnn(reg=reg)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 1, 8, 8))
    y = to_categorical(np.array([0, 1, 2, 1]), 3).astype(np.float64)

    def total_loss() -> float:
        return model.loss(y, model.forward(x)) + model.regularization_loss()

    params = model.named_params()
    saved = {k: p.copy() for k, p in params.items()}
    model.optimizer.lr = 1e-300  # the step changes nothing measurable; we want the grads
    model.train_on_batch(x, y)
    for name, p in params.items():
        p[...] = saved[name]
    grads = {k: g.copy() for k, g in model.named_grads().items()}
    for name, p in params.items():
        assert_close(grads[name], numerical_gradient(total_loss, p), rtol=1e-4)


def test_layer_names_shapes_and_summary():
    model = tutorial_cnn()
    assert [layer.name for layer in model.layers][:3] == ["conv2d_1", "activation_1", "conv2d_2"]
    assert model.output_shapes() == [
        (4, 24, 24), (4, 24, 24), (8, 22, 22), (8, 22, 22), (8, 11, 11), (16, 9, 9),
        (16, 9, 9), (16, 4, 4), (256,), (128,), (128,), (10,), (10,)]
    assert model.layers[0].params["W"].shape == (4, 1, 5, 5)
    assert model.layers[9].params["W"].shape == (256, 128)
    text = model.summary(print_fn=None)
    assert "conv2d_1 (Conv2D)" in text and "Total params: 35,754" in text
    std = model.layers[9].params["W"].std()
    assert 0.045 < std < 0.055  # the tutorial's "normal" init, sigma 0.05


def test_dense_activation_argument_becomes_a_layer():
    model = Sequential(input_shape=(4,))
    model.add(Dense(3, activation="softmax"))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Activation"]


def test_validation_split_takes_the_last_part_before_shuffling():
    model = tiny_cnn(dtype="float32")
    x = np.zeros((10, 1, 8, 8), dtype=np.float32)
    x[:, 0, 0, 0] = np.arange(10)
    y = np.arange(10) % 3
    seen = []
    model.layers[0].forward_original = model.layers[0].forward

    def record(batch, logs):
        seen.append(batch)

    history = model.fit(x, y, batch_size=4, epochs=2, validation_split=0.2, verbose=0,
                        callbacks=[LambdaCallback(on_batch_end=record)])
    assert len(seen) == 2 * 2  # 8 training samples, batches of 4
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["val_loss"]) == 2


def test_fit_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((300, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    model = Sequential(input_shape=(2,), seed=0)
    model.add(Dense(8, activation="tanh"))
    model.add(Dense(2, activation="softmax"))
    model.compile("categorical_crossentropy", SGD(lr=0.5, momentum=0.9))
    history = model.fit(x, y, batch_size=30, epochs=15, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.evaluate(x, y)["accuracy"] > 0.95


def test_predict_and_activations_agree():
    model = tutorial_cnn()
    x = np.random.default_rng(0).random((3, 1, 28, 28), dtype=np.float32)
    acts = model.activations(x)
    assert len(acts) == len(model.layers)
    np.testing.assert_allclose(acts[-1], model.predict(x), rtol=1e-6)
    np.testing.assert_allclose(acts[-1].sum(axis=1), 1.0, rtol=1e-5)
    assert all(a.flags["C_CONTIGUOUS"] for a in acts)


def test_get_and_set_weights_copy_into_existing_arrays():
    a, b = tutorial_cnn(seed=1), tutorial_cnn(seed=2)
    target = b.layers[0].params["W"]
    b.set_weights(a.get_weights())
    assert b.layers[0].params["W"] is target
    np.testing.assert_array_equal(target, a.layers[0].params["W"])
    weights = a.get_weights()
    weights[0] = weights[0][:2]
    with pytest.raises(ValueError, match="expected shape"):
        b.set_weights(weights)


def test_from_config_rebuilds_the_architecture_untrained():
    model = tutorial_cnn(dropout=0.25, kernel_regularizer=regularizers.l2(1e-3))
    rebuilt = Sequential.from_config(model.get_config())
    assert rebuilt.get_config() == model.get_config()
    assert rebuilt.built and rebuilt.output_shapes() == model.output_shapes()
    assert rebuilt.loss is None and rebuilt.optimizer is None
    with pytest.raises(ValueError, match="unknown layer type"):
        Sequential.from_config({"layers": [{"class_name": "Conv3D", "config": {}}]})


def test_clone_is_independent():
    model = tutorial_cnn()
    twin = model.clone()
    model.layers[0].params["W"][...] = 0
    assert np.abs(twin.layers[0].params["W"]).sum() > 0


def test_l1_gives_exact_zeros_and_l2_does_not():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 10)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)  # only feature 0 matters

    def train(reg):
        model = Sequential(input_shape=(10,), seed=0)
        model.add(Dense(2, kernel_regularizer=reg, activation="softmax"))
        model.compile("categorical_crossentropy", SGD(lr=0.1))
        model.fit(x, y, batch_size=20, epochs=200, verbose=0)
        return model.layers[0].params["W"]

    w_l1 = train(regularizers.l1(0.02))
    w_l2 = train(regularizers.l2(0.02))
    assert np.mean(w_l1 == 0) > 0.5
    assert np.all(w_l1[0] != 0)
    assert np.mean(w_l2 == 0) == 0


def test_terminate_on_nan_stops_fit():
    model = tiny_cnn(dtype="float32")
    x = np.random.default_rng(0).standard_normal((50, 1, 8, 8)).astype(np.float32)
    x[7] = np.nan  # one poisoned sample: its batch's loss is NaN
    y = np.arange(50) % 3
    batches = []
    history = model.fit(x, y, batch_size=5, epochs=5, verbose=0, shuffle=False,
                        callbacks=[TerminateOnNaN(),
                                   LambdaCallback(on_batch_end=lambda b, logs: batches.append(b))])
    assert batches == [0, 1] and len(history.history["loss"]) == 1


def test_bad_inputs_are_explained():
    model = tutorial_cnn()
    with pytest.raises(ValueError, match="expects inputs of shape"):
        model.predict(np.zeros((1, 1, 27, 28), dtype=np.float32))
    with pytest.raises(ValueError, match="labels must lie"):
        model.fit(np.zeros((2, 1, 28, 28), np.float32), np.array([3, 11]), verbose=0)
    with pytest.raises(RuntimeError, match="compile"):
        Sequential(input_shape=(2,), layers=[Dense(2)]).train_on_batch(
            np.zeros((1, 2)), np.array([0]))


def test_from_config_round_trips_every_layer_type_through_json():
    model = every_layer_type()
    assert {type(layer).__name__ for layer in model.layers} == set(LAYER_TYPES)
    rebuilt = Sequential.from_config(json.loads(json.dumps(model.get_config())))
    assert rebuilt.get_config() == model.get_config()
    rebuilt.set_weights(model.get_weights())
    for name, a in rebuilt.named_state().items():
        a[...] = model.named_state()[name]
    x = np.random.default_rng(1).random((6, 1, 28, 28), dtype=np.float32)
    np.testing.assert_array_equal(rebuilt.predict(x), model.predict(x))
    np.testing.assert_array_equal(model.clone().predict(x), model.predict(x))


def test_a_layer_that_does_not_fit_is_not_kept():
    model = tutorial_cnn()
    count = len(model.layers)
    with pytest.raises(ValueError, match="conv2d_4 expects images"):
        model.add(Conv2D(2, 3))
    assert len(model.layers) == count
    model.add(Dense(5))  # the model still takes layers, named as if nothing had happened
    assert model.layers[-1].name == "dense_3"
