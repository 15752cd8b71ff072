"""What the Train tab says about the L1/L2 penalty: the share of exact zeros, and when the
penalty is so strong that the network cannot learn. Qt-free.

The warning's rule, in the loss's own units (the penalty is l1·Σ|w| + l2·Σw², not divided
by the batch size; the data loss is the mean cross-entropy per sample):

* a network that only guesses (the same probability for each of K classes) has the data
  loss ln K (2.30 for ten digits): no training can lower the data loss by more than that.
  A penalty many times ln K therefore outweighs anything fitting the data could gain, and
  gradient descent mostly shrinks the weights. Warn as soon as the penalty of a batch
  exceeds :data:`PENALTY_FACTOR` · ln K;
* or when it has already happened: with a penalty on, the data loss of the last
  :data:`FLAT_BATCHES` batches averages at least :data:`GUESSING_SHARE` · ln K — the
  network is no better than guessing, and the penalty keeps it there.

Measured on the shipped sample: from fresh weights L1 = 0.01 starts at a penalty of 15 and
its data loss never leaves 2.29–2.30 (the second rule fires at batch 30; the run ends at
9.9 % validation accuracy), while L1 = 0.005 leaves the guessing level within the first 30
batches (mean 2.08) and learns. From the pre-trained weights the same L1 = 0.01 starts at a
penalty of 34 and still learns (93 %), so a large starting penalty alone says little: the
first rule is kept for the absurd (a mistyped L1 = 1 starts at 1,500–3,400).
"""

from __future__ import annotations

import math

import numpy as np

from nnviz.settings import SUGGESTED_L1
from nnviz.tabs.train.history import RunHistory

__all__ = ["FLAT_BATCHES", "GUESSING_SHARE", "PENALTY_FACTOR", "SUGGESTED_L1",
           "penalty_warning", "zero_share", "zero_share_text"]

PENALTY_FACTOR = 50.0
FLAT_BATCHES = 30
GUESSING_SHARE = 0.97


def penalty_warning(history: RunHistory, n_classes: int) -> str:
    """One line saying why training cannot learn under this penalty ("" when it can).

    Looks at the batches of ``history`` (see the module docstring for the rule).
    """
    b = history.batches
    if b.n == 0 or n_classes < 2:
        return ""
    guessing = math.log(n_classes)
    penalty = float(b["penalty"][-1])
    if math.isfinite(penalty) and penalty > PENALTY_FACTOR * guessing:
        return (f"The penalty ({penalty:,.3g}) is {penalty / guessing:,.0f} times the loss of "
                f"guessing (ln {n_classes} = {guessing:.2f}): fitting the digits cannot win "
                f"against it, so training only shrinks the weights. Lower L1 / L2 "
                f"(try L1 = {SUGGESTED_L1:g}).")
    if b.n < FLAT_BATCHES:
        return ""
    recent = slice(b.n - FLAT_BATCHES, b.n)
    penalties = b["penalty"][recent]
    data = b["data_loss"][recent]
    data = data[np.isfinite(data)]
    if not np.all(penalties > 0) or data.size == 0:
        return ""
    mean = float(data.mean())
    if mean >= GUESSING_SHARE * guessing:
        return (f"The data loss stays at {mean:.2f}, no better than guessing (ln {n_classes} = "
                f"{guessing:.2f}): the penalty holds every weight near zero. Lower L1 / L2 "
                f"(try L1 = {SUGGESTED_L1:g}).")
    return ""


def zero_share(fractions: dict[str, float], sizes: dict[str, int]) -> float | None:
    """The share of exact zeros over all kernels, from each layer's share and size (layers
    missing from either dict are left out); None when there are none."""
    names = [name for name in fractions if sizes.get(name)]
    total = sum(sizes[name] for name in names)
    if total == 0:
        return None
    return sum(fractions[name] * sizes[name] for name in names) / total


def zero_share_text(fractions: dict[str, float], sizes: dict[str, int]) -> tuple[str, str]:
    """The readout "exact zeros: 12.3 %" and its tooltip listing every layer."""
    share = zero_share(fractions, sizes)
    if share is None:
        return "exact zeros: –", ""
    layers = "\n".join(f"{name}: {100 * fractions[name]:.1f} % of {sizes[name]:,}"
                       for name in fractions
                       if sizes.get(name))
    tip = ("Share of the kernel weights that are exactly 0 — the weights L1 has switched "
           f"off:\n{layers}")
    return f"exact zeros: {100 * share:.1f} %", tip
