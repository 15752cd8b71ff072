"""Builders of hostile files for the loader tests: zip archives written byte by byte
(encryption flags, unknown compressions, lying sizes), deflate bombs made in
milliseconds, and a runner for code under a memory limit."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_BLOCK = 1 << 26  # 64 MiB of zeros a repeated deflate fragment


def npy_header(shape: tuple[int, ...], descr: str = "|u1") -> bytes:
    """The .npy header (magic, version 1.0, dict) declaring ``shape`` and ``descr``."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def deflate_zeros(prefix: bytes, zeros: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``prefix`` then ``zeros`` zero bytes (a multiple of 64 MiB),
    made by repeating one fully flushed fragment: ~1/1000 of the size, in milliseconds.
    Returns (stream, crc32, uncompressed size)."""
    assert zeros % _BLOCK == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = bytes(_BLOCK)
    fragment = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(zeros // _BLOCK):
        crc = zlib.crc32(block, crc)
    return head + fragment * (zeros // _BLOCK) + tail, crc, len(prefix) + zeros


def gzip_member(stream: bytes, crc: int, size: int) -> bytes:
    """A gzip file around a raw deflate ``stream``."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + stream + struct.pack("<II", crc, size & 0xFFFFFFFF)


def raw_zip(members: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """A zip archive written by hand: members are (name, data as stored, method, flags,
    crc32, uncompressed size), so the sizes and flags can lie."""
    out, central = bytearray(), bytearray()
    for name, data, method, flags, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0, crc,
                           len(data), size, len(encoded), 0) + encoded + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0,
                               crc, len(data), size, len(encoded), 0, 0, 0, 0, 0,
                               offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), len(out), 0)
    return bytes(out + central + end)


def stored(name: str, data: bytes, method: int = 0, flags: int = 0):
    """A member for :func:`raw_zip` holding ``data`` uncompressed (or claiming ``method``)."""
    return (name, data, method, flags, zlib.crc32(data), len(data))


def run_limited(code: str, limit_bytes: int, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (this checkout's packages) whose address space
    is capped at ``limit_bytes``: a regression that inflates or allocates too much fails
    with MemoryError instead of swapping the machine."""
    prelude = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
                          env={"PYTHONPATH": str(PROJECT_ROOT), "OPENBLAS_NUM_THREADS": "1",
                               "PATH": "/usr/bin:/bin"})
