"""The personal digits store: validation, atomic pickle-free saving, safe loading."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from core import personal
from core.personal import PersonalDigits, PersonalDigitsError, default_folder, read_file


def digit(value: float = 1.0) -> np.ndarray:
    x = np.zeros((28, 28), dtype=np.float32)
    x[4:24, 12:16] = value
    return x


def test_add_save_and_reload(tmp_path):
    store = PersonalDigits(tmp_path)
    assert len(store) == 0 and store.images.shape == (0, 28, 28)
    store.add(digit(), 1)
    store.add(np.full((28, 28), 7, dtype=np.uint8), np.int64(7))
    assert len(store) == 2
    assert store.images.dtype == np.uint8 and store.labels.dtype == np.uint8
    assert store.images[0].max() == 255 and list(store.labels) == [1, 7]
    path = store.save()
    assert path == tmp_path / "personal_digits.npz"
    assert [p.name for p in tmp_path.iterdir()] == ["personal_digits.npz"]  # no temp files

    again = PersonalDigits(tmp_path)
    np.testing.assert_array_equal(again.images, store.images)
    np.testing.assert_array_equal(again.labels, store.labels)
    with np.load(path, allow_pickle=False) as data:  # plain arrays, no pickles
        assert sorted(data.files) == ["images", "labels"]


def test_images_cannot_be_changed_from_outside(tmp_path):
    store = PersonalDigits(tmp_path)
    store.add(digit(), 3)
    with pytest.raises(ValueError):
        store.images[0, 0, 0] = 9


@pytest.mark.parametrize("label", [10, -1, 3.0, True, "4", None])
def test_bad_labels_are_rejected(tmp_path, label):
    store = PersonalDigits(tmp_path)
    with pytest.raises(ValueError, match="label"):
        store.add(digit(), label)
    assert len(store) == 0


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((20, 20), np.float32), "28x28"),
        (np.zeros((1, 28, 28), np.float32), "28x28"),
        (np.full((28, 28), 2.0, np.float32), r"\[0, 1\]"),
        (np.full((28, 28), np.nan, np.float32), "NaN"),
        (np.zeros((28, 28), np.int64), "uint8"),
    ],
)
def test_bad_images_are_rejected(tmp_path, image, message):
    store = PersonalDigits(tmp_path)
    with pytest.raises(ValueError, match=message):
        store.add(image, 1)
    assert len(store) == 0


def test_remove_and_clear(tmp_path):
    store = PersonalDigits(tmp_path)
    for k in range(4):
        store.add(digit(k / 4), k)
    store.remove(1)
    assert list(store.labels) == [0, 2, 3]
    store.remove(-1)
    assert list(store.labels) == [0, 2]
    with pytest.raises(IndexError):
        store.remove(5)
    store.clear()
    assert len(store) == 0
    store.save()
    assert len(PersonalDigits(tmp_path)) == 0


def test_training_arrays(tmp_path):
    store = PersonalDigits(tmp_path)
    store.add(digit(), 4)
    x, y = store.training_arrays()
    assert x.shape == (1, 1, 28, 28) and x.dtype == np.float32 and x.max() == 1.0
    assert y.tolist() == [4] and y.dtype == np.int64


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    store = PersonalDigits(tmp_path)
    store.add(digit(), 1)
    store.save()
    before = (tmp_path / "personal_digits.npz").read_bytes()
    store.add(digit(), 2)

    def broken_savez(handle, **arrays):
        handle.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(personal.np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        store.save()
    assert (tmp_path / "personal_digits.npz").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["personal_digits.npz"]


def _write_npz(path: Path, **arrays) -> None:
    np.savez(path, **arrays)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"not a zip file at all"), "not an .npz file"),
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: _write_npz(p, images=np.zeros((1, 28, 28), np.uint8)), "missing"),
        (
            lambda p: _write_npz(
                p, images=np.zeros((2, 28, 28), np.uint8), labels=np.zeros(3, np.uint8)
            ),
            "labels",
        ),
        (
            lambda p: _write_npz(
                p, images=np.zeros((1, 20, 20), np.uint8), labels=np.zeros(1, np.uint8)
            ),
            "images",
        ),
        (
            lambda p: _write_npz(
                p, images=np.zeros((1, 28, 28), np.uint8), labels=np.array([12], np.uint8)
            ),
            "0-9",
        ),
        (
            lambda p: _write_npz(
                p,
                images=np.array([{"evil": 1}], dtype=object),
                labels=np.zeros(1, np.uint8),
            ),
            "pickled",
        ),
    ],
)
def test_bad_files_are_rejected_and_left_alone(tmp_path, make, message):
    path = tmp_path / "personal_digits.npz"
    make(path)
    before = path.read_bytes()
    with pytest.raises(PersonalDigitsError, match=message):
        PersonalDigits(tmp_path)
    assert path.read_bytes() == before
    assert isinstance(PersonalDigitsError("x"), ValueError)


def test_truncated_file_is_rejected(tmp_path):
    store = PersonalDigits(tmp_path)
    for k in range(10):
        store.add(digit(), k)
    path = store.save()
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(PersonalDigitsError, match="corrupt"):
        read_file(path)


def test_pickled_member_is_never_unpickled(tmp_path, monkeypatch):
    """An .npy member holding a pickle must be refused, not executed."""
    path = tmp_path / "personal_digits.npz"
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("images.npy", buffer.getvalue())
        archive.writestr("labels.npy", buffer.getvalue())
    monkeypatch.setattr("pickle.loads", lambda *a, **k: pytest.fail("unpickled"))
    with pytest.raises(PersonalDigitsError):
        read_file(path)


def test_default_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("NNVIZ_USER_DIR", str(tmp_path / "mine"))
    assert default_folder() == tmp_path / "mine"
    monkeypatch.delenv("NNVIZ_USER_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_folder() == tmp_path / "xdg" / "nnviz"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_folder() == tmp_path / "home" / ".local" / "share" / "nnviz"
    assert PersonalDigits().path == tmp_path / "home/.local/share/nnviz/personal_digits.npz"
