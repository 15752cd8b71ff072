"""The network editor: presets, one row per layer, the checks, and Build.

A view over a :class:`~nnviz.tabs.network.state.NetworkDraft` (``draft``): every user
action becomes one of the draft's edits, and after each the rows show the draft's fresh
report (output shapes, weight counts, problems beside their layer, a summary and the
total). Rows are rebuilt only when layers are added, removed or moved; a setting typed
into a row only updates the labels. The editor never builds or trains anything itself:
Build emits ``buildRequested`` and the window hands the new model to the session.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.models import PRESET_INFO
from nnviz.tabs.network.fields import LAYER_HELP, NEW_LAYERS
from nnviz.tabs.network.row import LayerRow, heading_row
from nnviz.tabs.network.state import NetworkDraft
from nnviz.theme import NETWORK

__all__ = ["NetworkEditor"]

MAX_SEED = 2**31 - 1


class NetworkEditor(QWidget):
    """Edit a network's layers, see every shape and mistake at once, build it.

    Public API: :meth:`architecture`, :meth:`set_architecture`, :meth:`load_preset`,
    :meth:`use_current_network`, :meth:`add_layer`, :meth:`remove_layer`,
    :meth:`move_layer`, :meth:`set_layer_setting`, :meth:`undo`, :meth:`redo`,
    :meth:`rows`, :meth:`set_current_model`, :meth:`set_read_only`, :meth:`build_model`,
    :meth:`has_unbuilt_changes`, ``draft`` (the Qt-free state).

    Signals: ``architectureChanged()`` after every edit (and when the current network
    changes), ``buildRequested()`` when Build is clicked.
    """

    architectureChanged = pyqtSignal()
    buildRequested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkEditor")
        self.draft = NetworkDraft()
        self._rows: list[LayerRow] = []
        self._selected: int | None = None
        self._read_only = False
        self._build_ui()
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.redo,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._rebuild_rows()

    # -- building the widget ------------------------------------------------------------
    def _build_ui(self) -> None:
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.addItem("Start from a preset…", None)
        for key, info in PRESET_INFO.items():
            self.preset_combo.addItem(info.display_name, key)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, info.description,
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setToolTip("Replace the layers below by a ready-made network "
                                     "(Undo brings them back).")
        self.preset_combo.activated.connect(self._on_preset_combo_activated)
        self.current_button = QPushButton("Current network")
        self.current_button.setObjectName("currentNetworkButton")
        self.current_button.setToolTip("Start again from the network the Train tab trains "
                                       "now (drops the edits; Undo brings them back).")
        self.current_button.clicked.connect(self.use_current_network)
        self.add_combo = QComboBox()
        self.add_combo.setObjectName("addLayerCombo")
        for class_name in NEW_LAYERS:
            self.add_combo.addItem(class_name, class_name)
            self.add_combo.setItemData(self.add_combo.count() - 1, LAYER_HELP[class_name],
                                       Qt.ItemDataRole.ToolTipRole)
        self.add_combo.setToolTip("The type of layer to add.")
        self.add_button = QPushButton("Add layer")
        self.add_button.setObjectName("addLayerButton")
        self.add_button.setToolTip("Add the chosen layer after the selected row (click a row "
                                   "to select it); with none selected, maps layers go before "
                                   "the Flatten and the others before the output layer.")
        self.add_button.clicked.connect(
            lambda: self.add_layer(self.add_combo.currentData(), self._insert_position()))
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("editorUndoButton")
        self.undo_button.setToolTip("Take back the last edit (Ctrl+Z).")
        self.undo_button.clicked.connect(self.undo)
        self.redo_button = QPushButton("Redo")
        self.redo_button.setObjectName("editorRedoButton")
        self.redo_button.setToolTip("Do the undone edit again (Ctrl+Shift+Z).")
        self.redo_button.clicked.connect(self.redo)
        bar = QHBoxLayout()
        for widget in (self.preset_combo, self.current_button):
            bar.addWidget(widget)
        bar.addSpacing(18)
        for widget in (QLabel("Add"), self.add_combo, self.add_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)

        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("readOnlyLabel")
        self.read_only_label.setWordWrap(True)
        fill = "rgba({}, {}, {}, {})".format(*NETWORK.locked_fill)
        self.read_only_label.setStyleSheet(f"background: {fill}; padding: 4px;")
        self.read_only_label.hide()

        self.rows_widget = QWidget()
        outer = QVBoxLayout(self.rows_widget)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addWidget(heading_row())
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(2)
        outer.addLayout(self.rows_layout)
        outer.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("layerRows")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.rows_widget)

        self.total_label = QLabel()
        self.total_label.setObjectName("totalLabel")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("problemsSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()
        self.note_label.setObjectName("editorNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"color: {NETWORK.muted};")

        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("seedSpin")
        self.seed_spin.setRange(0, MAX_SEED)
        self.seed_spin.setToolTip("The seed of the random first weights: the same network "
                                  "and seed always start from the same weights.")
        self.seed_spin.valueChanged.connect(self._on_seed_spin_changed)
        self.build_button = QPushButton("Build")
        self.build_button.setObjectName("buildButton")
        self.build_button.setToolTip("Make a fresh network of these layers, with random "
                                     "weights from the seed, and train it on the Train tab "
                                     "(Training → Undo brings the previous one back).")
        self.build_button.clicked.connect(self._on_build_button_clicked)
        self.status_label = QLabel()
        self.status_label.setObjectName("buildStatus")
        self.status_label.setWordWrap(True)
        build_row = QHBoxLayout()
        build_row.addWidget(QLabel("Seed"))
        build_row.addWidget(self.seed_spin)
        build_row.addWidget(self.build_button)
        build_row.addWidget(self.status_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.note_label)
        layout.addLayout(build_row)

    # -- the public API ------------------------------------------------------------------
    def architecture(self) -> dict:
        """The network being edited, as a ``Sequential.get_config()``-style dict."""
        return self.draft.architecture()

    def set_architecture(self, config: dict) -> None:
        """Edit ``config`` (a ``get_config()``-style dict, e.g. from :meth:`architecture`);
        undoable. Raises ValueError, changing nothing, for a config without layers."""
        self._edit(lambda: self.draft.set_architecture(config), structural=True)

    def load_preset(self, name: str) -> None:
        """Replace the layers by preset ``name`` (a key of ``core.models.PRESETS``)."""
        self._edit(lambda: self.draft.load_preset(name), structural=True)

    def use_current_network(self) -> None:
        """Back to the network the session trains now (undoable)."""
        self._edit(self.draft.revert, structural=True)

    def add_layer(self, class_name: str, index: int | None = None) -> int:
        """Insert a ``class_name`` layer at ``index`` (default: where such layers go);
        returns its row."""
        at = self._edit(lambda: self.draft.add(class_name, index), structural=True)
        self._select(at)
        return at

    def remove_layer(self, index: int) -> None:
        self._edit(lambda: self.draft.remove(index), structural=True)
        self._select(None)

    def move_layer(self, index: int, to: int) -> int:
        """Move row ``index`` to position ``to``; returns where it is now."""
        at = self._edit(lambda: self.draft.move(index, to), structural=True)
        self._select(at)
        return at

    def set_layer_setting(self, index: int, key: str, value) -> None:
        """Set one setting of row ``index`` (its control shows the new value)."""
        self._edit(lambda: self.draft.set_setting(index, key, value), structural=True)

    def undo(self) -> bool:
        return bool(self._edit(self.draft.undo, structural=True))

    def redo(self) -> bool:
        return bool(self._edit(self.draft.redo, structural=True))

    def rows(self) -> list[LayerRow]:
        """The rows shown, one per layer of :meth:`architecture`."""
        return list(self._rows)

    def set_current_model(self, model) -> None:
        """The session trains ``model`` now: the editor shows its layers unless it holds
        edits of its own, which it keeps (they are then unbuilt changes)."""
        followed = self.draft.follow(model)
        self._rebuild_rows() if followed else self._show_report()
        self.architectureChanged.emit()

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        """Lock the editor (a run is going: the network cannot change under it), with
        ``reason`` shown above the rows."""
        self._read_only = read_only
        self.read_only_label.setText(reason)
        self.read_only_label.setVisible(read_only and bool(reason))
        for widget in (self.preset_combo, self.current_button, self.add_combo, self.add_button,
                       self.seed_spin):
            widget.setEnabled(not read_only)
        for row in self._rows:
            row.set_editable(not read_only)
        self._show_status()

    def is_read_only(self) -> bool:
        return self._read_only

    def has_unbuilt_changes(self) -> bool:
        """Whether the layers differ from the network the session trains now."""
        return self.draft.has_changes()

    def can_build(self) -> bool:
        return not self.draft.problems and not self._read_only

    def build_model(self):
        """A fresh, seeded model of the layers (not compiled); ValueError saying why when
        the network has problems."""
        return self.draft.build()

    def problems(self) -> list[str]:
        return list(self.draft.problems)

    # -- internals ------------------------------------------------------------------------
    def _edit(self, action, structural: bool):
        if self._read_only:
            return None
        result = action()
        if structural:
            self._rebuild_rows()
        else:
            self._show_report()
        self.architectureChanged.emit()
        return result

    def _on_setting_typed(self, index: int, key: str, value) -> None:
        """A row's control changed: only the labels follow (the controls stay, so the
        cursor stays in the field being typed in)."""
        if self._read_only:
            return
        self.draft.set_setting(index, key, value)
        self._show_report()
        self.architectureChanged.emit()

    def _insert_position(self) -> int | None:
        return None if self._selected is None else self._selected + 1

    def _select(self, index: int | None) -> None:
        self._selected = index if index is not None and index < len(self._rows) else None
        for row in self._rows:
            row.set_selected(row.index == self._selected)

    def _rebuild_rows(self) -> None:
        for row in self._rows:
            row.setParent(None)
            row.deleteLater()
        while self.rows_layout.count():
            self.rows_layout.takeAt(0)
        layers = self.draft.layers
        self._rows = [LayerRow(i, spec, len(layers)) for i, spec in enumerate(layers)]
        for row in self._rows:
            row.settingChanged.connect(self._on_setting_typed)
            row.moveRequested.connect(self.move_layer)
            row.removeRequested.connect(self.remove_layer)
            row.fixRequested.connect(self._on_row_fix_requested)
            row.clicked.connect(self._select)
            row.set_editable(not self._read_only)
            self.rows_layout.addWidget(row)
        # wide enough for the widest row: the window's other parts give way first
        widest = max((row.minimumSizeHint().width() for row in self._rows), default=0)
        self.scroll.setMinimumWidth(widest + self.scroll.verticalScrollBar().sizeHint().width()
                                    + 2 * self.scroll.frameWidth())
        self.seed_spin.blockSignals(True)
        self.seed_spin.setValue(self.draft.seed)
        self.seed_spin.blockSignals(False)
        self._select(self._selected)
        self._show_report()

    def _show_report(self) -> None:
        draft = self.draft
        report = draft.report
        general = draft.network_problems()
        for row in self._rows:
            layer = report.layers[row.index] if row.index < len(report.layers) else None
            name = layer.name if layer is not None else f"layer {row.index + 1}"
            extra = general if row.index == len(self._rows) - 1 else []
            row.show_report(name, layer, draft.fixes(row.index), extra)
            row.set_editable(not self._read_only)
        adds = report.multiply_adds
        known = all(layer.output_shape is not None for layer in report.layers)
        total = (f"<b>Total: {report.total_params:,} weights</b> · {adds / 1e6:.2f} million "
                 "multiply-adds per digit" if known else
                 f"<b>So far: {report.total_params:,} weights</b> (the layers after a problem "
                 "cannot be counted yet)")
        self.total_label.setText(f"{total} · name “{draft.title}”")
        problems = report.problems
        if problems:
            count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
            listed = "<br>".join(f"⚠ {p}" for p in problems[:4])
            more = f"<br>… and {len(problems) - 4} more" if len(problems) > 4 else ""
            self.summary_label.setText(f"<span style='color:{NETWORK.problem}'><b>{count} — "
                                       f"fix {'it' if len(problems) == 1 else 'them'} to "
                                       f"build or train:</b><br>{listed}{more}</span>")
        else:
            self.summary_label.setText(f"<span style='color:{NETWORK.ok}'>✓ Every shape fits: "
                                       "this network can be built and trained.</span>")
        self.note_label.setText(draft.note)
        self.note_label.setVisible(bool(draft.note))
        self.undo_button.setEnabled(draft.can_undo())
        self.redo_button.setEnabled(draft.can_redo())
        self._show_status()

    def _show_status(self) -> None:
        draft = self.draft
        if self._read_only:
            text, color = "Training is running: Build is off until it ends.", NETWORK.muted
        elif draft.problems:
            text, color = "Fix the problems above to build this network.", NETWORK.problem
        elif draft.has_changes():
            text = (f"Unbuilt changes: Build makes a fresh “{draft.title}” with seed "
                    f"{draft.seed}; Start on the Train tab builds it first too.")
            color = NETWORK.pending
        else:
            text, color = ("The Train tab trains this network. Build starts it again from "
                           "fresh weights."), NETWORK.ok
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {color};")
        self.build_button.setEnabled(self.can_build())

    def _on_preset_combo_activated(self, index: int) -> None:
        key = self.preset_combo.itemData(index)
        self.preset_combo.setCurrentIndex(0)
        if key is not None:
            self.load_preset(key)

    def _on_row_fix_requested(self, index: int, action: str) -> None:
        fix = next((f for f in self.draft.fixes(index) if f.action == action), None)
        if fix is not None:
            self._edit(lambda: self.draft.apply(fix), structural=True)

    def _on_seed_spin_changed(self, value: int) -> None:
        self.draft.seed = int(value)
        self._show_status()

    def _on_build_button_clicked(self) -> None:
        if self.can_build():
            self.buildRequested.emit()
