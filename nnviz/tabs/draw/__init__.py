"""The Draw tab: a canvas whose digit the network reads as it is drawn."""

from nnviz.tabs.draw.tab import DrawTab

__all__ = ["DrawTab"]
