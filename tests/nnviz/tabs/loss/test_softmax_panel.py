"""Softmax + categorical cross-entropy on ten scores: the bars are core's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from core.functional import softmax
from core.losses import categorical_crossentropy
from nnviz.tabs.loss.softmax_panel import DEFAULT_TRUE_CLASS, SoftmaxPanel


@pytest.fixture
def panel(qtbot) -> SoftmaxPanel:
    widget = SoftmaxPanel()
    qtbot.addWidget(widget)
    return widget


def test_set_scores_drives_the_bars_and_they_match_core_losses(qtbot, panel) -> None:
    z = np.array([1.0, -2.0, 0.5, 0.0, 4.0, -1.0, 2.5, 0.3, -0.7, 1.1])
    with qtbot.waitSignal(panel.readoutChanged) as blocker:
        panel.set_scores(z, true_class=6)
    assert blocker.args[0] is panel.readout
    assert panel.true_class_combo.currentIndex() == 6
    y = np.eye(10)[6][None]
    p = softmax(z[None])[0]
    np.testing.assert_allclose(panel.bar_heights("probability"), p)
    np.testing.assert_allclose(panel.bar_heights("nll"), -np.log(p))
    np.testing.assert_allclose(
        panel.bar_heights("gradient"), categorical_crossentropy.gradient_from_logits(y, z[None])[0]
    )
    assert panel.readout.loss == pytest.approx(categorical_crossentropy(y, p[None]))
    panel.set_scores(z[::-1])  # None keeps the true class
    assert panel.true_class_combo.currentIndex() == 6


def test_temperature_scales_the_scores(panel) -> None:
    z = np.linspace(-3, 3, 10)
    panel.set_scores(z, 2)
    np.testing.assert_array_equal(panel.score_editor.scores(), z)  # full precision kept
    panel.temperature_slider.setValue(round(np.log10(2.0) * 100))
    t = panel.temperature
    assert t == pytest.approx(2.0, rel=0.02)
    np.testing.assert_allclose(panel.bar_heights("probability"), softmax(z / t))
    np.testing.assert_allclose(panel.readout.gradient_logits, (softmax(z / t) - np.eye(10)[2]) / t)
    assert panel.temperature_label.text() == f"T = {t:.2f}"


def test_typing_a_score_updates_the_loss(panel) -> None:
    panel.set_scores(np.zeros(10), 0)
    assert panel.readout.loss == pytest.approx(np.log(10))
    panel.score_editor.spins[0].setValue(5.0)
    assert panel.readout.probabilities[0] == pytest.approx(np.exp(5) / (np.exp(5) + 9))


@pytest.mark.parametrize(
    "logits, true_class", [(np.zeros(9), None), (np.full(10, np.inf), None), (np.zeros(10), 10)]
)
def test_bad_scores_are_refused_and_change_nothing(qtbot, panel, logits, true_class) -> None:
    before = panel.score_editor.scores()
    with qtbot.assertNotEmitted(panel.readoutChanged), pytest.raises(ValueError):
        panel.set_scores(logits, true_class)
    np.testing.assert_array_equal(panel.score_editor.scores(), before)


def test_use_the_current_drawing(panel) -> None:
    assert not panel.use_drawing_button.isEnabled()  # no provider yet
    drawn: list = [None]
    panel.set_logits_provider(lambda: drawn[0])
    assert panel.use_drawing_button.isEnabled()
    before = panel.score_editor.scores()
    panel.use_drawing_button.click()
    assert "Nothing is drawn" in panel.status_label.text()
    np.testing.assert_array_equal(panel.score_editor.scores(), before)

    logits = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 9.0, 0.9, 1.0], dtype=np.float32)
    drawn[0] = (logits, 7)
    panel.use_drawing_button.click()
    np.testing.assert_array_equal(panel.score_editor.scores(), logits.astype(np.float64))
    assert panel.true_class_combo.currentIndex() == 7
    assert "predicts 7" in panel.status_label.text()

    drawn[0] = (np.full(10, 250.0), None)
    panel.use_drawing_button.click()
    assert "beyond ±100 were clamped" in panel.status_label.text()

    drawn[0] = (np.zeros(5), 1)
    panel.use_drawing_button.click()
    assert "could not be used" in panel.status_label.text()
    panel.set_logits_provider(None)
    assert not panel.use_drawing_button.isEnabled()


def test_a_failing_provider_is_reported_not_raised(panel) -> None:
    def broken() -> None:
        raise RuntimeError("no model loaded")

    panel.set_logits_provider(broken)
    panel.use_drawing_button.click()
    assert "no model loaded" in panel.status_label.text()


def test_random_and_reset_buttons(panel) -> None:
    panel.random_button.click()
    scores = panel.score_editor.scores()
    assert not np.allclose(scores, scores[0])
    panel.temperature_slider.setValue(50)
    panel.reset_button.click()
    assert panel.temperature == pytest.approx(1.0)
    assert panel.true_class_combo.currentIndex() == DEFAULT_TRUE_CLASS
    assert np.argmax(panel.readout.probabilities) == DEFAULT_TRUE_CLASS
    assert "[3]" in panel.score_editor.headers[3].text()
