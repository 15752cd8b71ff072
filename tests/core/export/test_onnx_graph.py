"""ONNX export checked with onnxruntime: the same outputs as nnviz on 100 digits."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from core.export import OnnxMissing, to_onnx
from core.layers import Layer
from tests.core.export.networks import NETWORKS, digits, shipped


@pytest.mark.parametrize("name", NETWORKS)
def test_onnxruntime_gives_nnviz_outputs(name, tmp_path):
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    model = NETWORKS[name]()
    path = to_onnx(model, tmp_path / f"{name}.onnx")
    x, _ = digits(100)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input"]
    (out,) = session.run(["output"], {"input": x})
    np.testing.assert_allclose(out, model.predict(x), rtol=0, atol=1e-5)
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_the_batch_size_is_free_and_the_file_says_what_it_is(tmp_path):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    model = shipped()
    path = to_onnx(model, tmp_path / "m.onnx")
    proto = onnx.load(str(path))
    assert proto.producer_name == "nnviz" and "pixels / 255" in proto.doc_string
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for n in (1, 7):
        x, _ = digits(n)
        assert session.run(None, {"input": x})[0].shape == (n, 10)


class Mystery(Layer):
    kind = "mystery"

    def output_shape(self, input_shape):
        return input_shape

    def forward(self, x, training=False):
        return x


def test_a_layer_without_an_onnx_form_is_refused_before_writing(tmp_path):
    pytest.importorskip("onnx")
    model = shipped()
    model.add(Mystery())
    with pytest.raises(ValueError, match=r"Mystery \(layer mystery_1\) cannot be exported to ONNX"):
        to_onnx(model, tmp_path / "m.onnx")
    assert list(tmp_path.iterdir()) == []


def test_without_onnx_the_error_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    with pytest.raises(OnnxMissing, match=r'pip install "nnviz\[export\]"'):
        to_onnx(shipped(), tmp_path / "m.onnx")
    assert issubclass(OnnxMissing, ImportError)
    assert list(tmp_path.iterdir()) == []


def test_importing_the_exporters_loads_neither_onnx_nor_torch():
    code = ("import sys, core.export\n"
            "print([m for m in ('onnx', 'onnxruntime', 'torch') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_every_layer_type_has_an_onnx_form():
    from core.export.onnx_graph import CONVERTERS
    from core.layers import LAYER_TYPES
    from tests.core.networks import every_layer_type

    assert {type(layer) for layer in every_layer_type().layers} == set(LAYER_TYPES.values())
    for layer in every_layer_type().layers:
        CONVERTERS.lookup(layer)
