"""The Train tab's runs: every run recorded, the runs panel, ticked runs drawn over the
live curves, and which weights a run starts from.

:class:`RunActions` is mixed into :class:`nnviz.tabs.train.tab.TrainTab` (it uses the
tab's ``session``, ``controller``, ``history``, ``curves``, ``results``, its signals and
``_replace_weights``). The tab calls :meth:`RunActions._start_weights` before it builds a
trainer and :meth:`RunActions._record_run` once it has one; everything else happens in
slots connected here.

Recording runs on the training thread (the worker calls the recorder); the UI thread only
lists runs and updates the row of the run that trains at each epoch end.
"""

from __future__ import annotations

from contextlib import contextmanager

from PyQt6.QtWidgets import QHBoxLayout, QTabWidget, QWidget

from core.model import Sequential
from core.runs import (
    CheckpointError,
    CheckpointWeights,
    CurrentWeights,
    FreshWeights,
    Run,
    RunFileError,
    RunNotFound,
    RunRecorder,
    StartWeights,
)
from core.runs import RunHistory as RunStore
from nnviz.settings import TrainingSettings
from nnviz.tabs.train.overlay import OverlayRun, RunOverlay
from nnviz.tabs.train.recording import begin_recording
from nnviz.tabs.train.runs_panel import RunsPanel
from nnviz.tabs.train.start_box import build_start_from, show_start_choices
from nnviz.tabs.train.start_from import (
    CHECKPOINT,
    FRESH,
    Lineage,
    compiled,
    default_choice,
    fresh_model,
    fresh_origin,
)

__all__ = ["RunActions"]

RESULTS_TAB, RUNS_TAB = 0, 1


