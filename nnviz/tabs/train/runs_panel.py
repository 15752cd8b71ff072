"""The runs panel: every kept run in a sortable table, ticks to compare, and what differs.

The table lists the runs of a :class:`core.runs.RunHistory` (newest first until a header
is clicked), one row each (:func:`nnviz.tabs.train.runs_state.run_cells`). The name cell
has the tick that draws a run's curves over the live ones and can be edited to rename
the run. Below: delete (to the trash, so Undo brings the runs back until nnviz closes),
export a run's curves as CSV, load its network and weights, follow it on the timeline.
Beside the table, :class:`~nnviz.tabs.train.differences.DifferencesTable` says what
differs between the ticked runs and what came out of each.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.atomic_file import write_problem
from core.runs import Run, RunFileError, RunNotFound
from core.runs import RunHistory as RunStore
from nnviz.tabs.train.differences import DifferencesTable
from nnviz.tabs.train.runs_state import (
    COLUMNS,
    HEADER_TIPS,
    HEADERS,
    RESULT_TIPS,
    Ticks,
    difference_rows,
    result_rows,
    run_cells,
)
from nnviz.theme import RUN_COLORS

__all__ = ["RunsPanel"]

SORT_KEY = Qt.ItemDataRole.UserRole
RUN_ID = Qt.ItemDataRole.UserRole + 1


class _Item(QTableWidgetItem):
    """A cell that sorts by its key (numbers as numbers), not by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_KEY), other.data(SORT_KEY)
        try:
            return mine < theirs
        except TypeError:
            return str(mine) < str(theirs)


