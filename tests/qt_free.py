"""Check that a module stays free of Qt: import it in a fresh interpreter and list the Qt
modules that came with it."""

from __future__ import annotations

import ast
import subprocess
import sys

QT_PACKAGES = ("PyQt6", "PyQt5", "PySide6", "pyqtgraph")


def qt_loaded_by(*modules: str) -> list[str]:
    """The Qt and pyqtgraph modules that importing ``modules`` loads ([] when none)."""
    code = (
        "import importlib, sys\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return ast.literal_eval(result.stdout)
