"""The Inside tab: filters, feature maps and layer statistics, live while training runs.

A QWidget facade over four views: the network view (the architecture strip over every
layer's output for the chosen input), the explanation of the value under the mouse, the
conv filters, and the per-layer statistics. The tab owns a private clone of the model
(:meth:`InsideTab.set_model`) and runs forward passes on it from the UI thread; while a
trainer runs elsewhere it only ever receives copies (:meth:`InsideTab.show_snapshot`), so
it never reads an array the optimizer is writing. When the tab is hidden a snapshot only
updates the weights and the history; the pictures are redrawn when it is shown again.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.data import as_network_input
from core.diagnostics import Snapshot, take_snapshot
from core.model import Sequential
from nnviz.tabs.inside.colors import SCALE_LABELS, SCALE_MODES
from nnviz.tabs.inside.explain_panel import ExplainPanel
from nnviz.tabs.inside.filter_grid import FiltersPanel
from nnviz.tabs.inside.network_view import NetworkView, Target
from nnviz.tabs.inside.picker import DRAWN, InputPicker
from nnviz.tabs.inside.stages import Stage, explain, network_stages, stage_outputs
from nnviz.tabs.inside.stats import StatsPanel

_PREDICT_EVERY = 1.0
"""Seconds between updates of the picker's guesses during training."""
_SCALE_TIP = (
    "How feature-map colours are scaled. Every scale is symmetric around 0 (white), so\n"
    "the colour always tells the sign: blue negative, red positive.\n"
    "• per map: each map uses its own largest |value| — shows the pattern in every map,\n"
    "  even faint ones, but maps cannot be compared;\n"
    "• per layer: one range per layer — compare maps of the same layer;\n"
    "• global: one range for the whole network — compare layers.\n"
    "The range in use is printed under each layer's box (and in the filter legends)."
)


