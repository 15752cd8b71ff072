"""What the File menu does: open and download data sets, load, save and export models.

:class:`FileActions` is mixed into :class:`nnviz.main_window.MainWindow` (it uses the
window's ``session``, ``controller``, ``train_tab``, ``statusBar()``, ``show_error`` and
its settings store ``_store``). Every action has a ``path`` (or ``dest``) argument, so
scripts and tests can run it without a file dialog; without one it asks. Model dialogs open
in the folder of the last model loaded or saved, else the user's data folder.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtWidgets import QFileDialog

from core.atomic_file import write_problem
from core.download import TITLES
from core.model_file import ModelFileError
from core.personal import default_folder
from nnviz.download_dialog import DatasetDownload
from nnviz.model_export import ONNX_INSTALL, export_onnx, export_pytorch, onnx_available

__all__ = ["FileActions"]


class FileActions:
    """The File menu's actions, for the main window."""

    def choose_dataset(self) -> None:
        self.train_tab.choose_dataset_folder()

    def choose_dataset_file(self) -> None:
        self.train_tab.choose_dataset_file()

    def model_folder(self) -> Path:
        """Where the model dialogs open: the folder of the last model loaded or saved, else
        the user's data folder (created if needed)."""
        last = self._store.value("model_folder")
        if last and Path(str(last)).is_dir():
            return Path(str(last))
        folder = default_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return Path.home()
        return folder

    def _remember_model_folder(self, path: Path) -> None:
        self._store.setValue("model_folder", str(path.resolve().parent))

    def choose_model_to_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a model", str(self.model_folder()),
                                              "nnviz models (*.npz)")
        if path:
            self.load_model(path)

    def load_model(self, path: str | Path) -> bool:
        """Replace the model by a file's; on a bad file say why and keep the current one."""
        if self.controller.is_running:
            self.show_error("Training is running", "Stop training before loading a model.")
            return False
        try:
            self.session.load_model(path)
        except ModelFileError as error:
            self.show_error("Cannot load this model", f"{error}\n\nThe current model is "
                            "unchanged.")
            return False
        self._remember_model_folder(Path(path))
        return True

    def choose_model_path(self) -> bool:
        """Ask where to save the model and save it; True when it was saved."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the model", str(self.model_folder() / "nnviz_model.npz"),
            "nnviz models (*.npz)")
        return bool(path) and self.save_model(path)

    def save_model(self, path: str | Path) -> bool:
        """Save the latest weights atomically; say so in the status bar."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        try:
            self.session.save_model(path)
        except OSError as error:
            self.show_error("Cannot save the model", f"{path}: {write_problem(error)}")
            return False
        self._remember_model_folder(path)
        self.statusBar().showMessage(f"Saved the model to {path}", 6000)
        return True

    def export_onnx(self, path: str | Path | None = None) -> bool:
        """Export the network as ONNX to ``path`` (asked for when None)."""
        if not onnx_available():
            self.show_error("ONNX export needs the onnx package",
                            f"Install it with\n\n    {ONNX_INSTALL}\n\n(or pip install onnx), "
                            "then start nnviz again.")
            return False
        return self._export_model(path, "Export the network as ONNX", "nnviz_model.onnx",
                                  "ONNX models (*.onnx)",
                                  lambda p: export_onnx(self.session, p))

    def export_pytorch(self, path: str | Path | None = None) -> bool:
        """Export a PyTorch script (and the weights it loads) to ``path`` (asked for when
        None)."""
        return self._export_model(path, "Export a PyTorch script", "nnviz_model.py",
                                  "Python scripts (*.py)",
                                  lambda p: export_pytorch(self.session,
                                                           self.train_tab.current_settings(), p))

    def _export_model(self, path, caption: str, name: str, filters: str, write) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, caption, str(self.model_folder() / name),
                                                  filters)
            if not path:
                return False
        try:
            said = write(path)
        except (ImportError, OSError, ValueError) as error:
            self.show_error("Export failed", str(error))
            return False
        self.statusBar().showMessage(said, 15000)
        return True

    # -- downloads ------------------------------------------------------------------------
    def download_dataset(self, dataset: str, dest: str | Path | None = None,
                         timeout: float | None = None) -> DatasetDownload | None:
        """Download ``dataset`` ("mnist", "fashion-mnist") into ``dest`` (default: the
        cache nnviz looks in) with a progress dialog; once done it is opened and chosen in
        the data combo. Returns the download (None when one is already running)."""
        if self.download is not None and self.download.is_running():
            self.statusBar().showMessage("A download is already running.", 6000)
            return None
        options = {} if timeout is None else {"timeout": timeout}
        self.download = DatasetDownload(dataset, dest, self, **options)
        self.download.succeeded.connect(self._on_download_succeeded)
        self.download.failed.connect(self._on_download_failed)
        self.download.cancelled.connect(self._on_download_cancelled)
        self.download.start()
        return self.download

    def _on_download_succeeded(self, dataset: str, folder: Path) -> None:
        self.train_tab.add_dataset_place(dataset, folder)
        if self.controller.is_running:
            self.statusBar().showMessage(f"{TITLES[dataset]} is ready in {folder}: choose it "
                                         "in the data list once training stops.", 15000)
        elif self.train_tab.open_dataset(folder, dataset):
            self.statusBar().showMessage(f"Downloaded {TITLES[dataset]} to {folder}; training "
                                         "now uses it.", 15000)

    def _on_download_failed(self, dataset: str, message: str) -> None:
        self.show_error(f"Cannot download {TITLES[dataset]}", message)

    def _on_download_cancelled(self, dataset: str) -> None:
        self.statusBar().showMessage(f"Download of {TITLES[dataset]} cancelled; nothing was "
                                     "kept.", 8000)

    def export_curves_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export curves", "nnviz_curves.csv",
                                              "CSV (*.csv)")
        if path:
            self._export(lambda: self.train_tab.curves.export_csv(path), path)

    def export_plot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plot", "nnviz_curves.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self._export(lambda: self.train_tab.curves.export_image(path), path)

    def _export(self, write, path: str) -> None:
        try:
            write()
        except (OSError, ValueError) as error:
            self.show_error("Export failed", str(error))
            return
        self.statusBar().showMessage(f"Exported {path}", 6000)

