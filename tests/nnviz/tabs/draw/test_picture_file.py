"""Reading picture files with Qt: formats, huge pictures, transparency, bad files."""

from __future__ import annotations

import numpy as np
import pytest

from core.picture import PictureError
from nnviz.tabs.draw.picture_file import MAX_SIDE, read_gray
from tests.nnviz.tabs.draw.pictures import save, save_rgba, seven


@pytest.mark.parametrize("suffix", [".png", ".bmp", ".jpg"])
def test_formats_qt_reads(qapp, tmp_path, suffix):
    gray, size = read_gray(save(tmp_path / f"seven{suffix}", seven()))
    assert size == (100, 120) and gray.shape == (120, 100) and gray.dtype == np.float32
    tolerance = 0.15 if suffix == ".jpg" else 1e-6  # JPEG is lossy
    assert np.abs(gray - seven()).mean() < tolerance


def test_a_huge_picture_is_read_small(qapp, tmp_path):
    big = np.kron(seven(), np.ones((25, 25), np.float32))  # 3000 x 2500
    gray, size = read_gray(save(tmp_path / "big.png", big))
    assert size == (2500, 3000) and max(gray.shape) == MAX_SIDE
    assert gray.max() == pytest.approx(1.0) and gray.min() == 0.0


def test_transparency_is_put_on_white_paper(qapp, tmp_path):
    gray, _ = read_gray(save_rgba(tmp_path / "clear.png", seven()))
    assert gray[0, 0] == pytest.approx(1.0)  # the transparent ground is white paper
    assert gray[seven() == 1].max() < 0.05   # dark ink


def test_bad_files_say_why(qapp, tmp_path):
    with pytest.raises(PictureError, match="no such file"):
        read_gray(tmp_path / "missing.png")
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(PictureError, match="cannot be read as a picture"):
        read_gray(corrupt)
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    with pytest.raises(PictureError, match="cannot be read as a picture"):
        read_gray(text)
