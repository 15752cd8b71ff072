"""Small generated IDX files (the MNIST file format) for the data and download tests."""

from __future__ import annotations

import gzip
import struct

import numpy as np

IDX_NAMES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def idx_header(shape: tuple[int, ...], type_code: int = 0x08) -> bytes:
    """An IDX header: 0, 0, the type code, ndim, then the sizes as big-endian uint32."""
    return bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", s) for s in shape)


def idx_bytes(array: np.ndarray, gz: bool = True) -> bytes:
    """``array`` as a uint8 IDX file (header: 0, 0, type 0x08, ndim, big-endian sizes)."""
    raw = idx_header(array.shape) + array.astype(np.uint8).tobytes()
    return gzip.compress(raw) if gz else raw


def write_idx(path, array: np.ndarray, gz: bool = True) -> None:
    path.write_bytes(idx_bytes(array, gz))


def idx_arrays(n_train: int = 20, n_test: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    """Random images and labels under the four MNIST file names."""
    rng = np.random.default_rng(seed)
    shapes = ((n_train, 28, 28), (n_train,), (n_test, 28, 28), (n_test,))
    return {name: rng.integers(0, 256 if len(shape) == 3 else 10, shape)
            for name, shape in zip(IDX_NAMES, shapes, strict=True)}


def make_idx_folder(folder, n_train=20, n_test=10, seed=0):
    """Write the four files into ``folder``; returns their arrays by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = idx_arrays(n_train, n_test, seed)
    for name, array in arrays.items():
        write_idx(folder / name, array)
    return arrays
