"""Import contracts of core/: it loads no Qt, and its modules import each other without a
circle (counting every ``import`` and ``from`` line, also the ones inside functions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import core
from tests.import_graph import find_cycle, import_graph

CORE = Path(core.__file__).parent


def test_core_imports_no_qt():
    code = (
        "import sys, pkgutil, importlib, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PyQt6', 'PyQt5', 'PySide6', 'pyqtgraph')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cycle_finder_sees_a_circle_hidden_in_a_function(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from pkg.a import A\n")
    (pkg / "a.py").write_text("import numpy\nfrom . import b\nA = 1\n")
    (pkg / "b.py").write_text("def f():\n    from pkg.sub.c import C\n    return C\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from ..a import A as C\n")
    graph = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.sub.c"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]
    (pkg / "b.py").write_text("def f():\n    return 1\n")
    assert find_cycle(import_graph(pkg)) is None


def test_core_has_no_import_circle():
    graph = import_graph(CORE)
    assert "core.model_file" in graph["core.model"]  # the graph does see core's imports
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle)
