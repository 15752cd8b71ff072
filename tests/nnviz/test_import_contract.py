"""Import contracts of nnviz/: the tabs' state and arithmetic modules load no Qt, importing
the package loads no Qt, and no module imports itself through a circle."""

from __future__ import annotations

from pathlib import Path

import nnviz
from tests.import_graph import find_cycle, import_graph
from tests.qt_free import qt_loaded_by

QT_FREE = [
    "nnviz", "nnviz.settings", "nnviz.networks", "nnviz.help_texts",
    "nnviz.tabs.network.state", "nnviz.tabs.network.fields",
    "nnviz.tabs.train.history", "nnviz.tabs.train.report", "nnviz.tabs.train.penalty",
    "nnviz.tabs.train.runs_state", "nnviz.tabs.train.start_from", "nnviz.tabs.train.recording",
    "nnviz.widgets.timeline_state", "nnviz.numbers",
    "nnviz.model_export",
    "nnviz.tabs.inside.state", "nnviz.tabs.inside.stages", "nnviz.tabs.inside.value_text",
    "nnviz.tabs.inside.explain_text",
    "nnviz.tabs.draw.state", "nnviz.tabs.draw.captions", "nnviz.tabs.draw.why",
    "nnviz.tabs.regularization.lab", "nnviz.tabs.regularization.ranges",
    "nnviz.tabs.loss.math", "nnviz.tabs.loss.scratch_run",
]
"""Modules that must work without Qt (each tab package's ``__init__`` imports its tab lazily)."""


def test_state_and_arithmetic_modules_load_no_qt():
    loaded = {module: qt_loaded_by(module) for module in QT_FREE}
    assert {module: qt for module, qt in loaded.items() if qt} == {}


def test_nnviz_has_no_import_circle():
    graph = import_graph(Path(nnviz.__file__).parent)
    assert "nnviz.session" in graph["nnviz.main_window"]  # the graph does see the imports
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle)
