"""What the timeline does in the window: scrubbing a kept run's checkpoints shows their
weights on the Inside and Draw tabs and a cursor on the Train tab's curves.

The views are given a network of the run's own architecture, rebuilt once per run, whose
weights are overwritten in place by each checkpoint (about a millisecond to read one);
the session's model and view model are never touched. So scrubbing is allowed while a run
trains: the trainer goes on with its own weights, the session's view model keeps taking
the snapshots, and only the Inside and Draw tabs stop following them until "Back to now"
(or the scrubber's right end) shows the weights of now again. The checkpoints of the run
that trains come from its recorder (those not yet written from memory). A new run may
start from the checkpoint shown only once nothing trains.

A featurewise-standardised run's network is shown through the session's standardisation
when the session has one (its statistics are not kept with the run).
"""

from __future__ import annotations

import math
import time

from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtWidgets import QMainWindow, QScrollArea

from core.diagnostics import Snapshot, param_stats
from core.model import Sequential
from core.runs import Checkpoint, CheckpointError, RunFileError, RunNotFound
from nnviz.session import StandardizedModel
from nnviz.widgets.timeline import TimelineBar
from nnviz.widgets.timeline_state import Timeline

__all__ = ["TimelineLink", "install_timeline"]

REFRESH_INTERVAL = 1.0
"""Least seconds between two looks at the checkpoints of the run that trains."""


def install_timeline(window: QMainWindow) -> TimelineLink:
    """Put a :class:`TimelineBar` in the row of ``window``'s tab bar (its right corner:
    it costs no height), shown with the Train, Inside and Draw tabs, and link it: returns
    the link (the window's ``timeline``; call after the tabs exist, before the window's
    own wiring)."""
    bar = TimelineBar()
    tabs = window.tabs
    tabs.setCornerWidget(bar, Qt.Corner.TopRightCorner)
    link = TimelineLink(bar, window, window)
    link.statusMessageChanged.connect(lambda text: window.statusBar().showMessage(text, 8000))

    def follow_tab(index: int) -> None:
        area = tabs.widget(index)
        tab = area.widget() if isinstance(area, QScrollArea) else area
        bar.setVisible(tab in (window.train_tab, window.inside_tab, window.draw_tab))

    tabs.currentChanged.connect(follow_tab)
    return link


