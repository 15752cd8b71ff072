"""The window's menu bar: File, View, Training and Help, each entry with its shortcut
and status tip.

:class:`WindowMenus` is mixed into :class:`nnviz.main_window.MainWindow` (its entries call
the window's File actions, ``tabs``, ``train_tab``, ``undo_weights_change``, ``close`` and
the Help boxes). It keeps the entries others change later: ``undo_action`` (enabled while
there is something to undo) and ``onnx_action``.
"""

from __future__ import annotations

from PyQt6.QtGui import QAction, QKeySequence

from core.download import TITLES
from nnviz.model_export import ONNX_INSTALL
from nnviz.tabs.train.controls import download_label
from nnviz.window_tabs import TAB_NAMES

__all__ = ["WindowMenus"]


class WindowMenus:
    """The menu bar, for the main window."""

    def _build_menus(self, onnx_ready: bool) -> None:
        """The menu bar; ``onnx_ready``: whether the onnx package is there (else the ONNX
        entry says how to install it)."""
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
        if onnx_ready:
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
