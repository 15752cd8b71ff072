"""The Regularization tab: L1's diamond and L2's circle against the loss contours."""

from nnviz.tabs.regularization.tab import RegularizationTab

__all__ = ["RegularizationTab"]
