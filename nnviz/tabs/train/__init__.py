"""The Train tab: data, hyper-parameters, live curves, what the network gets wrong."""

from nnviz.tabs.train.tab import TrainTab

__all__ = ["TrainTab"]
