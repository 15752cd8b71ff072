"""The Train tab and the Network tab's network: training a network built there, and the
line under Start that says whether the network being designed can run.

:class:`NetworkActions` is mixed into :class:`nnviz.tabs.train.tab.TrainTab` (it uses the
tab's ``session``, ``controller``, ``start_button``, ``step_button``, ``dropout_spin``,
its signals, ``current_settings`` and ``_replace_weights``).
"""

from __future__ import annotations

from PyQt6.QtWidgets import QLabel

from nnviz.networks import dropout_rates
from nnviz.tabs.train.controls import set_control_value
from nnviz.tabs.train.network_gate import NetworkGate

__all__ = ["NetworkActions"]


class NetworkActions:
    """The Network tab's network for the Train tab: :meth:`use_network`,
    :meth:`set_network_status`, :meth:`network_status` and the ``network_line`` label."""

    _gate = NetworkGate()  # what the Network tab says about the network (set_network_status)

    def use_network(self, model, origin: str) -> bool:
        """Train ``model``, a fresh network from the Network tab, from now on: compiled
        with these settings' optimizer and L1/L2 penalties, curves and results cleared
        (undoable like Reset weights, until the next run starts). The Dropout setting
        takes the rate of its Dropout layers (the highest, when they differ)."""
        settings = self.current_settings()
        model.compile("categorical_crossentropy", settings.optimizer_config())
        model.set_regularization(settings.l1, settings.l2)
        try:
            done = self._replace_weights(lambda: self.session.use_network(model, origin))
        except ValueError as error:
            self.errorOccurred.emit("Cannot use this network", str(error))
            return False
        if not done:
            return False
        rates = dropout_rates(model)
        if rates:
            set_control_value(self.dropout_spin, max(rates))  # -> _on_setting_changed
        self.statusMessageChanged.emit(f"Model: {self.session.model_description()} "
                                       "(Training → Undo brings the previous one back).")
        return True

    def set_network_status(self, problem: str, build_first=None, name: str = "",
                           seed: int = 0) -> None:
        """What the Network tab says about the network to train (see
        :class:`~nnviz.tabs.train.network_gate.NetworkGate`): ``problem`` keeps Start and
        Step off with the reason under them; ``build_first`` makes Start "Build and
        start"."""
        self._gate = NetworkGate(problem, build_first, name, seed)
        self._show_network_status()

    def network_status(self) -> str:
        """The line under Start about the network ("" when there is nothing to say)."""
        return self.network_line.text()

    def _build_network_line(self) -> QLabel:
        self.network_line = QLabel()
        self.network_line.setObjectName("networkStatusLine")
        self.network_line.setWordWrap(True)
        self.network_line.hide()
        return self.network_line

    def _network_ready(self) -> bool:
        if self._gate.blocks():
            self.statusMessageChanged.emit(self._gate.problem)
        return self._gate.ready()

    def _show_network_status(self) -> None:
        running = self.controller.is_running
        self.start_button.setEnabled(not running and not self._gate.blocks())
        self.step_button.setEnabled(running or not self._gate.blocks())
        self.start_button.setText(self._gate.start_label(running))
        text, color = self._gate.line(running)
        self.network_line.setText(text)
        self.network_line.setStyleSheet(f"color: {color};")
        self.network_line.setVisible(bool(text))
