"""The sentences the Regularization tab shows, read off the lab's state (no window needed)."""

from __future__ import annotations

import numpy as np

from nnviz.tabs.regularization import captions
from nnviz.tabs.regularization.lab import DataSettings, DescentStatus, RegularizationLab
from nnviz.widgets.float_slider import format_value


def test_explanation_names_the_weight_that_becomes_zero_and_from_which_alpha():
    lab = RegularizationLab()
    first = lab.first_zero
    before = captions.explanation(lab, lab.set_alpha(0.9 * first.alpha))
    assert f"w{captions.SUB[first.index]} becomes exactly 0" in before
    after = captions.explanation(lab, lab.set_alpha(1.1 * first.alpha))
    assert f"w{captions.SUB[first.index]} = 0 exactly" in after and "corner" in after
    assert "0 exactly" in captions.readout(lab, lab.solution)
    assert "does not bind" in captions.explanation(lab, lab.set_t(lab.t_max()))


def test_explanation_for_ridge_compares_with_the_diamond_of_the_same_size():
    lab = RegularizationLab()
    lab.set_penalty("l2")
    text = captions.explanation(lab, lab.set_t(0.5))
    assert "no corners" in text and "a diamond of the same size" in text
    assert "α = ∞" in captions.explanation(lab, lab.set_t(0.0))


def test_explanation_when_y_carries_no_signal():
    lab = RegularizationLab(DataSettings(noise=0.0, w1=0.0, w2=0.0))
    assert "uncorrelated with both features" in captions.explanation(lab, lab.set_alpha(0.1))


def _status(**changes) -> DescentStatus:
    values = dict(steps=7, penalty="l2", alpha=20.0, lr=0.2, capped=False, decay_factor=0.96,
                  threshold=0.0, shrink=1.0, max_lr=1.234, unstable=True, converged=True,
                  finished=True)
    values.update(changes)
    return DescentStatus(**values)


def test_descent_text_says_unstable_before_converged_and_what_to_do():
    text = captions.descent_text(_status())
    assert text.startswith("step 7 · η = 0.2 · decay 1&nbsp;−&nbsp;ηα/m = 0.9600")
    assert "<b>Unstable</b>: η must stay below 1.23" in text and "Converged" not in text
    assert "Lower η" in text
    assert captions.descent_text(_status(unstable=False)).endswith("Converged.")
    capped = captions.descent_text(_status(unstable=False, converged=False, capped=True))
    assert "η held at half the stability limit 1.23" in capped


def test_descent_text_and_note_name_the_soft_threshold_under_l1():
    text = captions.descent_text(_status(penalty="l1", threshold=0.0479, unstable=False,
                                         converged=False))
    assert "soft-threshold ηα = 0.0479" in text and "decay" not in text
    net = captions.descent_text(_status(penalty="elasticnet", threshold=0.02, shrink=1.01,
                                        unstable=False, converged=False))
    assert "ηαρ = 0.02" in net and "÷ 1.0100" in net
    assert "exact zeros" in captions.descent_note("l1")
    assert "1&nbsp;−&nbsp;ηα/m" in captions.descent_note("l2")
    assert "GD + L1 (soft-threshold)".replace(" ", "&nbsp;") in captions.legend("l1")
    assert "GD + weight decay".replace(" ", "&nbsp;") in captions.legend("l2")


def test_formulas_never_wrap_inside_a_term():
    """Spaces inside a term are non-breaking: "(1 − ρ)" cannot be split over two lines."""
    for text in captions.OBJECTIVES.values():
        assert "(1 − ρ)" not in text and "‖y − Xw‖²" not in text
    assert "(1&nbsp;−&nbsp;ρ)" in captions.OBJECTIVES["elasticnet"]


def test_readout_gives_the_alpha_of_each_penalty_for_the_same_t():
    lab = RegularizationLab()
    sol = lab.set_t(1.0)
    text = captions.readout(lab, sol)
    assert f"({captions.MODEL_NAMES['l1']})" in text
    assert f"Ridge α = {format_value(sol.mark('l2')[0])}" in text
    assert "(1/2n)" in captions.UNITS_NOTE and "‖w‖₁" in captions.UNITS_NOTE
    assert "data loss without the penalty" in captions.J0_NOTE and "ŵ" in captions.J0_NOTE


def test_zero_marks_label_each_weight_and_all():
    assert captions.zero_marks(np.array([0.3, 0.8])) == [(0.3, "w₁ = 0 →"), (0.8, "all 0 →")]
    assert captions.zero_marks(np.array([0.0, 0.0])) == []
