"""Memory bombs, each loaded in a subprocess whose address space is capped at 1 GiB: a
regression that allocates what a header claims, or inflates a member whole, fails here
with a MemoryError instead of swapping the machine.

Each bomb is a small file: a header claiming far more than a data set can be, or a
deflate stream of 1.25 GiB of zeros (about 1.3 MB) behind a header that declares little.
"""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from tests.core.hostile import (
    deflate_zeros,
    gzip_member,
    npy_bytes,
    npy_header,
    raw_zip,
    run_limited,
    stored,
)
from tests.core.idx_files import idx_header

LIMIT = 1 << 30
BOMB_ZEROS = 20 << 26  # 1.25 GiB


def refused(code: str, expected: str) -> None:
    """Run ``code`` (which prints the error it caught) under the limit; it must print
    ``expected`` within a few seconds."""
    result = run_limited(code, LIMIT, timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert expected in result.stdout, result.stdout + result.stderr[-2000:]


def dataset_npz(path, x_train_member) -> None:
    labels = npy_bytes(np.zeros(1000, np.uint8))
    path.write_bytes(raw_zip([
        x_train_member, stored("y_train.npy", labels),
        stored("x_test.npy", npy_bytes(np.zeros((1000, 28, 28), np.uint8))),
        stored("y_test.npy", labels)]))


LOAD_DATA = """
    from core.data import DataError, load_dataset
    try:
        load_dataset({path!r})
    except DataError as error:
        print(error)
"""


def test_npz_header_claiming_a_billion_images(tmp_path):
    path = tmp_path / "claims.npz"
    dataset_npz(path, stored("x_train.npy", npy_header((10**9, 28, 28))))
    refused(LOAD_DATA.format(path=str(path)), "x_train has shape (1000000000, 28, 28)")


def test_npz_deflate_bomb_behind_a_small_header(tmp_path):
    path = tmp_path / "bomb.npz"
    stream, crc, size = deflate_zeros(npy_header((1000, 28, 28)), BOMB_ZEROS)
    dataset_npz(path, ("x_train.npy", stream, zipfile.ZIP_DEFLATED, 0, crc, size))
    assert path.stat().st_size < 3 << 20
    refused(LOAD_DATA.format(path=str(path)), "x_train holds more data than its header declares")


def test_npz_member_of_real_zeros_larger_than_a_data_set(tmp_path):
    """2.4 GB of genuine data (3 million images), 2.4 MB on disk."""
    path = tmp_path / "zeros.npz"
    stream, crc, size = deflate_zeros(npy_header((3_000_000, 28, 28)), 35 << 26)
    labels = npy_bytes(np.zeros(3_000_000, np.uint8))
    path.write_bytes(raw_zip([
        ("x_train.npy", stream, zipfile.ZIP_DEFLATED, 0, crc, size),
        stored("y_train.npy", labels), stored("x_test.npy", npy_header((0, 28, 28))),
        stored("y_test.npy", npy_bytes(np.zeros(0, np.uint8)))]))
    refused(LOAD_DATA.format(path=str(path)), "y_train declares shape (3000000,)")


def test_idx_gz_bomb_is_inflated_only_up_to_its_declared_size(tmp_path):
    """The issue's case: a 2.6 MB train-images gz that used to be inflated whole (5.2 GB)."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    stream, crc, size = deflate_zeros(idx_header((1000, 28, 28)), BOMB_ZEROS)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip_member(stream, crc, size))
    for name, shape in [("train-labels-idx1-ubyte", (1000,)), ("t10k-images-idx3-ubyte",
                        (10, 28, 28)), ("t10k-labels-idx1-ubyte", (10,))]:
        (folder / name).write_bytes(idx_header(shape) + bytes(int(np.prod(shape))))
    refused(LOAD_DATA.format(path=str(folder)), "train-images-idx3-ubyte.gz holds more data "
            "than its header's shape (1000, 28, 28) declares")


def test_idx_gz_claiming_a_million_images(tmp_path):
    path = tmp_path / "x.gz"
    stream, crc, size = deflate_zeros(idx_header((1_000_000, 28, 28)), 12 << 26)
    path.write_bytes(gzip_member(stream, crc, size))
    refused(f"""
        from core.data import DataError, load_idx
        try:
            load_idx({str(path)!r})
        except DataError as error:
            print(error)
    """, "declares shape (1000000, 28, 28) (747.7 MiB), more than a data set file")


def test_personal_digits_claiming_a_billion_drawings(tmp_path):
    path = tmp_path / "personal_digits.npz"
    path.write_bytes(raw_zip([stored("images.npy", npy_header((10**9, 28, 28))),
                              stored("labels.npy", npy_header((10**9,)))]))
    refused(f"""
        from core.personal import PersonalDigitsError, read_file
        try:
            read_file({str(path)!r})
        except PersonalDigitsError as error:
            print(error)
    """, "labels declares shape (1000000000,)")


@pytest.mark.parametrize(("layer", "setting", "value", "expected"), [
    (10, "units", 4_000_000, "weights, more than the 20,000,000 nnviz can train True"),
    (0, "filters", 10**9, "weights, more than the 20,000,000 nnviz can train True"),
])
def test_model_headers_declaring_huge_layers(tmp_path, layer, setting, value, expected):
    from core.models import tutorial_cnn

    path = tmp_path / "m.npz"
    tutorial_cnn(dropout=0.5).save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    header = json.loads(str(arrays.pop("__nnviz__")))
    header["model"]["layers"][layer]["config"][setting] = value
    np.savez(path, __nnviz__=np.array(json.dumps(header)), **arrays)
    refused(f"""
        import time
        from core.model import Sequential
        from core.model_file import ModelFileError
        start = time.perf_counter()
        try:
            Sequential.load({str(path)!r})
        except ModelFileError as error:
            print(error, time.perf_counter() - start < 0.5)
    """, expected)
