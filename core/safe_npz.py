"""Reading ``.npz`` files (zip archives of ``.npy`` arrays) that may be damaged or hostile.

``np.load`` trusts its file: it allocates whatever shape a ``.npy`` header declares,
inflates members whole, and lets zip, header-parsing and pickle errors of every kind
through. :class:`NpzReader` instead

* never unpickles (object arrays are refused from their header),
* reads each member's ``.npy`` header first and checks the declared dtype and shape
  against an :class:`ArraySpec` (dtype kinds, dimensions, a byte budget) *before*
  allocating anything,
* inflates the data in bounded chunks and stops at the declared size, so a deflate bomb
  costs at most the budget, and
* raises every failure as the caller's own error type, with one readable sentence that
  names the file and says what is wrong (embedded low-level messages are cut short).
"""

from __future__ import annotations

import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npy_format

__all__ = ["ArraySpec", "NpzError", "NpzReader", "READ_FAILURES", "file_problem", "reason",
           "shape_text", "size_text"]

MAX_MEMBERS = 10_000
CHUNK = 1 << 20  # bytes inflated per read
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_KIND_NAMES = {"b": "booleans", "i": "integers", "u": "unsigned integers", "f": "floats",
               "c": "complex numbers", "U": "text", "S": "bytes"}

READ_FAILURES: tuple[type[BaseException], ...] = (
    OSError, EOFError, ValueError, TypeError, KeyError, AttributeError, IndexError,
    RuntimeError, NotImplementedError, OverflowError, MemoryError, struct.error,
    zipfile.BadZipFile, zlib.error,
)
"""What zipfile and zlib raise on damaged archives: a bad structure BadZipFile or
struct.error, an encryption flag RuntimeError, an unknown compression
NotImplementedError, huge offsets OverflowError, a cut stream EOFError or zlib.error."""


class NpzError(ValueError):
    """An ``.npz`` file that cannot be read; the default error type of :class:`NpzReader`."""


@dataclass(frozen=True)
class ArraySpec:
    """What one member may declare before it is read.

    kinds: allowed ``dtype.kind`` letters ("u" unsigned ints, "iu" any ints, "f" floats,
    "U" text); shape: one entry per dimension, an int where the size is fixed and None
    where any size is allowed; max_bytes: the largest array accepted.
    """

    kinds: str
    shape: tuple[int | None, ...]
    max_bytes: int


