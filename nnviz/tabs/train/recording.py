"""Keeping a run the Train tab starts: what is recorded with it, and a clear line when it
cannot be kept. Qt-free.

Every run is recorded with its network (the model's config), every training setting (the
:class:`~nnviz.settings.TrainingSettings` as a dict of dotted paths), the data set and
its split, and the weights it started from; its name says what differs from the
tutorial's settings ("L1 0.003"), and can be changed in the runs panel. Training never
waits for the recording: a run that cannot be kept trains all the same.
"""

from __future__ import annotations

from dataclasses import asdict

from core.data import Dataset
from core.model import Sequential
from core.runs import DatasetInfo, RunFileError, RunHistory, RunRecorder, StartWeights
from nnviz.settings import TrainingSettings
from nnviz.tabs.train.runs_state import settings_summary

__all__ = ["begin_recording", "run_name"]


def run_name(settings: TrainingSettings, start: StartWeights) -> str:
    """A run's first name: the settings away from the tutorial's, and where it started
    when it continues another run ("L1 0.003 · from step 200")."""
    name = settings_summary(asdict(settings))
    step = getattr(start, "step", None)
    return f"{name} · from step {step:,}" if step is not None else name


def begin_recording(store: RunHistory, model: Sequential, dataset: Dataset,
                    settings: TrainingSettings, start: StartWeights,
                    ) -> tuple[RunRecorder | None, str]:
    """Start keeping a run of ``model`` (built, about to train): (its recorder, "") or
    (None, why it cannot be kept) when the runs folder cannot be written."""
    try:
        recorder = store.record(model, dataset=DatasetInfo.of(dataset, settings.validation_split),
                                settings=asdict(settings), start=start,
                                name=run_name(settings, start))
    except (RunFileError, ValueError, TypeError, OSError) as error:
        return None, f"This run trains but is not kept: {error}"
    return recorder, ""
