"""The 1-D view F(x) = f(x) + λ|x|: the presets and a non-quadratic f."""

from __future__ import annotations

import pytest

from core import regression as R
from nnviz.tabs.regularization.oned import OneDView


@pytest.fixture
def view(shown):
    return shown(OneDView(), 480, 420)


def test_presets_land_the_minimum_on_zero_above_the_threshold(view):
    view.preset_buttons[0].click()
    assert view.minimiser() == pytest.approx(0.5)
    assert "stops at <b>x = 0.500</b>" in view.message.text()
    view.preset_buttons[1].click()
    assert view.minimiser() == 0.0
    assert "exactly x = 0" in view.message.text()


def test_the_view_follows_a_non_quadratic_f(view):
    view.q.setValue(0.5)
    view.c.setValue(-1.5)
    view.set_lambda(0.3)
    f = R.SmoothLoss1D(view.k.value(), -1.5, 0.5)
    assert view.loss() == f
    assert view.minimiser() == pytest.approx(R.argmin_penalised_1d(f, 0.3))
    assert view.minimiser() < 0.0


def test_dragging_lambda_moves_the_minimum(view, qtbot):
    with qtbot.waitSignal(view.lam.valueChanged):
        view.lam.set_position(1000)  # λ = 3 > |f′(0)| = 1
    assert view.minimiser() == 0.0