def reason(error: BaseException, limit: int = 100) -> str:
    """An exception's message as one short printable line (raw bytes and control
    characters dropped, whitespace collapsed, cut at ``limit`` characters)."""
    args = getattr(error, "args", ())
    if len(args) > 1 and isinstance(args[0], str):  # ('EOF in multi-line statement', (2, 0))
        text = args[0]
    else:
        text = str(error) or type(error).__name__
    text = re.sub(r"^\[Errno \d+\] ", "", text)
    text = re.sub(r"b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"", "<bytes>", text)
    text = re.sub(r"\\x[0-9a-fA-F]{2}", "", text)
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def file_problem(error: OSError, label: str, kind: str = "a file") -> str:
    """One sentence for a file that cannot be opened: missing, a folder, no permission."""
    if isinstance(error, FileNotFoundError):
        return f"{label}: no such file"
    if isinstance(error, IsADirectoryError):
        return f"{label} is a folder, not {kind}"
    if isinstance(error, PermissionError):
        return f"{label} cannot be read (permission denied)"
    return f"{label} cannot be read ({reason(error.strerror or error)})"


class NpzReader:
    """An open ``.npz`` file whose members are read under a budget.

    ``with NpzReader(path, error=DataError) as npz: x = npz.read("x_train", spec)``.
    ``names`` lists the arrays (member names without ``.npy``). Every failure raises
    ``error`` (default :class:`NpzError`) with a message that starts with ``label``
    (default: the file's name).
    """

    def __init__(self, path: str | Path, error: type[Exception] = NpzError,
                 label: str | None = None, max_members: int = MAX_MEMBERS) -> None:
        path = Path(path)
        self.error = error
        self.label = label if label is not None else path.name
        self._file = None
        self._zip: zipfile.ZipFile | None = None
        try:
            self._file = open(path, "rb")  # closed by close()
        except OSError as exc:
            raise self.error(file_problem(exc, self.label, "an .npz file")) from None
        try:
            self._open(max_members)
        except BaseException:
            self.close()
            raise

    def _open(self, max_members: int) -> None:
        f = self._file
        try:
            start = f.read(8)
            if not start:
                raise self.error(f"{self.label} is empty")
            if start.startswith(npy_format.MAGIC_PREFIX):
                raise self.error(f"{self.label} is a single .npy array, not an .npz archive "
                                 "of named arrays")
            if start[:1] == b"\x80" and start[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
                raise self.error(f"{self.label} holds pickled Python objects; nnviz never "
                                 "unpickles files (they can run arbitrary code)")
            if not start.startswith(b"PK"):
                raise self.error(f"{self.label} is not an .npz file (it is not a zip archive)")
            entries = _zip_entry_count(f)
            if entries is None:
                raise self.error(f"{self.label} is truncated or corrupt (the end of its zip "
                                 "directory is missing)")
            if entries > max_members:
                raise self.error(f"{self.label} lists {entries:,} arrays, more than the "
                                 f"{max_members:,} such a file can hold")
            f.seek(0)
            self._zip = zipfile.ZipFile(f)
            members = self._zip.infolist()
        except self.error:
            raise
        except READ_FAILURES as exc:
            raise self.error(f"{self.label} is corrupt or truncated (its zip structure is "
                             f"damaged: {reason(exc)})") from None
        self._members = {info.filename[:-4]: info for info in members
                         if info.filename.endswith(".npy")}

    @property
    def names(self) -> list[str]:
        """The arrays in the file (member names without ``.npy``), in archive order."""
        return list(self._members)

    def declared(self, name: str) -> tuple[tuple[int, ...], np.dtype]:
        """The shape and dtype member ``name`` declares, from its header alone (object
        arrays are refused here already)."""
        with self._stream(name) as stream:
            shape, _, dtype = self._header(stream, name)
        self._refuse_objects(name, dtype)
        return shape, dtype

    def read(self, name: str, spec: ArraySpec) -> np.ndarray:
        """Read array ``name`` if its header fits ``spec``; a fresh, writeable array."""
        with self._stream(name) as stream:
            shape, fortran, dtype = self._header(stream, name)
            nbytes = self._check(name, shape, dtype, spec)
            data = self._payload(stream, name, nbytes)
        return data.view(dtype).reshape(shape, order="F" if fortran else "C")

    @contextmanager
    def _stream(self, name: str) -> Iterator[BinaryIO]:
        """Member ``name`` opened for reading, its failures raised as ``self.error``."""
        info = self._member(name)
        try:
            with self._zip.open(info) as stream:
                yield stream
        except self.error:
            raise
        except MemoryError:
            raise self.error(f"{self.label}: not enough memory to read {name}") from None
        except READ_FAILURES as exc:
            raise self.error(f"{self.label} is corrupt or truncated (reading {name} failed: "
                             f"{reason(exc)})") from None

    def _member(self, name: str) -> zipfile.ZipInfo:
        info = self._members.get(name)
        if info is None:
            raise self.error(f"{self.label} lacks the array {name!r}")
        if info.flag_bits & 0x1:
            raise self.error(f"{self.label} is encrypted ({name} needs a password); nnviz "
                             "reads only unencrypted .npz files")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self.error(f"{self.label} stores {name} with a zip compression nnviz does "
                             f"not read (method {info.compress_type}; only stored and "
                             "deflated)")
        return info

    def _header(self, stream, name: str) -> tuple[tuple[int, ...], bool, np.dtype]:
        try:
            version = npy_format.read_magic(stream)
            if version not in ((1, 0), (2, 0)):
                raise self.error(f"{self.label}: {name} uses .npy format version "
                                 f"{version[0]}.{version[1]}, which nnviz does not read")
            if version == (1, 0):
                return npy_format.read_array_header_1_0(stream)
            return npy_format.read_array_header_2_0(stream)
        except (self.error, zipfile.BadZipFile, zlib.error, OSError, EOFError):
            raise  # the archive's own damage: reported by _stream
        except Exception as exc:  # the header is untrusted text: whatever
            # parsing it raises (ValueError, SyntaxError, tokenize.TokenError,
            # RecursionError, MemoryError...) means it is no valid .npy header
            raise self.error(f"{self.label} is corrupt: {name} has no valid .npy header "
                             f"({reason(exc)})") from None

    def _check(self, name: str, shape: tuple[int, ...], dtype: np.dtype,
               spec: ArraySpec) -> int:
        self._refuse_objects(name, dtype)
        if dtype.kind not in spec.kinds or dtype.itemsize == 0 or dtype.fields:
            wanted = " or ".join(_KIND_NAMES.get(k, k) for k in spec.kinds)
            raise self.error(f"{self.label}: {name} holds {dtype} values, expected {wanted}")
        expected = tuple(spec.shape)
        fits = len(shape) == len(expected) and all(
            want is None or got == want for got, want in zip(shape, expected, strict=True))
        if not fits or any(s < 0 for s in shape):
            wanted = "(" + ", ".join("N" if s is None else str(s) for s in expected) + (
                ",)" if len(expected) == 1 else ")")
            raise self.error(f"{self.label}: {name} has shape {shape_text(shape)}, expected "
                             f"{wanted}")
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes > spec.max_bytes:
            raise self.error(f"{self.label}: {name} declares shape {shape_text(shape)} "
                             f"({size_text(nbytes)}), more than the {size_text(spec.max_bytes)} "
                             "such an array can be")
        return nbytes

    def _refuse_objects(self, name: str, dtype: np.dtype) -> None:
        if dtype.hasobject:
            raise self.error(f"{self.label} holds pickled Python objects in {name}; nnviz "
                             "never unpickles files (they can run arbitrary code)")

    def _payload(self, stream, name: str, nbytes: int) -> np.ndarray:
        out = np.empty(nbytes, dtype=np.uint8)
        view = memoryview(out)
        got = 0
        while got < nbytes:
            n = stream.readinto(view[got : min(got + CHUNK, nbytes)])
            if not n:
                raise self.error(f"{self.label} is truncated: {name} ends after {got:,} of "
                                 f"its {nbytes:,} bytes")
            got += n
        if stream.read(1):  # also makes zipfile check the member's CRC
            raise self.error(f"{self.label} is corrupt: {name} holds more data than its "
                             "header declares")
        return out

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> NpzReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _zip_entry_count(f) -> int | None:
    """How many members a zip's end-of-directory record declares (None: no record);
    read before zipfile builds one object per member."""
    f.seek(0, 2)
    size = f.tell()
    tail_start = max(0, size - (1 << 16) - 22)
    f.seek(tail_start)
    tail = f.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == _ZIP64_LOCATOR:
        offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        if offset + 56 > size:
            return None
        f.seek(offset)
        record = f.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            return None
        count = struct.unpack("<Q", record[32:40])[0]
    return count


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape for a message, kept short however many or large its sizes are."""
    sizes = [str(s) if abs(s) < 10**12 else "10¹²+" for s in shape]
    if len(sizes) > 5:
        sizes = sizes[:4] + [f"… {len(shape)} dimensions"]
    return "(" + ", ".join(sizes) + ("," if len(sizes) == 1 else "") + ")"


def size_text(nbytes: int) -> str:
    """A byte count for a message: "953.7 MiB"; anything past a pebibyte is just that."""
    if nbytes >= 1 << 50:
        return "over 1 PiB"
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20),
                        ("KiB", 1 << 10)):
        if nbytes >= scale:
            return f"{nbytes / scale:,.1f} {unit}"
    return f"{nbytes} bytes"
