"""Downloading MNIST through a local mirror: good files, bad files, cut connections, dead
mirrors, cancels; and never a partial file left behind where discovery would trust it."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from core import data, download
from core.data import DownloadCancelled, DownloadError, download_mnist, load_mnist
from tests.core.idx_files import IDX_NAMES


def leftovers(folder):
    """Temporary files of a download still in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(download.TEMP_SUFFIX))


def assert_nothing_kept(folder):
    assert not folder.exists() or list(folder.iterdir()) == []


def test_good_download_gives_a_folder_load_mnist_reads(mnist_mirror, tmp_path):
    calls = []
    dest = download_mnist(tmp_path / "mnist", mirrors=[mnist_mirror.url("good")],
                          progress=lambda done, total, message: calls.append((done, total)))
    assert dest == tmp_path / "mnist"
    assert sorted(p.name for p in dest.iterdir()) == sorted(IDX_NAMES)
    (x_train, y_train), (x_test, y_test) = load_mnist(dest)
    np.testing.assert_array_equal(x_train, mnist_mirror.arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, mnist_mirror.arrays["t10k-labels-idx1-ubyte.gz"])
    total = sum(len(b) for b in mnist_mirror.files.values())
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)  # never backwards


def test_corrupt_file_is_refused_and_nothing_is_kept(mnist_mirror, tmp_path):
    dest = tmp_path / "mnist"
    with pytest.raises(DownloadError, match="checksum is wrong") as caught:
        download_mnist(dest, mirrors=[mnist_mirror.url("corrupt")])
    assert "nothing was kept" in str(caught.value)
    assert_nothing_kept(dest)


def test_connection_dropping_midway_leaves_nothing_half_written(mnist_mirror, tmp_path):
    dest = tmp_path / "mnist"
    with pytest.raises(DownloadError, match="connection dropped after"):
        download_mnist(dest, mirrors=[mnist_mirror.url("drop")])
    assert_nothing_kept(dest)


def test_a_mirror_that_is_down_or_failing_hands_over_to_the_next(mnist_mirror, tmp_path):
    dest = download_mnist(tmp_path / "mnist", mirrors=[
        mnist_mirror.dead_url, mnist_mirror.url("error"), mnist_mirror.url("corrupt"),
        mnist_mirror.url("drop"), mnist_mirror.url("good")])
    assert sorted(mnist_mirror.fetched("good")) == sorted(IDX_NAMES)
    assert len(mnist_mirror.fetched("error")) == len(IDX_NAMES)  # each file tried there first
    assert leftovers(dest) == []
    assert load_mnist(dest)[0][0].shape == (300, 28, 28)


def test_a_stalled_mirror_times_out_and_the_next_is_used(mnist_mirror, tmp_path):
    dest = download_mnist(tmp_path / "mnist", timeout=0.1,
                          mirrors=f"{mnist_mirror.url('stall')},{mnist_mirror.url('good')}")
    assert sorted(mnist_mirror.fetched("good")) == sorted(IDX_NAMES)
    assert leftovers(dest) == []


def test_offline_is_one_clear_sentence(mnist_mirror, tmp_path):
    dest = tmp_path / "mnist"
    with pytest.raises(DownloadError) as caught:
        download_mnist(dest, mirrors=[mnist_mirror.dead_url])
    message = str(caught.value)
    assert message == ("Could not reach any MNIST mirror (127.0.0.1): check the internet "
                       "connection; nnviz goes on with the shipped sample.")
    assert_nothing_kept(dest)


@pytest.mark.parametrize("how", ["return False", "raise"])
def test_cancel_from_the_progress_callback_keeps_nothing(mnist_mirror, tmp_path, how):
    def progress(done, total, message):
        if done > 0:
            if how == "raise":
                raise DownloadCancelled("stopped by the user")
            return False
        return True

    dest = tmp_path / "mnist"
    with pytest.raises(DownloadCancelled):
        download_mnist(dest, mirrors=[mnist_mirror.url("good")], progress=progress)
    assert_nothing_kept(dest)


