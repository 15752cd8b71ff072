"""Draw tab fixtures: a private user data folder for the personal digits, the tab shown
with it, and the shipped pre-trained model."""

from __future__ import annotations

import pytest

from core.data import ASSETS
from nnviz.tabs.draw.tab import DrawTab

SHIPPED_MODEL = ASSETS / "tutorial_cnn.npz"


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """$NNVIZ_USER_DIR pointed at an empty folder (created on first save)."""
    folder = tmp_path / "user"
    monkeypatch.setenv("NNVIZ_USER_DIR", str(folder))
    return folder


@pytest.fixture
def tab(shown, user_dir):
    widget = shown(DrawTab(), 1280, 800)
    return widget


@pytest.fixture(scope="module")
def shipped_model():
    assert SHIPPED_MODEL.exists(), "assets/tutorial_cnn.npz must ship (scripts/train_pretrained.py)"
    from core.model import Sequential

    return Sequential.load(SHIPPED_MODEL)
