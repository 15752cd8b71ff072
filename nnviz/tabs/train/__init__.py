"""The Train tab: data, hyper-parameters, live curves, what the network gets wrong.

``TrainTab`` is imported on first use, so the Qt-free modules here (``history``,
``report``) load without Qt.
"""

from __future__ import annotations

__all__ = ["TrainTab"]


def __getattr__(name: str):
    if name == "TrainTab":
        from nnviz.tabs.train.tab import TrainTab

        return TrainTab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
