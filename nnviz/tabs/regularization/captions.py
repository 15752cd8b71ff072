"""What the Regularization tab says: the objectives, the legend, and the sentences that read
the lab's current solution and gradient-descent runs aloud (Qt rich text).

Plain functions of a :class:`~nnviz.tabs.regularization.lab.RegularizationLab`'s state, so
they can be checked without a window.
"""

from __future__ import annotations

import numpy as np

from nnviz.tabs.regularization.lab import DescentStatus, RegularizationLab, Solution
from nnviz.tabs.regularization.plotting import swatch
from nnviz.theme import (
    REG_GD_DECAY,
    REG_GD_PLAIN,
    REG_LEAST_SQUARES,
    REG_OPTIMUM,
    REG_PATH,
    REG_REGION,
    REG_TRUE_W,
    REG_ZERO,
)
from nnviz.widgets.float_slider import format_value

SUB = "₁₂"

OBJECTIVES = {
    "l1": "Lasso: (1/2n)‖y − Xw‖² + α‖w‖₁<br>⇔ min J0 with |w₁| + |w₂| ≤ t",
    "l2": "Ridge: ‖y − Xw‖² + α‖w‖²<br>⇔ min J0 with w₁² + w₂² ≤ t²",
    "elasticnet": "Elastic net: (1/2n)‖y − Xw‖² + αρ‖w‖₁ + ½α(1 − ρ)‖w‖²<br>"
    "⇔ min J0 with ρ‖w‖₁ + ½(1 − ρ)‖w‖² ≤ ρt + ½(1 − ρ)t²",
}
"""scikit-learn's objective of each penalty, and its constrained form."""

REGION_NAMES = {"l1": "diamond", "l2": "circle", "elasticnet": "elastic-net region"}

LEGEND = " &nbsp; ".join(
    swatch(colour, glyph, bold=True) + " " + meaning
    for colour, glyph, meaning in (
        (REG_LEAST_SQUARES, "✕", "least squares ŵ"),
        (REG_OPTIMUM, "●", "regularised w*"),
        (REG_REGION, "◆", "region"),
        (REG_OPTIMUM, "- -", "contour touching it"),
        (REG_PATH, "━", "path of w* as α grows"),
        (REG_ZERO, "★", "a weight becomes 0"),
        (REG_TRUE_W, "△", "true w"),
        (REG_GD_PLAIN, "•", "GD"),
        (REG_GD_DECAY, "•", "GD + decay"),
    )
)
"""What each mark on the weight plane means."""


def readout(lab: RegularizationLab, sol: Solution) -> str:
    """The numbers behind the plane: α, t, w* and J0(w*), ŵ and J0(ŵ)."""
    shown = ["<b>0 exactly</b>" if v == 0.0 else f"<b>{v:.4f}</b>" for v in sol.w]
    w_ols = lab.w_ols
    return (
        f"α = <b>{format_value(sol.alpha)}</b> &nbsp; t = <b>{sol.t:.3f}</b><br>"
        f"w* = ({shown[0]}, {shown[1]}) &nbsp; J0(w*) = {sol.j0:.4f}<br>"
        f"ŵ = ({w_ols[0]:.4f}, {w_ols[1]:.4f}) &nbsp; J0(ŵ) = {lab.j0_ols:.4f}"
    )


def explanation(lab: RegularizationLab, sol: Solution) -> str:
    """The sentence under the plane: which weight is 0, and from which α on."""
    p, w = sol.penalty, sol.w
    shape = REGION_NAMES[p]
    if lab.target_uncorrelated():
        return (
            "y is uncorrelated with both features (e.g. true weights 0 and no noise): the "
            "best fit is w = 0 whatever the penalty."
        )
    if sol.alpha == 0.0:
        return (
            f"The least-squares point ŵ lies inside the {shape} (t ≥ {lab.t_ols():.3f}): the "
            "constraint does not bind, α = 0 and w* = ŵ. Shrink t to see the penalty act."
        )
    if p == "l2":
        return _ridge_explanation(w, sol.same_l1.w)
    if np.all(w == 0.0):
        return (
            f"α ≥ α_max = {format_value(lab.alpha_max())}: the {shape} has shrunk to the "
            "origin, both weights are <b>exactly 0</b>."
        )
    first = lab.first_zero
    if first is None:
        return "Both weights are non-zero at this α."
    j = first.index
    if w[j] == 0.0:
        return (
            f"<b>w{SUB[j]} = 0 exactly</b>: the lowest contour touches the {shape} at its "
            f"corner on the w{SUB[1 - j]} axis. This holds for every α ≥ "
            f"{format_value(first.alpha)} (t ≤ {first.t:.3f}), the green star."
        )
    return (
        f"Both weights are non-zero: the lowest contour touches an edge of the {shape}. "
        f"Raise α to {format_value(first.alpha)} (t ≤ {first.t:.3f}, the green star) and "
        f"<b>w{SUB[j]} becomes exactly 0</b>: the optimum jumps to the corner."
    )


def _ridge_explanation(w: np.ndarray, lasso_w: np.ndarray) -> str:
    """Why the circle gives no exact zero, next to the diamond of the same size."""
    if np.all(w == 0.0):
        return (
            "t = 0: the circle is a single point, which takes α = ∞. For every finite α "
            "Ridge keeps both weights non-zero: the circle has no corners."
        )
    j = int(np.argmin(np.abs(w)))
    zero_note = (
        f"a diamond of the same size gives w = ({lasso_w[0]:.3f}, {lasso_w[1]:.3f})"
        + (", with an exact 0." if np.any(lasso_w == 0.0) else ".")
    )
    return (
        f"The circle has no corners: both weights shrink smoothly but neither is exactly "
        f"0 (the smaller, w{SUB[j]} = {w[j]:.4g}). For comparison, {zero_note}"
    )


def descent_text(status: DescentStatus) -> str:
    """Step count, decay factor and, when it matters, the stability limit or convergence."""
    state = ""
    if status.unstable:
        state = f" <b>Unstable</b>: η must stay below {status.max_lr:.3g}."
    elif status.converged:
        state = " Converged."
    return f"step {status.steps} · decay factor 1 − ηλ/m = {status.decay_factor:.4f}{state}"


def zero_marks(zero_alphas: np.ndarray) -> list[tuple[float, str]]:
    """The Lasso paths' marks [(α, label)]: each weight's zero before the last, and "all 0"."""
    top = float(zero_alphas.max())
    marks = [(a, f"w{SUB[j]} = 0 →") for j, a in enumerate(zero_alphas) if 0 < a < top]
    if top > 0:
        marks.append((top, "all 0 →"))
    return marks
