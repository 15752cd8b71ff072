"""What the runs panel shows: one row of cells per kept run, the ticked runs and their
colours, and the "what differs" rows. Qt-free.

Rows (:func:`run_cells`) hold, per column of :data:`COLUMNS`, the text shown and a sort key
(numbers sort as numbers, an unmeasured figure sorts first). Settings are named by their
dotted paths, the ones :meth:`nnviz.settings.TrainingSettings.get` takes (``"lr"``,
``"augmentation.rotation_range"``), and labelled by :func:`setting_label`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.runs import CheckpointWeights, Run, RunFileError, differences
from core.runs.compare import flatten, same
from nnviz.numbers import format_number
from nnviz.settings import RANGES, TrainingSettings

__all__ = ["COLUMNS", "HEADERS", "RESULT_TIPS", "Cell", "Ticks", "difference_rows",
           "kernel_sums", "network_name", "result_rows", "run_cells", "setting_label",
           "settings_summary", "shown_value"]

COLUMNS = ("name", "best", "zeros", "penalty", "epochs", "optimizer", "network", "data",
           "date")
"""The outcomes a comparison looks at first, then what made the runs differ."""
HEADERS = {"name": "Name", "date": "Started", "data": "Data", "network": "Network",
           "optimizer": "Optimizer", "penalty": "L1 / L2", "epochs": "Epochs",
           "best": "Best val.", "zeros": "Zeros"}
HEADER_TIPS = {
    "name": "The run's name: double-click to change it. Tick a run to draw its curves.",
    "date": "When the run started.",
    "data": "The data set it trained on, and how many digits trained / validated.",
    "network": "The network (its layers and weights in the tooltip).",
    "optimizer": "The optimizer and its learning rate.",
    "penalty": "The L1 and L2 strengths α of the penalty α·Σ|w| and α·Σw².",
    "epochs": "Epochs trained, of those asked for.",
    "best": "The best validation accuracy at an epoch end.",
    "zeros": "The share of kernel weights that are exactly 0 at the last epoch end.",
}

_LABELS = {
    "optimizer": "optimizer", "nesterov": "Nesterov momentum",
    "use_personal_digits": "my drawings mixed in", "start": "starting weights",
    "dataset.name": "data set", "dataset.source": "data from",
    "dataset.train": "digits trained on", "dataset.validation": "digits validated on",
    "dataset.test": "test digits",
    "augmentation.width_shift_range": "horizontal shift",
    "augmentation.featurewise_center": "featurewise centre",
    "augmentation.featurewise_std_normalization": "featurewise std normalisation",
}
_STATES = {"recording": "recording (or interrupted)", "finished": "finished",
           "stopped": "stopped", "failed": "failed"}


def setting_label(path: str) -> str:
    """What a user calls the setting (or run property) at dotted ``path``: ``"lr"`` ->
    "learning rate", ``"augmentation.horizontal_flip"`` -> "horizontal flip"."""
    if path in _LABELS:
        return _LABELS[path]
    if path in RANGES:
        return RANGES[path][0]
    return path.rpartition(".")[2].replace("_", " ")


def shown_value(value: object) -> str:
    """A setting's value as a table shows it ("—" for a value a run does not have)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return format_number(value) if math.isfinite(value) else str(value)
    if isinstance(value, tuple | list):
        return "(" + ", ".join(shown_value(v) for v in value) + ")"
    return str(value)


