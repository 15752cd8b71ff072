"""The Loss tab: two pages and the hooks the main window uses."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtWidgets import QLabel

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


def _fits(label) -> bool:
    probe = QLabel(label.text(), wordWrap=True, textFormat=label.textFormat())
    probe.setFont(label.font())
    return probe.heightForWidth(label.width()) <= label.height()


def test_messages_keep_their_height_and_fit_it(shown, qapp):
    """The lines under the plots and over the stepper keep one height whatever they say
    (the layout never jumps), and their longest texts fit it at 1366 × 768."""
    tab = shown(LossTab(), 1366, 700)
    binary = tab.entropy.binary
    label = binary.log0_label
    height = label.height()
    for position in (0, 300, binary.p_slider.maximum()):  # p = 0 says the most
        binary.p_slider.setValue(position)
        qapp.processEvents()
        assert label.height() == height and _fits(label), label.text()
    tab.show_page("network")
    stepper = tab.scratch.stepper
    heights = (stepper.explanation.height(), stepper.check_label.height())
    stepper.next_button.click()  # every stage explained in turn, the check appears
    for _ in range(12):
        qapp.processEvents()
        assert (stepper.explanation.height(), stepper.check_label.height()) == heights
        assert _fits(stepper.explanation) and _fits(stepper.check_label)
        stepper.next_button.click()
