"""The explanation panel paints every kind of explanation and names what it explains."""

from __future__ import annotations

import pytest

from core.data import as_network_input, load_sample
from core.models import tutorial_cnn
from nnviz.tabs.inside.explain_panel import ExplainPanel
from nnviz.tabs.inside.stages import explain, network_stages, stage_outputs


@pytest.mark.parametrize("stage,index,title", [
    (0, (0, 3, 4), "input · pixel row 3, col 4"),
    (1, (2, 5, 7), "conv2d_1 · map 2, row 5, col 7"),
    (4, (9, 1, 2), "conv2d_3 · map 9, row 1, col 2"),
    (3, (0, 1, 1), "max_pooling2d_1 · map 0, row 1, col 1"),
    (6, (40,), "flatten_1 · unit 40"),
    (7, (3,), "dense_1 · unit 3"),
    (8, (7,), "dense_2 · digit 7"),
])
def test_every_kind_is_titled_and_painted(qtbot, stage, index, title):
    model = tutorial_cnn()
    stages = network_stages(model)
    x = as_network_input(load_sample().x_test[:1])
    acts = model.activations(x)
    outputs = stage_outputs(stages, x[0], acts)
    panel = ExplainPanel()
    qtbot.addWidget(panel)
    panel.resize(360, 280)
    assert panel.title().startswith("Hover")
    panel.set_explanation(explain(model, stages, outputs, acts, stage, index), pinned=True)
    assert panel.title() == title
    assert not panel.grab().isNull()
    cells = panel.tip_areas()[:-1]  # the grid cells painted, each with its own numbers
    for rect, tip in cells:
        assert panel.cell_tooltip(rect.center()) == tip
    title_rect, description = panel.tip_areas()[-1]
    assert description == panel.toolTip() and title_rect.top() == 0
    assert not any(title_rect.intersects(rect) for rect, _ in cells)
