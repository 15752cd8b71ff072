"""A local MNIST mirror on 127.0.0.1 for the download tests (the engine's and the app's): an
HTTP server serving small generated IDX files, never the internet. The fixture
``mnist_mirror`` (tests/conftest.py) starts one per test."""

from __future__ import annotations

import hashlib
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from core import download
from tests.core.idx_files import idx_arrays, idx_bytes

BEHAVIOURS = ("good", "corrupt", "drop", "error", "stall")


@dataclass
class LocalMirror:
    """An HTTP server on 127.0.0.1 serving small generated IDX files at ``/<behaviour>/<name>``.

    good: the file; corrupt: one byte changed; drop: the promised length, but the connection
    closes after half of it; error: HTTP 503; stall: no answer until the test ends.
    ``download.FILES`` is patched with these files' sizes and checksums for both data sets.
    """

    port: int
    dead_port: int  # nothing listens there: a mirror that is down
    files: dict[str, bytes]
    arrays: dict[str, np.ndarray]
    requests: list[str] = field(default_factory=list)

    def url(self, behaviour: str) -> str:
        assert behaviour in BEHAVIOURS
        return f"http://127.0.0.1:{self.port}/{behaviour}/"

    @property
    def dead_url(self) -> str:
        return f"http://127.0.0.1:{self.dead_port}/"

    def fetched(self, behaviour: str = "good") -> list[str]:
        """The file names requested from one behaviour's folder, in order."""
        prefix = f"/{behaviour}/"
        return [path[len(prefix):] for path in self.requests if path.startswith(prefix)]


def _handler(mirror: LocalMirror, release: threading.Event):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            mirror.requests.append(self.path)
            behaviour, _, name = self.path.strip("/").partition("/")
            body = mirror.files.get(name)
            if behaviour == "stall":
                release.wait(30)
                return
            if body is None or behaviour not in BEHAVIOURS or behaviour == "error":
                self.send_error(503 if body is not None else 404)
                return
            if behaviour == "corrupt":
                body = body[:-1] + bytes([body[-1] ^ 0xFF])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if behaviour == "drop" else body)

        def log_message(self, *args):  # keep the test output quiet
            pass

    return Handler


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_mirror(monkeypatch):
    """Run a :class:`LocalMirror` (and patch ``core.download.FILES`` with its files' sizes
    and checksums) until the block ends; the server's threads are joined on exit."""
    arrays = idx_arrays(n_train=300, n_test=60, seed=1)
    files = {name: idx_bytes(array) for name, array in arrays.items()}
    mirror = LocalMirror(port=0, dead_port=_free_port(), files=files, arrays=arrays)
    release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(mirror, release))
    server.daemon_threads = False  # server_close() then joins every request thread
    mirror.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              name="local-mnist-mirror")
    thread.start()
    for dataset in download.DATASETS:
        monkeypatch.setitem(download.FILES, dataset, tuple(
            download.RemoteFile(f.name, len(files[f.name]),
                                hashlib.sha256(files[f.name]).hexdigest(),
                                hashlib.md5(files[f.name]).hexdigest())
            for f in download.FILES[dataset]))
    monkeypatch.delenv("NNVIZ_MNIST_MIRROR", raising=False)
    monkeypatch.delenv("NNVIZ_FASHION_MNIST_MIRROR", raising=False)
    try:
        yield mirror
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join()
