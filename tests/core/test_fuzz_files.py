"""Property: however a valid data set, model or personal-digits file is damaged (bit flips,
truncation, inserted or overwritten bytes, edited headers), loading it either works or
raises the loader's documented error with one readable line; nothing else escapes."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.data import DataError, load_dataset, load_idx
from core.layers import Conv2D, Dense, Flatten
from core.model import Sequential
from core.model_file import ModelFileError
from core.personal import PersonalDigitsError, read_file
from tests.core.idx_files import idx_bytes

FUZZ = settings(max_examples=int(os.environ.get("NNVIZ_FUZZ_EXAMPLES", 150)), deadline=None,
                derandomize="NNVIZ_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _npz(arrays: dict, compressed: bool) -> bytes:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def _dataset_arrays() -> dict:
    rng = np.random.default_rng(0)
    return {"x_train": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
            "y_train": rng.integers(0, 10, 4, dtype=np.uint8),
            "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
            "y_test": rng.integers(0, 10, 2, dtype=np.uint8)}


VALID_DATASET = {"stored": _npz(_dataset_arrays(), False),
                 "deflated": _npz(_dataset_arrays(), True)}
VALID_IDX = {"raw": idx_bytes(_dataset_arrays()["x_train"], gz=False),
             "gz": idx_bytes(_dataset_arrays()["x_train"])}
VALID_PERSONAL = _npz({"images": _dataset_arrays()["x_train"],
                       "labels": _dataset_arrays()["y_train"]}, False)


def positions(size: int):
    """Anywhere, but often near the start or end, where the headers and directories are."""
    return st.one_of(st.integers(0, size - 1), st.integers(0, min(size, 400) - 1),
                     st.integers(max(0, size - 300), size - 1))


def mutations(size: int):
    return st.lists(st.one_of(
        st.tuples(st.just("flip"), positions(size), st.integers(0, 7)),
        st.tuples(st.just("cut"), positions(size), st.just(0)),
        st.tuples(st.just("insert"), positions(size), st.binary(min_size=1, max_size=12)),
        st.tuples(st.just("write"), positions(size), st.binary(min_size=1, max_size=12)),
    ), min_size=1, max_size=4)


def mutate(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for kind, at, what in edits:
        at = min(at, max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[at] ^= 1 << what
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out[at:at] = what
        elif kind == "write":
            out[at : at + len(what)] = what
    return bytes(out)


def one_line(error: Exception) -> None:
    text = str(error)
    assert text and "\n" not in text and len(text) < 400, text


def mutated_file(tmp_path, name: str, valid: bytes, data):
    path = tmp_path / name
    path.write_bytes(mutate(valid, data.draw(mutations(len(valid)))))
    return path


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(VALID_DATASET)))
def test_damaged_dataset_npz(tmp_path, data, kind):
    path = mutated_file(tmp_path, "mnist.npz", VALID_DATASET[kind], data)
    try:
        load_dataset(path)
    except DataError as error:
        one_line(error)


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(VALID_IDX)))
def test_damaged_idx(tmp_path, data, kind):
    path = mutated_file(tmp_path, f"train-images-idx3-ubyte.{kind}", VALID_IDX[kind], data)
    try:
        load_idx(path)
    except DataError as error:
        one_line(error)


@FUZZ
@given(data=st.data())
def test_damaged_personal_digits(tmp_path, data):
    path = mutated_file(tmp_path, "personal_digits.npz", VALID_PERSONAL, data)
    try:
        read_file(path)
    except PersonalDigitsError as error:
        one_line(error)


class SavedModel(tuple):
    """(file bytes, weight arrays, parsed header) of a saved model, shown short."""

    def __repr__(self) -> str:
        return "<a tiny saved model>"


@pytest.fixture(scope="module")
def valid_model(tmp_path_factory) -> SavedModel:
    """A tiny saved model: its bytes, its arrays, and its parsed header."""
    path = tmp_path_factory.mktemp("model") / "tiny.npz"
    model = Sequential(input_shape=(1, 6, 6), name="tiny")
    model.add(Conv2D(2, 3, activation="relu"))
    model.add(Flatten())
    model.add(Dense(3, activation="softmax"))
    model.compile("categorical_crossentropy", "adam")
    model.save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    header = json.loads(str(arrays.pop("__nnviz__")))
    return SavedModel((path.read_bytes(), arrays, header))


def load_model_bytes(tmp_path, data: bytes) -> None:
    path = tmp_path / "m.npz"
    path.write_bytes(data)
    try:
        Sequential.load(path)
    except ModelFileError as error:
        one_line(error)


@FUZZ
@given(data=st.data())
def test_damaged_model_bytes(tmp_path, valid_model, data):
    valid = valid_model[0]
    load_model_bytes(tmp_path, mutate(valid, data.draw(mutations(len(valid)))))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


def _nodes(value, path=()):
    """Every (path, value) inside a JSON value, the value itself first."""
    yield path, value
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else ())
    for key, child in items:
        yield from _nodes(child, (*path, key))


@FUZZ
@given(data=st.data())
def test_edited_model_headers(tmp_path, valid_model, data):
    _, arrays, header = valid_model
    header = json.loads(json.dumps(header))
    for _ in range(data.draw(st.integers(1, 3))):
        nodes = list(_nodes(header))[1:]
        path, _ = data.draw(st.sampled_from(nodes))
        parent = header
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON_VALUES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in {"__nnviz__": np.array(json.dumps(header)), **arrays}.items():
            archive.writestr(f"{name}.npy", _npy(array))
    load_model_bytes(tmp_path, buffer.getvalue())


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()
