"""IDX / npz loaders on real, corrupt and truncated files; the shipped sample; finding MNIST."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np
import pytest

from core import data
from core.data import DataError, as_network_input, load_dataset, load_idx, load_mnist
from tests.core.idx_files import idx_header, make_idx_folder, write_idx


def test_load_idx_raw_and_gz(tmp_path):
    array = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    write_idx(tmp_path / "a.gz", array)
    write_idx(tmp_path / "a", array, gz=False)
    for name in ("a.gz", "a"):
        loaded = load_idx(tmp_path / name)
        assert loaded.dtype == np.uint8 and loaded.shape == (2, 28, 28)
        np.testing.assert_array_equal(loaded, array)


def test_truncated_idx_is_rejected(tmp_path):
    write_idx(tmp_path / "x", np.zeros((3, 28, 28)), gz=False)
    raw = (tmp_path / "x").read_bytes()
    (tmp_path / "cut").write_bytes(raw[:-100])
    with pytest.raises(DataError, match="truncated"):
        load_idx(tmp_path / "cut")
    (tmp_path / "head").write_bytes(raw[:6])
    with pytest.raises(DataError, match="truncated"):
        load_idx(tmp_path / "head")


def test_corrupt_gzip_and_bad_magic(tmp_path):
    write_idx(tmp_path / "x.gz", np.zeros((3, 28, 28)))
    raw = (tmp_path / "x.gz").read_bytes()
    (tmp_path / "cut.gz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="corrupt or truncated"):
        load_idx(tmp_path / "cut.gz")
    (tmp_path / "text").write_bytes(b"hello world, not idx")
    with pytest.raises(DataError, match="not an IDX file"):
        load_idx(tmp_path / "text")
    with pytest.raises(DataError, match="no such file"):
        load_idx(tmp_path / "missing")


def test_idx_folder(tmp_path):
    arrays = make_idx_folder(tmp_path / "mnist")
    (x, y), (xt, yt) = load_mnist(tmp_path / "mnist")
    assert x.shape == (20, 28, 28) and yt.shape == (10,) and x.dtype == np.uint8
    np.testing.assert_array_equal(y, arrays["train-labels-idx1-ubyte.gz"])


def test_idx_folder_with_wrong_image_size_or_labels(tmp_path):
    make_idx_folder(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((20, 27, 28)))
    with pytest.raises(DataError, match="28×28"):
        load_dataset(tmp_path)
    make_idx_folder(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.full(10, 12))
    with pytest.raises(DataError, match="outside 0–9"):
        load_dataset(tmp_path)


def test_incomplete_folder(tmp_path):
    make_idx_folder(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="t10k-labels"):
        load_dataset(tmp_path)


def test_keras_npz(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, 5, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, 3, dtype=np.uint8)}
    np.savez(tmp_path / "mnist.npz", **arrays)
    d = load_dataset(tmp_path / "mnist.npz")
    np.testing.assert_array_equal(d.x_test, arrays["x_test"])


def test_pickled_npz_is_never_unpickled(tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (marker.write_text, ("pwned",))

    arrays = {"x_train": np.array([Evil()], dtype=object), "y_train": np.zeros(1),
              "x_test": np.zeros((1, 28, 28)), "y_test": np.zeros(1)}
    np.savez(tmp_path / "evil.npz", **arrays)
    with pytest.raises(DataError, match="pickled"):
        load_dataset(tmp_path / "evil.npz")
    assert not marker.exists()
    (tmp_path / "raw.npz").write_bytes(pickle.dumps({"x": 1}))
    with pytest.raises(DataError):
        load_dataset(tmp_path / "raw.npz")


def test_sample_ships_and_is_shuffled():
    d = data.load_sample()
    assert d.x_train.shape == (4000, 28, 28) and d.x_test.shape == (1000, 28, 28)
    val = d.y_train[int(0.8 * 4000):]
    assert len(np.unique(val)) == 10  # a last-20 % validation split sees every class
    assert np.bincount(np.concatenate([d.y_train, d.y_test])).tolist() == [500] * 10


def test_fallback_to_sample_when_nothing_is_found(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "candidate_places", lambda dataset="mnist": [tmp_path / "none"])
    assert load_dataset().is_sample


def test_environment_variable_is_searched_first(monkeypatch, tmp_path):
    make_idx_folder(tmp_path / "mine")
    monkeypatch.setenv("NNVIZ_DATA", str(tmp_path / "mine"))
    assert data.find_dataset() == tmp_path / "mine"
    assert load_dataset().x_train.shape == (20, 28, 28)


def test_fashion_mnist_gets_its_class_names(tmp_path):
    make_idx_folder(tmp_path / "fashion-mnist")
    d = load_dataset(tmp_path / "fashion-mnist")
    assert d.name == "fashion-mnist" and d.class_names[9] == "Ankle boot"


def test_as_network_input():
    x = as_network_input(np.full((2, 28, 28), 255, dtype=np.uint8))
    assert x.shape == (2, 1, 28, 28) and x.dtype == np.float32 and x.max() == 1.0


def test_real_mnist(mnist_dir):
    (x, y), (xt, yt) = load_mnist(mnist_dir)
    assert x.shape == (60000, 28, 28) and xt.shape == (10000, 28, 28)
    assert y[:6].tolist() == [5, 0, 4, 1, 9, 2]
    assert np.bincount(yt).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert abs(x.mean() / 255 - 0.130660) < 1e-5


# -- bad input: headers first, plain messages -------------------------------------------------
def test_idx_dimensions_are_multiplied_without_wrapping(tmp_path):
    """(65536,)×4 is 2**64 elements: an int64 product wraps to 0 and passed the size check."""
    (tmp_path / "x").write_bytes(idx_header((65536,) * 4))
    with pytest.raises(DataError, match=r"declares shape \(65536, 65536, 65536, 65536\) "
                       r"\(over 1 PiB\), more than a data set file can hold \(224.3 MiB\)"):
        load_idx(tmp_path / "x")


def test_idx_size_is_checked_against_the_header_before_reading(tmp_path, monkeypatch):
    (tmp_path / "x").write_bytes(idx_header((3, 28, 28)) + bytes(100))
    monkeypatch.setattr(np, "empty", lambda *a, **k: pytest.fail("allocated before checking"))
    with pytest.raises(DataError, match=r"declares shape \(3, 28, 28\) \(2,368 bytes\) but "
                       r"holds 116 bytes: the file is truncated or corrupt"):
        load_idx(tmp_path / "x")


def test_idx_gz_with_more_data_than_declared_is_refused(tmp_path):
    (tmp_path / "x.gz").write_bytes(gzip.compress(idx_header((2, 28, 28)) + bytes(5000)))
    with pytest.raises(DataError, match=r"holds more data than its header's shape \(2, 28, 28\)"):
        load_idx(tmp_path / "x.gz")
    (tmp_path / "y.gz").write_bytes(gzip.compress(idx_header((2, 28, 28)) + bytes(50)))
    with pytest.raises(DataError, match="truncated: it ends after 50 of the 1,568 bytes"):
        load_idx(tmp_path / "y.gz")


def test_a_folder_of_idx_files_is_judged_by_its_headers(tmp_path):
    make_idx_folder(tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(idx_header((10**9, 28, 28))))
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz declares 1,000,000,000 "
                       "images; nnviz reads at most 300,000"):
        load_dataset(tmp_path)
    make_idx_folder(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(7))
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.gz holds 10 images but "
                       r"t10k-labels-idx1-ubyte.gz declares labels of shape \(7,\)"):
        load_dataset(tmp_path)


def test_unreadable_idx_files_are_not_called_corrupt_gzip(tmp_path, monkeypatch):
    (tmp_path / "folder").mkdir()
    with pytest.raises(DataError, match="^folder is a folder, not an IDX file$"):
        load_idx(tmp_path / "folder")
    write_idx(tmp_path / "x.gz", np.zeros((1, 28, 28)))

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(data, "open", denied, raising=False)
    with pytest.raises(DataError, match=r"^x.gz cannot be read \(permission denied\)$"):
        load_idx(tmp_path / "x.gz")


def test_junk_npz_is_not_called_pickled(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"\x00\x01\x02\x03")
    with pytest.raises(DataError, match=r"^junk.npz is not an .npz file \(it is not a zip"):
        load_dataset(tmp_path / "junk.npz")


def test_npz_claiming_a_billion_images_is_refused_from_its_header(tmp_path):
    from tests.core.hostile import npy_bytes, npy_header, raw_zip, stored

    labels = npy_bytes(np.zeros(3, np.uint8))
    (tmp_path / "big.npz").write_bytes(raw_zip([
        stored("x_train.npy", npy_header((10**9, 28, 28))), stored("y_train.npy", labels),
        stored("x_test.npy", npy_bytes(np.zeros((3, 28, 28), np.uint8))),
        stored("y_test.npy", labels)]))
    with pytest.raises(DataError, match=r"x_train has shape \(1000000000, 28, 28\), expected "
                       r"\(3, 28, 28\)"):
        load_dataset(tmp_path / "big.npz")


@pytest.mark.parametrize(("labels", "shown"), [([3, -1, 12], -1), ([3, 12, -1], 12)])
def test_the_offending_label_is_named(tmp_path, labels, shown):
    arrays = {"x_train": np.zeros((3, 28, 28), np.uint8), "y_train": np.array(labels, np.int8),
              "x_test": np.zeros((1, 28, 28), np.uint8), "y_test": np.zeros(1, np.uint8)}
    np.savez(tmp_path / "m.npz", **arrays)
    with pytest.raises(DataError, match=f"y_train holds label {shown} outside 0–9"):
        load_dataset(tmp_path / "m.npz")


def test_discovery_goes_on_past_places_it_cannot_look_into(tmp_path, monkeypatch):
    make_idx_folder(tmp_path / "good")
    blocked = tmp_path / "blocked"
    places = [Path("x" * 5000), blocked, tmp_path / "good"]
    monkeypatch.setattr(data, "candidate_places", lambda dataset="mnist": places)
    real_is_dir = Path.is_dir

    def is_dir(self):
        if self == blocked:
            raise PermissionError(13, "Permission denied")
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    found, problems = data.search_dataset()
    assert found == tmp_path / "good"
    assert problems[0].startswith("could not look in xxxx") and "File name too long" in problems[0]
    assert problems[1] == f"could not look in {blocked} (Permission denied)"
    assert data.find_dataset() == tmp_path / "good"


def test_a_name_too_long_is_a_data_error(monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA", "x" * 5000)
    assert load_dataset().is_sample  # the search skips it and falls back to the sample
    with pytest.raises(DataError, match="cannot be read .File name too long"):
        load_dataset("y" * 5000)