def _percent(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{100 * value:.1f} %"


def network_name(architecture: Mapping) -> str:
    """The network as people call it: "tutorial CNN", else its name with spaces."""
    name = str(architecture.get("name") or "network")
    return "tutorial CNN" if name == "tutorial_cnn" else name.replace("_", " ")


def penalty_text(settings: Mapping) -> str:
    """ "none", "L1 0.003", "L2 0.001" or "L1 1e-4, L2 0.001"."""
    parts = [f"{key.upper()} {format_number(float(settings.get(key) or 0))}"
             for key in ("l1", "l2") if settings.get(key)]
    return ", ".join(parts) or "none"


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, the key it sorts by, and its tooltip."""

    text: str
    key: object
    tip: str = ""


def run_cells(run: Run) -> dict[str, Cell]:
    """The cells of ``run``'s row, by column (:data:`COLUMNS`)."""
    s = run.settings
    layers = run.architecture.get("layers", [])
    started = run.started_at
    lr = s.get("lr")
    optimizer = str(s.get("optimizer", "?"))
    where = f"{run.dataset.train:,} trained on, {run.dataset.validation:,} validated on"
    best, zeros = run.best_val_accuracy, run.zero_share
    epochs_asked = s.get("epochs")
    start = run.start.describe()
    if isinstance(run.start, CheckpointWeights):
        start = f"continued from step {run.start.step:,} of run {run.start.run}"
    name_tip = (f"{run.name}\nStarted from {start}; {_STATES.get(run.state, run.state)} "
                f"after {run.steps:,} steps ({run.duration:.0f} s).\nRun {run.id}")
    layer_list = ", ".join(spec.get("class_name", "?") for spec in layers)
    return {
        "name": Cell(run.name, run.name.casefold(), name_tip),
        "date": Cell(started.strftime("%d %b %H:%M"), run.started,
                     started.strftime("%Y-%m-%d %H:%M:%S")),
        "data": Cell(run.dataset.name, (run.dataset.name, run.dataset.train), where),
        "network": Cell(network_name(run.architecture), (network_name(run.architecture),
                                                          run.params),
                        f"{len(layers)} layers, {run.params:,} weights: {layer_list}"),
        "optimizer": Cell(f"{optimizer.upper() if optimizer == 'sgd' else optimizer.title()}"
                          f" lr {format_number(float(lr))}" if lr is not None else optimizer,
                          (optimizer, lr or 0.0)),
        "penalty": Cell(penalty_text(s), (float(s.get("l1") or 0), float(s.get("l2") or 0))),
        "epochs": Cell(f"{run.epochs_done}" + (f" / {epochs_asked}" if epochs_asked else ""),
                       run.epochs_done, _STATES.get(run.state, run.state)),
        "best": Cell(_percent(best), -1.0 if best is None else best,
                     f"at epoch {run.figures.get('best_epoch')}" if best is not None else
                     "no epoch has ended with a validation yet"),
        "zeros": Cell(_percent(zeros), -1.0 if zeros is None else zeros),
    }


def settings_summary(settings: Mapping, limit: int = 3) -> str:
    """The settings that differ from the tutorial's, in a few words ("L1 0.003, epochs 3"),
    for a run's default name; "tutorial settings" when none does."""
    reference = flatten(asdict(TrainingSettings()))
    given = flatten(dict(settings))
    changed = [key for key in given if key in reference and not same(given[key],
                                                                     reference[key])]
    first = [key for key in ("l1", "l2") if key in changed]  # what a lesson varies first
    changed = first + [key for key in changed if key not in first]
    words = [f"{key.upper()} {shown_value(given[key])}" if key in ("l1", "l2")
             else f"{setting_label(key)} {shown_value(given[key])}" for key in changed]
    if not words:
        return "tutorial settings"
    return ", ".join(words[:limit]) + (", …" if len(words) > limit else "")


def difference_rows(runs: Sequence[Run]) -> list[tuple[str, str, list[str]]]:
    """What differs between ``runs`` (setting, data set, starting weights, network):
    (key, label, [value shown for each run]); [] for fewer than two runs."""
    if len(runs) < 2:
        return []
    rows = []
    for key, values in differences(runs).items():
        label = setting_label(key) if "." not in key or key.startswith(
            ("dataset.", "augmentation.")) else key
        rows.append((key, label[:1].upper() + label[1:], [shown_value(v) for v in values]))
    return rows


def kernel_sums(run: Run) -> tuple[float, float] | None:
    """Σ|w| and Σw² over the kernels of ``run``'s last checkpoint (what L1 and L2 add to
    the loss, times α), or None when it has none that can be read."""
    checkpoints = run.checkpoints()
    if not checkpoints:
        return None
    try:
        weights = run.load_checkpoint(checkpoints[-1].step)
    except RunFileError:
        return None
    kernels = [weights[f"{name}.W"].astype(np.float64) for name in run.zero_layers
               if f"{name}.W" in weights]
    return (float(sum(np.abs(w).sum() for w in kernels)),
            float(sum(np.square(w).sum() for w in kernels)))


RESULT_TIPS = {
    "best_val_accuracy": "The best validation accuracy at an epoch end.",
    "val_loss": "The validation loss at the last epoch end (lower is better).",
    "zero_share": "The share of kernel weights that are exactly 0 at the last epoch end: "
                  "L1 makes many, L2 none.",
    "sum_abs": "Σ|w| over the kernel weights at the run's last checkpoint: what the L1 "
               "penalty α·Σ|w| adds to the loss, divided by α.",
    "sum_squares": "Σw² over the kernel weights at the run's last checkpoint: what the L2 "
                   "penalty α·Σw² adds to the loss, divided by α. L2 keeps it small.",
    "trained": "Epochs the run trained.",
}
"""What each row of :func:`result_rows` means, for its tooltip."""


def result_rows(runs: Sequence[Run]) -> list[tuple[str, str, list[str]]]:
    """What came out of each run: its best validation accuracy, last validation loss,
    share of exact zeros, Σ|w| and Σw² of its kernels at its last checkpoint and epochs
    trained: (key, label, [text per run])."""
    def figure(run: Run, name: str) -> float | None:
        return run.figures.get(name)

    sums_of = [kernel_sums(run) for run in runs]

    return [
        ("best_val_accuracy", "Best val. accuracy",
         [_percent(run.best_val_accuracy) for run in runs]),
        ("val_loss", "Last validation loss",
         [f"{figure(run, 'val_loss'):.3g}" if figure(run, "val_loss") is not None
          else "–" for run in runs]),
        ("zero_share", "Exact zeros", [_percent(run.zero_share) for run in runs]),
        ("sum_abs", "Σ|w| (L1 adds α·Σ|w|)",
         [f"{sums[0]:,.0f}" if sums else "–" for sums in sums_of]),
        ("sum_squares", "Σw² (L2 adds α·Σw²)",
         [f"{sums[1]:,.1f}" if sums else "–" for sums in sums_of]),
        ("trained", "Epochs trained", [str(run.epochs_done) for run in runs]),
    ]


class Ticks:
    """The ticked runs, in the order they were ticked, each with a colour number that
    stays the same while it is ticked (the lowest number no other ticked run has)."""

    def __init__(self) -> None:
        self._colors: dict[str, int] = {}

    def set(self, run_id: str, on: bool) -> bool:
        """Tick or untick ``run_id``; True when that changed anything."""
        if on == (run_id in self._colors):
            return False
        if on:
            taken = set(self._colors.values())
            self._colors[run_id] = next(i for i in range(len(taken) + 1) if i not in taken)
        else:
            del self._colors[run_id]
        return True

    def __contains__(self, run_id: object) -> bool:
        return run_id in self._colors

    def ids(self) -> list[str]:
        """The ticked run ids, in ticking order."""
        return list(self._colors)

    def color(self, run_id: str) -> int:
        """The colour number of a ticked run (KeyError for one not ticked)."""
        return self._colors[run_id]

    def keep_only(self, run_ids: Sequence[str]) -> bool:
        """Untick every run not in ``run_ids`` (deleted ones); True when any was."""
        gone = [run_id for run_id in self._colors if run_id not in set(run_ids)]
        for run_id in gone:
            del self._colors[run_id]
        return bool(gone)
