"""Data sets: IDX and Keras ``.npz`` loaders, finding MNIST on disk, and the shipped sample.

Everything returns uint8 images (N, 28, 28) and uint8 labels (N,); :func:`as_network_input`
turns images into the float32 NCHW batches the networks take (pixels / 255) and
:func:`to_categorical` labels into one-hot rows.
Bad files raise :class:`DataError` with a plain message and never a half-loaded result.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from core.download import DownloadCancelled, DownloadError, cache_folder, download_mnist
from core.package_files import package_folder
from core.safe_npz import ArraySpec, NpzReader, file_problem, reason, shape_text, size_text

__all__ = [
    "DataError", "Dataset", "DownloadCancelled", "DownloadError", "IdxHeader",
    "as_network_input", "download_mnist", "find_dataset", "load_dataset", "load_idx",
    "load_mnist", "load_sample", "read_idx_header", "search_dataset", "to_categorical",
    "ASSETS", "MAX_IMAGES", "SAMPLE_PATH",
]

ASSETS = package_folder("core", "assets")
"""The engine's data files, inside the installed ``core`` package: the shipped sample and
the pre-trained model (the app's icons live in ``nnviz/assets``)."""
SAMPLE_PATH = ASSETS / "mnist_sample.npz"
SAMPLE_TEST_SIZE = 1000

MNIST_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

SIDE = 28
MAX_IMAGES = 300_000
"""The most images one array of a data set may declare (MNIST has 60,000; EMNIST's
digits 240,000): anything larger is refused from its header, before allocation."""
MAX_IDX_BYTES = MAX_IMAGES * SIDE * SIDE
LABELS_SPEC = ArraySpec("iu", (None,), MAX_IMAGES * 8)
_CHUNK = 1 << 20

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
# the four files, by role; each may be gzipped or not, with '-' or '.' before 'idx'
_ROLES = {
    "x_train": "train-images", "y_train": "train-labels",
    "x_test": "t10k-images", "y_test": "t10k-labels",
}


class DataError(ValueError):
    """A data file or folder that cannot be used; the message says why."""


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays with where they came from.

    x_train, x_test: (N, 28, 28) uint8; y_train, y_test: (N,) uint8 in 0..9.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str = ""
    class_names: tuple[str, ...] = field(default=MNIST_CLASSES)

    def __post_init__(self) -> None:
        for prefix in ("train", "test"):
            x, y = getattr(self, f"x_{prefix}"), getattr(self, f"y_{prefix}")
            _check_images_and_labels(x, y, f"{self.name} {prefix}")

    @property
    def is_sample(self) -> bool:
        return self.name == "sample"

    def describe(self) -> str:
        return (f"{self.name}: {len(self.y_train):,} training and {len(self.y_test):,} test "
                f"images ({self.source})")


@dataclass(frozen=True)
class IdxHeader:
    """What an IDX file declares: element type, shape, header length, and whether it is
    gzipped. ``nbytes`` (the data's size) is computed in Python ints, so it never wraps."""

    dtype: np.dtype
    shape: tuple[int, ...]
    offset: int
    gzipped: bool

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


@contextmanager
def _idx_stream(path: Path) -> Iterator[tuple[BinaryIO, bool]]:
    """The file's bytes (inflated on the fly when gzipped), and whether it is gzipped;
    unreadable files and corrupt gzip data raise DataError, each with its own message."""
    try:
        f = open(path, "rb")
    except OSError as error:
        raise DataError(file_problem(error, path.name, "an IDX file")) from None
    with f:
        try:
            gzipped = f.read(2) == b"\x1f\x8b"
            f.seek(0)
            yield (gzip.GzipFile(fileobj=f, mode="rb") if gzipped else f), gzipped
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            raise DataError(f"{path.name}: the gzip data is corrupt or truncated "
                            f"({reason(error)})") from None
        except OSError as error:
            raise DataError(file_problem(error, path.name, "an IDX file")) from None


def _read(stream: BinaryIO, n: int) -> bytes:
    """Up to ``n`` bytes (fewer at the end of the file)."""
    return stream.read(n) or b""


def _parse_idx_header(stream: BinaryIO, path: Path, gzipped: bool) -> IdxHeader:
    magic = _read(stream, 4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0:
        if len(magic) < 4 and magic[:2] == b"\0\0":
            raise DataError(f"{path.name} is truncated inside its header")
        raise DataError(f"{path.name} is not an IDX file (bad magic number)")
    type_code, ndim = magic[2], magic[3]
    if type_code not in _IDX_TYPES or ndim == 0:
        raise DataError(f"{path.name} is not an IDX file (type 0x{type_code:02x}, {ndim} dims)")
    dims = _read(stream, 4 * ndim)
    if len(dims) < 4 * ndim:
        raise DataError(f"{path.name} is truncated inside its header")
    shape = tuple(int.from_bytes(dims[4 * i : 4 * i + 4], "big") for i in range(ndim))
    return IdxHeader(np.dtype(_IDX_TYPES[type_code]), shape, 4 + 4 * ndim, gzipped)


def read_idx_header(path: str | Path) -> IdxHeader:
    """Read only the header of an IDX file (raw or .gz): its type and shape."""
    path = Path(path)
    with _idx_stream(path) as (stream, gzipped):
        return _parse_idx_header(stream, path, gzipped)


def load_idx(path: str | Path, max_bytes: int = MAX_IDX_BYTES) -> np.ndarray:
    """Read one IDX file (raw or .gz) into an array of its declared type and shape.

    The header is read first: a declared size over ``max_bytes`` (default: what
    ``MAX_IMAGES`` 28×28 images take) is refused before anything is allocated, a raw
    file whose size disagrees with its header is refused before its data is read, and a
    gzipped one is inflated in chunks that stop at the declared size.
    """
    path = Path(path)
    with _idx_stream(path) as (stream, gzipped):
        header = _parse_idx_header(stream, path, gzipped)
        shape, nbytes = header.shape, header.nbytes
        if nbytes > max_bytes:
            raise DataError(f"{path.name} declares shape {shape_text(shape)} "
                            f"({size_text(nbytes)}), more than a data set file can hold "
                            f"({size_text(max_bytes)})")
        if not gzipped:
            size = os.fstat(stream.fileno()).st_size
            if size != header.offset + nbytes:
                raise DataError(f"{path.name} declares shape {shape_text(shape)} "
                                f"({header.offset + nbytes:,} bytes) but holds {size:,} "
                                "bytes: the file is truncated or corrupt")
        raw = np.empty(nbytes, dtype=np.uint8)
        view, got = memoryview(raw), 0
        while got < nbytes:
            n = stream.readinto(view[got : min(got + _CHUNK, nbytes)])
            if not n:
                raise DataError(f"{path.name} is truncated: it ends after {got:,} of the "
                                f"{nbytes:,} bytes its header declares")
            got += n
        if _read(stream, 1):
            raise DataError(f"{path.name} holds more data than its header's shape "
                            f"{shape_text(shape)} declares: the file is corrupt")
    data = raw.view(header.dtype).reshape(shape)
    native = header.dtype.newbyteorder("=")
    return data if data.dtype == native else data.astype(native)


def _find_idx_file(folder: Path, stem: str) -> Path | None:
    for name in (stem + "-idx", stem + ".idx"):
        for ndim in ("3", "1"):
            for suffix in ("-ubyte.gz", "-ubyte"):
                candidate = folder / f"{name}{ndim}{suffix}"
                if candidate.is_file():
                    return candidate
    return None


def _check_images_and_labels(x: np.ndarray, y: np.ndarray, what: str) -> None:
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DataError(f"{what}: images must be 28×28, got shape {x.shape}")
    if y.ndim != 1 or len(y) != len(x):
        raise DataError(f"{what}: {len(x)} images but labels of shape {y.shape}")
    if x.dtype != np.uint8 or y.dtype != np.uint8:
        raise DataError(f"{what}: expected uint8 images and labels, got {x.dtype} and {y.dtype}")
    if len(y) and int(y.max()) > 9:
        raise DataError(f"{what}: label {int(y.max())} is outside 0–9")


def _load_idx_folder(folder: Path) -> dict[str, np.ndarray]:
    files = {role: _find_idx_file(folder, stem) for role, stem in _ROLES.items()}
    missing = [_ROLES[role] for role, path in files.items() if path is None]
    if missing:
        raise DataError(f"{folder} lacks the IDX files {', '.join(missing)} "
                        "(train-images-idx3-ubyte.gz and its three companions)")
    headers = {role: read_idx_header(path) for role, path in files.items()}
    for prefix in ("train", "test"):
        _check_declared(files[f"x_{prefix}"].name, headers[f"x_{prefix}"],
                        files[f"y_{prefix}"].name, headers[f"y_{prefix}"])
    return {role: load_idx(path, max_bytes=headers[role].nbytes)
            for role, path in files.items()}


def _check_declared(x_name: str, x: IdxHeader, y_name: str, y: IdxHeader) -> None:
    """Refuse, from the headers alone, image and label files that cannot be a data set."""
    if len(x.shape) != 3 or x.shape[1:] != (SIDE, SIDE):
        raise DataError(f"{x_name}: images must be 28×28, got shape {shape_text(x.shape)}")
    if x.dtype != np.uint8:
        raise DataError(f"{x_name}: images must be bytes (IDX type 0x08), not {x.dtype}")
    if x.shape[0] > MAX_IMAGES:
        raise DataError(f"{x_name} declares {x.shape[0]:,} images; nnviz reads at most "
                        f"{MAX_IMAGES:,}")
    if len(y.shape) != 1 or y.shape[0] != x.shape[0]:
        raise DataError(f"{x_name} holds {x.shape[0]:,} images but {y_name} declares labels "
                        f"of shape {shape_text(y.shape)}")


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    with NpzReader(path, error=DataError) as archive:
        missing = [k for k in _ROLES if k not in archive.names]
        if missing:
            raise DataError(f"{path.name} lacks the arrays {missing} "
                            "(expected Keras' x_train, y_train, x_test, y_test)")
        for name in _ROLES:
            archive.declared(name)  # pickled objects anywhere are refused first
        arrays = {}
        for prefix in ("train", "test"):
            y = archive.read(f"y_{prefix}", LABELS_SPEC)
            arrays[f"y_{prefix}"] = y
            arrays[f"x_{prefix}"] = archive.read(f"x_{prefix}", _images_spec(len(y)))
        return arrays


def _images_spec(count: int | None = None) -> ArraySpec:
    """uint8 images (count, 28, 28); any count up to MAX_IMAGES when ``count`` is None."""
    return ArraySpec("u", (count, SIDE, SIDE), MAX_IMAGES * SIDE * SIDE)


def _as_dataset(arrays: dict[str, np.ndarray], name: str, source: str) -> Dataset:
    for key in ("y_train", "y_test"):
        y = arrays[key]
        if y.ndim == 1 and np.issubdtype(y.dtype, np.integer) and len(y):
            outside = (y < 0) | (y > 9)
            if outside.any():
                bad = int(y[np.argmax(outside)])
                raise DataError(f"{source}: {key} holds label {bad} outside 0–9")
            arrays[key] = y.astype(np.uint8)
    classes = FASHION_CLASSES if name == "fashion-mnist" else MNIST_CLASSES
    return Dataset(name, arrays["x_train"], arrays["y_train"], arrays["x_test"],
                   arrays["y_test"], source, classes)


def _guess_name(path: Path) -> str:
    return "fashion-mnist" if "fashion" in str(path).lower() else "mnist"


def load_sample() -> Dataset:
    """The 5,000 MNIST training digits shipped in ``core/assets`` (4,000 train + 1,000 test)."""
    arrays = _load_npz_xy(SAMPLE_PATH)
    x, y = arrays
    n_train = len(y) - SAMPLE_TEST_SIZE
    return Dataset("sample", x[:n_train], y[:n_train], x[n_train:], y[n_train:],
                   "5,000 MNIST digits shipped with nnviz")


def _load_npz_xy(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with NpzReader(path, error=DataError, label=str(path)) as archive:
            y = archive.read("y", LABELS_SPEC)
            return archive.read("x", _images_spec(len(y))), y
    except DataError as error:
        raise DataError(f"the shipped sample is unreadable: {error}; reinstall nnviz or run "
                        "scripts/build_sample.py") from None


def candidate_places(dataset: str = "mnist") -> list[Path]:
    """Where full MNIST (or Fashion-MNIST) is commonly found, in the order searched."""
    home = Path.home()
    places: list[Path] = []
    env = os.environ.get("NNVIZ_DATA")
    if env:
        places.append(Path(env))
    if dataset == "fashion-mnist":
        places += [home / ".keras" / "datasets" / "fashion-mnist", cache_folder(dataset),
                   home / "data" / "FashionMNIST" / "raw", Path("data") / "FashionMNIST" / "raw"]
        return places
    places += [
        home / ".keras" / "datasets" / "mnist.npz",
        cache_folder("mnist"),  # where download_mnist puts it
        home / "data" / "MNIST" / "raw", Path("data") / "MNIST" / "raw",
        home / ".pytorch" / "MNIST_data" / "MNIST" / "raw",
    ]
    return places


def search_dataset(dataset: str = "mnist") -> tuple[Path | None, list[str]]:
    """The first place in :func:`candidate_places` that holds a complete data set, and
    one line for each place searched before it that could not be looked into (no
    permission, a name too long...): the search goes on past those."""
    problems = []
    for place in candidate_places(dataset):
        try:
            if place.is_file() and place.suffix == ".npz":
                return place, problems
            if place.is_dir() and all(_find_idx_file(place, stem) for stem in _ROLES.values()):
                return place, problems  # all four IDX files: an interrupted copy is passed over
        except OSError as error:
            problems.append(f"could not look in {_short_path(place)} "
                            f"({reason(error.strerror or error)})")
    return None, problems


def find_dataset(dataset: str = "mnist") -> Path | None:
    """The first place in :func:`candidate_places` that holds a complete data set."""
    return search_dataset(dataset)[0]


def _short_path(path: Path, limit: int = 80) -> str:
    text = str(path)
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :]


def load_dataset(source: str | Path | None = None, dataset: str = "mnist") -> Dataset:
    """Load a data set from an IDX folder, a Keras ``.npz`` file, or (None) the first
    full copy found on disk, falling back to the shipped sample."""
    if source is None:
        found = find_dataset(dataset)
        if found is None:
            return load_sample()
        try:
            return load_dataset(found, dataset)
        except DataError:
            return load_sample()
    path = Path(source).expanduser()
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except OSError as error:
        raise DataError(file_problem(error, _short_path(path))) from None
    if is_dir:
        arrays = _load_idx_folder(path)
    elif is_file:
        if path.suffix == ".npz":
            arrays = _load_npz(path)
        else:
            raise DataError(f"{path.name}: choose a folder of IDX files or a Keras .npz file")
    else:
        raise DataError(f"{path}: no such file or folder")
    name = dataset if dataset != "mnist" else _guess_name(path)
    return _as_dataset(arrays, name, str(path))


def load_mnist(source: str | Path | None = None, dataset: str = "mnist"):
    """Keras-style ``(x_train, y_train), (x_test, y_test)`` as uint8 (see :func:`load_dataset`)."""
    data = load_dataset(source, dataset)
    return (data.x_train, data.y_train), (data.x_test, data.y_test)


def as_network_input(images: np.ndarray) -> np.ndarray:
    """uint8 images (N, 28, 28) -> float32 (N, 1, 28, 28) in [0, 1], the networks' input."""
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    if images.ndim != 3:
        raise DataError(f"expected images of shape (N, H, W), got {images.shape}")
    scale = np.float32(1 / 255) if images.dtype == np.uint8 else np.float32(1)
    return (images.astype(np.float32) * scale)[:, None]


def to_categorical(y: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """Integer labels (N,) -> one-hot float32 rows (N, num_classes)."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got {y.dtype} of shape {y.shape}")
    num_classes = int(y.max()) + 1 if num_classes is None else num_classes
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}")
    one_hot = np.zeros((y.size, num_classes), dtype=np.float32)
    one_hot[np.arange(y.size), y] = 1.0
    return one_hot
