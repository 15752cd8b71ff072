"""Every training run kept: settings, network, curves and a timeline of checkpoints.

The runs live in the user's data folder (``$NNVIZ_USER_DIR``, else
``$XDG_DATA_HOME/nnviz``, else ``~/.local/share/nnviz``), in ``runs/``, one folder a
run, written atomically and without pickles (JSON and ``.npz``): see
:mod:`core.runs.history` for the layout, :mod:`core.runs.run` for ``run.json``,
:mod:`core.runs.curves` for the metrics and :mod:`core.runs.timeline` for which
checkpoints are kept (default budget 50 MB a run) and which are thinned out first.

Recording, from the thread that trains::

    history = RunHistory()
    recorder = history.record(model, dataset=DatasetInfo.of(data, 0.2),
                              settings=asdict(settings), start=FreshWeights(seed=0))
    trainer = Trainer(model, x, y, on_batch_end=recorder.on_batch_end,
                      on_epoch_end=recorder.on_epoch_end,
                      on_state_change=recorder.on_state_change)
    trainer.run()            # stopped / finished -> recorder.finish(state)

Reading: ``history.runs()`` (newest first, from the small ``run.json`` files only),
``history.get(id).epochs["val_accuracy"]``, ``run.checkpoints()``,
``run.load_checkpoint(step)``, ``history.differences(ids)``; deleting goes to a trash
(``delete`` / ``restore`` / ``empty_trash``).
"""

from core.runs.compare import architecture_changes, differences
from core.runs.curves import BATCH_FIELDS, EPOCH_FIELDS, Curves
from core.runs.files import RunFileError
from core.runs.history import RunHistory, RunNotFound, new_run_id
from core.runs.record import RunRecorder
from core.runs.run import (
    STATES,
    CheckpointError,
    CheckpointWeights,
    CurrentWeights,
    DatasetInfo,
    FreshWeights,
    Run,
    StartWeights,
)
from core.runs.timeline import DEFAULT_BUDGET, Checkpoint, thin

__all__ = [
    "BATCH_FIELDS", "DEFAULT_BUDGET", "EPOCH_FIELDS", "STATES", "Checkpoint",
    "CheckpointError", "CheckpointWeights", "CurrentWeights", "Curves", "DatasetInfo",
    "FreshWeights", "Run", "RunFileError", "RunHistory", "RunNotFound", "RunRecorder",
    "StartWeights", "architecture_changes", "differences", "new_run_id", "thin",
]
