"""Download full MNIST or Fashion-MNIST: mirrors in turn, checksums first, atomic files.

:func:`download_mnist` fetches the four gzip IDX files into ``~/.cache/nnviz/mnist`` (or
``~/.cache/nnviz/fashion-mnist``), where :func:`core.data.find_dataset` looks. Every file
goes to a hidden temporary file in that folder; its size, SHA-256 and MD5 are checked
against the published values below; only when all four are good are they renamed to their
real names (``train-images`` last, the file discovery keys on). So a cut connection, a
mirror sending the wrong bytes, a cancel or a crash never leaves a file a later start would
trust. Each mirror gets its own connection with a timeout; a mirror that is down, answers
with an error, drops the connection or sends a bad file is passed over for the next.

Standard library only (urllib), no Qt: the app runs it on a worker thread and cancels
through the ``progress`` callback.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "DATASETS", "DownloadCancelled", "DownloadError", "FILES", "MIRRORS", "MIRROR_ENV",
    "RemoteFile", "cache_folder", "download_mnist",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds a mirror may take to connect or to send the next chunk before the next is tried."""
CHUNK = 64 * 1024
TEMP_SUFFIX = ".part"

Progress = Callable[[int, int, str], "bool | None"]
"""``progress(done_bytes, total_bytes, message)``; returning False cancels the download."""


class DownloadError(Exception):
    """The download failed and nothing was kept; the message says why in one sentence."""


class DownloadCancelled(DownloadError):
    """The ``progress`` callback cancelled (by returning False or by raising this)."""


@dataclass(frozen=True)
class RemoteFile:
    """One published file: its name on every mirror, size in bytes, SHA-256 and MD5 (hex)."""

    name: str
    size: int
    sha256: str
    md5: str


DATASETS = ("mnist", "fashion-mnist")
TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}

