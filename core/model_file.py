"""The nnviz model file: a pickle-free, versioned ``.npz``.

Layout (a plain zip of ``.npy`` arrays, readable with ``np.load(path, allow_pickle=False)``):

* ``__nnviz__`` — a 0-d unicode array holding JSON::

      {"format": "nnviz-model", "version": 1,
       "model": {"name": ..., "input_shape": [1, 28, 28],
                 "layers": [{"class_name": "Conv2D", "config": {...}}, ...]},
       "compile": {"loss": "categorical_crossentropy",
                   "optimizer": {"name": "sgd", "lr": 0.05, ...}, "metrics": ["accuracy"]},
       "weights": ["conv2d_1.W", "conv2d_1.b", ...],
       "state": ["batch_normalization_1.moving_mean", ...],
       "metadata": {...free-form notes, e.g. the test accuracy...}}

* one array per weight, named ``"<layer>.<param>"`` as listed in ``weights``
  (float32, shapes as the layers define them: Conv2D W (F, C, kh, kw), Dense W (in, out));
* one array per non-trained state array (BatchNormalization's ``moving_mean`` and
  ``moving_variance``, (C,)), named the same way and listed in ``state`` (absent or empty
  for networks without any).

Saving writes a temporary file beside the target and renames it over the target, so a
crash never leaves half a model. Loading never unpickles: files holding Python objects,
corrupt or truncated files, unknown versions and weights that do not fit the
architecture raise :class:`ModelFileError` with a plain message.

This module reads and writes headers and arrays; it never imports the model. Building
a model from the header is the model class's own ``from_config`` (``load_model`` is
handed the class), and ``Sequential.save`` / ``Sequential.load`` call the two functions
here, so the dependency runs one way: ``core.model`` -> ``core.model_file``.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TypeVar

import numpy as np

from core.atomic_file import atomic_write
from core.checks import whole
from core.safe_npz import ArraySpec, NpzReader, reason

M = TypeVar("M")

FORMAT = "nnviz-model"
VERSION = 1
HEADER_KEY = "__nnviz__"

MAX_HEADER_CHARS = 1_000_000
MAX_DEPTH = 32
"""JSON nesting deeper than this is refused before parsing (the header nests 5 deep)."""
MAX_LAYERS = 500
MAX_PARAMS = 20_000_000
"""The most weights a model file may declare (80 MB as float32): larger networks cannot
be trained live on a CPU, and their size is known from the header before allocation."""
MAX_ACTIVATIONS = 2_000_000
"""The most values a layer may output for one input (an 8 MB float32 map)."""


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why in plain words."""


def save_model(model, path: str | Path, metadata: dict | None = None) -> None:
    """Atomically write ``model`` (architecture, weights, compile settings) to ``path``.

    ``model`` is a Sequential (anything with ``get_config``, ``named_params``, ``loss``,
    ``optimizer``, ``metrics`` and ``metadata``); ``metadata`` defaults to the model's own.
    """
    if not model.built:
        raise ValueError("build the model (give it an input shape) before saving it")
    params = model.named_params()
    state = model.named_state()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "model": model.get_config(),
        "compile": None if model.loss is None else {
            "loss": model.loss.name,
            "optimizer": model.optimizer.get_config() if model.optimizer else None,
            "metrics": list(model.metrics),
        },
        "weights": list(params),
        "state": list(state),
        "metadata": metadata if metadata is not None else model.metadata,
    }
    arrays = {name: np.asarray(p, dtype=np.float32) for name, p in {**params, **state}.items()}
    arrays[HEADER_KEY] = np.array(json.dumps(header))
    atomic_write(path, lambda f: np.savez(f, **arrays))


