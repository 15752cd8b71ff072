"""Shared test set-up: Qt offscreen, the optional full MNIST folder, float64 gradient checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = PROJECT_ROOT.parent / "shared" / "data" / "mnist"


@pytest.fixture
def mnist_dir() -> Path:
    """The full MNIST folder beside the project; tests that need it skip cleanly without it."""
    if not (SHARED_MNIST / "train-labels-idx1-ubyte.gz").exists():
        pytest.skip("full MNIST not present in ../shared/data/mnist")
    return SHARED_MNIST


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Settings and personal digits go to a fresh folder: tests never touch the user's."""
    home = tmp_path_factory.mktemp("nnviz-user")
    monkeypatch.setenv("NNVIZ_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("NNVIZ_USER_DIR", str(home / "data"))
    return home


@pytest.fixture
def configured_pyqtgraph():
    """The pyqtgraph options the app sets at start-up."""
    from nnviz.app import configure_pyqtgraph

    configure_pyqtgraph()