class TimelineLink(QObject):
    """Links ``bar`` to the window's kept runs (its Train tab's ``runs``), session, tabs
    and training controller.

    Signals: ``statusMessageChanged(text)``; ``checkpointShown(run_id, step)`` once the
    views show a checkpoint; ``nowShown()`` once they show the weights of now again.
    """

    statusMessageChanged = pyqtSignal(str)
    checkpointShown = pyqtSignal(str, int)
    nowShown = pyqtSignal()

    def __init__(self, bar: TimelineBar, window, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.session = window.session
        self.controller = window.controller
        self.train_tab, self.inside_tab, self.draw_tab = (window.train_tab, window.inside_tab,
                                                          window.draw_tab)
        self.runs = self.train_tab.runs
        self.timeline = Timeline()
        """The run followed and the checkpoint shown."""
        self.last_redraw_seconds = math.nan
        """How long the last step change took to show (loading and every view)."""
        self._networks: dict[str, Sequential] = {}  # run id -> its network, rebuilt once
        self._shown: object | None = None  # the network the Inside tab was last given here
        self._standardized_view: tuple[Sequential, StandardizedModel] | None = None
        self._last_look = 0.0
        bar.positionChosen.connect(self.choose)
        bar.nowRequested.connect(self.back_to_now)
        bar.continueRequested.connect(self._on_bar_continue_requested)
        self.train_tab.runRecorded.connect(self._on_train_run_recorded)
        self.train_tab.runs_panel.timelineRequested.connect(self.show_run)
        self.train_tab.runs_panel.runsChanged.connect(self._on_runs_changed)
        c = self.controller
        c.batchesReady.connect(lambda _: self._look_again(throttled=True))
        c.epochFinished.connect(lambda *_: self._look_again())
        c.stateChanged.connect(lambda *_: self._look_again())
        c.runFinished.connect(self._look_again)
        self.session.modelChanged.connect(self._on_session_model_changed)
        runs = self.runs.runs()
        if runs:
            self.show_run(runs[0].id)
        else:
            self._show_bar()

    # -- the state --------------------------------------------------------------------
    @property
    def scrubbing(self) -> bool:
        """Whether the Inside and Draw tabs show a checkpoint (not the weights of now)."""
        return self.timeline.scrubbing

    def show_run(self, run_id: str) -> bool:
        """Follow run ``run_id`` on the timeline (back at "now")."""
        try:
            run = self.runs.get(run_id)
            checkpoints = self._checkpoints(run_id)
        except (RunNotFound, RunFileError) as error:
            self.statusMessageChanged.emit(f"The timeline cannot show this run: {error}")
            return False
        if self.scrubbing:
            self.back_to_now()
        self.timeline.show_run(run_id, run.name, checkpoints)
        self._show_bar()
        return True

    def _checkpoints(self, run_id: str) -> list[Checkpoint]:
        recorder = self.runs.recorder(run_id)
        return recorder.checkpoints() if recorder is not None else \
            self.runs.get(run_id).checkpoints()

    def _look_again(self, throttled: bool = False) -> None:
        """Take in the checkpoints the run that trains kept since the last look."""
        now = time.monotonic()
        if throttled and now - self._last_look < REFRESH_INTERVAL:
            return
        self._last_look = now
        run_id = self.timeline.run_id
        if run_id is None:
            return
        try:
            self.timeline.update(self._checkpoints(run_id))
        except (RunNotFound, RunFileError):
            return
        self._show_bar()

    # -- moving -----------------------------------------------------------------------
    def choose(self, position: int) -> bool:
        """Show the checkpoint at scrubber place ``position`` (the last place: now)."""
        checkpoint = self.timeline.choose(position)
        if checkpoint is None:
            self.back_to_now()
            return True
        return self.show_checkpoint(checkpoint.step)

    def choose_step(self, step: int) -> bool:
        """Show the checkpoint kept after ``step`` batches of the run followed."""
        for index, checkpoint in enumerate(self.timeline.checkpoints):
            if checkpoint.step == step:
                return self.choose(index)
        return False

    def show_checkpoint(self, step: int) -> bool:
        """Give the Inside and Draw tabs the weights of checkpoint ``step`` of the run
        followed, and put the cursor on the curves there."""
        begin = time.perf_counter()
        run_id = self.timeline.run_id
        checkpoint = next((c for c in self.timeline.checkpoints if c.step == step), None)
        if run_id is None or checkpoint is None:
            return False
        try:
            weights = self._weights(run_id, step)
            network = self._network(run_id)
        except (RunNotFound, RunFileError) as error:  # CheckpointError included
            self.statusMessageChanged.emit(f"Cannot show this checkpoint: {error}")
            self.back_to_now()
            return False
        params = network.named_params()
        for name, w in weights.items():
            params[name][...] = w
        view = self._view_of(run_id, network)
        if self._shown is not view:
            self.inside_tab.set_model(view)
            self._shown = view
        epoch = max(math.ceil(checkpoint.position) - 1, 0)
        stats = {name: param_stats(name, w, None) for name, w in weights.items()}
        self.inside_tab.show_snapshot(Snapshot(step, epoch, weights, stats))
        self.draw_tab.set_model(view)
        self.timeline.index = self.timeline.checkpoints.index(checkpoint)
        self.train_tab.show_timeline_cursor(run_id, checkpoint.position, f"step {step:,}")
        self.train_tab.set_timeline_checkpoint(run_id, step, self.timeline.name)
        self._show_bar()
        self.last_redraw_seconds = time.perf_counter() - begin
        self.checkpointShown.emit(run_id, step)
        return True

    def _weights(self, run_id: str, step: int) -> dict:
        recorder = self.runs.recorder(run_id)
        if recorder is not None:
            return recorder.load_checkpoint(step)
        return self.runs.get(run_id).load_checkpoint(step)

    def _network(self, run_id: str) -> Sequential:
        network = self._networks.get(run_id)
        if network is None:
            try:
                network = Sequential.from_config(self.runs.get(run_id).architecture)
            except ValueError as error:
                raise CheckpointError(f"its network cannot be rebuilt ({error})") from None
            self._networks = {run_id: network}  # one at a time: a few hundred kB each
        return network

    def _view_of(self, run_id: str, network: Sequential):
        view = self.session.model_for_views()
        if isinstance(view, StandardizedModel) and self._standardized(run_id):
            cached = self._standardized_view
            if cached is None or cached[0] is not network:
                self._standardized_view = (network, StandardizedModel(network,
                                                                      self.session.augmenter))
            return self._standardized_view[1]
        return network

    def _standardized(self, run_id: str) -> bool:
        augmentation = self.runs.get(run_id).settings.get("augmentation", {})
        return bool(augmentation.get("featurewise_center")
                    or augmentation.get("featurewise_std_normalization")
                    or augmentation.get("zca_whitening"))

    def back_to_now(self) -> None:
        """Show the session's weights of now again (live while a run trains)."""
        was = self.scrubbing or self._shown is not None
        self.timeline.now()
        self.train_tab.show_timeline_cursor(None, None)
        self.train_tab.set_timeline_checkpoint(None)
        if was:
            view = self.session.model_for_views()
            self.inside_tab.set_model(view)
            snapshot = self.session.snapshot
            if snapshot is not None:
                self.inside_tab.show_snapshot(snapshot)
            self.draw_tab.set_model(view)
        self._shown = None
        self._show_bar()
        self.nowShown.emit()

    # -- slots ------------------------------------------------------------------------
    def _show_bar(self) -> None:
        running = self.controller.is_running
        self.bar.show_timeline(self.timeline, can_continue=not running, why_not=(
            "Stop the training first: a new run starts from here once this one has ended."
            if running else ""))

    def _on_bar_continue_requested(self) -> None:
        run_id, step = self.timeline.run_id, self.timeline.step
        if run_id is not None and step is not None:
            self.train_tab.continue_from(run_id, step, self.timeline.name)

    def _on_train_run_recorded(self, run_id: str) -> None:
        if not self.scrubbing:
            self.show_run(run_id)

    def _on_runs_changed(self) -> None:
        run_id = self.timeline.run_id
        if run_id is None:
            return
        if run_id not in self.runs:  # deleted
            if self.scrubbing:
                self.back_to_now()
            self.timeline.show_run(None, "", [])
            self._show_bar()
            return
        name = self.runs.get(run_id).name
        if name != self.timeline.name:
            self.timeline.name = name
            self._show_bar()

    def _on_session_model_changed(self) -> None:
        """A new model (loaded, reset, a run started from other weights): the window shows
        it everywhere, so the timeline is at "now" again."""
        if self.scrubbing or self._shown is not None:
            self.timeline.now()
            self._shown = None
            self.train_tab.show_timeline_cursor(None, None)
            self.train_tab.set_timeline_checkpoint(None)
            self._show_bar()
            self.nowShown.emit()
