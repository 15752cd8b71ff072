"""Whether the Train tab may start, as the Network tab sees the network (Qt-free).

The Network tab checks the network being designed before anything runs. When it cannot
be built, Start and Step stay off and a line under them says why; when it holds valid
changes that were not built yet, Start becomes "Build and start": it builds them (fresh
weights from the editor's seed) and then trains the new network, so that what runs is
always what the editor shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nnviz.theme import NETWORK

__all__ = ["NetworkGate"]


@dataclass(frozen=True)
class NetworkGate:
    """``problem``: why the network cannot be built ("" when it can); ``build_first``:
    builds the unbuilt changes of network ``name`` (weights from ``seed``) and returns
    whether it did, or None when there are none."""

    problem: str = ""
    build_first: Callable[[], bool] | None = None
    name: str = ""
    seed: int = 0

    def blocks(self) -> bool:
        return bool(self.problem)

    def builds_first(self, running: bool) -> bool:
        return self.build_first is not None and not running and not self.problem

    def start_label(self, running: bool) -> str:
        return "Build and start" if self.builds_first(running) else "Start"

    def line(self, running: bool) -> tuple[str, str]:
        """The line under Start and its colour ("" when there is nothing to say)."""
        if self.problem and not running:
            return f"⚠ {self.problem}", NETWORK.problem
        if self.builds_first(running):
            return (f"The Network tab has unbuilt changes: Start builds “{self.name}” first, "
                    f"with fresh weights (seed {self.seed}), then trains it. To keep training "
                    "the current weights instead, click Current network there.",
                    NETWORK.pending)
        return "", NETWORK.muted

    def ready(self) -> bool:
        """Whether a run may start now: nothing blocks it, and unbuilt changes got built."""
        if self.problem:
            return False
        return self.build_first is None or bool(self.build_first())
