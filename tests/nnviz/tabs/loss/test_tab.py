"""The Loss tab: two pages and the hooks the main window uses."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.tabs.loss import LossTab


@pytest.fixture
def tab(qtbot) -> LossTab:
    widget = LossTab()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    return widget


def test_tab_has_two_pages_and_the_object_names(tab: LossTab) -> None:
    assert tab.objectName() == "lossTab"
    assert tab.entropy.objectName() == "lossEntropyPage"
    assert tab.scratch.objectName() == "lossScratchPage"
    assert tab.pages.count() == 2
    tab.show_page("network")
    assert tab.pages.currentWidget() is tab.scratch
    tab.show_page("entropy")
    assert tab.pages.currentWidget() is tab.entropy
    with pytest.raises(ValueError):
        tab.show_page("nope")


def test_set_scores_loads_the_softmax_editor(tab: LossTab) -> None:
    z = np.linspace(-2.0, 2.0, 10)
    tab.set_scores(z, true_class=6)
    np.testing.assert_array_equal(tab.entropy.softmax.score_editor.scores(), z)
    assert tab.entropy.readout.true_class == 6
    with pytest.raises(ValueError):
        tab.set_scores(np.zeros(3))


def test_the_logits_provider_drives_use_the_current_drawing(tab: LossTab) -> None:
    button = tab.entropy.softmax.use_drawing_button
    assert not button.isEnabled()
    tab.set_logits_provider(lambda: (np.arange(10.0), 9))
    button.click()
    assert tab.entropy.readout.true_class == 9
    tab.set_logits_provider(None)
    assert not button.isEnabled()
