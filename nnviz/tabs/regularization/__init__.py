"""The Regularization tab: L1's diamond and L2's circle against the loss contours.

The tab class is imported on first use, so that the Qt-free lab
(:mod:`nnviz.tabs.regularization.lab`) can be imported without loading Qt.
"""

from __future__ import annotations

__all__ = ["RegularizationTab"]


def __getattr__(name: str):
    if name == "RegularizationTab":
        from nnviz.tabs.regularization.tab import RegularizationTab

        return RegularizationTab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
