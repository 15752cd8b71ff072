"""The sentences the Regularization tab shows, read off the lab's state (no window needed)."""

from __future__ import annotations

import numpy as np

from nnviz.tabs.regularization import captions
from nnviz.tabs.regularization.lab import DataSettings, DescentStatus, RegularizationLab


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


def test_descent_text_says_unstable_before_converged():
    status = DescentStatus(steps=7, decay_factor=0.96, max_lr=1.234, unstable=True,
                           converged=True, finished=True)
    assert captions.descent_text(status) == (
        "step 7 · decay factor 1 − ηλ/m = 0.9600 <b>Unstable</b>: η must stay below 1.23."
    )
    calm = DescentStatus(7, 0.96, 1.234, unstable=False, converged=True, finished=True)
    assert captions.descent_text(calm).endswith("Converged.")


def test_zero_marks_label_each_weight_and_all():
    assert captions.zero_marks(np.array([0.3, 0.8])) == [(0.3, "w₁ = 0 →"), (0.8, "all 0 →")]
    assert captions.zero_marks(np.array([0.0, 0.0])) == []
