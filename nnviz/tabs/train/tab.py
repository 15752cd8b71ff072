"""The Train tab: choose data and hyper-parameters, run training live, see what it gets wrong.

A facade over the session (data, model, the latest report) and the training controller
(the worker thread). Controls (built in :mod:`nnviz.tabs.train.controls`) default to the
tutorial's settings; the learning rate, the L1/L2 strengths and dropout may change while
a run is going, everything else is locked until it ends. Results arrive through the
controller's throttled signals: batches and epochs go into the run history the curves
show, the epoch's report into the session, whose ``reportChanged`` brings the confusion
matrix and the misclassified digits (:mod:`nnviz.tabs.train.results`).

Replacing the weights (Reset weights, Restore the pre-trained model) can be undone once,
curves included, until the next run starts.
"""

from __future__ import annotations

import math

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.model_file import ModelFileError
from core.runs import RunHistory as RunStore
from core.training import ValidationReport
from nnviz.session import Session
from nnviz.settings import TrainingSettings
from nnviz.tabs.train.controls import (
    DEFAULT_LR,
    FIELDS,
    OPTIMIZERS,
    SPEEDS,
    build_run_bar,
    build_settings_column,
    build_speed_box,
    changed_signal,
    field_label,
    fill_dataset_combo,
    lock_for_run,
    read_settings,
    set_control_value,
    settings_changes,
    show_settings,
)
from nnviz.tabs.train.curves import TrainCurves
from nnviz.tabs.train.dataset_actions import SAMPLE_STRIP, DatasetActions
from nnviz.tabs.train.history import RunHistory
from nnviz.tabs.train.network_actions import NetworkActions
from nnviz.tabs.train.penalty import penalty_warning, zero_share_text
from nnviz.tabs.train.progress import TrainProgress
from nnviz.tabs.train.results import TrainResults
from nnviz.tabs.train.run_actions import RunActions
from nnviz.training.controller import TrainingController
from nnviz.widgets.spin_boxes import ScientificSpinBox

# DEFAULT_LR and OPTIMIZERS now live in controls, SAMPLE_STRIP in dataset_actions; they
# stay importable from here
__all__ = ["DEFAULT_LR", "OPTIMIZERS", "SAMPLE_STRIP", "TrainTab"]

CURVES_MIN_HEIGHT = 300  # below this the four plots are too flat to read: the tab scrolls
RESULTS_MIN_HEIGHT = 170


