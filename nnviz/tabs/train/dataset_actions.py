"""The Train tab's data set: the data combo, opening a data set (a folder of IDX files, a
Keras .npz file, the bundled sample, a finished download) and the line that describes it.

:class:`DatasetActions` is mixed into :class:`nnviz.tabs.train.tab.TrainTab` (it uses the
tab's ``session``, ``controller``, ``dataset_combo``, ``dataset_info``, ``sample_strip``,
``validation_spin``, ``_datasets``, its signals and ``_update_augment_warning``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtWidgets import QFileDialog

from core.data import DataError
from core.model import validation_split_index
from nnviz.tabs.train.controls import fill_dataset_combo
from nnviz.theme import plot_colors
from nnviz.widgets.digit_image import digit_pixmap

__all__ = ["SAMPLE_STRIP", "DatasetActions"]

SAMPLE_STRIP = 10


class DatasetActions:
    """The data set for the Train tab: :meth:`open_dataset`, :meth:`add_dataset_place`,
    :meth:`choose_dataset_folder`, :meth:`choose_dataset_file` and the combo's slots."""

    def open_dataset(self, source: str | Path, dataset: str = "mnist") -> bool:
        """Switch data sets; on a bad file or folder say why and keep the current one."""
        if self.controller.is_running:
            self.errorOccurred.emit("Training is running",
                                    "Stop training before changing the data set.")
            self._select_current_dataset()
            return False
        try:
            data = self.session.open_dataset(source, dataset)
        except DataError as error:
            self.errorOccurred.emit("Cannot open this data set",
                                    f"{error}\n\nThe data set in use is unchanged.")
            self._select_current_dataset()
            return False
        self.statusMessageChanged.emit(f"Data: {data.describe()}")
        return True

    def add_dataset_place(self, dataset: str, folder: str | Path) -> None:
        """Offer ``dataset`` ("mnist", "fashion-mnist") from ``folder`` in the data combo
        (after a download), in place of its download entry."""
        self._datasets[dataset] = Path(folder)
        fill_dataset_combo(self.dataset_combo, self._datasets)
        self._select_current_dataset()

    def choose_dataset_folder(self) -> None:
        """Ask for a folder of IDX files and open it."""
        folder = QFileDialog.getExistingDirectory(self, "Folder with the four IDX files")
        if folder:
            self.open_dataset(folder)
        else:
            self._select_current_dataset()

    def choose_dataset_file(self) -> None:
        """Ask for a Keras .npz file and open it."""
        path, _ = QFileDialog.getOpenFileName(self, "A Keras MNIST or Fashion-MNIST file", "",
                                              "Keras data sets (*.npz)")
        if path:
            self.open_dataset(path)
        else:
            self._select_current_dataset()

    # -- the combo and the description ----------------------------------------------------
    def _on_dataset_combo_activated(self, index: int) -> None:
        key = self.dataset_combo.itemData(index)
        if key == "open":
            self.choose_dataset_folder()
        elif key == "open-npz":
            self.choose_dataset_file()
        elif key == "sample":
            self.open_dataset("sample")
        elif key.startswith("download:"):
            self._select_current_dataset()  # the combo shows the data in use until it is done
            self.downloadRequested.emit(key.partition(":")[2])
        elif key != "custom":
            self.open_dataset(self._datasets[key], key)

    def _select_current_dataset(self) -> None:
        """Show the data set in use in the combo (an extra entry for one opened by hand)."""
        data = self.session.dataset
        combo = self.dataset_combo
        combo.blockSignals(True)
        custom = combo.findData("custom")
        if custom >= 0:
            combo.removeItem(custom)
        found = self._datasets.get(data.name)
        if data.is_sample:
            index = combo.findData("sample")
        elif found is not None and Path(str(found)) == Path(data.source):
            index = combo.findData(data.name)
        else:
            index = combo.findData("open")  # before the "Open…" entries
            combo.insertItem(index, f"{data.name}: {data.source}", "custom")
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def _show_dataset(self) -> None:
        data = self.session.dataset
        split = self.validation_spin.value()
        n = len(data.y_train)
        n_val = n - validation_split_index(n, split)
        self.dataset_info.setText(
            f"<b>{data.name}</b>: {n:,} training images → {n - n_val:,} to train on and "
            f"{n_val:,} for validation (the last {split:.0%}); {len(data.y_test):,} test "
            f"images.<br><span style='color:{plot_colors().muted}'>{data.source}</span>")
        if n:
            strip = np.concatenate(list(data.x_train[:SAMPLE_STRIP]), axis=1)
            self.sample_strip.setPixmap(digit_pixmap(strip, 1))
        self._select_current_dataset()
        self._update_augment_warning()
