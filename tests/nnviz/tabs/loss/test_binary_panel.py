"""Binary cross-entropy against p: core.losses' curves, the eps clip and the probe."""

from __future__ import annotations

import numpy as np
import pytest

from core.losses import binary_crossentropy
from nnviz.tabs.loss.binary_panel import BinaryPanel


@pytest.fixture
def panel(qtbot) -> BinaryPanel:
    widget = BinaryPanel()
    qtbot.addWidget(widget)
    return widget


def test_curves_are_core_losses_with_the_default_eps(panel: BinaryPanel) -> None:
    assert panel.epsilon == pytest.approx(binary_crossentropy.epsilon)
    p, y1 = panel.curve("bce_y1")
    _, y0 = panel.curve("bce_y0")
    np.testing.assert_allclose(y1, binary_crossentropy.elementwise(np.ones_like(p), p))
    np.testing.assert_allclose(y0, binary_crossentropy.elementwise(np.zeros_like(p), p))
    np.testing.assert_allclose(panel.curve("squared_y1")[1], (1 - p) ** 2)
    assert panel.cap() == pytest.approx(-np.log(1e-7))


def test_eps_control_moves_the_clip_and_the_cap(qtbot, panel: BinaryPanel) -> None:
    with qtbot.waitSignal(panel.probeChanged) as blocker:
        panel.eps_slider.setValue(-10)  # eps = 0.1
    assert blocker.args[0].epsilon == pytest.approx(0.1)
    assert panel.epsilon == pytest.approx(0.1)
    low, high = panel.clip_zones()
    assert low == pytest.approx((0.0, 0.1)) and high == pytest.approx((0.9, 1.0))
    assert np.max(panel.curve("bce_y1")[1]) == pytest.approx(-np.log(0.1))
    assert "eps = 1e-01" in panel.eps_label.text()


def test_eps_extremes_keep_every_clipped_curve_finite(panel: BinaryPanel) -> None:
    for position in (panel.eps_slider.minimum(), panel.eps_slider.maximum()):
        panel.eps_slider.setValue(position)
        for name in ("bce_y1", "bce_y0", "squared_y1", "squared_y0"):
            assert np.all(np.isfinite(panel.curve(name)[1]))
        assert panel.cap() == pytest.approx(-np.log(panel.epsilon))
    assert panel.epsilon == pytest.approx(10**-0.6)


def test_the_unclipped_curve_leaves_a_gap_where_it_is_infinite(panel: BinaryPanel) -> None:
    p, y1 = panel.curve("unclipped_y1")
    assert np.isnan(y1[p == 0.0]).all() and np.isfinite(y1[p > 0.0]).all()


def test_probe_at_zero_says_what_log0_would_be(panel: BinaryPanel) -> None:
    panel.p_slider.setValue(0)
    text = panel.log0_label.text()
    assert "+inf" in text and "NaN" in text
    assert panel.probe.raw_y1 == np.inf and panel.probe.clipped == pytest.approx(1e-7)
    panel.p_slider.setValue(250)
    assert "At p = 0.250" in panel.log0_label.text()
    assert panel.probe.bce_y1 == pytest.approx(-np.log(0.25))


def test_dragging_the_probe_line_moves_the_slider(panel: BinaryPanel) -> None:
    panel.probe_line.setValue(0.8)
    assert panel.p_slider.value() == 800 and panel.probe_p == pytest.approx(0.8)
    assert panel.p_label.text() == "p = 0.800"
