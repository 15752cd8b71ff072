"""ONNX export: the network as an ONNX graph, weights included, runnable by onnxruntime.

The graph takes ``input``, float32 (N, *input_shape) — for the digit networks (N, 1, 28, 28)
with pixels / 255 — and gives ``output``, what :meth:`Sequential.predict` gives (class
probabilities after a final softmax). Layers map to standard ONNX operators (opset 17):
Conv2D -> Conv, MaxPooling2D -> MaxPool, AveragePooling2D -> AveragePool (padding left out
of the mean), Flatten -> Flatten, Dense -> Gemm, Activation (and LeakyReLU, ELU) -> Tanh /
Relu / LeakyRelu / Elu / Sigmoid / Softmax / Identity, PReLU -> PRelu, Dropout -> Identity
and BatchNormalization -> BatchNormalization with the moving statistics (both as they act
in inference). Both use channels-first layouts and the same weight layouts (Conv W (F, C,
kh, kw); Dense W (in, out) is Gemm's B), so weights are copied as they are.

A new layer type is one function registered with ``@converts(LayerClass)``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.atomic_file import write_atomically
from core.export.by_class import ByClass
from core.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPooling2D,
    Pooling2D,
    PReLU,
)

OPSET = 17
IR_VERSION = 8  # the IR of opset 17: runtimes from onnxruntime 1.14 on read it
INPUT_NAME, OUTPUT_NAME = "input", "output"

_ACTIVATION_OPS = {"tanh": "Tanh", "relu": "Relu", "leaky_relu": "LeakyRelu", "elu": "Elu",
                   "sigmoid": "Sigmoid", "softmax": "Softmax", "linear": "Identity"}


class OnnxMissing(ImportError):
    """The optional ``onnx`` package is not installed; the message says how to get it."""


def _onnx():
    try:
        import onnx
    except ImportError:
        raise OnnxMissing('Exporting to ONNX needs the onnx package: pip install "nnviz[export]" '
                          "(or pip install onnx).") from None
    return onnx


class GraphBuilder:
    """Collects the ONNX nodes and weight tensors while the layers are converted."""

    def __init__(self, onnx) -> None:
        self.onnx = onnx
        self.nodes: list = []
        self.initializers: list = []

    def weight(self, name: str, array: np.ndarray) -> str:
        """Add a float32 constant (a trained weight) to the graph; returns its name."""
        self.initializers.append(self.onnx.numpy_helper.from_array(
            np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def node(self, op: str, inputs: list[str], name: str, **attributes) -> str:
        """Add one operator; returns the name of its output tensor."""
        output = f"{name}:out"
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [output], name=name,
                                                     **attributes))
        return output


Converter = Callable[[GraphBuilder, Layer, str], str]
CONVERTERS: ByClass[Converter] = ByClass("ONNX")
"""``convert(graph, layer, x) -> y``, the nodes computing a layer type on tensor x."""
converts = CONVERTERS.register


@converts(Conv2D)
def _conv(g: GraphBuilder, layer: Conv2D, x: str) -> str:
    p, s = layer.pad, layer.stride
    return g.node("Conv", [x, g.weight(f"{layer.name}.W", layer.params["W"]),
                           g.weight(f"{layer.name}.b", layer.params["b"])], layer.name,
                  kernel_shape=list(layer.kernel_size), strides=[s, s], pads=[p, p, p, p])


def _pool_attributes(layer: Pooling2D) -> dict:
    """kernel_shape, strides and pads (top, left, bottom, right) of a pooling layer."""
    top, bottom, left, right = layer.pads(*layer.input_shape[1:])
    return {"kernel_shape": list(layer.pool_size), "strides": list(layer.strides),
            "pads": [top, left, bottom, right]}


@converts(MaxPooling2D)
def _max_pool(g: GraphBuilder, layer: MaxPooling2D, x: str) -> str:
    # 'valid' drops partial windows (ONNX's floor); padded positions never win a max
    return g.node("MaxPool", [x], layer.name, **_pool_attributes(layer))


@converts(AveragePooling2D)
def _average_pool(g: GraphBuilder, layer: AveragePooling2D, x: str) -> str:
    return g.node("AveragePool", [x], layer.name, count_include_pad=0, **_pool_attributes(layer))


@converts(BatchNormalization)
def _batch_norm(g: GraphBuilder, layer: BatchNormalization, x: str) -> str:
    stem = layer.name
    inputs = [x, g.weight(f"{stem}.gamma", layer.params["gamma"]),
              g.weight(f"{stem}.beta", layer.params["beta"]),
              g.weight(f"{stem}.moving_mean", layer.state["moving_mean"]),
              g.weight(f"{stem}.moving_variance", layer.state["moving_variance"])]
    return g.node("BatchNormalization", inputs, stem, epsilon=layer.epsilon)


@converts(Flatten)
def _flatten(g: GraphBuilder, layer: Flatten, x: str) -> str:
    return g.node("Flatten", [x], layer.name, axis=1)


@converts(Dense)
def _dense(g: GraphBuilder, layer: Dense, x: str) -> str:
    return g.node("Gemm", [x, g.weight(f"{layer.name}.W", layer.params["W"]),
                           g.weight(f"{layer.name}.b", layer.params["b"])], layer.name)


@converts(Activation)
def _activation(g: GraphBuilder, layer: Activation, x: str) -> str:
    op = _ACTIVATION_OPS[layer.activation]
    attributes = {"axis": -1} if op == "Softmax" else {}
    if layer.alpha is not None:  # leaky_relu's slope, elu's scale
        attributes["alpha"] = layer.alpha
    return g.node(op, [x], layer.name, **attributes)


@converts(PReLU)
def _prelu(g: GraphBuilder, layer: PReLU, x: str) -> str:
    # one slope per element of a sample: shape (C, H, W) broadcasts over the batch axis
    return g.node("PRelu", [x, g.weight(f"{layer.name}.alpha", layer.params["alpha"])],
                  layer.name)


@converts(Dropout)
def _dropout(g: GraphBuilder, layer: Dropout, x: str) -> str:
    return g.node("Identity", [x], layer.name)  # dropout only acts while training


def to_onnx_model(model):
    """The network as an ``onnx.ModelProto`` (checked by ``onnx.checker``), not written."""
    onnx = _onnx()
    if not model.built:
        raise ValueError("build the model (give it an input shape) before exporting it")
    converters = [CONVERTERS.lookup(layer, f"layer {layer.name}") for layer in model.layers]
    graph = GraphBuilder(onnx)
    x = INPUT_NAME
    for layer, convert in zip(model.layers, converters, strict=True):
        x = convert(graph, layer, x)
    graph.nodes.append(onnx.helper.make_node("Identity", [x], [OUTPUT_NAME], name="output"))
    float32 = onnx.TensorProto.FLOAT
    inputs = [onnx.helper.make_tensor_value_info(INPUT_NAME, float32,
                                                 ["N", *model.input_shape])]
    outputs = [onnx.helper.make_tensor_value_info(OUTPUT_NAME, float32,
                                                  ["N", *model.output_shapes()[-1]])]
    proto = onnx.helper.make_model(
        onnx.helper.make_graph(graph.nodes, model.name, inputs, outputs, graph.initializers),
        producer_name="nnviz", opset_imports=[onnx.helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        doc_string=f"{model.name}: {len(model.layers)} layers, {model.count_params():,} "
                   "parameters, exported by nnviz. Input: float32 (N, "
                   f"{', '.join(map(str, model.input_shape))}), pixels / 255.")
    onnx.checker.check_model(proto)
    return proto


def to_onnx(model, path: str | Path) -> Path:
    """Write ``model`` (a built Sequential) to ``path`` as ONNX; returns the path.

    The file is written to a temporary name and renamed, so it is never left half-written.
    Raises :class:`OnnxMissing` (an ImportError) when the onnx package is not installed and
    ValueError for a layer type that has no ONNX form; nothing is written then.
    """
    return write_atomically(path, to_onnx_model(model).SerializeToString())