FILES: dict[str, tuple[RemoteFile, ...]] = {
    # Sizes and MD5s: the published values of the original distribution, as torchvision's
    # MNIST.resources lists them. SHA-256s: TensorFlow Datasets' url_checksums/mnist.txt
    # (the same files on its mirror), equal to those of a copy whose MD5s match.
    "mnist": (
        RemoteFile("train-labels-idx1-ubyte.gz", 28_881,
                   "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                   "d53e105ee54ea40749a09fcbcd1e9432"),
        RemoteFile("t10k-images-idx3-ubyte.gz", 1_648_877,
                   "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                   "9fb629c4189551a2d022fa330f9573f3"),
        RemoteFile("t10k-labels-idx1-ubyte.gz", 4_542,
                   "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                   "ec29112dd5afa0611ce80d1b7f02629c"),
        RemoteFile("train-images-idx3-ubyte.gz", 9_912_422,
                   "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                   "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    ),
    # MD5s: published by Zalando Research in the Fashion-MNIST README ("MD5 Checksum").
    # Sizes and SHA-256s: TensorFlow Datasets' url_checksums/fashion_mnist.txt; Keras'
    # fashion_mnist.FILE_HASHES publishes the same SHA-256s.
    "fashion-mnist": (
        RemoteFile("train-labels-idx1-ubyte.gz", 29_515,
                   "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                   "25c81989df183df01b3e8a0aad5dffbe"),
        RemoteFile("t10k-images-idx3-ubyte.gz", 4_422_102,
                   "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                   "bef4ecab320f06d8554ea6380940ec79"),
        RemoteFile("t10k-labels-idx1-ubyte.gz", 5_148,
                   "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                   "bb300cfdad3c16e7a12a480ee83cd310"),
        RemoteFile("train-images-idx3-ubyte.gz", 26_421_880,
                   "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                   "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
    ),
}
"""The files of each data set, ``train-images`` last: it is renamed into place last."""

MIRRORS: dict[str, tuple[str, ...]] = {
    "mnist": (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",  # torchvision's MNIST.mirrors
        "https://storage.googleapis.com/cvdf-datasets/mnist/",  # TensorFlow's MNIST mirror
        "http://yann.lecun.com/exdb/mnist/",  # the original site (torchvision's other mirror)
    ),
    "fashion-mnist": (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",  # Keras' load_data
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",  # official; torchvision
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
}
"""Base URLs tried in order; each file is ``base + name``."""

MIRROR_ENV = {"mnist": "NNVIZ_MNIST_MIRROR", "fashion-mnist": "NNVIZ_FASHION_MNIST_MIRROR"}
"""Environment variables that replace the mirror list: a base URL or a comma-separated list."""


def cache_folder(dataset: str = "mnist") -> Path:
    """Where :func:`download_mnist` puts a data set: ``~/.cache/nnviz/<dataset>``."""
    return Path.home() / ".cache" / "nnviz" / _check_dataset(dataset)


def download_mnist(dest: str | Path | None = None, dataset: str = "mnist",
                   progress: Progress | None = None, *,
                   mirrors: str | Sequence[str] | None = None,
                   timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Download the four IDX files of MNIST (or ``dataset="fashion-mnist"``) into ``dest``.

    ``dest`` defaults to :func:`cache_folder`; files already there with the right checksum
    are kept, not fetched again. ``mirrors`` (base URLs, or one comma-separated string)
    defaults to the ``NNVIZ_MNIST_MIRROR`` / ``NNVIZ_FASHION_MNIST_MIRROR`` environment
    variable, else :data:`MIRRORS`. ``progress(done_bytes, total_bytes, message)`` is called
    after every chunk of 64 KiB; returning False (or raising :class:`DownloadCancelled`)
    cancels. Returns the folder, ready for :func:`core.data.load_dataset`.

    Raises :class:`DownloadCancelled` on a cancel and :class:`DownloadError` when no mirror
    delivered a good copy or the folder cannot be written; either way nothing new is kept.
    """
    files = FILES[_check_dataset(dataset)]
    bases = _mirror_list(dataset, mirrors)
    folder = Path(dest).expanduser() if dest is not None else cache_folder(dataset)
    report = _Reporter(progress)
    fetched: dict[str, Path] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(folder, files)
        wanted = [f for f in files if not _is_intact(folder / f.name, f)]
        report.start(sum(f.size for f in wanted))
        for index, remote in enumerate(wanted, 1):
            label = f"{remote.name} ({index} of {len(wanted)})"
            fetched[remote.name] = _fetch(remote, bases, folder, timeout, report, label, dataset)
        for remote in wanted:  # in table order: train-images, which discovery trusts, last
            os.replace(fetched.pop(remote.name), folder / remote.name)
    except OSError as error:  # the folder, not the network: those are handled per mirror
        raise DownloadError(f"Cannot write {TITLES[dataset]} into {folder}: "
                            f"{error.strerror or error}.") from None
    finally:
        for partial in fetched.values():
            partial.unlink(missing_ok=True)
    report.finish(f"{TITLES[dataset]} is ready in {folder}")
    return folder


# -- one file from the first mirror that delivers it --------------------------------------
class _MirrorFailed(Exception):
    """One mirror could not deliver one file; ``unreachable`` when no answer came at all."""

    def __init__(self, reason: str, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


def _fetch(remote: RemoteFile, bases: Sequence[str], folder: Path, timeout: float,
           report: _Reporter, label: str, dataset: str) -> Path:
    """Download ``remote`` into a checked temporary file in ``folder``; returns its path."""
    problems: list[tuple[str, _MirrorFailed]] = []
    for base in bases:
        url = base if base.endswith("/") else base + "/"
        url += remote.name
        host = urlsplit(url).hostname or url
        report.begin_file(f"Downloading {label} from {host}")
        fd, name = tempfile.mkstemp(prefix=f".{remote.name}.", suffix=TEMP_SUFFIX, dir=folder)
        partial = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                _stream(url, out, remote, timeout, report)
            return partial
        except _MirrorFailed as problem:
            partial.unlink(missing_ok=True)
            problems.append((host, problem))
            report.rewind(f"{host} failed ({problem}); trying the next mirror")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    raise DownloadError(_explain(dataset, remote, problems))


def _stream(url: str, out, remote: RemoteFile, timeout: float, report: _Reporter) -> None:
    """Copy ``url`` into the open file ``out``, checking size and checksums on the way."""
    request = urllib.request.Request(url, headers={"User-Agent": "nnviz"})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise _MirrorFailed(f"it answered HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise _MirrorFailed(_plain(error.reason), unreachable=True) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _MirrorFailed(_plain(error), unreachable=True) from None
    with response:
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) != remote.size:
            raise _MirrorFailed(f"it offers {int(length):,} bytes instead of {remote.size:,}")
        sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
        done = 0
        while True:
            try:
                chunk = response.read(CHUNK)
            except (OSError, http.client.HTTPException) as error:
                raise _MirrorFailed(f"the connection dropped after {done:,} of "
                                    f"{remote.size:,} bytes ({_plain(error)})") from None
            if not chunk:
                break
            done += len(chunk)
            if done > remote.size:
                raise _MirrorFailed(f"it sends more than the {remote.size:,} bytes expected")
            out.write(chunk)
            sha256.update(chunk)
            md5.update(chunk)
            report.advance(len(chunk))
    if done != remote.size:
        raise _MirrorFailed(f"the connection dropped after {done:,} of {remote.size:,} bytes")
    if sha256.hexdigest() != remote.sha256 or md5.hexdigest() != remote.md5:
        raise _MirrorFailed("it sent a file whose checksum is wrong")
    out.flush()
    os.fsync(out.fileno())


def _plain(reason) -> str:
    """An error as a few words: 'connection refused', not '[Errno 111] Connection refused'."""
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return str(reason) or type(reason).__name__


def _explain(dataset: str, remote: RemoteFile, problems: list[tuple[str, _MirrorFailed]]) -> str:
    """One sentence for the user: offline, or what each mirror did wrong."""
    title = TITLES[dataset]
    hosts = ", ".join(dict.fromkeys(host for host, _ in problems))
    if all(problem.unreachable for _, problem in problems):
        return (f"Could not reach any {title} mirror ({hosts}): check the internet connection; "
                "nnviz goes on with the shipped sample.")
    reasons = "; ".join(f"{host}: {problem}" for host, problem in problems)
    return (f"No {title} mirror delivered a good {remote.name} ({reasons}); nothing was kept "
            "and nnviz goes on with the data it has.")


# -- progress, the folder, the settings ------------------------------------------------------
class _Reporter:
    """Calls the ``progress`` callback and turns a False answer into a cancel."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback
        self.total = 0
        self.done = 0  # bytes of the files finished and of the current attempt
        self.file_start = 0
        self.message = ""

    def _call(self) -> None:
        if self.callback is not None and self.callback(self.done, self.total,
                                                       self.message) is False:
            raise DownloadCancelled("Download cancelled; nothing was kept.")

    def start(self, total: int) -> None:
        self.total = total
        self.message = "Connecting" if total else "Already downloaded"
        self._call()

    def begin_file(self, message: str) -> None:
        self.file_start = self.done
        self.message = message
        self._call()

    def advance(self, count: int) -> None:
        self.done += count
        self._call()

    def rewind(self, message: str) -> None:
        self.done = self.file_start
        self.message = message
        self._call()

    def finish(self, message: str) -> None:
        """The last call: the files are in place, so a False answer cancels nothing now."""
        self.done, self.message = self.total, message
        if self.callback is not None:
            self.callback(self.done, self.total, self.message)


def _is_intact(path: Path, remote: RemoteFile) -> bool:
    """True when ``path`` already holds exactly the published file."""
    try:
        if path.stat().st_size != remote.size:
            return False
        sha256 = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                sha256.update(chunk)
    except OSError:
        return False
    return sha256.hexdigest() == remote.sha256


def _remove_leftovers(folder: Path, files: Sequence[RemoteFile]) -> None:
    """Delete temporary files a killed download left behind (never trusted, only clutter)."""
    for remote in files:
        for partial in folder.glob(f".{remote.name}.*{TEMP_SUFFIX}"):
            partial.unlink(missing_ok=True)


def _check_dataset(dataset: str) -> str:
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; choose one of {', '.join(DATASETS)}")
    return dataset


def _mirror_list(dataset: str, mirrors: str | Sequence[str] | None) -> list[str]:
    """The base URLs to try: the argument, else the environment variable, else the defaults."""
    if mirrors is None:
        mirrors = os.environ.get(MIRROR_ENV[dataset]) or MIRRORS[dataset]
    if isinstance(mirrors, str):
        mirrors = mirrors.split(",")
    bases = [base.strip() for base in mirrors if base.strip()]
    if not bases:
        raise DownloadError(f"No {TITLES[dataset]} mirror was given: set {MIRROR_ENV[dataset]} "
                            "to a base URL or a comma-separated list of them.")
    for base in bases:
        if urlsplit(base).scheme not in ("http", "https", "file"):
            raise DownloadError(f"{base!r} is not a mirror address: give a base URL starting "
                                f"with https://, http:// or file:// ({MIRROR_ENV[dataset]}).")
    return bases
