"""The nnviz model file: a pickle-free, versioned ``.npz``.

Layout (a plain zip of ``.npy`` arrays, readable with ``np.load(path, allow_pickle=False)``):

* ``__nnviz__`` — a 0-d unicode array holding JSON::

      {"format": "nnviz-model", "version": 1,
       "model": {"name": ..., "input_shape": [1, 28, 28],
                 "layers": [{"class_name": "Conv2D", "config": {...}}, ...]},
       "compile": {"loss": "categorical_crossentropy",
                   "optimizer": {"name": "sgd", "lr": 0.05, ...}, "metrics": ["accuracy"]},
       "weights": ["conv2d_1.W", "conv2d_1.b", ...],
       "metadata": {...free-form notes, e.g. the test accuracy...}}

* one array per weight, named ``"<layer>.<param>"`` as listed in ``weights``
  (float32, shapes as the layers define them: Conv2D W (F, C, kh, kw), Dense W (in, out)).

Saving writes a temporary file beside the target and renames it over the target, so a
crash never leaves half a model. Loading never unpickles: files holding Python objects,
corrupt or truncated files, unknown versions and weights that do not fit the
architecture raise :class:`ModelFileError` with a plain message.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from core import losses, optimizers
from core.layers import layer_from_config

FORMAT = "nnviz-model"
VERSION = 1
HEADER_KEY = "__nnviz__"


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why in plain words."""


def save_model(model, path: str | Path, metadata: dict | None = None) -> None:
    """Atomically write ``model`` (architecture, weights, compile settings) to ``path``."""
    path = Path(path)
    if not model.built:
        raise ValueError("build the model (give it an input shape) before saving it")
    params = model.named_params()
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
        "metadata": metadata if metadata is not None else getattr(model, "metadata", {}),
    }
    arrays = {name: np.asarray(p, dtype=np.float32) for name, p in params.items()}
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


def model_from_config(config: dict):
    """Build an (untrained) Sequential from ``Sequential.get_config()`` data."""
    from core.model import Sequential

    try:
        layers = [layer_from_config(spec["class_name"], dict(spec["config"]))
                  for spec in config["layers"]]
        model = Sequential(name=config.get("name", "sequential"))
        for layer in layers:
            model.add(layer)
        if config.get("input_shape"):
            model.build(config["input_shape"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"the architecture cannot be built: {error}") from None
    return model


def load_model(path: str | Path):
    """Read a model file into a new, compiled (when the file says how) Sequential."""
    header, arrays = read_model_file(path)
    model = model_from_config(header["model"])
    if not model.built:
        raise ModelFileError(f"{Path(path).name}: the model has no input shape")
    _copy_weights(model, header, arrays, Path(path).name)
    compiled = header.get("compile")
    if compiled:
        try:
            model.compile(loss=losses.get(compiled["loss"]),
                          optimizer=optimizers.get(compiled["optimizer"] or "sgd"),
                          metrics=compiled.get("metrics", ["accuracy"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFileError(f"{Path(path).name}: bad compile settings ({error})") from None
    model.metadata = dict(header.get("metadata") or {})
    return model


def load_weights_into(model, path: str | Path) -> None:
    """Copy a file's weights into an existing model of the *same* architecture."""
    header, arrays = read_model_file(path)
    ours = [(s["class_name"], _shape_config(s["config"])) for s in model.get_config()["layers"]]
    try:
        theirs = [(s["class_name"], _shape_config(s["config"]))
                  for s in header["model"]["layers"]]
        their_input = list(header["model"]["input_shape"])
    except (KeyError, TypeError) as error:
        raise ModelFileError(f"{Path(path).name}: the architecture is malformed ({error})") \
            from None
    if ours != theirs or list(model.input_shape) != their_input:
        raise ModelFileError(f"{Path(path).name} holds a model of another architecture")
    _copy_weights(model, header, arrays, Path(path).name)


def _shape_config(config: dict) -> dict:
    """The parts of a layer config that decide weight shapes (not names or regularizers)."""
    return {k: v for k, v in config.items()
            if k not in ("name", "kernel_regularizer", "rate", "kernel_initializer",
                         "bias_initializer", "alpha_initializer")}


def _copy_weights(model, header: dict, arrays: dict[str, np.ndarray], filename: str) -> None:
    params = model.named_params()
    listed = header.get("weights", [])
    if sorted(listed) != sorted(params) or set(arrays) != set(params):
        raise ModelFileError(f"{filename}: its weights do not match its architecture")
    for name, p in params.items():
        w = arrays[name]
        if w.shape != p.shape:
            raise ModelFileError(f"{filename}: {name} has shape {w.shape}, expected {p.shape}")
        if w.dtype.kind != "f":
            raise ModelFileError(f"{filename}: {name} is {w.dtype}, expected floats")
        if not np.all(np.isfinite(w)):
            raise ModelFileError(f"{filename}: {name} holds NaN or infinite values")
    for name, p in params.items():
        p[...] = arrays[name]
