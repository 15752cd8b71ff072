"""The words and numbers of the explanation panel: what is explained, the closing
equation Σ + b = z (checked against the layer's own output) and the activation, batch
normalization step by step, and the sentences for pooling, the input and flatten. Qt-free:
the panel paints these lines; numbers come from an
:class:`~nnviz.tabs.inside.stages.Explanation`.
"""

from __future__ import annotations

import math

import numpy as np

from nnviz.tabs.inside.stages import Explanation, StageKind
from nnviz.tabs.inside.value_text import format_value

Line = tuple[str, bool | None]
"""A line of text and, for a check against the layer's own output, whether it agrees
(None: an ordinary line)."""

HELP = ("Move the mouse over any feature map, unit or probability above.\n\n"
        "A conv pixel is the sum of (input patch × kernel) over every input "
        "channel, plus a bias, passed through the activation. A pooling pixel "
        "is the largest value (or the mean) of its window. A dense unit adds "
        "up all its inputs times their weights.\n\nClick a value to pin it here.")
"""What the panel says before anything is hovered."""


def title(e: Explanation | None) -> str:
    """The panel's first line: the stage and the value explained."""
    if e is None:
        return "Hover a value in the network above"
    return f"{e.stage.name} · {where(e)}"


def where(e: Explanation) -> str:
    """Which value of its stage ``e`` explains: a pixel, a map cell, a unit or a digit."""
    if len(e.index) == 3:
        c, r, k = e.index
        if e.kind is StageKind.INPUT:
            return f"pixel row {r}, col {k}"
        return f"map {c}, row {r}, col {k}"
    if e.stage.activation == "softmax":
        return f"digit {e.index[0]}"
    return f"unit {e.index[0]}"


def check_line(e: Explanation) -> Line:
    """Whether the recomputed z matches the layer's own output."""
    agree = math.isclose(e.total, e.z, rel_tol=1e-4, abs_tol=1e-5)
    return ("✓ same as the layer's own output" if agree
            else f"✗ the layer computed {format_value(e.z)}"), agree


def activation_line(e: Explanation) -> Line:
    """From z to the value shown: the activation (or none)."""
    act = e.stage.activation
    if act == "softmax":
        return f"softmax: p = e^z / Σ e^z over all digits = {100 * e.value:.1f} %", None
    if act and act != "linear":
        return f"{act.replace('_', ' ')}(z) = {format_value(e.value)}   ← the value shown", None
    return f"no activation: the value shown is z = {format_value(e.value)}", None


def equation_lines(e: Explanation) -> list[Line]:
    """The closing lines: Σ + b = z (checked against the layer), then the activation."""
    return [(f"sum {format_value(e.total - e.bias)}  + bias {format_value(e.bias)}  "
             f"=  z = {format_value(e.total)}", None),
            check_line(e),
            activation_line(e)]


def norm_lines(e: Explanation) -> list[Line]:
    """Batch normalization of one value: its channel's running statistics, then the
    learned scale and shift."""
    x, mean, variance, epsilon, gamma, beta = e.norm
    normalised = (x - mean) / math.sqrt(variance + epsilon)
    where_ = f"channel {e.index[0]}" if len(e.index) == 3 else f"feature {e.index[0]}"
    return [
        (f"Normalised with the running mean and variance of {where_}", None),
        ("(training measured them; classifying uses them, so one digit", None),
        ("is read the same in any batch).", None),
        (f"input x = {format_value(x)}   mean = {format_value(mean)}   "
         f"variance = {format_value(variance)}", None),
        (f"(x − mean) / √(variance + {epsilon:g}) = {format_value(normalised)}", None),
        (f"× scale γ {format_value(gamma)} + shift β {format_value(beta)}  =  z = "
         f"{format_value(e.total)}", None),
        check_line(e),
        activation_line(e)]


def pool_text(e: Explanation) -> tuple[str, str]:
    """What a pooling value is (over its window) and the result beside the window."""
    ph, pw = e.window.shape
    padded = bool(np.isnan(e.window).any())
    what = "mean" if e.average else "largest value"
    keeps = ("averages its response" if e.average else "keeps the strongest response")
    edge = " — cells past its edge do not count" if padded else ""
    description = (f"The {what} of a {ph}×{pw} window of map {e.index[0]} in the layer before "
                   f"(outlined there){edge}"
                   f". Pooling has no weights: it {keeps} and shrinks the map.")
    count = int(np.isfinite(e.window).sum())
    result = (f"mean = Σ / {count} = {format_value(e.value)}" if e.average
              else f"max = {format_value(e.value)}\n(the orange cell wins)")
    return description, result


def simple_text(e: Explanation) -> str:
    """A value with no arithmetic to show: an input pixel, a flatten unit, anything else."""
    if e.kind is StageKind.INPUT:
        return (f"The input pixel: {e.value:.3f} (0 = black paper, 1 = white ink). "
                "The first conv layer slides its kernels over these pixels.")
    if e.kind is StageKind.FLATTEN:
        src = ", ".join(str(s) for s in e.source)
        return (f"Flatten only reorders: unit {e.index[0]} is the value at "
                f"(map, row, col) = ({src}) of the layer before, "
                f"{format_value(e.value)}. No weights, nothing computed.")
    return f"value {format_value(e.value)} (z = {format_value(e.z)})"
