"""The Network tab in the window: it follows the session's network, its verdict reaches
the Train tab's Start, its Build hands a new network to the session, and it is read-only
while a run goes on.

:class:`NetworkActions` is mixed into :class:`nnviz.main_window.MainWindow` (it uses the
window's ``session``, ``controller``, ``train_tab``, ``network_tab`` and ``show_error``).
"""

from __future__ import annotations

__all__ = ["NetworkActions"]

LOCKED = ("Training is running: the network cannot change while it trains (its weights "
          "would no longer fit its layers). Stop the run, or let it finish, to edit it.")


class NetworkActions:
    """The Network tab's wiring, for the main window."""

    def _wire_network(self) -> None:
        """The Network tab follows the session's network, its verdict reaches Start, and
        it is read-only while a run goes on."""
        editor = self.network_tab.editor
        editor.buildRequested.connect(self.build_network)
        editor.architectureChanged.connect(self._on_network_draft_changed)
        self.session.modelChanged.connect(self._on_network_model_changed)
        self.controller.stateChanged.connect(self._on_network_run_changed)
        self.controller.runFinished.connect(self._on_network_run_changed)
        self._on_network_model_changed()

    def build_network(self) -> bool:
        """Build the Network tab's layers (fresh weights from its seed) and train that
        network from now on; False, with a message, when it cannot be built."""
        editor = self.network_tab.editor
        try:
            model = editor.build_model()
        except ValueError as error:
            self.show_error("Cannot build this network", str(error))
            return False
        return self.train_tab.use_network(model, f"untrained (seed {editor.draft.seed})")

    def _on_network_model_changed(self) -> None:
        self.network_tab.editor.set_current_model(self.session.model)

    def _on_network_draft_changed(self) -> None:
        editor = self.network_tab.editor
        problems = editor.problems()
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.train_tab.set_network_status(
                f"The network on the Network tab cannot be built: {problems[0]}{more}. Fix "
                "it there, or click Current network there to go back.")
        elif editor.has_unbuilt_changes():
            self.train_tab.set_network_status("", self.build_network,
                                              editor.draft.title, editor.draft.seed)
        else:
            self.train_tab.set_network_status("")

    def _on_network_run_changed(self, *_state) -> None:
        """A run started, paused, ended (``stateChanged``) or its thread finished."""
        running = self.controller.is_running
        self.network_tab.editor.set_read_only(running, LOCKED if running else "")
        if not running:  # the run may have set the dropout rates: show the network it left
            self._on_network_model_changed()
