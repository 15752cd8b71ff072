"""Data sets: IDX and Keras ``.npz`` loaders, finding MNIST on disk, and the shipped sample.

Everything returns uint8 images (N, 28, 28) and uint8 labels (N,); :func:`as_network_input`
turns images into the float32 NCHW batches the networks take (pixels / 255) and
:func:`to_categorical` labels into one-hot rows.
Bad files raise :class:`DataError` with a plain message and never a half-loaded result.
"""

from __future__ import annotations

import gzip
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.download import DownloadCancelled, DownloadError, cache_folder, download_mnist
from core.package_files import package_folder

__all__ = [
    "DataError", "Dataset", "DownloadCancelled", "DownloadError", "as_network_input",
    "download_mnist", "find_dataset", "load_dataset", "load_idx", "load_mnist", "load_sample",
    "to_categorical", "ASSETS", "SAMPLE_PATH",
]

ASSETS = package_folder("core", "assets")
"""The engine's data files, inside the installed ``core`` package: the shipped sample and
the pre-trained model (the app's icons live in ``nnviz/assets``)."""
SAMPLE_PATH = ASSETS / "mnist_sample.npz"
SAMPLE_TEST_SIZE = 1000

MNIST_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

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


def load_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (raw or .gz) into an array of its declared type and shape.

    The header is checked against the file size, so truncated or padded files are
    rejected instead of silently mis-read.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"{path.name}: the gzip data is corrupt or truncated ({error})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise DataError(f"{path.name} is not an IDX file (bad magic number)")
    type_code, ndim = raw[2], raw[3]
    if type_code not in _IDX_TYPES or ndim == 0:
        raise DataError(f"{path.name} is not an IDX file (type 0x{type_code:02x}, {ndim} dims)")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{path.name} is truncated inside its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[type_code])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise DataError(f"{path.name} declares shape {shape} ({expected:,} bytes) but holds "
                        f"{len(raw):,} bytes: the file is truncated or corrupt")
    data = np.frombuffer(raw, dtype=dtype, count=int(np.prod(shape)), offset=header)
    return data.reshape(shape).astype(dtype.newbyteorder("="), copy=True)


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
    return {role: load_idx(path) for role, path in files.items()}


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in _ROLES if k not in archive.files]
            if missing:
                raise DataError(f"{path.name} lacks the arrays {missing} "
                                "(expected Keras' x_train, y_train, x_test, y_test)")
            return {k: archive[k] for k in _ROLES}
    except DataError:
        raise
    except ValueError as error:
        if "pickle" in str(error) or "Object arrays" in str(error):
            raise DataError(f"{path.name} holds pickled Python objects; nnviz never "
                            "unpickles data files") from None
        raise DataError(f"{path.name} is corrupt: {error}") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise DataError(f"{path.name} is corrupt or truncated ({error})") from None


def _as_dataset(arrays: dict[str, np.ndarray], name: str, source: str) -> Dataset:
    for key in ("y_train", "y_test"):
        y = arrays[key]
        if y.ndim == 1 and np.issubdtype(y.dtype, np.integer) and len(y):
            if y.min() < 0 or y.max() > 9:
                raise DataError(f"{source}: {key} holds label {int(y.max())} outside 0–9")
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
        with np.load(path, allow_pickle=False) as archive:
            return archive["x"], archive["y"]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise DataError(f"the shipped sample {path} is unreadable ({error}); "
                        "reinstall nnviz or run scripts/build_sample.py") from None


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


def find_dataset(dataset: str = "mnist") -> Path | None:
    """The first place in :func:`candidate_places` that holds a complete data set."""
    for place in candidate_places(dataset):
        if place.is_file() and place.suffix == ".npz":
            return place
        if place.is_dir() and all(_find_idx_file(place, stem) for stem in _ROLES.values()):
            return place  # all four IDX files: a folder an interrupted copy left is passed over
    return None


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
    if path.is_dir():
        arrays = _load_idx_folder(path)
    elif path.is_file():
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
