"""The Draw tab: a canvas whose digit the network reads as it is drawn.

``DrawTab`` is imported on first use, so that the Qt-free ``state`` module of this package
can be imported without loading Qt.
"""

from __future__ import annotations

__all__ = ["DrawTab"]


def __getattr__(name: str):
    if name == "DrawTab":
        from nnviz.tabs.draw.tab import DrawTab

        return DrawTab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
