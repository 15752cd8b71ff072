"""The Loss tab: cross-entropy, softmax and a 2-layer network from scratch."""

from nnviz.tabs.loss.tab import LossTab

__all__ = ["LossTab"]
