"""The user's own labelled drawings: a small MNIST-style set that training can mix in.

Stored as one ``personal_digits.npz`` (arrays ``images`` (N, 28, 28) uint8 and
``labels`` (N,) uint8, no pickled objects) in the user's data folder, written atomically
(temporary file + ``os.replace``) so a crash never leaves half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from core.atomic_file import atomic_write
from core.data import as_network_input
from core.safe_npz import ArraySpec, NpzReader, file_problem

FILENAME = "personal_digits.npz"
SIDE = 28
MAX_DIGITS = 100_000
"""The most drawings a file may declare; a larger header is refused before allocation."""


class PersonalDigitsError(ValueError):
    """A personal digits file that cannot be read (corrupt, truncated or of another kind)."""


def default_folder() -> Path:
    """The user's data folder: $NNVIZ_USER_DIR, else $XDG_DATA_HOME/nnviz, else
    ~/.local/share/nnviz."""
    explicit = os.environ.get("NNVIZ_USER_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg).expanduser() / "nnviz"
    return Path.home() / ".local" / "share" / "nnviz"


def _check_label(label: object) -> int:
    """Return ``label`` as an int in 0..9 or raise ValueError saying what is wrong."""
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)):
        raise ValueError(f"label must be an integer digit 0-9, got {label!r}")
    if not 0 <= int(label) <= 9:
        raise ValueError(f"label must be a digit 0-9, got {int(label)}")
    return int(label)


def _to_uint8(image28: np.ndarray) -> np.ndarray:
    """Validate a (28, 28) image (float in [0, 1] or uint8) and return it as uint8."""
    image = np.asarray(image28)
    if image.shape != (SIDE, SIDE):
        raise ValueError(f"a personal digit must be a 28x28 image, got shape {image.shape}")
    if image.dtype == np.uint8:
        return image.copy()
    if not (np.issubdtype(image.dtype, np.floating) or np.issubdtype(image.dtype, np.integer)):
        raise ValueError(f"a personal digit must hold numbers, got dtype {image.dtype}")
    if np.issubdtype(image.dtype, np.integer):
        raise ValueError("integer images must be uint8 (0-255); floats must be in [0, 1]")
    if not np.all(np.isfinite(image)):
        raise ValueError("a personal digit must not contain NaN or infinite pixels")
    if image.min() < 0.0 or image.max() > 1.0:
        raise ValueError(
            f"float pixels must be in [0, 1], got range [{image.min():.3g}, {image.max():.3g}]"
        )
    return np.rint(image * 255.0).astype(np.uint8)


class PersonalDigits:
    """A growing set of the user's labelled 28x28 drawings, saved in ``folder``.

    Parameters
    ----------
    folder : where ``personal_digits.npz`` lives; None means :func:`default_folder`.
    load : read the existing file at once (raises :class:`PersonalDigitsError` if it is
        corrupt; the file is left untouched).
    """

    def __init__(self, folder: Path | None = None, *, load: bool = True) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self._images = np.zeros((0, SIDE, SIDE), dtype=np.uint8)
        self._labels = np.zeros((0,), dtype=np.uint8)
        if load and self._file_exists():
            self.load()

    def _file_exists(self) -> bool:
        try:
            return self.path.exists()
        except OSError as exc:  # an unreadable folder, a name too long...
            raise PersonalDigitsError(file_problem(exc, str(self.path))) from None

    @property
    def path(self) -> Path:
        """The file the set is saved to."""
        return self.folder / FILENAME

    @property
    def images(self) -> np.ndarray:
        """(N, 28, 28) uint8, ink = 255 (a read-only view)."""
        view = self._images.view()
        view.flags.writeable = False
        return view

    @property
    def labels(self) -> np.ndarray:
        """(N,) uint8 digits 0-9 (a read-only view)."""
        view = self._labels.view()
        view.flags.writeable = False
        return view

    def __len__(self) -> int:
        return int(self._labels.shape[0])

    def __repr__(self) -> str:
        return f"PersonalDigits({len(self)} digits, path={str(self.path)!r})"

    def add(self, image28: np.ndarray, label: int) -> None:
        """Append one drawing: (28, 28) float in [0, 1] or uint8, with its digit 0-9.

        Raises ValueError (and changes nothing) for a wrong shape, bad pixels or a label
        outside 0-9. Call :meth:`save` to persist.
        """
        digit = _check_label(label)
        image = _to_uint8(image28)
        self._images = np.concatenate([self._images, image[None]], axis=0)
        self._labels = np.append(self._labels, np.uint8(digit))

    def remove(self, index: int) -> None:
        """Drop the drawing at ``index`` (negative indices count from the end)."""
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"index {index} out of range for {n} personal digits")
        self._images = np.delete(self._images, index, axis=0)
        self._labels = np.delete(self._labels, index)

    def clear(self) -> None:
        """Forget every drawing (call :meth:`save` to persist)."""
        self._images = self._images[:0].copy()
        self._labels = self._labels[:0].copy()

    def training_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The set as model inputs: x (N, 1, 28, 28) float32 in [0, 1], y (N,) int64."""
        return as_network_input(self._images), self._labels.astype(np.int64)

    def save(self) -> Path:
        """Write the set atomically (temporary file in the same folder + os.replace)."""
        return atomic_write(self.path, lambda handle: np.savez(
            handle, images=self._images, labels=self._labels), private=True)

    def load(self) -> None:
        """Replace the set by the file's content; a bad file raises PersonalDigitsError
        and leaves both the file and the set unchanged."""
        images, labels = read_file(self.path)
        self._images, self._labels = images, labels


def read_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read and validate a personal digits file: (images (N, 28, 28) uint8, labels (N,) uint8).

    Never unpickles anything. Raises PersonalDigitsError with the reason for a missing,
    truncated or corrupt file, pickled objects, missing arrays, wrong shapes or dtypes,
    or labels outside 0-9.
    """
    where = str(path)
    with NpzReader(path, error=PersonalDigitsError, label=where) as data:
        missing = {"images", "labels"} - set(data.names)
        if missing:
            raise PersonalDigitsError(
                f"{where} is not a personal digits file: missing {sorted(missing)}"
            )
        labels = data.read("labels", ArraySpec("u", (None,), MAX_DIGITS))
        images = data.read("images", ArraySpec("u", (None, SIDE, SIDE),
                                               MAX_DIGITS * SIDE * SIDE))
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
        raise PersonalDigitsError(
            f"{where}: images must be (N, 28, 28) uint8, got {images.shape} {images.dtype}"
        )
    if labels.dtype != np.uint8 or labels.shape != (images.shape[0],):
        raise PersonalDigitsError(
            f"{where}: labels must be ({images.shape[0]},) uint8, got {labels.shape} {labels.dtype}"
        )
    if labels.size and int(labels.max()) > 9:
        raise PersonalDigitsError(f"{where}: labels must be digits 0-9, found {int(labels.max())}")
    return images, labels
