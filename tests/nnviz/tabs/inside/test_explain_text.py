"""The explanation panel's words: titles, the checked equation and the pooling sentence."""

from __future__ import annotations

import dataclasses

import pytest

from core.data import as_network_input, load_sample
from core.models import tutorial_cnn
from nnviz.tabs.inside import explain_text
from nnviz.tabs.inside.stages import explain, network_stages, stage_outputs


@pytest.fixture(scope="module")
def explained():
    """explain(stage, index) for the tutorial CNN on the first sample test digit."""
    model = tutorial_cnn()
    stages = network_stages(model)
    x = as_network_input(load_sample().x_test[:1])
    acts = model.activations(x)
    outputs = stage_outputs(stages, x[0], acts)
    return lambda stage, index: explain(model, stages, outputs, acts, stage, index)


def test_title_names_the_stage_and_the_value(explained):
    assert explain_text.title(None).startswith("Hover")
    assert explain_text.title(explained(1, (2, 5, 7))) == "conv2d_1 · map 2, row 5, col 7"
    assert explain_text.where(explained(8, (7,))) == "digit 7"


def test_the_equation_checks_z_against_the_layer(explained):
    e = explained(7, (3,))
    lines = explain_text.equation_lines(e)
    assert [agree for _, agree in lines] == [None, True, None]
    assert lines[1][0].startswith("✓")
    wrong = explain_text.check_line(dataclasses.replace(e, z=e.total + 1.0))
    assert wrong[1] is False and wrong[0].startswith("✗ the layer computed")


def test_pooling_and_flatten_say_what_they_do(explained):
    description, result = explain_text.pool_text(explained(3, (0, 1, 1)))
    assert "window of map 0" in description and "no weights" in description
    assert result.startswith("max = ")
    assert "Flatten only reorders" in explain_text.simple_text(explained(6, (40,)))