class InsideTab(QWidget):
    """Look inside the network: filters, feature maps, statistics.

    Public API for the main window: :meth:`set_model`, :meth:`show_snapshot`,
    :meth:`set_samples`, :meth:`set_drawn_input`; for tests and scripts also
    :meth:`model`, :meth:`select_input`, :meth:`set_scale_mode`, :meth:`current_input`,
    :meth:`stages`, and the views ``picker``, ``network_view``, ``explain_panel``,
    ``filters_panel``, ``stats_panel``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insideTab")
        self._model: Sequential | None = None
        self._stages: list[Stage] = []
        self._conv_layers: list[str] = []
        self._samples = np.zeros((0, 28, 28), dtype=np.uint8)
        self._labels = np.zeros(0, dtype=np.int64)
        self._drawn: np.ndarray | None = None
        self._input: np.ndarray | None = None          # (C, H, W) float32
        self._activations: list[np.ndarray] | None = None
        self._outputs: list[np.ndarray] | None = None
        self._hover: Target | None = None
        self._pin: Target | None = None
        self._dirty = False
        self._predicted_at = -np.inf
        self._predict_timer = QTimer(self)
        self._predict_timer.setSingleShot(True)
        self._predict_timer.timeout.connect(self._on_predict_timer_timeout)

        self.picker = InputPicker()
        self.picker.selectionChanged.connect(self._on_picker_selection_changed)
        self.next_button = QPushButton("Other digits")
        self.next_button.setToolTip("Show another 20 validation digits to choose from.")
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.scale_combo = QComboBox()
        for mode in SCALE_MODES:
            self.scale_combo.addItem(SCALE_LABELS[mode], mode)
        self.scale_combo.setCurrentIndex(SCALE_MODES.index("layer"))
        self.scale_combo.setToolTip(_SCALE_TIP)
        self.scale_combo.currentIndexChanged.connect(self._on_scale_combo_changed)

        self.network_view = NetworkView()
        self.network_view.hovered.connect(self._on_network_hovered)
        self.network_view.pinned.connect(self._on_network_pinned)
        self.network_view.stageClicked.connect(self._on_network_stage_clicked)
        self.explain_panel = ExplainPanel()
        self.filters_panel = FiltersPanel()
        self.stats_panel = StatsPanel()
        self.stats_panel.layerSelected.connect(self._on_stats_layer_selected)

        top = QHBoxLayout()
        input_label = QLabel("Input:")
        input_label.setToolTip(self.picker.toolTip())
        top.addWidget(input_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.picker, 1)
        side = QVBoxLayout()
        side.setSpacing(4)
        side.addWidget(self.next_button)
        scale_row = QHBoxLayout()
        scale_label = QLabel("Colours:")
        scale_label.setToolTip(_SCALE_TIP)
        scale_row.addWidget(scale_label)
        scale_row.addWidget(self.scale_combo)
        side.addLayout(scale_row)
        top.addLayout(side)

        explain_box = self._boxed("How this value was computed", self.explain_panel)
        filters_box = self._boxed("Filters (kernels) of the conv layers", self.filters_panel)
        stats_box = self._boxed("Layer statistics over training", self.stats_panel)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        for box, stretch in ((explain_box, 3), (filters_box, 4), (stats_box, 5)):
            self.bottom_splitter.addWidget(box)
            self.bottom_splitter.setStretchFactor(self.bottom_splitter.count() - 1, stretch)
        self.bottom_splitter.setSizes([330, 430, 500])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.network_view)
        self.splitter.addWidget(self.bottom_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([390, 330])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    @staticmethod
    def _boxed(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(6, 4, 6, 4)
        inner.addWidget(widget)
        return box

    # -- the main window's API ------------------------------------------------------------------
    def set_model(self, model: Sequential) -> None:
        """Look inside a private clone of ``model`` (the tab never touches ``model`` again).

        Rebuilds the architecture strip, the filter grids and the statistics (history
        cleared), then shows the current input's maps.
        """
        own = model.clone()
        self._model = own
        self._stages = network_stages(own)
        self._conv_layers = [s.name for s in self._stages if s.kind == "conv"]
        weighted = [s.name for s in self._stages if s.main is not None
                    and "W" in own.layers[s.main].params]
        sizes = {s.name: int(own.layers[s.main].params["W"].size) for s in self._stages
                 if s.name in weighted}
        self._hover = self._pin = None
        self._predicted_at = -np.inf
        self.network_view.set_stages(self._stages)
        self.filters_panel.set_layers(
            [(name, own.layers[self._stage(name).main].params["W"]) for name in
             self._conv_layers])
        self.stats_panel.set_layers(weighted, sizes)
        self.stats_panel.set_stats(take_snapshot(own).stats)
        self.explain_panel.set_explanation(None)
        if weighted:
            self.stats_panel.select_layer(weighted[0])
            self.network_view.set_selected_stage(self._stage(weighted[0]).index)
        self.network_view.set_caption(f"{own.count_params():,} parameters · weights as "
                                      "loaded (no training snapshot yet)")
        self._load_input()
        self.refresh()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Copy ``snapshot``'s weights into the tab's model, record its statistics, redraw.

        Called on the UI thread (~4 Hz while training, and at every epoch end). Snapshots
        whose weights do not fit the model (another architecture) are ignored.
        """
        if self._model is None:
            return
        params = self._model.named_params()
        weights = snapshot.weights
        if set(weights) != set(params) or any(weights[k].shape != p.shape
                                               for k, p in params.items()):
            return
        for name, p in params.items():
            np.copyto(p, weights[name], casting="same_kind")
        self.stats_panel.add_snapshot(snapshot)
        self.network_view.set_caption(f"Weights of training step {snapshot.step:,} "
                                      f"(epoch {snapshot.epoch + 1}).")
        self.refresh()

    def set_samples(self, images: np.ndarray, labels: np.ndarray) -> None:
        """The validation digits (N, 28, 28) uint8 and labels (N,) for the input picker."""
        images = np.asarray(images)
        labels = np.asarray(labels).reshape(-1)
        self._samples, self._labels = images, labels
        self.picker.set_samples(images, labels)   # emits selectionChanged -> maps
        self._update_predictions()

    def set_drawn_input(self, image: np.ndarray | None) -> None:
        """The Draw tab's 28×28 float32 input in [0, 1] (None: empty canvas); followed
        live when the "drawn" tile is the chosen input."""
        if image is not None:
            image = np.asarray(image, dtype=np.float32)
            if image.ndim != 2:
                raise ValueError(f"expected a 2-D image, got shape {image.shape}")
        self._drawn = None if image is None else image.copy()
        self.picker.set_drawn(self._drawn)
        if self.picker.selection() == DRAWN:
            self._load_input()
            self._refresh_maps()

    # -- more API (tests, scripts) --------------------------------------------------------------
    def model(self) -> Sequential | None:
        """The tab's own model (a clone: never the one being trained)."""
        return self._model

    def stages(self) -> list[Stage]:
        return list(self._stages)

    def select_input(self, choice: int | str) -> None:
        """Choose slot ``choice`` of the picker strip, or ``"drawn"``."""
        self.picker.select(choice)

    def set_scale_mode(self, mode: str) -> None:
        """Colour scaling "map", "layer" or "global" (same as the combo box)."""
        self.scale_combo.setCurrentIndex(SCALE_MODES.index(mode))

    def current_input(self) -> np.ndarray | None:
        """The input the maps show, (C, H, W) float32, or None."""
        return None if self._input is None else self._input.copy()

    def outputs(self) -> list[np.ndarray] | None:
        """Every stage's output for the current input (what the network view shows)."""
        return self._outputs

    def refresh(self) -> None:
        """Redraw everything from the tab's model (deferred while the tab is hidden)."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        self._refresh_weights()
        self._refresh_maps()

    # -- internals -------------------------------------------------------------------------------
    def _stage(self, name: str) -> Stage:
        return next(s for s in self._stages if s.name == name)

    def _load_input(self) -> None:
        """Set ``_input`` from the picker's choice."""
        choice = self.picker.selection()
        image = None
        if choice == DRAWN:
            image = self._drawn
        else:
            sample = self.picker.selected_sample()
            if sample is not None:
                image = as_network_input(self._samples[sample: sample + 1])[0, 0]
        self._input = None if image is None else np.asarray(image, np.float32)[None].copy()

    def _input_fits(self) -> bool:
        return (self._model is not None and self._input is not None
                and tuple(self._input.shape) == tuple(self._model.input_shape))

    def _refresh_weights(self) -> None:
        """Filters, statistics and the picker's guesses from the tab's model."""
        if self._model is None:
            return
        for name in self._conv_layers:
            self.filters_panel.set_kernels(name, self._model.layers[self._stage(name).main]
                                           .params["W"])
        self.filters_panel.refresh()
        self.stats_panel.refresh()
        self._update_predictions(force=False)

    def _update_predictions(self, force: bool = True) -> None:
        """The model's guesses for the strip's digits (at most once a second unless forced:
        a forward pass of 20 digits is the costliest part of a refresh)."""
        now = time.monotonic()
        wait = self._predicted_at + _PREDICT_EVERY - now
        if not force and wait > 0:
            if not self._predict_timer.isActive():  # a trailing update, so the last
                self._predict_timer.start(int(wait * 1000) + 1)  # weights are shown
            return
        self._predict_timer.stop()
        self._predicted_at = now
        if self._model is None or not len(self._samples):
            self.picker.set_predictions(None)
            return
        shown = self.picker.shown_indices()
        x = as_network_input(self._samples[shown])
        if tuple(x.shape[1:]) != tuple(self._model.input_shape):
            self.picker.set_predictions(None)
            return
        self.picker.set_predictions(self._model.predict(x).argmax(axis=1))

    def _refresh_maps(self) -> None:
        """Every stage's output for the current input, and the explanation shown."""
        if not self.isVisible():
            self._dirty = True
            return
        if self._model is None:
            return
        if not self._input_fits():
            self._activations = self._outputs = None
            message = ("The canvas on the Draw tab is empty: draw a digit there."
                       if self.picker.selection() == DRAWN else
                       "Choose an input digit above." if self._input is None else
                       "This input does not fit the model's input shape.")
            self.network_view.set_outputs(None, message)
            self.explain_panel.set_explanation(None)
            self.network_view.set_trace(None, None)
            return
        self._activations = self._model.activations(self._input[None])
        self._outputs = stage_outputs(self._stages, self._input, self._activations)
        self.network_view.set_outputs(self._outputs)
        self._explain()

    def _explain(self) -> None:
        """Explain the pinned value, else the last hovered one."""
        target = self._pin or self._hover
        if target is None or self._outputs is None or target[0] >= len(self._stages):
            self.explain_panel.set_explanation(None)
            self.network_view.set_trace(None, None)
            self.filters_panel.set_highlight(None)
            return
        stage, index = target
        explanation = explain(self._model, self._stages, self._outputs, self._activations,
                              stage, index)
        self.explain_panel.set_explanation(explanation, pinned=self._pin is not None)
        self.network_view.set_trace(target, explanation.region)
        if explanation.kind == "conv":
            self.filters_panel.set_highlight(self._stages[stage].name, index[0])
        else:
            self.filters_panel.set_highlight(None)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    # -- slots -------------------------------------------------------------------------------------
    def _on_picker_selection_changed(self, choice) -> None:
        self._load_input()
        self._refresh_maps()

    def _on_next_button_clicked(self) -> None:
        self.picker.next_page()
        self._update_predictions()

    def _on_predict_timer_timeout(self) -> None:
        if self.isVisible():
            self._update_predictions()
        else:
            self._dirty = True

    def _on_scale_combo_changed(self, index: int) -> None:
        mode = self.scale_combo.itemData(index)
        self.network_view.set_scale_mode(mode)
        self.filters_panel.set_scale_mode(mode)

    def _on_network_hovered(self, target: Target) -> None:
        self._hover = target
        if self._pin is None:
            self._explain()

    def _on_network_pinned(self, target: Target | None) -> None:
        self._pin = target
        if target is not None:
            self._hover = target
        self._explain()

    def _on_network_stage_clicked(self, index: int) -> None:
        self.network_view.set_selected_stage(index)
        self.stats_panel.select_layer(self._stages[index].name)

    def _on_stats_layer_selected(self, name: str) -> None:
        if any(s.name == name for s in self._stages):
            self.network_view.set_selected_stage(self._stage(name).index)
