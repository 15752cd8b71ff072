"""The robust .npz reader: every damaged or hostile archive becomes one readable error."""

from __future__ import annotations

import pickle
import re
import zipfile
import zlib

import numpy as np
import pytest

from core.safe_npz import ArraySpec, NpzError, NpzReader, reason
from tests.core.hostile import deflate_zeros, npy_bytes, npy_header, raw_zip, stored

ANY_BYTES = ArraySpec("u", (None,), 1 << 20)


def write(tmp_path, data: bytes, name: str = "f.npz"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path, spec=ANY_BYTES, name="x"):
    with NpzReader(path) as archive:
        return archive.read(name, spec)


def test_a_good_archive_reads_like_np_load(tmp_path):
    path = tmp_path / "good.npz"
    arrays = {"a": np.arange(12, dtype=np.uint8).reshape(3, 4),
              "b": np.asfortranarray(np.arange(6.0).reshape(2, 3)), "c": np.array("text")}
    np.savez_compressed(path, **arrays)
    with NpzReader(path) as archive:
        assert archive.names == ["a", "b", "c"]
        assert archive.declared("b") == ((2, 3), np.dtype(float))
        np.testing.assert_array_equal(archive.read("a", ArraySpec("u", (None, 4), 99)),
                                      arrays["a"])
        np.testing.assert_array_equal(archive.read("b", ArraySpec("f", (2, 3), 99)),
                                      arrays["b"])
        assert str(archive.read("c", ArraySpec("U", (), 99))[()]) == "text"
        assert archive.read("a", ArraySpec("u", (None, 4), 99)).flags.writeable


@pytest.mark.parametrize(("data", "message"), [
    (b"", "f.npz is empty"),
    (b"junk", "f.npz is not an .npz file (it is not a zip archive)"),
    (pickle.dumps({"x": 1}), "f.npz holds pickled Python objects"),
    (npy_bytes(np.zeros(3, np.uint8)), "f.npz is a single .npy array, not an .npz archive"),
    (b"PK\x03\x04" + b"\0" * 40, "f.npz is truncated or corrupt (the end of its zip directory"),
])
def test_files_that_are_no_zip_say_what_they_are(tmp_path, data, message):
    with pytest.raises(NpzError, match="^" + re.escape(message)):
        NpzReader(write(tmp_path, data))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(NpzError, match="no such file"):
        NpzReader(tmp_path / "none.npz")
    with pytest.raises(NpzError, match="is a folder"):
        NpzReader(tmp_path)


def test_unreadable_file_says_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, b"PK")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(NpzError, match="cannot be read \\(permission denied\\)"):
        NpzReader(path)


@pytest.mark.parametrize(("member", "message"), [
    (stored("x.npy", npy_bytes(np.zeros(3, np.uint8)), flags=0x1), "is encrypted"),
    (stored("x.npy", npy_bytes(np.zeros(3, np.uint8)), method=99), "zip compression nnviz "
     "does not read"),
    (stored("x.npy", npy_bytes(np.zeros(3, np.uint8)), method=zipfile.ZIP_LZMA), "only "
     "stored and deflated"),
    (stored("x.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': '|u1', "), "has no valid .npy header"),
    (stored("x.npy", b"\x93NUMPY\x01\x00\x20\x00{'descr': '|u1', 'fortran_order': Fa"),
     "has no valid .npy header"),
    (stored("x.npy", b"\x93NUMPY\x03\x00" + b"\0" * 20), "version 3.0, which nnviz does not"),
    (stored("x.npy", b"not npy at all"), "has no valid .npy header"),
    (stored("x.npy", npy_header((3,), "|O")), "holds pickled Python objects in x"),
    (stored("x.npy", npy_header((3,), "<f8") + bytes(24)), "x holds float64 values, "
     "expected unsigned integers"),
    (stored("x.npy", npy_header((3, 1)) + bytes(3)), "x has shape \\(3, 1\\), expected "
     "\\(N,\\)"),
    (stored("x.npy", npy_header((10**9,))), "declares shape \\(1000000000,\\) \\(953.7 MiB\\), "
     "more than the 1.0 MiB"),
    (stored("x.npy", npy_header((10,)) + bytes(4)), "truncated: x ends after 4 of its 10"),
    (stored("x.npy", npy_header((3,)) + bytes(10)), "x holds more data than its header "
     "declares"),
    (stored("y.npy", npy_bytes(np.zeros(3, np.uint8))), "lacks the array 'x'"),
])
def test_damaged_members_are_refused_in_one_sentence(tmp_path, member, message):
    path = write(tmp_path, raw_zip([member]))
    with pytest.raises(NpzError, match=message) as caught:
        read(path)
    text = str(caught.value)
    assert text.startswith("f.npz") and "\n" not in text and len(text) < 250


def test_bad_crc_is_corrupt(tmp_path):
    name, data, method, flags, crc, size = stored("x.npy", npy_bytes(np.zeros(3, np.uint8)))
    path = write(tmp_path, raw_zip([(name, data, method, flags, crc ^ 1, size)]))
    with pytest.raises(NpzError, match="corrupt or truncated .reading x failed: Bad CRC"):
        read(path)


def test_a_directory_claiming_millions_of_members_is_refused_before_it_is_parsed(tmp_path):
    data = bytearray(raw_zip([stored("x.npy", npy_bytes(np.zeros(3, np.uint8)))]))
    data[-12:-8] = (60000).to_bytes(2, "little") * 2  # entries on this disk and in all
    with pytest.raises(NpzError, match="lists 60,000 arrays, more than the 10,000"):
        NpzReader(write(tmp_path, bytes(data)))


def test_deflate_bomb_is_refused_after_reading_its_declared_size(tmp_path, monkeypatch):
    """A member declaring 1,000 bytes followed by 64 MiB of zeros: only 1,001 bytes are
    inflated (the rest is never decompressed)."""
    stream, crc, size = deflate_zeros(npy_header((1000,)), 1 << 26)
    path = write(tmp_path, raw_zip([("x.npy", stream, zipfile.ZIP_DEFLATED, 0, crc, size)]))
    inflated = []
    original = zlib.decompressobj

    def counting(*args, **kwargs):
        inner = original(*args, **kwargs)

        class Counting:
            def decompress(self, data, max_length=0):
                out = inner.decompress(data, max_length)
                inflated.append(len(out))
                return out

            def __getattr__(self, name):
                return getattr(inner, name)

        return Counting()

    monkeypatch.setattr(zipfile.zlib, "decompressobj", counting)
    with pytest.raises(NpzError, match="holds more data than its header declares"):
        read(path)
    assert 1000 < sum(inflated) < 1 << 21


def test_reason_is_one_short_printable_line():
    error = ValueError("Cannot parse header: b'" + "\\x00\\xff" * 1000 + "'\nsecond\tline\x07")
    text = reason(error)
    assert "\n" not in text and "\x07" not in text and "\\x" not in text and len(text) <= 100
    assert text.startswith("Cannot parse header: <bytes>")
    assert reason(ValueError("x" * 500)).endswith("…") and len(reason(ValueError("x" * 500))) == 100