class RunsPanel(QWidget):
    """Every kept run, to tick, compare, rename, delete, export and load.

    Signals: ``tickedChanged()`` (see :meth:`ticked`), ``loadRequested(run_id)``,
    ``timelineRequested(run_id)``, ``runsChanged()`` (runs listed, renamed or deleted),
    ``statusMessageChanged(text)``, ``errorOccurred(title, text)``.
    """

    tickedChanged = pyqtSignal()
    loadRequested = pyqtSignal(str)
    timelineRequested = pyqtSignal(str)
    runsChanged = pyqtSignal()
    statusMessageChanged = pyqtSignal(str)
    errorOccurred = pyqtSignal(str, str)

    def __init__(self, store: RunStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.store = store
        self.ticks = Ticks()
        """The ticked runs and their colours."""
        self._recording: str | None = None
        self._deleted: list[list[str]] = []  # what Undo brings back, latest last
        self._filling = False
        self._build()
        self.reload()

    def _build(self) -> None:
        t = self.table = QTableWidget(0, len(COLUMNS))
        t.setObjectName("runsTable")
        for column, key in enumerate(COLUMNS):
            header = QTableWidgetItem(HEADERS[key])
            header.setToolTip(HEADER_TIPS[key])
            t.setHorizontalHeaderItem(column, header)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed)
        t.setWordWrap(False)
        t.verticalHeader().hide()
        t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 8)
        head = t.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        head.setMaximumSectionSize(240)
        t.setSortingEnabled(True)
        t.sortItems(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
        t.itemChanged.connect(self._on_table_item_changed)
        t.itemSelectionChanged.connect(self._update_buttons)

        buttons = (
            ("delete_button", "Delete", "runsDeleteButton",
             "Move the selected runs to the trash (Undo brings them back until nnviz closes)."),
            ("undo_button", "Undo delete", "runsUndoButton", "Bring back the runs deleted last."),
            ("export_button", "Export CSV…", "runsExportButton",
             "Write the selected run's curves, every batch and epoch, to a CSV file."),
            ("load_button", "Load its network", "runsLoadButton",
             "Use the selected run's network with the weights of its last checkpoint (or of "
             "the checkpoint the timeline shows, when it shows this run)."),
            ("timeline_button", "Show on the timeline", "runsTimelineButton",
             "Scrub through this run's checkpoints with the timeline below the tabs."),
        )
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for attribute, text, name, tip in buttons:
            button = QPushButton(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            setattr(self, attribute, button)
            row.addWidget(button)
        row.addStretch(1)
        self.delete_button.clicked.connect(lambda: self.delete())
        self.undo_button.clicked.connect(self.undo_delete)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.timeline_button.clicked.connect(self._on_timeline_button_clicked)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.table, 1)
        column.addLayout(row)
        self.differences = DifferencesTable()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.differences)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # -- listing ----------------------------------------------------------------------
    def reload(self) -> None:
        """List the kept runs again (ticks and the selection stay where their runs do)."""
        runs = self.store.runs()
        selected = self.selected_run()
        t = self.table
        self._filling = True
        sorting = t.isSortingEnabled()
        t.setSortingEnabled(False)
        t.setRowCount(len(runs))
        for row, run in enumerate(runs):
            self._fill_row(row, run)
        t.setSortingEnabled(sorting)
        self._filling = False
        t.resizeColumnsToContents()
        if self.ticks.keep_only([run.id for run in runs]):
            self.tickedChanged.emit()
        if selected is not None:
            self.select(selected)
        if self.store.problems:
            self.statusMessageChanged.emit("Some kept runs cannot be read: "
                                           + "; ".join(self.store.problems[:3]))
        self._show_differences()
        self._update_buttons()
        self.runsChanged.emit()

    def _fill_row(self, row: int, run: Run) -> None:
        cells = run_cells(run)
        if run.id == self._recording:
            cells["epochs"] = replace(cells["epochs"], text=cells["epochs"].text + " (training)")
        for column, key in enumerate(COLUMNS):
            cell = cells[key]
            item = self.table.item(row, column)
            if not isinstance(item, _Item):
                item = _Item()
                self.table.setItem(row, column, item)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if key == "name":
                flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            item.setText(cell.text)
            item.setData(SORT_KEY, cell.key)
            item.setToolTip(cell.tip)
            if key == "name":
                item.setData(RUN_ID, run.id)
                item.setCheckState(Qt.CheckState.Checked if run.id in self.ticks
                                   else Qt.CheckState.Unchecked)
                self._show_tick_color(item, run.id)
            else:
                item.setTextAlignment(Qt.AlignmentFlag.AlignVCenter | (
                    Qt.AlignmentFlag.AlignRight if key in ("epochs", "best", "zeros")
                    else Qt.AlignmentFlag.AlignLeft))

    def _show_tick_color(self, item: QTableWidgetItem, run_id: str) -> None:
        if run_id in self.ticks:
            item.setForeground(QBrush(QColor(*self.color(run_id))))
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def refresh_run(self, run_id: str, run: Run | None = None) -> None:
        """Show a run's row afresh (``run``: its state now, e.g. of the run recording;
        default: read from the store), adding it when it is new."""
        row = self._row_of(run_id)
        if row is None:
            self.reload()
            return
        if run is None:
            try:
                run = self.store.get(run_id)
            except (RunNotFound, RunFileError):
                self.reload()
                return
        t = self.table
        self._filling = True
        sorting = t.isSortingEnabled()
        t.setSortingEnabled(False)
        self._fill_row(row, run)
        t.setSortingEnabled(sorting)
        self._filling = False
        if run_id in self.ticks:
            self._show_differences()

    def set_recording(self, run_id: str | None) -> None:
        """The run being recorded now (its row says so, it cannot be deleted), or None."""
        before, self._recording = self._recording, run_id
        for changed in {before, run_id} - {None}:
            self.refresh_run(changed)
        self._update_buttons()

    def run_ids(self) -> list[str]:
        """Every listed run's id, in table order."""
        column = COLUMNS.index("name")
        return [self.table.item(row, column).data(RUN_ID) for row in range(self.table.rowCount())]

    def cell_text(self, run_id: str, column: str) -> str:
        """What a run's cell in ``column`` (one of :data:`COLUMNS`) says."""
        return self.table.item(self._row_of(run_id), COLUMNS.index(column)).text()

    def sort_by(self, column: str, descending: bool = False) -> None:
        """Sort the table by ``column`` (one of :data:`COLUMNS`), as a header click does."""
        self.table.sortItems(COLUMNS.index(column), Qt.SortOrder.DescendingOrder if descending
                             else Qt.SortOrder.AscendingOrder)

    def _row_of(self, run_id: str) -> int | None:
        for row, found in enumerate(self.run_ids()):
            if found == run_id:
                return row
        return None

    # -- selection --------------------------------------------------------------------
    def selected_run(self) -> str | None:
        """The run of the current row (the first selected), or None."""
        runs = self.selected_runs()
        return runs[0] if runs else None

    def selected_runs(self) -> list[str]:
        column = COLUMNS.index("name")
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(row, column).data(RUN_ID) for row in rows]

    def select(self, run_id: str) -> None:
        row = self._row_of(run_id)
        if row is not None:
            self.table.selectRow(row)

    # -- ticks ------------------------------------------------------------------------
    def ticked(self) -> list[str]:
        """The ticked runs, in the order they were ticked."""
        return self.ticks.ids()

    def set_ticked(self, run_id: str, on: bool = True) -> None:
        """Tick (or untick) a run, as its check box does."""
        row = self._row_of(run_id)
        if row is not None:
            self.table.item(row, COLUMNS.index("name")).setCheckState(
                Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def color(self, run_id: str) -> tuple[int, int, int]:
        """The curve colour of a ticked run."""
        return RUN_COLORS[self.ticks.color(run_id) % len(RUN_COLORS)]

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != COLUMNS.index("name"):
            return
        run_id = item.data(RUN_ID)
        on = item.checkState() == Qt.CheckState.Checked
        if self.ticks.set(run_id, on):
            self._filling = True
            self._show_tick_color(item, run_id)
            self._filling = False
            self._show_differences()
            self.tickedChanged.emit()
            return
        try:
            name = self.store.get(run_id).name
        except (RunNotFound, RunFileError):
            return
        if item.text() != name:
            self.rename(run_id, item.text())

    def _show_differences(self) -> None:
        runs = []
        for run_id in self.ticked():
            try:
                runs.append(self.store.get(run_id))
            except (RunNotFound, RunFileError):
                continue
        self.differences.show_runs([run.name for run in runs],
                                   [self.color(run.id) for run in runs],
                                   difference_rows(runs), result_rows(runs), RESULT_TIPS)

    # -- actions ----------------------------------------------------------------------
    def rename(self, run_id: str, name: str) -> bool:
        """Give a run a new name; a bad name (empty, too long) is said and changes nothing."""
        try:
            run = self.store.rename(run_id, name)
        except (ValueError, OSError, RunNotFound) as error:
            reason = write_problem(error) if isinstance(error, OSError) else str(error)
            self.statusMessageChanged.emit(f"The run keeps its name: {reason}.")
            self.refresh_run(run_id)
            return False
        self.refresh_run(run_id, run)
        self.statusMessageChanged.emit(f"Run renamed “{run.name}”.")
        self.runsChanged.emit()
        return True

    def delete(self, run_ids: list[str] | None = None) -> bool:
        """Move runs (default: the selected ones) to the trash; Undo brings them back."""
        run_ids = self.selected_runs() if run_ids is None else list(run_ids)
        if self._recording in run_ids:
            self.statusMessageChanged.emit("A run cannot be deleted while it trains; stop "
                                           "it first.")
            run_ids = [run_id for run_id in run_ids if run_id != self._recording]
        deleted, names = [], []
        for run_id in run_ids:
            try:
                names.append(self.store.get(run_id).name)
                self.store.delete(run_id)
            except (ValueError, OSError, RunNotFound) as error:
                self.errorOccurred.emit("Cannot delete the run", str(error))
                continue
            deleted.append(run_id)
        if not deleted:
            return False
        self._deleted.append(deleted)
        self.reload()
        what = f"“{names[0]}”" if len(names) == 1 else f"{len(names)} runs"
        self.statusMessageChanged.emit(f"Deleted {what}; Undo delete brings it back.")
        return True

    def undo_delete(self) -> bool:
        """Bring back the runs deleted last (False when there are none)."""
        if not self._deleted:
            return False
        restored = []
        for run_id in self._deleted.pop():
            try:
                self.store.restore(run_id)
                restored.append(run_id)
            except (ValueError, OSError, RunNotFound) as error:
                self.errorOccurred.emit("Cannot bring the run back", str(error))
        self.reload()
        for run_id in restored:
            self.select(run_id)
        self.statusMessageChanged.emit(f"Brought back {len(restored)} run(s).")
        return bool(restored)

    def forget_deleted(self) -> None:
        """Empty the trash for good (runs deleted in an earlier session)."""
        self.store.empty_trash()
        self._deleted.clear()
        self._update_buttons()

    def export_csv(self, run_id: str | None = None, path: str | Path | None = None) -> bool:
        """Write a run's curves (default: the selected run's) as CSV to ``path`` (default:
        ask); a failure is said and leaves no half file."""
        run_id = run_id or self.selected_run()
        if run_id is None:
            return False
        if path is None:
            name = self.store.get(run_id).name
            path, _ = QFileDialog.getSaveFileName(self, f"Export the curves of “{name}”",
                                                  f"{run_id}.csv", "CSV files (*.csv)")
            if not path:
                return False
        try:
            written = self.store.export_csv(run_id, path)
        except (OSError, RunFileError, RunNotFound) as error:
            reason = write_problem(error) if isinstance(error, OSError) else str(error)
            self.errorOccurred.emit("Cannot export the curves", reason)
            return False
        self.statusMessageChanged.emit(f"Curves written to {written}.")
        return True

    def _on_load_button_clicked(self) -> None:
        run_id = self.selected_run()
        if run_id is not None:
            self.loadRequested.emit(run_id)

    def _on_timeline_button_clicked(self) -> None:
        run_id = self.selected_run()
        if run_id is not None:
            self.timelineRequested.emit(run_id)

    def _update_buttons(self) -> None:
        selected = self.selected_runs()
        one = len(selected) == 1
        self.delete_button.setEnabled(bool(set(selected) - {self._recording}))
        self.undo_button.setEnabled(bool(self._deleted))
        for button in (self.export_button, self.load_button, self.timeline_button):
            button.setEnabled(one)
        self.load_button.setEnabled(one and selected[0] != self._recording)