def read_model_file(path: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Read and validate the header and the float arrays of a model file, without
    building anything (at most :data:`MAX_PARAMS` values in all)."""
    path = Path(path)
    with NpzReader(path, error=ModelFileError) as archive:
        header = _read_header(archive, path.name)
        arrays, budget = {}, MAX_PARAMS * 8
        for name in archive.names:
            if name != HEADER_KEY:
                shape, _ = archive.declared(name)
                arrays[name] = archive.read(name, ArraySpec("f", shape, budget))
                budget -= arrays[name].nbytes
    return header, arrays


def load_model(path: str | Path, model_class: type[M]) -> M:
    """Read a model file into a new ``model_class`` (built by its ``from_config``), with the
    file's weights, compiled when the file says how, and the file's ``metadata``.

    The whole header is checked first, and the architecture's size is computed from it
    (``weight_shapes`` / ``output_shapes``) before a single weight is allocated or read.
    """
    path = Path(path)
    filename = path.name
    with NpzReader(path, error=ModelFileError) as archive:
        header = _read_header(archive, filename)
        model, input_shape, expected, expected_state = _plan(model_class, header["model"],
                                                             filename)
        stored = set(archive.names) - {HEADER_KEY}
        if (sorted(header["weights"]) != sorted(expected)
                or sorted(header["state"]) != sorted(expected_state)
                or stored != set(expected) | set(expected_state)):
            raise ModelFileError(f"{filename}: its weights do not match its architecture")
        arrays = {name: archive.read(name, ArraySpec("f", shape, math.prod(shape) * 16))
                  for name, shape in {**expected, **expected_state}.items()}
    for name, w in arrays.items():
        if not np.all(np.isfinite(w)):
            raise ModelFileError(f"{filename}: {name} holds NaN or infinite values")
    model.build(input_shape)
    for name, p in {**model.named_params(), **model.named_state()}.items():
        p[...] = arrays[name]
    compiled = header["compile"]
    if compiled:
        try:
            model.compile(loss=compiled["loss"], optimizer=compiled.get("optimizer") or "sgd",
                          metrics=compiled.get("metrics", ["accuracy"]))
        except ValueError as error:
            raise ModelFileError(f"{filename}: bad compile settings ({reason(error)})") from None
    model.metadata = dict(header.get("metadata") or {})
    return model


def _read_header(archive: NpzReader, filename: str) -> dict:
    """The JSON header, parsed and checked key by key (types, nesting, format, version)."""
    if HEADER_KEY not in archive.names:
        raise ModelFileError(f"{filename} is not an nnviz model file (no {HEADER_KEY})")
    raw = archive.read(HEADER_KEY, ArraySpec("U", (), 4 * MAX_HEADER_CHARS))
    text = str(raw[()])
    if _nesting_depth(text) > MAX_DEPTH:
        raise ModelFileError(f"{filename}: the header nests deeper than {MAX_DEPTH} levels, "
                             "which no model file does")
    try:
        header = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ModelFileError(f"{filename}: the header is not valid JSON "
                             f"({reason(error)})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{filename} is not an nnviz model file")
    if header.get("version") != VERSION:
        raise ModelFileError(f"{filename} has format version {header.get('version')!r:.20}; "
                             f"this nnviz reads version {VERSION}")
    problem = _header_problem(header)
    if problem:
        raise ModelFileError(f"{filename}: the header is damaged: {problem}")
    return header


def _header_problem(header: dict) -> str | None:
    """What is wrong with the header's structure, or None (layer values are checked by
    the layers themselves)."""
    model = header.get("model")
    if not isinstance(model, dict):
        return "it has no model description"
    if not isinstance(model.get("layers"), list) or not model["layers"]:
        return "the model lists no layers"
    if len(model["layers"]) > MAX_LAYERS:
        return f"it lists {len(model['layers']):,} layers; nnviz reads at most {MAX_LAYERS}"
    weights = header.get("weights")
    if not isinstance(weights, list) or not all(isinstance(w, str) for w in weights):
        return "'weights' must be a list of names"
    state = header.setdefault("state", [])  # files without non-trained arrays may omit it
    if not isinstance(state, list) or not all(isinstance(a, str) for a in state):
        return "'state' must be a list of names"
    if header.get("metadata") is not None and not isinstance(header["metadata"], dict):
        return "'metadata' must be a dict"
    compiled = header.setdefault("compile", None)
    if compiled is None:
        return None
    if not isinstance(compiled, dict) or not isinstance(compiled.get("loss"), str):
        return "'compile' must be a dict naming a loss"
    metrics = compiled.get("metrics", [])
    if not isinstance(metrics, list) or not all(isinstance(m, str) for m in metrics):
        return "the compile metrics must be a list of names"
    if not isinstance(compiled.get("optimizer"), dict | str | None):
        return "the optimizer must be a name or a dict of settings"
    return None


def _plan(model_class, config: dict, filename: str):
    """The model described by ``config``, not yet built, with its input shape and the
    shapes of all its weights and non-trained arrays, after checking the sizes they imply
    against the limits."""
    input_shape = config.get("input_shape")
    if not isinstance(input_shape, list | tuple) or not input_shape:
        raise ModelFileError(f"{filename}: the model has no input shape")
    try:
        input_shape = tuple(whole(size, "an input size") for size in input_shape)
        if math.prod(input_shape) > MAX_ACTIVATIONS:
            raise ValueError(f"an input of shape {input_shape} is too large")
        model = model_class.from_config({**config, "input_shape": None})
        outputs = model.output_shapes(input_shape)
        expected = model.weight_shapes(input_shape)
        expected_state = model.state_shapes(input_shape)
    except ValueError as error:
        raise ModelFileError(f"{filename}: the architecture cannot be built: "
                             f"{reason(error, 160)}") from None
    total = sum(math.prod(shape) for shape in expected.values())
    if total > MAX_PARAMS:
        raise ModelFileError(f"{filename}: the architecture has {total:,} weights, more than "
                             f"the {MAX_PARAMS:,} nnviz can train")
    for layer, shape in zip(model.layers, outputs, strict=True):
        if math.prod(shape) > MAX_ACTIVATIONS:
            raise ModelFileError(f"{filename}: layer {layer.name} would output "
                                 f"{math.prod(shape):,} values per input, more than the "
                                 f"{MAX_ACTIVATIONS:,} nnviz allows")
    return model, input_shape, expected, expected_state


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _nesting_depth(text: str) -> int:
    """How deeply ``[`` and ``{`` nest in a JSON text (brackets inside strings ignored),
    counted without recursion, so a hostile header cannot exhaust the parser's stack."""
    codes = np.frombuffer(_STRING.sub('""', text).encode("utf-8", "replace"), dtype=np.uint8)
    if codes.size == 0:
        return 0
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64)
    steps -= np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max())
