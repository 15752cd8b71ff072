"""BatchNormalization in a network: batch statistics while training, moving statistics in
inference, which are kept out of the optimizer and the penalties and saved in model files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.layers import BatchNormalization
from core.model import Sequential
from core.model_file import ModelFileError
from tests.core.networks import batch, bn_cnn


def test_training_normalises_each_channel_by_its_batch():
    layer = BatchNormalization()
    x = (np.random.default_rng(0).standard_normal((50, 3, 4, 4)) * [[[[2]], [[5]], [[0.5]]]]
         + [[[[1]], [[-3]], [[10]]]]).astype(np.float32)
    y = layer.forward(x, training=True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    var = x.var(axis=(0, 2, 3))
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), var / (var + 1e-3), rtol=1e-4)
    # moving statistics moved a tenth of the way from (0, 1) towards the batch's
    np.testing.assert_allclose(layer.state["moving_mean"], 0.1 * x.mean(axis=(0, 2, 3)),
                               rtol=1e-5)
    np.testing.assert_allclose(layer.state["moving_variance"],
                               0.9 + 0.1 * x.var(axis=(0, 2, 3)), rtol=1e-5)


def test_inference_uses_the_moving_statistics_so_one_sample_is_batch_free():
    layer = BatchNormalization()
    layer.build((5,))
    layer.state["moving_mean"][:] = 2.0
    layer.state["moving_variance"][:] = 4.0
    layer.params["gamma"][:] = 3.0
    layer.params["beta"][:] = 1.0
    x = np.random.default_rng(0).random((8, 5), dtype=np.float32)
    expected = 3.0 * (x - 2.0) / np.sqrt(4.0 + 1e-3) + 1.0
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-6)
    np.testing.assert_allclose(layer.forward(x[:1]), expected[:1], rtol=1e-6)
    assert layer.state["moving_mean"][0] == 2.0  # inference changes nothing


def test_a_diverged_batch_leaves_the_moving_statistics_alone():
    layer = BatchNormalization()
    x = np.ones((4, 3), dtype=np.float32)
    x[0, 0] = np.inf
    layer.forward(x, training=True)
    np.testing.assert_array_equal(layer.state["moving_mean"], 0)


def test_the_optimizer_and_the_penalties_never_touch_the_moving_statistics():
    model = bn_cnn()
    model.set_regularization(l1=1e-3, l2=1e-3)
    names = set(model.named_state())
    assert names == {f"batch_normalization_{i}.{key}" for i in (1, 2)
                     for key in ("moving_mean", "moving_variance")}
    assert not names & set(model.named_params())
    bn_layers = [layer for layer in model.layers if isinstance(layer, BatchNormalization)]
    assert all(layer.regularizers == {} for layer in bn_layers)
    x, y = batch()
    initial = {name: a.copy() for name, a in model.named_state().items()}
    reference = model.clone()  # its moving statistics move by one forward pass alone
    reference.forward(x, training=True)
    gammas = [layer.params["gamma"].copy() for layer in bn_layers]
    model.train_on_batch(x, y)
    for name, a in model.named_state().items():
        np.testing.assert_allclose(a, reference.named_state()[name], rtol=1e-5, atol=1e-7)
        assert not np.array_equal(a, initial[name])  # they did move
    assert all(not np.array_equal(g, layer.params["gamma"])
               for g, layer in zip(gammas, bn_layers, strict=True))  # gamma is trained


def test_moving_statistics_are_saved_and_loaded(tmp_path):
    model = bn_cnn(seed=3)
    x, y = batch()
    for _ in range(3):
        model.train_on_batch(x, y)
    path = tmp_path / "bn.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as archive:
        header = json.loads(str(archive["__nnviz__"]))
        assert header["state"] == list(model.named_state())
        assert archive["batch_normalization_1.moving_mean"].shape == (4,)
    loaded = Sequential.load(path)
    for name, a in model.named_state().items():
        np.testing.assert_array_equal(loaded.named_state()[name], a)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    np.testing.assert_array_equal(model.clone().predict(x), model.predict(x))


def test_a_file_without_its_moving_statistics_is_refused(tmp_path):
    model = bn_cnn()
    path = tmp_path / "bn.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    header = json.loads(str(arrays["__nnviz__"]))
    header["state"] = []
    arrays["__nnviz__"] = np.array(json.dumps(header))
    del arrays["batch_normalization_1.moving_mean"]
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="do not match its architecture"):
        Sequential.load(path)
