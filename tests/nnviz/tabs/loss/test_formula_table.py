"""The formula table: each formula with the numbers plugged in, and its value."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.tabs.loss.formula_table import FormulaTable, format_number
from nnviz.tabs.loss.math import binary_probe, softmax_readout


def test_format_number() -> None:
    assert format_number(float("nan")) == "NaN"
    assert format_number(float("inf")) == "+inf" and format_number(-float("inf")) == "−inf"
    assert format_number(1.5e-6) == "1.500e-06"
    assert format_number(0.25) == "0.2500" and format_number(0.0) == "0.0000"


def test_binary_rows_show_the_probe_and_mark_an_infinite_loss(qtbot) -> None:
    table = FormulaTable()
    qtbot.addWidget(table)
    table.show_binary(binary_probe(1e-7, 0.0))
    assert table.item(2, 3).text() == "+inf  |  NaN"
    assert float(table.item(0, 3).text()) == pytest.approx(-np.log(1e-7), rel=1e-4)
    assert table.item(2, 3).foreground().color().red() > 200  # red: not finite
    table.show_binary(binary_probe(1e-7, 0.25))
    assert float(table.item(0, 3).text()) == pytest.approx(-np.log(0.25), abs=1e-4)
    assert float(table.item(1, 3).text()) == pytest.approx(-np.log(0.75), abs=1e-4)
    assert table.item(3, 3).text() == "0.5625  |  0.0625"


def test_softmax_rows_show_the_true_class(qtbot) -> None:
    table = FormulaTable()
    qtbot.addWidget(table)
    r = softmax_readout(np.arange(10.0), 3)
    table.show_softmax(r)
    assert table.item(4, 2).text().startswith("p_3 = exp(3.00/1.00 − 9.00)")
    assert float(table.item(5, 3).text()) == pytest.approx(r.loss, abs=1e-4)
    assert table.item(6, 3).text() == f"{r.gradient[3]:+.4f}"
    assert "largest: p_9" in table.item(7, 2).text()