class RunActions:
    """Runs for the Train tab: recording, the panel (``runs_panel``), the overlay
    (``overlay``) and the "Start from" choice (``start_from_combo``, ``start_seed_spin``)."""

    # -- building (called by the tab) -------------------------------------------------
    def _init_runs(self, store: RunStore | None) -> None:
        self.runs = store if store is not None else RunStore()
        """The kept runs (:class:`core.runs.RunHistory`, the user's data folder)."""
        self.recorder: RunRecorder | None = None
        """The recorder of the run in progress, or None."""
        self.recording_enabled = True
        """Whether runs are kept (benchmarks turn it off to measure its cost)."""
        self._lineage: Lineage | None = None
        self._live_runs: dict[str, float] = {}  # runs the live curves show -> their x start
        self._timeline_checkpoint: tuple[str, int, str] | None = None
        self._keep_start_choice = False

    def _build_runs_pane(self, results: QWidget) -> QTabWidget:
        """The pane below the curves: the last epoch's results, and the runs."""
        self.runs_panel = RunsPanel(self.runs)
        self.runs_panel.forget_deleted()  # runs deleted in an earlier session go for good
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.setObjectName("trainBottomTabs")
        self.bottom_tabs.setDocumentMode(True)
        self.bottom_tabs.addTab(results, "Last epoch: confusion and mistakes")
        self.bottom_tabs.addTab(self.runs_panel, "")
        self.bottom_tabs.setTabToolTip(RUNS_TAB, "Every run kept: tick runs to draw their "
                                       "curves here and see what differs between them.")
        self._show_run_count()
        return self.bottom_tabs

    def _build_start_from(self, run_bar: QWidget) -> None:
        """Put "from [choice] [seed]" right after the Start button."""
        layout = run_bar.layout()
        if isinstance(layout, QHBoxLayout):
            layout.insertWidget(layout.indexOf(self.start_button) + 1,
                                build_start_from(self))
        self.start_button.setToolTip("Train with these settings, from the weights chosen "
                                     "beside (the run is kept, see Runs below).")
        self.start_from_combo.setCurrentIndex(self.start_from_combo.findData(
            default_choice(self.session.is_pretrained())))
        self._show_start_choices()

    def _connect_runs(self) -> None:
        self.overlay = RunOverlay(self.curves)
        panel = self.runs_panel
        panel.tickedChanged.connect(self._show_overlays)
        panel.loadRequested.connect(self.load_run)
        panel.runsChanged.connect(self._show_run_count)
        panel.statusMessageChanged.connect(self.statusMessageChanged)
        panel.errorOccurred.connect(self.errorOccurred)
        c = self.controller
        c.epochFinished.connect(self._on_recorded_epoch)
        c.runFinished.connect(self._on_recorded_run_finished)
        c.recordingProblem.connect(self._on_recording_problem)
        self.session.modelChanged.connect(self._on_model_changed_for_start)
        self.session.weightsChanged.connect(self._show_start_choices)

    # -- where a run starts -----------------------------------------------------------
    def start_choice(self) -> str:
        """"fresh", "current" or "checkpoint": what the next Start starts from."""
        return self.start_from_combo.currentData()

    def set_start_choice(self, choice: str, seed: int | None = None) -> None:
        """Choose what the next Start starts from (and the seed of fresh weights)."""
        self.start_from_combo.setCurrentIndex(self.start_from_combo.findData(choice))
        if seed is not None:
            self.start_seed_spin.setValue(seed)

    def _show_start_choices(self) -> None:
        checkpoint = None
        if self._timeline_checkpoint is not None:
            _, step, name = self._timeline_checkpoint
            checkpoint = f"the timeline's checkpoint: step {step:,} of “{name}”"
        show_start_choices(self, self.session.is_pretrained(), checkpoint)

    def _on_model_changed_for_start(self) -> None:
        if not self._keep_start_choice:
            self.set_start_choice(default_choice(self.session.is_pretrained()))
        self._show_start_choices()

    def _start_weights(self) -> tuple[StartWeights | None, bool]:
        """Put the chosen starting weights in place: (what the run starts from, whether
        the model was replaced); (None, False) with a message when they cannot be had."""
        choice = self.start_choice()
        session = self.session
        if choice == FRESH:
            seed = self.start_seed_spin.value()
            model = fresh_model(session.model, seed)
            self._swap_model(model, fresh_origin(model, seed))
            return FreshWeights(seed), True
        if choice == CHECKPOINT and self._timeline_checkpoint is not None:
            run_id, step, name = self._timeline_checkpoint
            model = self._checkpoint_model(run_id, step, "Cannot start from this checkpoint")
            if model is None:
                return None, False
            self._swap_model(model, f"step {step:,} of the run “{name}”")
            return CheckpointWeights(run_id, step), True
        description = session.model_description() or "the current weights"
        if self._lineage is not None:
            return self._lineage.start(session.model, description), False
        return CurrentWeights(description), False

    def _checkpoint_model(self, run_id: str, step: int | None, title: str) -> Sequential | None:
        try:
            return compiled(self.runs.get(run_id).model(step))
        except (RunNotFound, RunFileError, CheckpointError, ValueError) as error:
            self.errorOccurred.emit(title, f"{error}\n\nThe current model is unchanged.")
            return None

    @contextmanager
    def start_choice_kept(self):
        """Within this block a new model does not change what "Start from" says (a run
        starting swaps in its fresh weights, or rebuilds the network with dropout)."""
        kept, self._keep_start_choice = self._keep_start_choice, True
        try:
            yield
        finally:
            self._keep_start_choice = kept

    def _swap_model(self, model: Sequential, origin: str) -> bool:
        """Use ``model`` from now on, undoably (the curves and results are put aside)."""
        def replace() -> None:
            self.session.remember_for_undo()
            self.session.replace_model(model, origin)

        return self._replace_weights(replace)

    def continue_from(self, run_id: str, step: int, name: str = "") -> bool:
        """Start a new run from checkpoint ``step`` of run ``run_id`` (with the settings
        the controls show); the new run records that run and step as its parent."""
        if self.controller.is_running:
            return False
        self.set_timeline_checkpoint(run_id, step, name or self.runs.get(run_id).name)
        self.set_start_choice(CHECKPOINT)
        self.start()
        return self.controller.is_running

    def set_timeline_checkpoint(self, run_id: str | None, step: int | None = None,
                                name: str = "") -> None:
        """The checkpoint the timeline shows (offered as "Start from"), or None."""
        self._timeline_checkpoint = None if run_id is None or step is None \
            else (run_id, int(step), name)
        self._show_start_choices()

    # -- recording --------------------------------------------------------------------
    def _record_run(self, settings: TrainingSettings, start: StartWeights) -> RunRecorder | None:
        """Start keeping the run about to train the session's model (None when runs are
        not kept, or cannot be: the status line says why)."""
        if not self.recording_enabled:
            return None
        recorder, problem = begin_recording(self.runs, self.session.model,
                                            self.session.dataset, settings, start)
        if problem:
            self.statusMessageChanged.emit(problem)
        return recorder

    def _on_run_recorded(self, recorder: RunRecorder | None) -> None:
        """The run started (its recorder, or None when it is not kept)."""
        self.recorder = recorder
        self._lineage = None
        if recorder is None:
            return
        if self.history.batches.n == 0:  # the live curves were cleared: only this run
            self._live_runs.clear()
        self._live_runs[recorder.id] = float(self.history.run_start)
        self.runs_panel.set_recording(recorder.id)
        self._show_overlays()
        self.runRecorded.emit(recorder.id)

    def _on_recorded_epoch(self, *_args) -> None:
        recorder = self.recorder
        if recorder is not None:
            self.runs_panel.refresh_run(recorder.id, Run(recorder.folder, recorder.meta()))

    def _on_recorded_run_finished(self) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        self._lineage = Lineage(recorder.id, recorder.step, self.session.model)
        self.runs_panel.set_recording(None)
        self._show_overlays()
        if recorder.problem:
            self.statusMessageChanged.emit(recorder.problem)

    def _on_recording_problem(self, problem: str) -> None:
        self.statusMessageChanged.emit(f"{problem} Training goes on; the next save tries "
                                       "again.")

    # -- the runs drawn ---------------------------------------------------------------
    def _show_overlays(self) -> None:
        """Draw the ticked runs (not the one training: the live curves are it)."""
        recording = self.recorder.id if self.recorder is not None else None
        ticked = self.runs_panel.ticked()
        runs = []
        for run_id in ticked:
            if run_id == recording:
                continue
            try:
                run = self.runs.get(run_id)
                runs.append(OverlayRun(run_id, run.name, self.runs_panel.color(run_id),
                                       run.batches, run.epochs))
            except (RunNotFound, RunFileError) as error:
                self.statusMessageChanged.emit(f"Cannot draw a run: {error}")
        hide_live = recording is None and self.history.batches.n > 0 and any(
            run_id in self._live_runs for run_id in ticked)
        self.overlay.show_runs(runs, live_visible=not hide_live)

    def show_timeline_cursor(self, run_id: str | None, position: float | None,
                             text: str = "") -> None:
        """A line on the curves where checkpoint ``position`` (epochs into run ``run_id``)
        is drawn; None: no line."""
        if run_id is None or position is None:
            self.overlay.set_cursor(None)
            return
        offset = self._live_runs.get(run_id, 0.0) if self.overlay.live_visible() else 0.0
        self.overlay.set_cursor(offset + position, text)

    def _show_run_count(self) -> None:
        self.bottom_tabs.setTabText(RUNS_TAB, f"Runs ({len(self.runs_panel.run_ids())})")

    def show_runs(self) -> None:
        """Bring the runs panel to the front."""
        self.bottom_tabs.setCurrentIndex(RUNS_TAB)

    # -- loading a run ----------------------------------------------------------------
    def load_run(self, run_id: str, step: int | None = None) -> bool:
        """Use run ``run_id``'s network with the weights of checkpoint ``step`` (default:
        the timeline's, when it shows this run, else the run's last)."""
        if self.controller.is_running:
            self.errorOccurred.emit("Training is running",
                                    "Stop training before loading a run's network.")
            return False
        if step is None and self._timeline_checkpoint is not None \
                and self._timeline_checkpoint[0] == run_id:
            step = self._timeline_checkpoint[1]
        model = self._checkpoint_model(run_id, step, "Cannot load this run's network")
        if model is None:
            return False
        run = self.runs.get(run_id)
        step = run.checkpoints()[-1].step if step is None else step
        try:
            self._swap_model(model, f"step {step:,} of the run “{run.name}”")
        except ValueError as error:
            self.errorOccurred.emit("Cannot load this run's network",
                                    f"{error}\n\nThe current model is unchanged.")
            return False
        self.statusMessageChanged.emit(f"Model: {self.session.model_description()} "
                                       "(Training → Undo brings the previous one back).")
        return True