class TrainTab(RunActions, DatasetActions, NetworkActions, QWidget):
    """Train the CNN live.

    Signals: ``errorOccurred(title, text)`` for the main window's message box,
    ``statusMessageChanged(text)`` (alias ``statusMessage``) for its status bar,
    ``digitChosen(image, label)`` when a digit of the results is clicked (a (28, 28)
    float32 image in [0, 1] and its true label), ``downloadRequested(dataset)`` when the
    data combo's download entry is chosen ("mnist" or "fashion-mnist"), ``runRecorded(run_id)``
    when a run starts and is kept (its runs, the runs panel and where a run starts from:
    :class:`~nnviz.tabs.train.run_actions.RunActions`; the data set:
    :class:`~nnviz.tabs.train.dataset_actions.DatasetActions`; the Network tab's network:
    :class:`~nnviz.tabs.train.network_actions.NetworkActions`).
    """

    errorOccurred = pyqtSignal(str, str)
    statusMessageChanged = pyqtSignal(str)
    statusMessage = statusMessageChanged  # the earlier name
    digitChosen = pyqtSignal(object, int)
    downloadRequested = pyqtSignal(str)
    runRecorded = pyqtSignal(str)

    def __init__(self, session: Session, controller: TrainingController,
                 settings: TrainingSettings | None = None,
                 personal_digits=None, parent: QWidget | None = None,
                 runs: RunStore | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.session = session
        self.controller = controller
        self.settings = settings or TrainingSettings()
        self.personal_digits = personal_digits
        self.history = RunHistory()
        """Every batch and epoch since the last weight reset (what the curves show)."""
        self._history_before: RunHistory | None = None  # the curves an undo brings back
        self._datasets = session.available_datasets()
        self._init_runs(runs)  # every run is kept in ``runs`` (default: the user's folder)
        self._build_ui()
        show_settings(self, self.settings)
        self._connect()
        self._update_augment_warning()
        self._show_dataset()
        self._update_buttons()
        self._update_tutorial_button()

    # -- building -----------------------------------------------------------------------
    def _build_ui(self) -> None:
        settings_column = build_settings_column(self)
        fill_dataset_combo(self.dataset_combo, self._datasets)
        self.progress = TrainProgress()
        self.curves = TrainCurves(history=self.history)
        self.curves.setMinimumHeight(CURVES_MIN_HEIGHT)
        self.results = TrainResults()
        self.results.setMinimumHeight(RESULTS_MIN_HEIGHT)
        self.confusion = self.results.confusion
        self.gallery = self.results.gallery
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(self.curves)
        right.addWidget(self._build_runs_pane(self.results))
        right.setStretchFactor(0, 2)  # the curves first; the results and runs below
        right.setStretchFactor(1, 1)
        progress_row = QHBoxLayout()
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(build_speed_box(self), 0, Qt.AlignmentFlag.AlignTop)
        right_box = QWidget()
        right_layout = QVBoxLayout(right_box)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        run_bar = build_run_bar(self)
        self._build_start_from(run_bar)
        right_layout.addWidget(run_bar)
        right_layout.addWidget(self.model_label)
        right_layout.addWidget(self._build_network_line())
        right_layout.addLayout(progress_row)
        right_layout.addWidget(right, 1)

        layout = QHBoxLayout(self)
        layout.addWidget(settings_column)
        layout.addWidget(right_box, 1)

    def _connect(self) -> None:
        for path, name in FIELDS.items():
            widget = getattr(self, name)
            changed_signal(widget).connect(lambda *_, p=path: self._on_setting_changed(p))
            if isinstance(widget, ScientificSpinBox):
                widget.inputRefused.connect(
                    lambda message, p=path: self.statusMessageChanged.emit(
                        f"{field_label(self, p)}: {message}"))
        self.dataset_combo.activated.connect(self._on_dataset_combo_activated)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.step_button.clicked.connect(self.step)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset_weights)
        self.tutorial_button.clicked.connect(self.restore_tutorial_settings)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_changed)
        self.results.digitChosen.connect(self.digitChosen)
        c = self.controller
        c.batchesReady.connect(self._on_batches_ready)
        c.epochFinished.connect(self.session.record_epoch)
        c.epochFinished.connect(self._on_epoch_finished)
        c.stateChanged.connect(self._on_state_changed)
        c.failed.connect(self._on_run_failed)
        c.runFinished.connect(self._on_run_finished)
        self.session.datasetChanged.connect(self._show_dataset)
        self.session.modelChanged.connect(self._show_model)
        self.session.weightsChanged.connect(self._show_model)
        self.session.reportChanged.connect(self._on_report_changed)
        self.session.reportChanged.connect(self._show_model)  # "· validation 96.5 %"
        self._show_model()
        self._connect_runs()

    # -- actions (public, used by menus, shortcuts and tests) -----------------------------
    def current_settings(self) -> TrainingSettings:
        """The settings as the controls show them now."""
        read_settings(self, self.settings)
        return self.settings

    def start(self) -> None:
        """Start a run with the current settings, from the weights "Start from" names."""
        self._start(paused=False)

    def _start(self, paused: bool) -> None:
        if self.controller.is_running or not self._network_ready():
            return
        settings = self.current_settings()
        personal = None
        if settings.use_personal_digits and self.personal_digits is not None \
                and len(self.personal_digits):
            personal = self.personal_digits.training_arrays()
        with self.start_choice_kept():  # the models swapped in now leave it as it is
            start, replaced = self._start_weights()  # fresh or a checkpoint's: a new model
            if start is None:
                return
            try:
                trainer = self.session.make_trainer(settings, personal, start_paused=paused)
            except (ValueError, MemoryError) as error:
                if replaced:
                    self.undo_weights_change()
                self.errorOccurred.emit("Cannot start training", str(error))
                return
        recorder = self._record_run(settings, start)
        self._history_before = None  # the session forgot its undo too: a run replaces it
        self.history.begin_run()  # the curves continue after earlier runs
        self.progress.reset()
        self.controller.start(trainer, recorder)
        self._on_run_recorded(recorder)
        self._update_buttons()
        self.statusMessageChanged.emit("Training started." if not paused
                                       else "Stepping one batch.")

    def toggle_pause(self) -> None:
        """Pause a running run, or resume a paused one."""
        if not self.controller.is_running:
            return
        if self.controller.is_paused:
            self.controller.resume()
        else:
            self.controller.pause()
        self._update_buttons()

    def play_pause(self) -> None:
        """Start when idle, else pause or resume (Space)."""
        if self.controller.is_running:
            self.toggle_pause()
        else:
            self.start()

    def pause(self) -> None:
        """Pause a running run (Esc); nothing when idle or already paused."""
        if self.controller.is_running and not self.controller.is_paused:
            self.controller.pause()
            self._update_buttons()

    def step(self) -> None:
        """Train one batch and pause (starting a paused run when idle)."""
        if not self.controller.is_running:
            self._start(paused=True)
        self.controller.step()
        self._update_buttons()

    def stop(self) -> None:
        """End the run after the current batch."""
        self.controller.stop()

    def reset_weights(self) -> None:
        """Fresh random weights (stopping any run first) and cleared curves; undoable with
        :meth:`undo_weights_change`."""
        if self._replace_weights(lambda: self.session.reset_model(self.current_settings())):
            self.statusMessageChanged.emit("Weights reset to random values (Training → Undo "
                                           "brings the trained ones back).")

    def restore_pretrained(self) -> bool:
        """The shipped pre-trained weights again (stopping any run first); undoable with
        :meth:`undo_weights_change`. False, with a message, when they cannot be loaded."""
        try:
            done = self._replace_weights(self.session.restore_pretrained)
        except ModelFileError as error:
            self.errorOccurred.emit("Cannot restore the pre-trained model",
                                    f"{error}\n\nThe current model is unchanged.")
            return False
        if done:
            self.statusMessageChanged.emit(f"Model: {self.session.model_description()} "
                                           "(Training → Undo brings the previous one back).")
        return done

    def undo_weights_change(self) -> bool:
        """Bring back the weights, curves and results the last reset or restore replaced."""
        if self.controller.is_running or not self.session.can_undo_model_change():
            return False
        saved, self._history_before = self._history_before, None
        self.session.undo_model_change()  # -> modelChanged, reportChanged: matrix and digits
        if saved is not None:
            self.history.restore(saved)
            self.curves.redraw_all()
        self.progress.reset()
        self.statusMessageChanged.emit(f"Model: {self.session.model_description()}")
        return True

    def _replace_weights(self, replace) -> bool:
        if self.controller.is_running and not self.controller.shutdown(2000):
            self.errorOccurred.emit("Cannot replace the weights",
                                    "The training thread did not stop in time.")
            return False
        kept = self.history.copy()
        replace()  # may raise, changing nothing
        self._history_before = kept
        self.curves.clear()
        self.results.clear()
        self.progress.reset()
        return True

    def restore_tutorial_settings(self) -> None:
        """Every setting back to the tutorial's (weights and data set stay)."""
        tutorial = TrainingSettings()
        for path, name in FIELDS.items():
            set_control_value(getattr(self, name), tutorial.get(path))  # -> _on_setting_changed
        self.statusMessageChanged.emit("The tutorial's settings are back.")

    def settings_changes(self) -> list[str]:
        """The settings that differ from the tutorial's, as "Epochs 50", "L1 1e-4"."""
        return settings_changes(self, TrainingSettings())

    def set_speed(self, key: str) -> None:
        """Run at one of :data:`~nnviz.tabs.train.controls.SPEEDS` ("full", "watch", "slow")."""
        set_control_value(self.speed_combo, key)

    # -- settings -------------------------------------------------------------------------
    def _on_setting_changed(self, path: str) -> None:
        """A control changed: copy it into the settings and act on what changes at once."""
        read_settings(self, self.settings, (path,))
        s = self.settings
        if path == "optimizer":
            self.lr_spin.setValue(DEFAULT_LR[s.optimizer])  # -> "lr" below
            self._update_buttons()
        elif path == "lr":
            self.controller.set_learning_rate(s.lr)
        elif path in ("l1", "l2"):
            self.controller.set_regularization(s.l1, s.l2)
            self._show_model()
        elif path == "dropout":
            self.controller.set_dropout(s.dropout)
        elif path == "validation_split":
            self._show_dataset()
        self._update_augment_warning()
        self._update_tutorial_button()

    def _update_tutorial_button(self) -> None:
        changes = self.settings_changes()
        self.tutorial_button.setEnabled(bool(changes))
        self.tutorial_button.setToolTip(
            self.tutorial_button.toolTip().split("\n\nNow different:")[0]
            + (f"\n\nNow different: {', '.join(changes)}." if changes else ""))

    def _on_speed_changed(self, _index: int) -> None:
        self.controller.set_pace(SPEEDS[self.speed_combo.currentData()][1])

    def _update_augment_warning(self) -> None:
        notes = self.settings.augmentation.warnings()
        if self.settings.augmentation.zca_whitening and len(self.session.dataset.y_train) > 20000:
            notes.append("ZCA whitening fits a 784×784 matrix: starting takes a few seconds.")
        self.augment_warning.setText("⚠ " + "\n⚠ ".join(notes) if notes else "")
        self.augment_warning.setVisible(bool(notes))

    # -- model ----------------------------------------------------------------------------
    def _show_model(self) -> None:
        text = f"Model: {self.session.model_description()} — {self.session.model_summary()}"
        self.model_label.setText(text)
        self.model_label.setToolTip(text)
        sizes = {name.rsplit(".", 1)[0]: int(w.size)
                 for name, w in self.session.view_model.named_params().items()
                 if name.endswith(".W")}
        fractions = self.session.zero_fractions()
        readout, tip = zero_share_text(fractions, sizes)
        self.zeros_label.setText(readout)
        self.zeros_label.setToolTip(tip)
        # beside the penalty plot too, where the eyes are during a run, once there is news
        news = self.settings.l1 > 0 or any(share > 0 for share in fractions.values())
        self.curves.plots.set_penalty_note(readout if news else "")

    # -- results --------------------------------------------------------------------------
    def _on_batches_ready(self, payload: dict) -> None:
        position = payload["position"] + self.history.run_start
        self.curves.add_batches(position, payload["loss"], payload["data_loss"],
                                payload["penalty"], payload["accuracy"], payload["lr"])
        progress = payload.get("progress")
        if progress:
            self.progress.update_progress(
                progress["epoch"] + 1, self.settings.epochs, progress["batch"] + 1,
                progress["batches"], progress["seen"], progress["total"],
                progress["samples_per_sec"], progress["eta_seconds"],
                first_epoch=self.history.run_start)
        self.progress.set_warning(penalty_warning(self.history,
                                                  len(self.session.dataset.class_names)))

    def _on_epoch_finished(self, logs: dict, _report: ValidationReport | None) -> None:
        epoch = self.history.run_start + int(logs.get("epoch", 0)) + 1
        self.curves.add_epoch(epoch, logs.get("val_loss", math.nan),
                              logs.get("val_accuracy", math.nan), logs.get("loss", math.nan),
                              logs.get("accuracy", math.nan))
        val = logs.get("val_accuracy")
        self.statusMessageChanged.emit(f"Epoch {epoch} done" + (
            f": validation accuracy {val:.2%}" if val is not None else ""))

    def _on_report_changed(self) -> None:
        """The confusion matrix and misclassified digits of the latest epoch (drawn when
        the tab is visible)."""
        report = self.session.report
        if report is not None:
            self.results.show_report(report, self.session.validation_digits,
                                     self.session.dataset.class_names)

    # -- run state ------------------------------------------------------------------------
    def _on_state_changed(self, state: str, message: str) -> None:
        self.progress.set_state(state, message)  # a divergence: its full message, in red
        self._update_buttons()
        if state == "diverged":
            self.curves.mark_divergence()  # the spike's batch came just before
            self.curves.flush()  # draw it now: it is what the student must see
            self.statusMessageChanged.emit("Training diverged and paused itself: lower the "
                                           "learning rate, then resume.")
        elif message:
            self.statusMessageChanged.emit(message)

    def _on_run_failed(self, details: str) -> None:
        self.errorOccurred.emit("Training failed", details.strip().splitlines()[-1]
                                + "\n\n" + details)

    def _on_run_finished(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.controller.is_running
        paused = self.controller.is_paused
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause))
        self.stop_button.setEnabled(running)
        # live dropout needs Dropout layers, which a run started at 0 does not have
        lock_for_run(self, running, self.session.has_dropout())
        self._show_network_status()
