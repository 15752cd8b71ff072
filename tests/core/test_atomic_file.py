"""Atomic writes: whole files or none, stale temporaries of killed saves cleaned up."""

from __future__ import annotations

import os
import stat
import time

import pytest

from core.atomic_file import (
    STALE_AFTER,
    atomic_write,
    check_writable,
    remove_stale_temporaries,
    write_problem,
)
from core.models import tutorial_cnn
from core.personal import PersonalDigits


def leftover(folder, name: str, age: float):
    path = folder / name
    path.write_bytes(b"half a file")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_atomic_write_replaces_whole_files(tmp_path):
    target = tmp_path / "sub" / "f.bin"
    atomic_write(target, lambda f: f.write(b"one"))
    atomic_write(target, lambda f: f.write(b"two"), private=True)
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    def broken(f):
        f.write(b"thr")
        raise RuntimeError("the disk went away")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_bytes() == b"two" and os.listdir(target.parent) == ["f.bin"]


def test_stale_temporaries_of_killed_saves_are_removed_when_the_folder_is_next_written(tmp_path):
    old = STALE_AFTER + 5
    stale = [leftover(tmp_path, ".m.npz.nnviz-abcd1234.tmp", old),
             leftover(tmp_path, ".m.npz.k2j4_x9z.tmp", old),           # older nnviz, a model
             leftover(tmp_path, ".personal_digits-0a1b2c3d.tmp", old)]  # older nnviz, digits
    young = leftover(tmp_path, ".m.npz.nnviz-efgh5678.tmp", 5)          # maybe a save going on
    foreign = [leftover(tmp_path, ".other.tmp", old), leftover(tmp_path, "m.npz.abcd1234.tmp", old),
               leftover(tmp_path, ".notes.txt.abcdefgh.tmp", old)]
    tutorial_cnn().save(tmp_path / "m.npz")
    assert not any(p.exists() for p in stale)
    assert young.exists() and all(p.exists() for p in foreign)


def test_personal_digits_saves_clean_up_too(tmp_path):
    stale = leftover(tmp_path, ".personal_digits.npz.nnviz-abcd1234.tmp", STALE_AFTER + 1)
    PersonalDigits(tmp_path).save()
    assert not stale.exists()


def test_cleaning_never_fails(tmp_path):
    assert remove_stale_temporaries(tmp_path / "missing") == []
    (tmp_path / ".d.nnviz-abcd1234.tmp").mkdir()  # a folder with our name is left alone
    assert remove_stale_temporaries(tmp_path, older_than=-1) == []


def test_check_writable(tmp_path):
    check_writable(tmp_path / "new" / "deeper" / "m.npz")
    assert not (tmp_path / "new").exists() and os.listdir(tmp_path) == []
    with pytest.raises(IsADirectoryError) as folder:
        check_writable(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError) as not_folder:
        check_writable(tmp_path / "file" / "m.npz")
    assert write_problem(folder.value) == "it is a folder"
    assert write_problem(not_folder.value) == f"{tmp_path / 'file'} is not a folder"
    assert write_problem(PermissionError(13, "Permission denied")) == "permission denied"
