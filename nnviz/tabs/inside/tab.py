"""The Inside tab: filters, feature maps and layer statistics, live while training runs.

A QWidget facade over four views: the network view (the architecture strip over every
layer's output for the chosen input), the explanation of the value under the mouse, the
conv filters, and the per-layer statistics. What they show lives in an
:class:`~nnviz.tabs.inside.state.InsideState` (``state``): the tab moves the user's
choices into it and its results onto the views.

The tab looks at the model it is given (:meth:`InsideTab.set_model`) and never copies or
changes it. In the app that is the session's view model, whose weights the session
refreshes from each training snapshot before the window calls :meth:`InsideTab.show_snapshot`.
A caller without a session must do the same: copy the snapshot's weights into the model it
gave ``set_model`` (e.g. ``model.set_weights([snapshot.weights[k] for k in
model.named_params()])``) before calling ``show_snapshot``, and never give the tab a model
that another thread is training. When the tab is hidden a snapshot only adds to the
statistics; the pictures are redrawn when it is shown again.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.diagnostics import Snapshot
from core.saliency import overlay_rgba
from nnviz.tabs.inside.colors import SCALE_LABELS, SCALE_MODES
from nnviz.tabs.inside.explain_panel import ExplainPanel
from nnviz.tabs.inside.filter_grid import FiltersPanel
from nnviz.tabs.inside.network_view import NetworkView
from nnviz.tabs.inside.picker import InputPicker
from nnviz.tabs.inside.stages import Stage
from nnviz.tabs.inside.state import Choice, InsideState, Target, ViewModel
from nnviz.tabs.inside.stats import StatsPanel
from nnviz.theme import INSIDE

_WHY_TIP = (
    "Show on every digit above which ink made the network give its answer (green) and\n"
    "which pulled it toward its second guess (blue): each bit of ink is wiped out in turn\n"
    "and the gap between the two class scores measured again (the Draw tab's Why? map)."
)
WHY_DELAY_MS = 300
"""The "Why?" maps follow the strip, the weights and the drawn digit at most this often."""
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
    :meth:`stages`, :meth:`outputs`, :meth:`refresh`, the Qt-free ``state``, the "Why? maps"
    toggle ``why_button`` and the views ``picker``, ``network_view``, ``explain_panel``,
    ``filters_panel``, ``stats_panel``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insideTab")
        self.state = InsideState()
        self._predict_timer = QTimer(self)
        self._predict_timer.setSingleShot(True)
        self._predict_timer.timeout.connect(self._on_predict_timer_timeout)

        self.picker = InputPicker()
        self.picker.selectionChanged.connect(self._on_picker_selection_changed)
        self.next_button = QPushButton("Other digits")
        self.next_button.setToolTip("Show another 20 validation digits to choose from.")
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.why_button = QPushButton("Why? maps")
        self.why_button.setObjectName("insideWhyButton")
        self.why_button.setCheckable(True)
        self.why_button.setToolTip(_WHY_TIP)
        self.why_button.toggled.connect(self._on_why_button_toggled)
        self._why_timer = QTimer(self)
        self._why_timer.setSingleShot(True)
        self._why_timer.setInterval(WHY_DELAY_MS)
        self._why_timer.timeout.connect(self._refresh_why)
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
        self._build_layout()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        input_label = QLabel("Input:")
        input_label.setToolTip(self.picker.toolTip())
        top.addWidget(input_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.picker, 1)
        side = QVBoxLayout()
        side.setSpacing(4)
        side.addWidget(self.next_button)
        side.addWidget(self.why_button)
        scale_row = QHBoxLayout()
        scale_label = QLabel("Colors:")
        scale_label.setToolTip(_SCALE_TIP)
        scale_row.addWidget(scale_label)
        scale_row.addWidget(self.scale_combo)
        side.addLayout(scale_row)
        top.addLayout(side)

        explain_box = self._boxed("How this value was computed", self.explain_panel)
        filters_box = self.filters_box = self._boxed("Filters (kernels) of the conv layers",
                                                     self.filters_panel)
        stats_box = self._boxed("Layer statistics over training", self.stats_panel)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        for box, stretch in ((explain_box, 3), (filters_box, 4), (stats_box, 5)):
            self.bottom_splitter.addWidget(box)
            self.bottom_splitter.setStretchFactor(self.bottom_splitter.count() - 1, stretch)
        self.bottom_splitter.setSizes([330, 430, 500])
        self.network_scroll = QScrollArea()
        self.network_scroll.setObjectName("networkScroll")
        self.network_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.network_scroll.setWidgetResizable(True)  # fills the width; scrolls when the
        self.network_scroll.setWidget(self.network_view)  # network is too wide to read
        self.network_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.network_scroll.setMinimumHeight(
            self.network_view.minimumHeight()
            + self.network_scroll.horizontalScrollBar().sizeHint().height())
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.network_scroll)
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
    def set_model(self, model: ViewModel) -> None:
        """Look inside ``model`` from now on (used as it is: see the module docstring).

        Rebuilds the architecture strip, the filter grids and the statistics (history
        cleared), then shows the current input's maps.
        """
        state = self.state
        state.set_model(model)
        weighted = state.weighted_layers
        self.network_view.set_stages(state.stages)
        self.filters_panel.set_layers([(name, state.filter_kernels(name))
                                       for name in state.filter_layers])
        self.filters_box.setTitle(filters_title(state))
        self.stats_panel.set_layers(weighted, state.kernel_sizes())
        self.stats_panel.set_history(state.history)
        self.stats_panel.set_stats(state.stats)
        self.explain_panel.set_explanation(None)
        if weighted:
            self.stats_panel.select_layer(weighted[0])
            self.network_view.set_selected_stage(state.stage(weighted[0]).index)
        self.network_view.set_caption(state.caption())
        self.refresh()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Record ``snapshot``'s statistics and redraw from the model, whose weights the
        caller has already brought to the snapshot's (the session does).

        Called on the UI thread (~4 Hz while training, and at every epoch end). Snapshots
        whose weights do not fit the model (another architecture) are ignored.
        """
        if not self.state.record(snapshot):
            return
        self.stats_panel.set_stats(self.state.stats)
        self.network_view.set_caption(self.state.caption())
        self.refresh()

    def set_samples(self, images: np.ndarray, labels: np.ndarray) -> None:
        """The validation digits (N, 28, 28) uint8 and labels (N,) for the input picker."""
        self.state.set_samples(images, labels)
        self._show_strip()
        self._refresh_maps()

    def set_drawn_input(self, image: np.ndarray | None) -> None:
        """The Draw tab's 28×28 float32 input in [0, 1] (None: empty canvas); followed
        live when the "drawn" tile is the chosen input."""
        follow = self.state.set_drawn(image)
        self.picker.set_drawn(self.state.drawn)
        self._schedule_why()
        if follow:
            self._refresh_maps()

    # -- more API (tests, scripts) --------------------------------------------------------------
    def model(self) -> ViewModel | None:
        """The model the tab looks inside (the one given to :meth:`set_model`)."""
        return self.state.model

    def stages(self) -> list[Stage]:
        return list(self.state.stages)

    def select_input(self, choice: Choice) -> None:
        """Choose slot ``choice`` of the picker strip, or ``"drawn"``."""
        if self.state.choose(choice):
            self.picker.set_selection(self.state.choice)
            self._refresh_maps()

    def selected_sample(self) -> int | None:
        """The index into the samples of the chosen digit (None for drawn / nothing)."""
        return self.state.selected_sample()

    def set_scale_mode(self, mode: str) -> None:
        """Colour scaling "map", "layer" or "global" (same as the combo box)."""
        self.scale_combo.setCurrentIndex(SCALE_MODES.index(mode))

    def current_input(self) -> np.ndarray | None:
        """The input the maps show, (C, H, W) float32, or None."""
        return None if self.state.input is None else self.state.input.copy()

    def outputs(self) -> list[np.ndarray] | None:
        """Every stage's output for the current input (what the network view shows)."""
        return self.state.outputs

    def refresh(self) -> None:
        """Redraw everything from the model (deferred while the tab is hidden)."""
        if not self.isVisible():
            self.state.dirty = True
            return
        self.state.dirty = False
        self._refresh_weights()
        self._refresh_maps()

    # -- internals -------------------------------------------------------------------------------
    def _show_strip(self) -> None:
        """The digits of the state's page on the picker, and their guesses."""
        state = self.state
        self.picker.show_strip(state.samples[state.shown], state.labels[state.shown],
                               state.choice)
        self._update_predictions()

    def _refresh_weights(self) -> None:
        """Filters, statistics and the picker's guesses from the model."""
        if self.state.model is None:
            return
        for name in self.state.filter_layers:
            self.filters_panel.set_kernels(name, self.state.filter_kernels(name))
        self.filters_panel.refresh()
        self.stats_panel.refresh()
        self._update_predictions(force=False)

    def _update_predictions(self, force: bool = True) -> None:
        """The model's guesses for the strip's digits (at most once a second unless forced,
        with a trailing update so that the last weights are shown)."""
        now = time.monotonic()
        wait = self.state.prediction_wait(now)
        if not force and wait > 0:
            if not self._predict_timer.isActive():
                self._predict_timer.start(int(wait * 1000) + 1)
            return
        self._predict_timer.stop()
        self.picker.set_predictions(self.state.predictions(now))
        self._schedule_why()

    def _schedule_why(self) -> None:
        if self.why_button.isChecked() and not self._why_timer.isActive():
            self._why_timer.start()

    def _refresh_why(self) -> None:
        """The "Why?" map over every digit of the picker (or none when it is off)."""
        maps = self.state.why_maps() if self.why_button.isChecked() else None
        if maps is None:
            self.picker.set_why_overlays(None)
            return
        strip, drawn = maps

        def colours(explanation):
            return overlay_rgba(explanation, INSIDE.why_answer, INSIDE.why_second)

        self.picker.set_why_overlays([colours(e) for e in strip],
                                     None if drawn is None else colours(drawn))

    def _refresh_maps(self) -> None:
        """Every stage's output for the current input, and the explanation shown."""
        if not self.isVisible():
            self.state.dirty = True
            return
        if self.state.model is None:
            return
        if not self.state.run_forward():
            self.network_view.set_outputs(None, self.state.input_problem())
            self.explain_panel.set_explanation(None)
            self.network_view.set_trace(None, None)
            return
        self.network_view.set_outputs(self.state.outputs)
        self._explain()

    def _explain(self) -> None:
        """Explain the pinned value, else the last hovered one."""
        explanation = self.state.explanation()
        if explanation is None:
            self.explain_panel.set_explanation(None)
            self.network_view.set_trace(None, None)
        else:
            self.explain_panel.set_explanation(explanation, pinned=self.state.pin is not None)
            self.network_view.set_trace(self.state.target, explanation.region)
        name, index = self.state.filter_of(explanation) or (None, None)
        self.filters_panel.set_highlight(name, index)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self.state.take_dirty():
            self.refresh()

    # -- slots -------------------------------------------------------------------------------------
    def _on_picker_selection_changed(self, choice: Choice) -> None:
        if self.state.choose(choice):
            self._refresh_maps()

    def _on_next_button_clicked(self) -> None:
        self.state.next_page()
        self._show_strip()
        self._refresh_maps()

    def _on_predict_timer_timeout(self) -> None:
        if self.isVisible():
            self._update_predictions()
        else:
            self.state.dirty = True

    def _on_why_button_toggled(self, on: bool) -> None:
        self.why_button.setText("Hide why maps" if on else "Why? maps")
        self._why_timer.stop()
        self._refresh_why()

    def _on_scale_combo_changed(self, index: int) -> None:
        mode = self.scale_combo.itemData(index)
        self.network_view.set_scale_mode(mode)
        self.filters_panel.set_scale_mode(mode)

    def _on_network_hovered(self, target: Target) -> None:
        if self.state.set_hover(target):
            self._explain()

    def _on_network_pinned(self, target: Target | None) -> None:
        self.state.set_pin(target)
        self._explain()

    def _on_network_stage_clicked(self, index: int) -> None:
        self.network_view.set_selected_stage(index)
        self.stats_panel.select_layer(self.state.stages[index].name)

    def _on_stats_layer_selected(self, name: str) -> None:
        if any(s.name == name for s in self.state.stages):
            self.network_view.set_selected_stage(self.state.stage(name).index)


def filters_title(state: InsideState) -> str:
    """What the filter grids show: the conv kernels, or a dense layer's units as pictures."""
    if state.conv_layers or not state.filter_layers:
        return "Filters (kernels) of the conv layers"
    name = state.filter_layers[0]
    units = state.kernel(name).shape[1]
    shown = state.filter_kernels(name).shape[0]
    which = f"its {units} units" if shown == units else f"the first {shown} of its {units} units"
    return f"No conv layers: the weights of {name}, {which}, each a picture over the digit"
