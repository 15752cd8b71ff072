"""The timeline's state: one run's checkpoints, and which one the views show. Qt-free.

The scrubber has one position per kept checkpoint (0 = the run's starting weights) and,
at its right end, "now": the weights of the session as they are (live while a run
trains). Positions, not steps, are evenly spaced, so the dense checkpoints of the first
steps (1, 2, 5, 10, 20, 50 …) get as much room as the epoch ends.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.runs import Checkpoint

__all__ = ["Timeline", "checkpoint_text"]


def checkpoint_text(checkpoint: Checkpoint) -> str:
    """ "step 200 (epoch 0.62)", "end of epoch 3 (step 120)", "the starting weights (step 0)"."""
    if checkpoint.kind == "start":
        return "the starting weights (step 0)"
    if checkpoint.kind == "epoch":
        return f"end of epoch {round(checkpoint.position)} (step {checkpoint.step:,})"
    where = "the run's end: step" if checkpoint.kind == "end" else "step"
    return f"{where} {checkpoint.step:,} (epoch {checkpoint.position:.2f})"


class Timeline:
    """The checkpoints of run ``run_id`` (named ``name``) and the chosen position:
    ``index`` None is "now", else the checkpoint ``checkpoints[index]``."""

    def __init__(self) -> None:
        self.run_id: str | None = None
        self.name = ""
        self.checkpoints: list[Checkpoint] = []
        self.index: int | None = None

    def show_run(self, run_id: str | None, name: str, checkpoints: Sequence[Checkpoint]) -> None:
        """Follow another run, back at "now"."""
        self.run_id, self.name = run_id, name
        self.checkpoints = list(checkpoints)
        self.index = None

    def update(self, checkpoints: Sequence[Checkpoint]) -> None:
        """New checkpoints of the same run (it trains on, or thinned some out): the chosen
        step stays chosen while it is kept, else the nearest kept one is."""
        step = self.step
        self.checkpoints = list(checkpoints)
        if step is None:
            return
        if not self.checkpoints:
            self.index = None
            return
        self.index = min(range(len(self.checkpoints)),
                         key=lambda i: (abs(self.checkpoints[i].step - step), i))

    # -- positions --------------------------------------------------------------------
    @property
    def positions(self) -> int:
        """How many places the scrubber has: every checkpoint, and "now"."""
        return len(self.checkpoints) + 1

    def position(self) -> int:
        """The scrubber's place of the chosen checkpoint ("now" is the last)."""
        return len(self.checkpoints) if self.index is None else self.index

    def choose(self, position: int) -> Checkpoint | None:
        """Go to scrubber place ``position``: the checkpoint there, or None for "now"."""
        position = max(0, min(int(position), len(self.checkpoints)))
        self.index = None if position == len(self.checkpoints) else position
        return self.checkpoint

    def now(self) -> None:
        self.index = None

    # -- what is chosen ---------------------------------------------------------------
    @property
    def scrubbing(self) -> bool:
        """Whether a checkpoint (not "now") is chosen."""
        return self.index is not None

    @property
    def checkpoint(self) -> Checkpoint | None:
        return None if self.index is None else self.checkpoints[self.index]

    @property
    def step(self) -> int | None:
        return None if self.index is None else self.checkpoints[self.index].step

    def text(self) -> str:
        """What the views show, in words."""
        if self.run_id is None:
            return "no run kept yet: every run you start is kept here"
        if self.index is None:
            return f"now · {len(self.checkpoints)} checkpoints of “{self.name}”"
        return f"{checkpoint_text(self.checkpoints[self.index])} of “{self.name}”"
