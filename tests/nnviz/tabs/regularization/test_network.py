"""The CNN's share of the lab: its L1/L2 strengths and its exactly-zero weights per layer."""

from __future__ import annotations

import pytest

from nnviz.tabs.regularization.network import NetworkRegularizationPanel


@pytest.fixture
def panel(shown):
    return shown(NetworkRegularizationPanel(), 320, 300)


def test_empty_until_the_first_statistics(panel):
    assert "No network statistics yet" in panel.strengths.text()
    assert not panel.table.isVisible() and panel.rows() == []


def test_show_stats_lists_the_layers(panel):
    panel.show_stats(1e-4, 0.0, {"conv_1": 0.0, "dense_1": 0.254})
    assert "0.0001" in panel.strengths.text() and "L1 (sparse)" in panel.strengths.text()
    assert panel.rows() == [("conv_1", "0.0 %"), ("dense_1", "25.4 %")]
    panel.show_stats(0.0, 5e-4, {"conv_1": 0.5})
    assert panel.rows() == [("conv_1", "50.0 %")]
    assert "L2 (weight decay)" in panel.strengths.text()


@pytest.mark.parametrize(
    "l1, l2, fractions",
    [(0.0, 0.0, {"conv_1": 1.5}), (-1.0, 0.0, {}), (float("nan"), 0.0, {})],
)
def test_bad_statistics_are_refused_and_change_nothing(panel, l1, l2, fractions):
    panel.show_stats(0.0, 0.0, {"conv_1": 0.25})
    with pytest.raises(ValueError):
        panel.show_stats(l1, l2, fractions)
    assert panel.rows() == [("conv_1", "25.0 %")]
