"""The ten-score editor: sliders and typed values stay in step, one signal per change."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.tabs.loss.score_editor import ScoreEditor


@pytest.fixture
def editor(qtbot) -> ScoreEditor:
    widget = ScoreEditor(10)
    qtbot.addWidget(widget)
    return widget


def test_set_scores_shows_them_and_emits_once(qtbot, editor: ScoreEditor) -> None:
    scores = np.linspace(-4.5, 4.5, 10)
    received = []
    editor.scoresChanged.connect(received.append)
    editor.set_scores(scores)
    assert len(received) == 1
    np.testing.assert_allclose(received[0], scores)
    np.testing.assert_allclose(editor.scores(), scores)
    assert [s.value() for s in editor.sliders] == [round(v * 10) for v in scores]
    precise = np.full(10, np.pi)
    editor.set_scores(precise)  # shown with two decimals, kept exactly
    assert editor.spins[0].value() == 3.14
    np.testing.assert_array_equal(editor.scores(), precise)


def test_slider_moves_the_typed_value(qtbot, editor: ScoreEditor) -> None:
    with qtbot.waitSignal(editor.scoresChanged) as blocker:
        editor.sliders[3].setValue(-27)
    assert editor.spins[3].value() == pytest.approx(-2.7)
    assert blocker.args[0][3] == pytest.approx(-2.7)


def test_typed_value_beyond_the_slider_is_kept(qtbot, editor: ScoreEditor) -> None:
    with qtbot.waitSignal(editor.scoresChanged):
        editor.spins[7].setValue(42.0)
    assert editor.scores()[7] == 42.0
    assert editor.sliders[7].value() == editor.sliders[7].maximum()


def test_set_scores_clamps_and_checks_the_count(editor: ScoreEditor) -> None:
    editor.set_scores(np.full(10, 1e6))
    assert np.all(editor.scores() == 100.0)
    with pytest.raises(ValueError, match="10 scores"):
        editor.set_scores(np.zeros(3))


def test_highlight_marks_the_true_class(editor: ScoreEditor) -> None:
    editor.set_highlighted(4)
    assert "[4]" in editor.headers[4].text() and editor.headers[3].text() == "3"


def test_a_move_to_the_same_value_emits_nothing(qtbot, editor: ScoreEditor) -> None:
    editor.set_scores(np.zeros(10))
    with qtbot.assertNotEmitted(editor.scoresChanged):
        editor.sliders[2].setValue(0)
        editor.spins[2].setValue(0.0)
