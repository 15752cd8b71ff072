"""The Inside tab: filters, feature maps, explanations and statistics of every layer."""

from nnviz.tabs.inside.tab import InsideTab

__all__ = ["InsideTab"]
