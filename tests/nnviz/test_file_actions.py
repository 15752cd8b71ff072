"""The File menu through the window: downloads (a local mirror on 127.0.0.1 only), model
folders, and the exports to ONNX and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz.file_actions
import nnviz.main_window
import nnviz.session
from nnviz.app import MainWindow


@pytest.fixture
def window(shown, monkeypatch):
    """A window on a computer where no full MNIST or Fashion-MNIST is found."""
    monkeypatch.setattr(nnviz.session, "find_dataset", lambda name: None)
    w = shown(MainWindow())
    yield w
    w.controller.shutdown(3000)
    if w.download is not None:
        assert w.download.wait(5)


def test_download_full_mnist_opens_it_and_the_combo_shows_it(window, qtbot, mnist_mirror,
                                                           tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", mnist_mirror.url("good"))
    combo = window.train_tab.dataset_combo
    entry = combo.findData("download:mnist")
    assert entry >= 0 and combo.itemText(entry) == "Download full MNIST (≈ 11.6 MB)…"
    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert combo.itemText(entry) in menu_texts
    assert "Download Fashion-MNIST (≈ 30.9 MB)…" in menu_texts
    with qtbot.waitSignal(window.session.datasetChanged, timeout=15000):
        job = window.download_dataset("mnist", dest=tmp_path / "mnist")
    assert job.wait(2)
    data = window.session.dataset
    assert data.name == "mnist" and len(data.y_train) == 300  # the mirror's small files
    assert combo.currentData() == "mnist" and combo.findData("download:mnist") < 0
    assert "Downloaded MNIST" in window.statusBar().currentMessage()


def test_offline_the_download_says_why_and_the_sample_stays(window, qtbot, mnist_mirror,
                                                            tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", mnist_mirror.dead_url)
    job = window.download_dataset("mnist", dest=tmp_path / "mnist")
    # a refused connection fails at once: the thread may be done before a waitSignal
    # could connect, so wait for what the user sees instead
    qtbot.waitUntil(lambda: not job.is_running() and window.last_error is not None,
                    timeout=15000)
    assert window.last_error[0] == "Cannot download MNIST"
    assert "goes on with the shipped sample" in window.last_error[1]
    assert window.session.dataset.is_sample


def test_a_screenshot_of_the_download_progress_can_be_taken(window, qtbot, mnist_mirror,
                                                            tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", mnist_mirror.url("stall"))
    job = window.download_dataset("mnist", dest=tmp_path / "mnist", timeout=0.5)
    qtbot.waitUntil(lambda: "Downloading" in job.text(), timeout=5000)
    assert job.dialog.isVisible() and job.dialog.grab().width() > 0
    with qtbot.waitSignal(job.finished, timeout=10000):
        job.cancel()
    assert "cancelled" in window.statusBar().currentMessage()


def test_model_dialogs_open_where_models_are(window, tmp_path, monkeypatch):
    user = tmp_path / "user-data"
    monkeypatch.setenv("NNVIZ_USER_DIR", str(user))
    assert window.model_folder() == user and user.is_dir()  # nothing saved yet: the data folder
    assert window.save_model(tmp_path / "runs" / "first.npz")
    assert window.model_folder() == tmp_path / "runs"


def test_export_onnx_through_the_menu_action(window, tmp_path):
    pytest.importorskip("onnx")
    assert window.onnx_action.text() == "&ONNX model…"
    assert window.export_onnx(tmp_path / "digits")
    assert (tmp_path / "digits.onnx").stat().st_size > 10_000
    assert "digits.onnx" in window.statusBar().currentMessage()


def test_without_onnx_the_entry_says_how_to_get_it(shown, monkeypatch, tmp_path):
    monkeypatch.setattr(nnviz.main_window, "onnx_available", lambda: False)
    monkeypatch.setattr(nnviz.file_actions, "onnx_available", lambda: False)
    w = shown(MainWindow())
    assert 'pip install "nnviz[export]"' in w.onnx_action.text()
    assert not w.export_onnx(tmp_path / "x.onnx")
    assert 'pip install "nnviz[export]"' in w.last_error[1]
    assert not (tmp_path / "x.onnx").exists()


def test_export_pytorch_says_which_files_it_wrote(window, tmp_path):
    assert window.export_pytorch(tmp_path / "digits.py")
    said = window.statusBar().currentMessage()
    assert "digits.py" in said and "digits.npz" in said and str(tmp_path) in said
    script = (tmp_path / "digits.py").read_text()
    assert "torch.nn" in script and "digits.npz" in script
    with np.load(tmp_path / "digits.npz") as weights:
        assert len(weights.files) > 0
