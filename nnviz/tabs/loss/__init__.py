"""The Loss tab: cross-entropy, softmax and a 2-layer network from scratch.

The tab class is imported on first use, so that the Qt-free modules
(:mod:`nnviz.tabs.loss.math`, :mod:`nnviz.tabs.loss.scratch_run`) load without Qt.
"""

from __future__ import annotations

__all__ = ["LossTab"]


def __getattr__(name: str):
    if name == "LossTab":
        from nnviz.tabs.loss.tab import LossTab

        return LossTab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
