"""The shipped data files are found inside the packages, never beside the source tree."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import core
from core import data, package_files
from core.package_files import package_folder


def test_the_engine_data_lives_in_the_core_package():
    assert data.ASSETS == Path(core.__file__).parent / "assets"
    assert data.SAMPLE_PATH.is_file() and (data.ASSETS / "tutorial_cnn.npz").is_file()


def test_the_app_files_live_in_the_nnviz_package():
    import nnviz

    folder = package_folder("nnviz", "assets")
    assert folder == Path(nnviz.__file__).parent / "assets"
    assert {p.name for p in folder.iterdir()} >= {"nnviz.svg", "nnviz.png", "nnviz.desktop"}


def test_a_package_imported_from_an_archive_is_refused_plainly(tmp_path, monkeypatch):
    archive = tmp_path / "core.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("core/assets/mnist_sample.npz", b"")
    monkeypatch.setattr(package_files.resources, "files",
                        lambda package: zipfile.Path(archive, "core/"))
    with pytest.raises(RuntimeError, match="install it with pip"):
        package_folder("core", "assets")