def test_cancel_after_some_files_keeps_none_of_them(mnist_mirror, tmp_path):
    sizes = [len(mnist_mirror.files[f.name]) for f in download.FILES["mnist"]]
    dest = tmp_path / "mnist"
    with pytest.raises(DownloadCancelled):  # the first two files are complete by then
        download_mnist(dest, mirrors=[mnist_mirror.url("good")],
                       progress=lambda done, total, message: done <= sum(sizes[:2]))
    assert_nothing_kept(dest)


def test_files_already_there_are_kept_and_a_wrong_one_is_replaced(mnist_mirror, tmp_path):
    dest = download_mnist(tmp_path / "mnist", mirrors=[mnist_mirror.url("good")])
    (dest / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not the published file")
    (dest / "train-labels-idx1-ubyte.gz").unlink()
    (dest / ".train-images-idx3-ubyte.gz.x1y2.part").write_bytes(b"left by a killed run")
    mnist_mirror.requests.clear()
    download_mnist(dest, mirrors=[mnist_mirror.url("good")])
    assert sorted(mnist_mirror.fetched("good")) == ["t10k-labels-idx1-ubyte.gz",
                                                    "train-labels-idx1-ubyte.gz"]
    assert sorted(p.name for p in dest.iterdir()) == sorted(IDX_NAMES)
    for name, body in mnist_mirror.files.items():
        assert (dest / name).read_bytes() == body


def test_the_environment_variable_lists_the_mirrors(mnist_mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR",
                       f" {mnist_mirror.dead_url} , {mnist_mirror.url('good')}")
    download_mnist(tmp_path / "mnist")
    assert sorted(mnist_mirror.fetched("good")) == sorted(IDX_NAMES)


def test_bad_mirror_addresses_and_data_sets_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", "ftp.example.org/mnist")
    with pytest.raises(DownloadError, match="not a mirror address"):
        download_mnist(tmp_path / "m")
    with pytest.raises(DownloadError, match="No MNIST mirror was given"):
        download_mnist(tmp_path / "m", mirrors=" , ")
    with pytest.raises(ValueError, match="unknown data set"):
        download_mnist(tmp_path / "m", dataset="cifar")
    assert not (tmp_path / "m").exists()


def test_an_unwritable_destination_is_a_clear_error(mnist_mirror, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should go")
    with pytest.raises(DownloadError, match="Cannot write MNIST into"):
        download_mnist(blocker / "mnist", mirrors=[mnist_mirror.url("good")])


@pytest.mark.parametrize("dataset", download.DATASETS)
def test_the_default_folder_is_where_discovery_looks(mnist_mirror, tmp_path, monkeypatch,
                                                     dataset):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert data.find_dataset(dataset) is None
    dest = download_mnist(dataset=dataset, mirrors=[mnist_mirror.url("good")])
    assert dest == tmp_path / ".cache" / "nnviz" / dataset
    assert data.find_dataset(dataset) == dest
    found = data.load_dataset(None, dataset)
    assert found.name == dataset and len(found.y_train) == 300
    assert found.class_names == (data.FASHION_CLASSES if dataset == "fashion-mnist"
                                 else data.MNIST_CLASSES)


def test_discovery_passes_over_a_folder_missing_files(tmp_path, monkeypatch, mnist_mirror):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    dest = download_mnist(mirrors=[mnist_mirror.url("good")])
    (dest / "t10k-images-idx3-ubyte.gz").unlink()
    assert data.find_dataset() is None
    assert data.load_dataset().is_sample


def test_the_published_checksums_are_those_of_the_real_files(mnist_dir):
    for remote in download.FILES["mnist"]:
        body = (mnist_dir / remote.name).read_bytes()
        assert len(body) == remote.size
        assert hashlib.sha256(body).hexdigest() == remote.sha256
        assert hashlib.md5(body).hexdigest() == remote.md5


def test_every_data_set_lists_its_four_files_train_images_last():
    for dataset in download.DATASETS:
        names = [f.name for f in download.FILES[dataset]]
        assert sorted(names) == sorted(IDX_NAMES) and names[-1] == "train-images-idx3-ubyte.gz"
        assert download.MIRRORS[dataset] and dataset in download.MIRROR_ENV
        for f in download.FILES[dataset]:
            assert len(f.sha256) == 64 and len(f.md5) == 32 and f.size > 0
