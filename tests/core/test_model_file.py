"""Model files: round trips, atomic saving, and every kind of bad file."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

from core import regularizers
from core.layers import Flatten
from core.model import Sequential
from core.model_file import ModelFileError, save_model
from core.models import tutorial_cnn


def test_round_trip(tmp_path):
    model = tutorial_cnn(seed=5, dropout=0.25, kernel_regularizer=regularizers.l2(1e-4))
    x = np.random.default_rng(0).random((3, 1, 28, 28), dtype=np.float32)
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = Sequential.load(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.layers[0].kernel_regularizer.l2 == 1e-4


def test_file_has_no_pickle_and_a_json_header(tmp_path):
    path = tmp_path / "m.npz"
    tutorial_cnn().save(path)
    with np.load(path, allow_pickle=False) as archive:
        header = json.loads(str(archive["__nnviz__"]))
        assert header["format"] == "nnviz-model" and header["version"] == 1
        assert archive["conv2d_1.W"].shape == (4, 1, 5, 5)


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    model = tutorial_cnn()
    model.save(path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError):
        model.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.npz"]


def test_pickled_objects_are_refused(tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (marker.write_text, ("pwned",))

    np.savez(tmp_path / "evil.npz", __nnviz__=np.array([Evil()], dtype=object))
    with pytest.raises(ModelFileError, match="pickled"):
        Sequential.load(tmp_path / "evil.npz")
    assert not marker.exists()


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_file(tmp_path, cut):
    path = tmp_path / "m.npz"
    tutorial_cnn().save(path)
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * cut)])
    with pytest.raises(ModelFileError, match="corrupt|truncated"):
        Sequential.load(path)


def test_not_a_model(tmp_path):
    (tmp_path / "a.npz").write_bytes(b"garbage")
    with pytest.raises(ModelFileError):
        Sequential.load(tmp_path / "a.npz")
    np.savez(tmp_path / "b.npz", x=np.zeros(3))
    with pytest.raises(ModelFileError, match="not an nnviz model"):
        Sequential.load(tmp_path / "b.npz")
    with pytest.raises(ModelFileError, match="no such file"):
        Sequential.load(tmp_path / "missing.npz")


def test_wrong_weight_shapes(tmp_path):
    path = tmp_path / "m.npz"
    tutorial_cnn().save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    arrays["dense_1.W"] = np.zeros((10, 10), np.float32)
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="dense_1.W"):
        Sequential.load(path)


def test_an_architecture_that_cannot_be_built(tmp_path):
    path = tmp_path / "m.npz"
    tutorial_cnn().save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    header = json.loads(str(arrays["__nnviz__"]))
    header["model"]["layers"][0]["class_name"] = "Conv3D"
    arrays["__nnviz__"] = np.array(json.dumps(header))
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="cannot be built.*Conv3D"):
        Sequential.load(path)


def test_metadata_round_trips(tmp_path):
    model = tutorial_cnn()
    model.metadata = {"test_accuracy": 0.5}
    model.save(tmp_path / "a.npz")
    save_model(model, tmp_path / "b.npz", metadata={"note": "b"})
    assert Sequential.load(tmp_path / "a.npz").metadata == {"test_accuracy": 0.5}
    assert Sequential.load(tmp_path / "b.npz").metadata == {"note": "b"}


# -- the header is checked whole, and sized, before anything is built -----------------------
def saved_parts(tmp_path):
    """A tutorial CNN with dropout (15 layers: the dense layers are 10 and 13), saved."""
    path = tmp_path / "m.npz"
    tutorial_cnn(dropout=0.5).save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    return path, arrays, json.loads(str(arrays.pop("__nnviz__")))


def write_header(path, arrays, header_text: str) -> None:
    np.savez(path, __nnviz__=np.array(header_text), **arrays)


def edited(tmp_path, edit):
    """A saved tutorial CNN whose header went through ``edit(header)``."""
    path, arrays, header = saved_parts(tmp_path)
    edit(header)
    write_header(path, arrays, json.dumps(header))
    return path


def layer(index):
    return lambda header: header["model"]["layers"][index]["config"]


def set_in(getter, key, value):
    return lambda header: getter(header).__setitem__(key, value)


CONV, POOL, DENSE = layer(0), layer(4), layer(10)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda h: h.__setitem__("weights", "conv2d_1.W"), "'weights' must be a list of names"),
    (lambda h: h.__setitem__("weights", [1, 2]), "'weights' must be a list of names"),
    (lambda h: h.__setitem__("metadata", "notes"), "'metadata' must be a dict"),
    (lambda h: h.__setitem__("metadata", [1]), "'metadata' must be a dict"),
    (lambda h: h.pop("model"), "it has no model description"),
    (lambda h: h["model"].__setitem__("layers", {}), "the model lists no layers"),
    (lambda h: h["model"]["layers"].__setitem__(0, "Conv2D"), "layer 1 must be a dict"),
    (lambda h: h["model"].__setitem__("input_shape", None), "the model has no input shape"),
    (lambda h: h["model"].__setitem__("input_shape", [0, 28, 28]), "an input size must be >= 1"),
    (lambda h: h.__setitem__("compile", "sgd"), "'compile' must be a dict naming a loss"),
    (lambda h: h["compile"].__setitem__("metrics", "accuracy"), "metrics must be a list"),
    (lambda h: h["compile"].__setitem__("optimizer", 5), "the optimizer must be a name or"),
    (lambda h: h["compile"]["optimizer"].__setitem__("lr", "fast"), r"bad compile settings "
     r"\(the learning rate must be a number, got 'fast'\)"),
    (lambda h: h["compile"]["optimizer"].__setitem__("lr", float("inf")), "the learning rate "
     "must be a finite number, got inf"),
    (lambda h: h["compile"]["optimizer"].__setitem__("boost", 2), "the sgd optimizer has no "
     "setting 'boost'"),
    (lambda h: h["compile"].__setitem__("loss", ["mse"]), "'compile' must be a dict naming a"),
    (set_in(CONV, "kernel_size", 0.5), "layer 1: conv2d_1: kernel_size must be a whole number, "
     "got 0.5"),
    (set_in(CONV, "kernel_size", [5, 5, 5]), "kernel_size must be one number or two"),
    (set_in(POOL, "pool_size", 0.5), "layer 5: max_pooling2d_1: pool_size must be a whole"),
    (set_in(CONV, "filters", 1e9), "the architecture has 98,000,035,362 weights"),
    (set_in(CONV, "filters", float("inf")), "conv2d_1: filters must be a whole number, got inf"),
    (set_in(CONV, "filters", True), "conv2d_1: filters must be a whole number, got True"),
    (set_in(CONV, "stride", 0), "conv2d_1: stride must be at least 1, got 0"),
    (set_in(CONV, "padding", 2.5), "conv2d_1: padding must be a whole number, got 2.5"),
    (set_in(CONV, "kernel_regularizer", {"l1": float("nan")}), "the L1 strength must be a "
     "finite number, got nan"),
    (set_in(CONV, "kernel_regularizer", {"l3": 1}), "a regularizer has only the settings"),
    (set_in(CONV, "kernel_initializer", ["he"]), r"unknown initializer \['he'\]"),
    (set_in(DENSE, "units", -3), "dense_1: units must be at least 1, got -3"),
    (set_in(DENSE, "units", "128"), "dense_1: units must be a whole number, got '128'"),
    (set_in(DENSE, "activation", "swish"), "unknown activation 'swish'; choose one of"),
    (set_in(DENSE, "colour", "red"), "Dense has no setting 'colour'"),
    (set_in(layer(9), "rate", float("nan")), r"the dropout rate must be in \[0, 1\)"),
    (set_in(CONV, "name", 7), "a layer name must be a non-empty text"),
    (lambda h: h["model"]["layers"][0].__setitem__("class_name", ["Conv2D"]), "unknown layer "
     "type"),
])
def test_header_values_that_escaped_are_model_file_errors(tmp_path, edit, message):
    with pytest.raises(ModelFileError, match=message):
        Sequential.load(edited(tmp_path, edit))


@pytest.mark.parametrize("dtype", ["int8", "object", "U5", "complex64", "float16", [1, 2]])
def test_only_float32_and_float64_layers_load(tmp_path, dtype):
    path = edited(tmp_path, set_in(CONV, "dtype", dtype))
    with pytest.raises(ModelFileError, match="dtype must be one of float32, float64"):
        Sequential.load(path)


def test_a_float64_layer_is_fine(tmp_path):
    path = edited(tmp_path, set_in(DENSE, "dtype", "float64"))
    assert Sequential.load(path).layers[10].dtype == np.float64


@pytest.mark.parametrize(("edit", "message"), [
    (set_in(DENSE, "units", 4_000_000), r"the architecture has 1,068,001,578 weights, more "
     "than the 20,000,000 nnviz can train"),
    (set_in(CONV, "filters", 10**9), "the architecture has 98,000,035,362 weights"),
    (lambda h: h["model"].__setitem__("layers", [{"class_name": "Conv2D", "config": {
        "filters": 4, "kernel_size": 1, "padding": 1000}}]), "layer conv2d_1 would output "
     "16,451,136 values per input, more than the 2,000,000 nnviz allows"),
    (lambda h: h["model"].__setitem__("input_shape", [1, 10**6, 10**6]), "an input of shape "
     r"\(1, 1000000, 1000000\) is too large"),
    (lambda h: h["model"]["layers"].extend([{"class_name": "Flatten", "config": {}}] * 20000),
     "it lists 20,015 layers; nnviz reads at most 500"),
])
def test_huge_architectures_are_refused_from_the_header_in_milliseconds(tmp_path, edit, message):
    path = edited(tmp_path, edit)
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=message):
        Sequential.load(path)
    assert time.perf_counter() - start < 0.5


def test_deeply_nested_json_is_refused_without_recursion(tmp_path):
    path, arrays, header = saved_parts(tmp_path)
    header["metadata"] = {"note": "NESTED"}
    text = json.dumps(header).replace('"NESTED"', "[" * 200_000 + "]" * 200_000)
    write_header(path, arrays, text)
    with pytest.raises(ModelFileError, match="the header nests deeper than 32 levels"):
        Sequential.load(path)
    header["metadata"] = {"note": "[[[[ brackets in a string do not count ]]]]"}
    write_header(path, arrays, json.dumps(header))
    assert Sequential.load(path).metadata["note"].startswith("[[[[")


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "nnviz-model", "version": 1, "model": {"layers": [{"class_name": "Dense", '
     '"config": {"units": ' + "9" * 5000 + "}}]}}", "the header is not valid JSON"),
    ("not json", "the header is not valid JSON"),
    ("[1, 2]", "is not an nnviz model file"),
    ('{"format": "nnviz-model", "version": "1' + "x" * 3000 + '"}', "has format version"),
])
def test_header_texts_that_are_no_model(tmp_path, text, message):
    path, arrays, _ = saved_parts(tmp_path)
    write_header(path, arrays, text)
    with pytest.raises(ModelFileError, match=message) as caught:
        Sequential.load(path)
    assert len(str(caught.value)) < 250


def test_weights_of_another_type_are_refused_from_their_header(tmp_path):
    path, arrays, header = saved_parts(tmp_path)
    arrays["dense_1.W"] = arrays["dense_1.W"].astype(np.int32)
    write_header(path, arrays, json.dumps(header))
    with pytest.raises(ModelFileError, match="dense_1.W holds int32 values, expected floats"):
        Sequential.load(path)


def test_layer_naming_is_linear():
    """Adding 20,000 layers took 35 s when each name was searched from _1 upwards."""
    start = time.perf_counter()
    model = Sequential()
    for _ in range(20_000):
        model.add(Flatten())
    assert time.perf_counter() - start < 2.0
    assert model.layers[-1].name == "flatten_20000"
    model.layers.pop(0)  # a list changed from outside: the first free name is reused
    model.add(Flatten())
    assert model.layers[-1].name == "flatten_1"
