"""How the window starts and ends: at start-up it reopens what the last session left
(data set, size and place, tab) and says which of its settings differ from the tutorial's;
closing waits for teaching and training to stop, asks about an unsaved trained model and
saves the session (settings, geometry, tab, data set) in the settings store.

:class:`WindowLifecycle` is mixed into :class:`nnviz.main_window.MainWindow` (it uses the
window's ``session``, ``controller``, ``train_tab``, ``draw_tab``, ``tabs``, ``download``,
``choose_model_path``, its settings store ``_store``, ``_close_confirmed`` and the
``_startup_errors`` list that start-up shows once the window is up).
"""

from __future__ import annotations

import os
from pathlib import Path

from PyQt6.QtCore import QByteArray, QSettings, Qt, QTimer
from PyQt6.QtGui import QCloseEvent
from PyQt6.QtWidgets import QApplication, QMessageBox, QPushButton

from core.data import DataError
from core.model_file import ModelFileError
from nnviz.window_tabs import TAB_NAMES

__all__ = ["WindowLifecycle", "settings_store"]


def _exists(path: str) -> bool:
    """Whether ``path`` exists; False also when it cannot even be looked up (a name too
    long for the file system, a folder without permission)."""
    try:
        return Path(path).exists()
    except OSError:
        return False


def settings_store() -> QSettings:
    """The settings file: $NNVIZ_CONFIG_DIR/nnviz.ini when set (tests), else Qt's place."""
    folder = os.environ.get("NNVIZ_CONFIG_DIR")
    if folder:
        return QSettings(str(Path(folder) / "nnviz.ini"), QSettings.Format.IniFormat)
    return QSettings("nnviz", "nnviz")


class WindowLifecycle:
    """Start-up restore and closing, for the main window."""

    # -- start-up -------------------------------------------------------------------------
    def _open_initial(self, data, model, restore: bool) -> None:
        if data is None and restore:
            last = self._store.value("last_data")
            if last and last != "sample" and _exists(str(last)):
                data = str(last)
        if data is not None:
            try:
                self.session.open_dataset(data)
            except DataError as error:
                self._startup_errors.append(("Cannot open this data set", f"{error}\n\n"
                                             "Using the shipped sample instead."))
        if model is not None:
            try:
                self.session.load_model(model)
            except ModelFileError as error:
                self._startup_errors.append(("Cannot load this model", f"{error}\n\n"
                                             "Using the pre-trained model instead."))
        self._on_dataset_changed()

    def _restore_window(self, restore: bool) -> None:
        geometry = self._store.value("geometry") if restore else None
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self._default_size()
        tab = self._store.value("tab") if restore else None
        try:
            index = int(tab) if tab is not None else TAB_NAMES.index("Draw")
        except (TypeError, ValueError):
            index = TAB_NAMES.index("Draw")
        self.tabs.setCurrentIndex(min(max(index, 0), len(TAB_NAMES) - 1))

    def _restored_settings_note(self, saved) -> str:
        """What start-up says when the last session's settings differ from the tutorial's
        ("" when they do not)."""
        changes = self.train_tab.settings_changes() if saved else []
        if not changes:
            return ""
        listed = ", ".join(changes[:4]) + (", …" if len(changes) > 4 else "")
        return (f"Restored your last session's settings ({listed}); Training → Restore the "
                "tutorial's settings (or the button above the settings) goes back")

    def _default_size(self) -> None:
        screen = QApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 820)
            return
        available = screen.availableGeometry()
        width = min(1400, int(available.width() * 0.9))
        height = min(900, int(available.height() * 0.9))
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    # -- closing --------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.session.unsaved and not self._close_confirmed:
            event.ignore()
            self.ask_about_unsaved_model()
            return
        if not self.draw_tab.stop_teaching(3000):
            self.statusBar().showMessage("Stopping teaching before closing…")
            self.draw_tab.teachFinished.connect(self.close)
            event.ignore()
            return
        if not self.controller.shutdown(2000):
            # the worker is inside a long step: close once it has really ended, since
            # destroying a running thread would abort the whole process
            self.statusBar().showMessage("Stopping training before closing…")
            self.controller.runFinished.connect(self.close)
            event.ignore()
            return
        self._store.setValue("training", self.train_tab.current_settings().to_json())
        self._store.setValue("geometry", self.saveGeometry())
        self._store.setValue("tab", self.tabs.currentIndex())
        source = self.session.dataset.source
        self._store.setValue("last_data", "sample" if self.session.dataset.is_sample
                             else source)
        self._store.sync()
        if self.download is not None:
            self.download.cancel()
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)

    def ask_about_unsaved_model(self) -> QMessageBox:
        """The Save / Discard / Cancel question before closing with an unsaved trained model
        (non-blocking; the answer closes the window or not). Returns the box."""
        box = QMessageBox(QMessageBox.Icon.Question, "Save the trained model?",
                          f"The model was trained since it was last saved or loaded "
                          f"({self.session.model_description()}). Save it before quitting?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedModelBox")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._on_unsaved_answer)
        box.open()
        return box

    def _on_unsaved_answer(self, button: QPushButton) -> None:
        box = self.sender()
        role = box.standardButton(button) if isinstance(box, QMessageBox) else None
        if role == QMessageBox.StandardButton.Save:
            if not self.choose_model_path():
                return  # no file chosen, or saving failed (it said why): stay open
        elif role != QMessageBox.StandardButton.Discard:
            return  # Cancel, or the box was closed
        self._close_confirmed = True
        QTimer.singleShot(0, self.close)
