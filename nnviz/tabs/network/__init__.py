"""The Network tab: design the network to train, with shapes and mistakes shown at once.

``NetworkTab`` and ``NetworkEditor`` are imported on first use, so that the Qt-free
modules of this package (``state``, ``fields``) can be imported without loading Qt.
"""

from __future__ import annotations

__all__ = ["NetworkEditor", "NetworkTab"]


def __getattr__(name: str):
    if name == "NetworkTab":
        from nnviz.tabs.network.tab import NetworkTab

        return NetworkTab
    if name == "NetworkEditor":
        from nnviz.tabs.network.editor import NetworkEditor

        return NetworkEditor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
