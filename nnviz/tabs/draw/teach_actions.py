"""The Draw tab's Teach box: the user's labelled drawings (add, remove, the count and the
latest ones) and teaching the network their handwriting on a worker thread, with undo.

:class:`TeachActions` is mixed into :class:`nnviz.tabs.draw.tab.DrawTab` (it uses the
tab's ``state``, ``teach_runner``, ``teach_box`` and its controls, ``personal_digits``,
its signals, ``set_model`` and ``clear``). The tab calls :meth:`TeachActions._connect_teach`
once its controls exist.
"""

from __future__ import annotations

from core.model import Sequential
from core.teach import TeachResult
from nnviz.tabs.draw.teach_box import TEACH_TIP

__all__ = ["TeachActions"]


class TeachActions:
    """Teaching for the Draw tab: :meth:`teach`, :meth:`is_teaching`,
    :meth:`stop_teaching`, :meth:`undo_teaching` and :meth:`set_teach_blocked`."""

    def teach(self) -> bool:
        """Start teaching the current model the personal digits (on a worker thread);
        False, with the reason in ``teach_status``, when it cannot start."""
        reason = self._teach_refusal()
        if reason:
            self.teach_status.setText(reason)
            return False
        self._previous_model = self.state.model.clone()
        x, y = self.personal_digits.training_arrays()
        if not self.teach_runner.start(self._previous_model, x[:, 0], y):
            return False
        self.teach_status.setText(f"Teaching {len(y)} digits…")
        self.teach_result.setText("")
        self.teach_box.teach_progress.setValue(0)
        self.teach_box.teach_progress.setVisible(True)
        self._refresh_teach_buttons()
        return True

    def is_teaching(self) -> bool:
        return self.teach_runner.is_running()

    def stop_teaching(self, wait_ms: int = 3000) -> bool:
        """Stop a teaching run and wait for its thread (the window calls this on close);
        True when nothing runs any more."""
        return self.teach_runner.stop(wait_ms)

    def undo_teaching(self) -> None:
        """Classify with the model from before the last teaching again."""
        previous, self._previous_model = self._previous_model, None
        if previous is None:
            return
        self.set_model(previous)
        self.teach_status.setText("Teaching undone: back to the model from before.")
        self.teach_result.setText("")
        self._refresh_teach_buttons()
        self.modelReplaced.emit(previous.clone(), "the model from before teaching")

    def set_teach_blocked(self, reason: str | None) -> None:
        """Refuse to teach while ``reason`` holds (e.g. "training is running"); None
        allows it again."""
        self._teach_blocked = reason
        self._refresh_teach_buttons()

    def _teach_refusal(self) -> str:
        if self.is_teaching():
            return "Teaching is already running."
        if self._teach_blocked:
            return f"Cannot teach now: {self._teach_blocked}."
        if not isinstance(self.state.model, Sequential):
            return "Teaching needs a plain nnviz model (load or train one first)."
        if len(self.personal_digits) == 0:
            return "Add some labelled drawings first: teaching needs your digits."
        return ""

    # -- set-up and slots ------------------------------------------------------------
    def _connect_teach(self) -> None:
        self.label_spin.valueChanged.connect(self._on_label_value_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.teach_button.clicked.connect(self.teach)
        self.undo_teach_button.clicked.connect(self.undo_teaching)
        self.teach_runner.progressed.connect(self._on_teach_progressed)
        self.teach_runner.finished.connect(self._on_teach_finished)

    def _on_label_value_changed(self, _value: int) -> None:
        self.state.label_follows_prediction = False

    def _on_add_clicked(self) -> None:
        added, message = self.state.add_personal(self.label_spin.value())
        if message:
            self.teach_status.setText(message)
        if added:
            self._refresh_personal()
            self.personalDigitsChanged.emit()
            self.clear()

    def _on_remove_clicked(self) -> None:
        removed, message = self.state.remove_last_personal()
        if message:
            self.teach_status.setText(message)
        if removed:
            self._refresh_personal()
            self.personalDigitsChanged.emit()

    def _on_teach_progressed(self, fraction: float) -> None:
        self.teach_box.teach_progress.setValue(round(100 * fraction))

    def _on_teach_finished(self, result: TeachResult) -> None:
        self.teach_box.teach_progress.setVisible(False)
        replay = self.teach_runner.replay()
        self.teach_box.show_result(result, replay.name if replay is not None else "others")
        if result.model is None:
            self.teach_status.setText("")
            self._previous_model = None
        else:
            self.teach_status.setText("Undo teaching brings the old model back.")
            self.set_model(result.model)
            self.modelReplaced.emit(result.model.clone(),
                                    f"taught your handwriting ({result.personal_count} "
                                    "digits)")
        self._refresh_teach_buttons()
        self.teachFinished.emit(result)

    # -- refreshing ------------------------------------------------------------------
    def _refresh_teach_buttons(self) -> None:
        running = self.is_teaching()
        self.teach_button.setEnabled(not running and not self._teach_blocked
                                     and self.state.personal_error is None)
        self.teach_button.setToolTip(TEACH_TIP if not self._teach_blocked else
                                     f"Cannot teach now: {self._teach_blocked}.")
        self.undo_teach_button.setEnabled(not running and not self._teach_blocked
                                          and self._previous_model is not None)

    def _refresh_personal(self) -> None:
        s = self.state
        self.count_label.setText(s.personal_summary())
        self._refresh_teach_buttons()
        if s.personal_error is not None:
            self.teach_status.setText(
                f"{s.personal_error}\nThe file was left untouched; fix or move it away "
                "to add new drawings."
            )
            for control in (self.add_button, self.remove_button, self.label_spin):
                control.setEnabled(False)
            return
        self.count_label.setToolTip(f"Your labelled drawings are saved in {s.personal.path}")
        self.remove_button.setEnabled(len(s.personal) > 0)
        self.teach_box.show_recent(s.recent_personal())
