"""Layer statistics: the norm history, the histogram and the exact-zero shares."""

from __future__ import annotations

import numpy as np

from core.diagnostics import take_snapshot
from core.models import tutorial_cnn
from nnviz.tabs.inside.state import NormHistory
from nnviz.tabs.inside.stats import StatsPanel
from nnviz.widgets.plot_style import ReadableLogAxis

LAYERS = ["conv2d_1", "conv2d_2", "conv2d_3", "dense_1", "dense_2"]


def _snapshot(model, step):
    model.optimizer.iterations = step
    return take_snapshot(model, 0)


def test_panel_draws_snapshots(qtbot):
    model = tutorial_cnn()
    panel = StatsPanel()
    qtbot.addWidget(panel)
    sizes = {name: model.layers[i].params["W"].size for i, name in
             [(0, "conv2d_1"), (2, "conv2d_2"), (5, "conv2d_3"), (9, "dense_1"),
              (11, "dense_2")]}
    panel.set_layers(LAYERS, sizes)
    history = NormHistory(LAYERS)
    panel.set_history(history)
    model.layers[2].params["W"][:3] = 0.0                 # some exact zeros in conv2d_2
    for step in (1, 2, 3):
        snapshot = _snapshot(model, step)
        history.append(snapshot)
        panel.set_stats(snapshot.stats)
    assert panel.history is history
    assert isinstance(panel.weight_plot.getPlotItem().getAxis("left"), ReadableLogAxis)
    panel.select_layer("conv2d_2")
    panel.refresh()
    stats = take_snapshot(model).stats["conv2d_2.W"]
    edges, counts = panel.histogram()
    np.testing.assert_array_equal(edges, stats.histogram[1])
    np.testing.assert_array_equal(counts, stats.histogram[0])
    rows = dict((name, (zeros, size)) for name, zeros, size in panel.zero_bars.rows())
    assert rows["conv2d_2"] == (3 * 4 * 9, 288) and rows["conv2d_1"] == (0, 100)
    x, y = panel.weight_curve("dense_1")
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_allclose(y, history.weight("dense_1"))
    with qtbot.waitSignal(panel.layerSelected) as selected:
        panel.layer_combo.setCurrentText("dense_1")
    assert selected.args == ["dense_1"]
    panel.resize(520, 320)
    panel.show()
    assert not panel.grab().isNull()
