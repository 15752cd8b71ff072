"""A tab's state and arithmetic stay free of Qt: importing them loads no Qt module."""

from __future__ import annotations

import subprocess
import sys

import pytest

QT_FREE = ["nnviz.tabs.inside.state", "nnviz.tabs.inside.stages", "nnviz.tabs.draw.state"]
"""The tabs' Qt-free modules (their package ``__init__`` imports the tab lazily)."""


@pytest.mark.parametrize("module", QT_FREE)
def test_qt_free_modules_import_no_qt(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r})\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PyQt6', 'PyQt5', 'PySide6', 'pyqtgraph')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
