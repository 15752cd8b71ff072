"""The files of one run, written atomically and read without trusting them.

A run folder holds ``run.json`` (what the run was: small, read to list runs),
``curves.npz`` (its per-batch and per-epoch metrics), ``checkpoints.json`` (the index of
its checkpoints) and ``checkpoints/<step>.npz`` (one file of float32 weights each).
Every file is replaced whole (a temporary file renamed over it), so a reader sees the
old file or the new one, never half; nothing is ever unpickled.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from core.atomic_file import atomic_write
from core.safe_npz import ArraySpec, NpzReader, file_problem, reason

RUN_FILE = "run.json"
CURVES_FILE = "curves.npz"
CHECKPOINT_INDEX = "checkpoints.json"
CHECKPOINT_FOLDER = "checkpoints"
MAX_JSON_BYTES = 4 * 1024 * 1024
"""The largest ``run.json`` or ``checkpoints.json`` read (real ones are a few kB)."""


class RunFileError(ValueError):
    """A run file that cannot be read (missing, truncated, corrupt or of another kind)."""


def checkpoint_file(folder: Path, step: int) -> Path:
    """Where the checkpoint after ``step`` batches of the run in ``folder`` is kept."""
    return folder / CHECKPOINT_FOLDER / f"{step:09d}.npz"


def plain(value: object) -> object:
    """``value`` with every non-finite float replaced by None (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def json_bytes(data: dict) -> bytes:
    """``data`` as UTF-8 JSON; TypeError or ValueError for anything JSON cannot hold."""
    return json.dumps(data, allow_nan=False, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` as JSON, atomically."""
    payload = json_bytes(data)
    atomic_write(path, lambda f: f.write(payload))


def read_json(path: Path, label: str) -> dict:
    """Read a JSON object from ``path``; RunFileError (starting with ``label``) if the
    file is missing, too large, not UTF-8 JSON or not an object."""
    try:
        with open(path, "rb") as f:
            payload = f.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise RunFileError(file_problem(exc, label, "a run file")) from None
    if len(payload) > MAX_JSON_BYTES:
        raise RunFileError(f"{label} is larger than a run file can be")
    if not payload:
        raise RunFileError(f"{label} is empty")
    try:
        data = json.loads(payload.decode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - untrusted text: any parse failure (also
        # RecursionError from deep nesting) means it is no valid JSON
        raise RunFileError(f"{label} is truncated or corrupt ({reason(exc)})") from None
    if not isinstance(data, dict):
        raise RunFileError(f"{label} is not a run file (it holds no JSON object)")
    return data


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write named arrays to ``path`` as an uncompressed ``.npz``, atomically."""
    atomic_write(path, lambda f: np.savez(f, **arrays))


def read_arrays(path: Path, specs: dict[str, ArraySpec], label: str,
                exact: bool = True) -> dict[str, np.ndarray]:
    """Read the arrays ``specs`` names from the ``.npz`` at ``path``, each checked
    against its spec before it is allocated; ``exact``: the file holds no others."""
    with NpzReader(path, error=RunFileError, label=label) as archive:
        names = set(archive.names)
        missing = [name for name in specs if name not in names]
        if missing:
            raise RunFileError(f"{label} lacks {', '.join(missing[:3])}")
        extra = sorted(names - set(specs))
        if exact and extra:
            raise RunFileError(f"{label} holds arrays its run does not know: "
                               f"{', '.join(extra[:3])}")
        return {name: archive.read(name, spec) for name, spec in specs.items()}


def remove_quietly(path: Path) -> None:
    """Delete a file if it is there; a file that cannot be removed is left behind."""
    try:
        os.unlink(path)
    except OSError:
        pass
