"""Model files: round trips, atomic saving, and every kind of bad file."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from core import regularizers
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
