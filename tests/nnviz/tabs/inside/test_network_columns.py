"""What each column of the network view shows: styles, limits, pixels and range texts."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import as_network_input, load_sample
from core.layers import Dense, Flatten
from core.model import Sequential
from core.models import tutorial_cnn
from nnviz.tabs.inside.colors import DIVERGING, GREY, colorize, symmetric_limit
from nnviz.tabs.inside.network_columns import (
    column_rgba,
    grid_shape,
    make_columns,
    params_text,
    range_text,
    recolor,
)
from nnviz.tabs.inside.stages import network_stages, stage_outputs


@pytest.fixture
def columns():
    model = tutorial_cnn(seed=0)
    stages = network_stages(model)
    x = as_network_input(load_sample().x_test[:1])
    outputs = stage_outputs(stages, x[0], model.activations(x))
    made = make_columns(stages)
    for column, values in zip(made, outputs, strict=True):
        column.values = values
    return made, outputs


def test_styles_and_buffers_of_the_tutorial_cnn(columns):
    made, _ = columns
    assert [c.style for c in made] == ["image", "maps", "maps", "maps", "maps", "maps",
                                       "grid", "bars", "probs"]
    assert made[6].grid == (16, 16)                          # one row per pooled map
    assert made[1].buffer.shape == (4 * 24, 24) and made[8].buffer is None
    wide = network_stages(Sequential([Flatten(), Dense(500), Dense(10)],
                                     input_shape=(1, 28, 28)))
    assert [c.style for c in make_columns(wide)] == ["image", "grid", "grid", "bars"]
    assert grid_shape(wide, wide[1]) == (28, 28) and grid_shape(wide, wide[2]) == (22, 23)


def test_recolor_writes_the_colour_of_every_value(columns):
    made, outputs = columns
    assert recolor(made, "layer") is None
    limit = symmetric_limit(outputs[2])
    np.testing.assert_array_equal(column_rgba(made[2]),
                                  colorize(outputs[2], -limit, limit, DIVERGING))
    np.testing.assert_array_equal(column_rgba(made[0]), colorize(outputs[0], 0, 1, GREY))
    assert range_text(made[2], "layer") == f"±{float(limit):.2g}"
    assert range_text(made[0], "layer") == "0 … 1 (gray)"
    assert range_text(made[8], "layer") == "0 … 100 %" and column_rgba(made[8]) is None
    bars = column_rgba(made[7])
    assert bars.shape == (128, 4)
    np.testing.assert_allclose(made[7].bar_length,
                               outputs[7] / symmetric_limit(outputs[7]), atol=1e-6)
    shared = recolor(made, "global")
    assert shared == pytest.approx(max(np.abs(out).max() for out in outputs[1:-1]))
    recolor(made, "map")
    np.testing.assert_allclose(made[4].limits.reshape(-1), np.abs(outputs[4]).max(axis=(1, 2)))
    assert "…" in range_text(made[4], "map")
    made[3].values = None
    recolor(made, "layer")
    assert made[3].limits is None and not made[3].buffer.any()
    assert range_text(made[3], "layer") == ""


def test_params_text():
    stages = network_stages(tutorial_cnn())
    assert [params_text(s) for s in stages[:4]] == ["784 pixels", "104 params", "296 params",
                                                    "no params"]
