"""Words for the "Why?" map, and its colours (kept without Qt).

The map itself is :func:`core.saliency.explain`; :func:`overlay` colours it with the Draw
tab's colours: green where ink pushed the network toward its answer (like the answer's
bar), blue where toward its second guess (like the runner-up's bar).
"""

from __future__ import annotations

import numpy as np

from core.saliency import Explanation, overlay_rgba


def rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) of a "#rrggbb" colour."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def overlay(explanation: Explanation, answer: str, second: str) -> np.ndarray:
    """(28, 28, 4) uint8 RGBA of the map in the colours ``answer`` and ``second``."""
    return overlay_rgba(explanation, rgb(answer), rgb(second))


def legend_sentence(explanation: Explanation) -> str:
    """One sentence of explanation for the map."""
    return (f"Green ink made it say {explanation.top}; blue ink pulled it toward "
            f"{explanation.second}. Each spot shows how much the gap between the two "
            "scores shrinks when that bit of ink is wiped out.")
