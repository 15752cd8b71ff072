"""The Inside tab: filters, feature maps, explanations and statistics of every layer.

``InsideTab`` is imported on first use, so that the Qt-free modules of this package
(``state``, ``stages``) can be imported without loading Qt.
"""

from __future__ import annotations

__all__ = ["InsideTab"]


def __getattr__(name: str):
    if name == "InsideTab":
        from nnviz.tabs.inside.tab import InsideTab

        return InsideTab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
