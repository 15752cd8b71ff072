"""A data set download off the UI thread, through a local mirror on 127.0.0.1 only."""

from __future__ import annotations

import pytest
from PyQt6.QtWidgets import QPushButton

from nnviz.download_dialog import DatasetDownload, progress_text


def test_progress_reads_as_megabytes_of_the_whole() -> None:
    assert progress_text(3_200_000, 11_594_722, "Downloading train-images (4 of 4) from host") \
        == "Downloading train-images (4 of 4) from host\n3.2 of 11.6 MB"
    assert progress_text(0, 0, "Already downloaded") == "Already downloaded"


def test_a_good_mirror_delivers_the_four_files_with_progress(qtbot, mnist_mirror, tmp_path,
                                                             monkeypatch) -> None:
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", mnist_mirror.url("good"))
    job = DatasetDownload("mnist", tmp_path / "mnist")
    messages = []
    job.progressed.connect(lambda done, total, message: messages.append((done, total, message)))
    with qtbot.waitSignals([job.succeeded, job.finished], timeout=10000) as blocker:
        job.start()
    assert job.wait(2) and not job.is_running()
    assert blocker.all_signals_and_args[0].args == ("mnist", tmp_path / "mnist")
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == sorted(mnist_mirror.files)
    assert any("train-images" in m for _, _, m in messages)
    assert messages[-1][0] == messages[-1][1] > 0  # ends at all bytes of all files
    assert job.dialog.isHidden()  # closed at the end


def test_offline_it_says_so_in_one_sentence(qtbot, mnist_mirror, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", mnist_mirror.dead_url)
    job = DatasetDownload("mnist", tmp_path / "m")
    with qtbot.waitSignal(job.failed, timeout=10000) as failed:
        job.start()
    job.wait(2)
    assert failed.args[0] == "mnist" and "goes on with the shipped sample" in failed.args[1]
    assert not any((tmp_path / "m").iterdir())


def test_cancel_keeps_nothing(qtbot, mnist_mirror, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NNVIZ_FASHION_MNIST_MIRROR", mnist_mirror.url("stall"))  # no answer
    job = DatasetDownload("fashion-mnist", tmp_path / "f", timeout=0.5)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.start()
        job.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert job.wait(2) and job.text() == "Cancelling…"
    assert not any((tmp_path / "f").iterdir())


def test_an_unknown_data_set_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown data set"):
        DatasetDownload("cifar")
