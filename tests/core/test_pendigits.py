"""core.pendigits: reading the UNIPEN-style pen trajectory files."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from core.pendigits import PenDigitsError, placed, read_pendigits

TWO_SAMPLES = """.INCLUDE        dene.doc

.SEGMENT DIGIT    0 ? "7"
.COMMENT 7 3  12
.PEN_DOWN
 100  400
 300  400
 150  100
.PEN_UP
.DT 100
.PEN_DOWN
 150  250
 250  250
.PEN_UP
.SEGMENT DIGIT    1 ? "1"
.COMMENT 1 4  1
.PEN_DOWN
 200  300
.PEN_UP
"""


@pytest.fixture
def two(tmp_path):
    path = tmp_path / "two.tra.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(TWO_SAMPLES)
    return path


def test_samples_labels_writers_and_strokes(two):
    seven, one = read_pendigits(two)
    assert (seven.label, seven.writer, len(seven.strokes)) == (7, 3, 2)
    assert (one.label, one.writer, len(one.strokes)) == (1, 4, 1)
    # y grows upwards on the tablet: the top bar (y = 400) comes out above the stem's end
    np.testing.assert_array_equal(seven.strokes[0][:, 0], [100, 300, 150])
    assert seven.strokes[0][0, 1] < seven.strokes[0][2, 1]
    assert one.strokes[0].shape == (1, 2)  # a single point: a dot


def test_placed_fits_the_longer_side_to_the_size(two):
    seven, _ = read_pendigits(two)
    strokes = placed(seven, 0.5, (0.4, 0.6), width=0.05)
    points = np.concatenate([s.points for s in strokes])
    lo, hi = points.min(axis=0), points.max(axis=0)
    assert np.max(hi - lo) == pytest.approx(0.5)
    np.testing.assert_allclose((lo + hi) / 2, [0.4, 0.6])
    assert all(s.width == 0.05 and not s.erase for s in strokes)
    tilted = placed(seven, 0.5, transform=np.array([[1.0, 0.5], [0.0, 1.0]]))
    points = np.concatenate([s.points for s in tilted])
    assert np.max(points.max(axis=0) - points.min(axis=0)) == pytest.approx(0.5)


@pytest.mark.parametrize(("text", "message"), [
    ("", "no digit samples"),
    ('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 2\n', "without finishing"),
    ('.SEGMENT DIGIT 0 ? "3"\n 1 2\n', "line 2"),
    ('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 x\n.PEN_UP\n', "line 3"),
])
def test_a_malformed_file_says_where(tmp_path, text, message):
    path = tmp_path / "bad.tra"
    path.write_text(text)
    with pytest.raises(PenDigitsError, match=message):
        read_pendigits(path)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(PenDigitsError, match="no such file"):
        read_pendigits(tmp_path / "nothing.tra")
    corrupt = tmp_path / "corrupt.tra.gz"
    corrupt.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(PenDigitsError, match="corrupt"):
        read_pendigits(corrupt)


def test_the_shared_file_has_30_writers_and_the_documented_counts(pen_digits):
    assert len(pen_digits) == 7494
    assert sorted({d.writer for d in pen_digits}) == list(range(1, 31))
    counts = np.bincount([d.label for d in pen_digits], minlength=10)
    assert counts.tolist() == [780, 779, 780, 719, 780, 720, 720, 778, 719, 719]
    strokes = np.bincount([len(d.strokes) for d in pen_digits])
    assert strokes[1:].tolist() == [5564, 1921, 9]
