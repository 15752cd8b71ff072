"""The first page: the formula table follows both the binary probe and the softmax scores."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.tabs.loss.entropy_panel import EntropyPanel


@pytest.fixture
def panel(qtbot) -> EntropyPanel:
    widget = EntropyPanel()
    qtbot.addWidget(widget)
    return widget


def test_the_table_starts_filled_and_follows_the_probe(panel: EntropyPanel) -> None:
    table = panel.formula_table
    assert all(table.item(r, 3).text() for r in range(table.rowCount()))
    panel.binary.p_slider.setValue(0)
    assert table.item(2, 3).text() == "+inf  |  NaN"
    assert panel.probe_p == 0.0 and panel.epsilon == pytest.approx(1e-7)


def test_the_table_follows_the_scores(panel: EntropyPanel) -> None:
    panel.set_scores(np.zeros(10), 4)
    assert panel.readout.true_class == 4
    assert float(panel.formula_table.item(5, 3).text()) == pytest.approx(np.log(10), abs=1e-4)
    assert panel.temperature == 1.0


def test_the_provider_reaches_the_softmax_half(panel: EntropyPanel) -> None:
    panel.set_logits_provider(lambda: (np.arange(10.0), 9))
    panel.softmax.use_drawing_button.click()
    assert panel.readout.true_class == 9
