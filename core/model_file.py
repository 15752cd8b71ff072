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
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TypeVar

import numpy as np

M = TypeVar("M")

FORMAT = "nnviz-model"
VERSION = 1
HEADER_KEY = "__nnviz__"


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why in plain words."""


def save_model(model, path: str | Path, metadata: dict | None = None) -> None:
    """Atomically write ``model`` (architecture, weights, compile settings) to ``path``.

    ``model`` is a Sequential (anything with ``get_config``, ``named_params``, ``loss``,
    ``optimizer``, ``metrics`` and ``metadata``); ``metadata`` defaults to the model's own.
    """
    path = Path(path)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a model file is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_model_file(path: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Read and validate the header and arrays of a model file, without building anything."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file")
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.files)
            if HEADER_KEY not in names:
                raise ModelFileError(f"{path.name} is not an nnviz model file (no {HEADER_KEY})")
            raw = archive[HEADER_KEY]
            arrays = {name: archive[name] for name in names if name != HEADER_KEY}
    except ModelFileError:
        raise
    except ValueError as error:
        if "allow_pickle" in str(error) or "Object arrays" in str(error):
            raise ModelFileError(
                f"{path.name} contains pickled Python objects; nnviz never unpickles files "
                "(they can run arbitrary code)") from None
        raise ModelFileError(f"{path.name} is corrupt or not a model file: {error}") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise ModelFileError(f"{path.name} is corrupt or truncated: {error}") from None
    if raw.dtype.kind != "U" or raw.shape != ():
        raise ModelFileError(f"{path.name}: the header is not a JSON text")
    try:
        header = json.loads(str(raw))
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path.name}: the header is not valid JSON ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{path.name} is not an nnviz model file")
    if header.get("version") != VERSION:
        raise ModelFileError(f"{path.name} has format version {header.get('version')!r}; "
                             f"this nnviz reads version {VERSION}")
    return header, arrays


def load_model(path: str | Path, model_class: type[M]) -> M:
    """Read a model file into a new ``model_class`` (built by its ``from_config``), with the
    file's weights, compiled when the file says how, and the file's ``metadata``."""
    header, arrays = read_model_file(path)
    filename = Path(path).name
    try:
        model = model_class.from_config(header["model"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"{filename}: the architecture cannot be built: {error}") from None
    if not model.built:
        raise ModelFileError(f"{filename}: the model has no input shape")
    _copy_weights(model, header, arrays, filename)
    compiled = header.get("compile")
    if compiled:
        try:
            model.compile(loss=compiled["loss"], optimizer=compiled["optimizer"] or "sgd",
                          metrics=compiled.get("metrics", ["accuracy"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFileError(f"{filename}: bad compile settings ({error})") from None
    model.metadata = dict(header.get("metadata") or {})
    return model


def _copy_weights(model, header: dict, arrays: dict[str, np.ndarray], filename: str) -> None:
    params, state = model.named_params(), model.named_state()
    listed = header.get("weights", [])
    if (sorted(listed) != sorted(params) or sorted(header.get("state") or []) != sorted(state)
            or set(arrays) != set(params) | set(state)):
        raise ModelFileError(f"{filename}: its weights do not match its architecture")
    targets = {**params, **state}
    for name, p in targets.items():
        w = arrays[name]
        if w.shape != p.shape:
            raise ModelFileError(f"{filename}: {name} has shape {w.shape}, expected {p.shape}")
        if w.dtype.kind != "f":
            raise ModelFileError(f"{filename}: {name} is {w.dtype}, expected floats")
        if not np.all(np.isfinite(w)):
            raise ModelFileError(f"{filename}: {name} holds NaN or infinite values")
    for name, p in targets.items():
        p[...] = arrays[name]
