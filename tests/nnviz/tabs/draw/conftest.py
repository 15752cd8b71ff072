"""Draw tab fixtures: a private user data folder for the personal digits."""

from __future__ import annotations

import pytest


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """$NNVIZ_USER_DIR pointed at an empty folder (created on first save)."""
    folder = tmp_path / "user"
    monkeypatch.setenv("NNVIZ_USER_DIR", str(folder))
    return folder
