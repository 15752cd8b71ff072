"""The "Why?" map as colours, kept without Qt: which ink pushed the network toward its
answer (green, like the answer's bar) and which toward its second guess (blue, like the
runner-up's bar).

:func:`overlay_rgba` turns an :class:`core.saliency.Explanation` into a translucent
(28, 28, 4) RGBA image: the colour says the side, the opacity how strongly (the square
root of |value| / the largest |value|, so weaker pushes stay visible).
"""

from __future__ import annotations

import numpy as np

from core.saliency import Explanation

MAX_ALPHA = 0.85
"""Opacity of the strongest pixel."""


def _rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[k:k + 2], 16) for k in (0, 2, 4)], dtype=np.float64)


def overlay_rgba(explanation: Explanation, answer: str, second: str) -> np.ndarray:
    """(28, 28, 4) uint8 RGBA: ``answer`` colour where a pixel pushed toward the answer,
    ``second`` where toward the runner-up ("#rrggbb"), transparent where neither."""
    values = explanation.values.astype(np.float64)
    strength = np.sqrt(np.abs(values) / explanation.scale())
    rgb = np.where((values >= 0)[..., None], _rgb(answer), _rgb(second))
    alpha = np.clip(strength * MAX_ALPHA, 0.0, 1.0) * 255.0
    return np.concatenate([rgb, alpha[..., None]], axis=-1).round().astype(np.uint8)


def legend_sentence(explanation: Explanation) -> str:
    """One sentence of explanation for the map."""
    return (f"Green ink made it say {explanation.top}; blue ink pulled it toward "
            f"{explanation.second}. Each spot shows how much the gap between the two "
            "scores shrinks when that bit of ink is wiped out.")
