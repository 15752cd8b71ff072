"""One row of the network editor: a layer's type, its settings, its output shape, its
weight count, its problems and the buttons that move or remove it.

The controls come from :data:`nnviz.tabs.network.fields.LAYER_FIELDS`; a change is
reported at once (``settingChanged``), as the user types, and the row shows what the
editor's state computed (:meth:`LayerRow.show_report`) without rebuilding its controls,
so the focus and the cursor stay where they are.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPalette
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.architecture import LayerReport
from nnviz.tabs.network.fields import LAYER_FIELDS, LAYER_HELP, Field
from nnviz.tabs.network.state import Fix
from nnviz.theme import NETWORK
from nnviz.widgets.spin_boxes import float_spin, int_spin, scientific_spin

__all__ = ["LayerRow", "heading_row", "shape_words"]

SHAPE_WIDTH = 92
PARAMS_WIDTH = 78
TYPE_WIDTH = 150
NUMBER_WIDTH = 22
BUTTON_WIDTH = 26


def shape_words(shape: tuple[int, ...] | None) -> str:
    """ "6×28×28", "400", or "?" when the shape cannot be known."""
    return "?" if shape is None else "×".join(str(s) for s in shape)


class LayerRow(QFrame):
    """Layer ``index`` of the draft. Signals: ``settingChanged(index, key, value)``
    (value None: the layer's default), ``moveRequested(index, to)``,
    ``removeRequested(index)``, ``fixRequested(index, action)``, ``clicked(index)``."""

    settingChanged = pyqtSignal(int, str, object)
    moveRequested = pyqtSignal(int, int)
    removeRequested = pyqtSignal(int)
    fixRequested = pyqtSignal(int, str)
    clicked = pyqtSignal(int)

    def __init__(self, index: int, spec: dict, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = index
        self._count = count
        self.class_name = spec["class_name"]
        self.setObjectName(f"layerRow{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.controls: dict[str, QWidget] = {}
        """Setting key -> its control (spin box or combo box)."""
        top = QHBoxLayout()
        top.setContentsMargins(6, 3, 6, 3)
        top.setSpacing(6)
        self.number = QLabel(str(index + 1))
        self.number.setFixedWidth(NUMBER_WIDTH)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.title = QLabel()
        self.title.setFixedWidth(TYPE_WIDTH)
        self.title.setToolTip(LAYER_HELP.get(self.class_name, self.class_name))
        top.addWidget(self.number)
        top.addWidget(self.title)
        for field in LAYER_FIELDS.get(self.class_name, ()):
            caption = QLabel(field.label)
            caption.setToolTip(field.tip)
            control = self._control(field, spec["config"].get(field.key))
            self.controls[field.key] = control
            top.addWidget(caption)
            top.addWidget(control)
        if self.class_name not in LAYER_FIELDS:
            other = QLabel("(no settings to edit here)")
            other.setStyleSheet(f"color: {NETWORK.muted};")
            top.addWidget(other)
        top.addStretch(1)
        self.shape_label = QLabel()
        self.shape_label.setObjectName("shapeLabel")
        self.shape_label.setFixedWidth(SHAPE_WIDTH)
        self.shape_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.shape_label.setToolTip("The output of this layer for one digit "
                                    "(channels×height×width, or units).")
        self.params_label = QLabel()
        self.params_label.setObjectName("paramsLabel")
        self.params_label.setFixedWidth(PARAMS_WIDTH)
        self.params_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.shape_label)
        top.addWidget(self.params_label)
        self.up_button = self._tool("▲", "upButton", "Move this layer up", index > 0)
        self.down_button = self._tool("▼", "downButton", "Move this layer down",
                                      index < count - 1)
        self.remove_button = self._tool("✕", "removeButton", "Remove this layer", True)
        self.up_button.clicked.connect(lambda: self.moveRequested.emit(self.index, self.index - 1))
        self.down_button.clicked.connect(
            lambda: self.moveRequested.emit(self.index, self.index + 1))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self.index))
        for button in (self.up_button, self.down_button, self.remove_button):
            top.addWidget(button)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {NETWORK.problem};")
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_buttons = QHBoxLayout()
        self.fix_buttons.setContentsMargins(0, 0, 0, 0)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6 + NUMBER_WIDTH + 6, 0, 6, 3)
        bottom.addWidget(self.problem_label, 1)
        bottom.addLayout(self.fix_buttons)
        self.problem_box = QWidget()
        self.problem_box.setLayout(bottom)
        self.problem_box.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.problem_box)
        self._selected = False
        self._base_palette = QPalette(self.palette())
        self._paint()

    # -- building -------------------------------------------------------------------------
    def _control(self, field: Field, value) -> QWidget:
        name = f"{field.key}Control"
        if field.kind == "choice":
            combo = QComboBox()
            combo.setObjectName(name)
            combo.setToolTip(field.tip)
            for data, text in field.choices:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.currentIndexChanged.connect(
                lambda _i, f=field, c=combo: self._emit(f, c.currentData()))
            return combo
        if field.kind == "float" and field.key == "epsilon":
            box = scientific_spin(field.low, field.high, float(value or field.low), field.step,
                                  field.tip, name)
        elif field.kind == "float":
            box = float_spin(field.low, field.high, float(value or 0.0), field.decimals,
                             field.step, field.tip, name)
        else:
            shown = _whole(value, field)
            box = int_spin(int(field.low), max(int(field.high), shown), shown, field.tip, name)
            if field.special:
                box.setSpecialValueText(field.special)
        box.setKeyboardTracking(True)  # shapes and counts follow every keystroke
        box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        box.valueChanged.connect(lambda v, f=field: self._emit(f, v))
        return box

    def _tool(self, text: str, name: str, tip: str, enabled: bool) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setEnabled(enabled)
        button.setAutoRaise(True)
        button.setFixedWidth(BUTTON_WIDTH)
        return button

    def _emit(self, field: Field, value) -> None:
        if field.special and value == field.low:
            value = None  # the special value: the layer's own default
        elif field.kind in ("int", "size"):
            value = int(value)
        elif field.kind == "float":
            value = round(float(value), 6)
        self.settingChanged.emit(self.index, field.key, value)

    # -- showing ----------------------------------------------------------------------------
    def show_report(self, name: str, report: LayerReport | None, fixes: list[Fix],
                    extra_problems: list[str] = ()) -> None:
        """Show the layer's name, output shape, weight count and problems (its own and
        ``extra_problems``, the network's that belong here) with a button per fix."""
        self.title.setText(f"<b>{self.class_name}</b><br><small>{name}</small>")
        if report is None:
            self.shape_label.setText("?")
            self.params_label.setText("")
            problems = list(extra_problems)
        else:
            self.shape_label.setText(shape_words(report.output_shape))
            known = report.output_shape is not None
            self.params_label.setText(f"{report.params:,}" if report.params else
                                      "–" if known else "?")
            problems = [*report.problems, *extra_problems]
        self.problem_label.setText("\n".join(f"⚠ {p}" for p in problems))
        while self.fix_buttons.count():
            item = self.fix_buttons.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for fix in fixes:
            button = QPushButton(fix.label)
            button.setObjectName("fixButton")
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, a=fix.action: self.fixRequested.emit(self.index,
                                                                                        a))
            self.fix_buttons.addWidget(button)
        self.problem_box.setVisible(bool(problems))
        self._problems = problems
        self._paint()

    def problems(self) -> list[str]:
        """The problems shown beside this layer."""
        return list(getattr(self, "_problems", []))

    def set_selected(self, selected: bool) -> None:
        self._selected = selected
        self._paint()

    def set_editable(self, editable: bool) -> None:
        """Read-only rows keep showing everything but change nothing."""
        for widget in (*self.controls.values(), self.up_button, self.down_button,
                       self.remove_button):
            widget.setEnabled(editable)
        if editable:
            self.up_button.setEnabled(self.index > 0)
            self.down_button.setEnabled(self.index < self._count - 1)
        for i in range(self.fix_buttons.count()):
            widget = self.fix_buttons.itemAt(i).widget()
            if widget is not None:
                widget.setEnabled(editable)

    def _paint(self) -> None:
        """The row's fill: reddish with a problem, bluish when selected (by palette: a
        style sheet would restyle the spin boxes inside)."""
        fill = (NETWORK.problem_fill if getattr(self, "_problems", None)
                else NETWORK.selected_fill if self._selected else None)
        palette = QPalette(self._base_palette)
        if fill is not None:
            base = palette.color(QPalette.ColorRole.Window)
            r, g, b, a = fill
            mix = a / 255.0
            palette.setColor(QPalette.ColorRole.Window, QColor(
                round(base.red() * (1 - mix) + r * mix), round(base.green() * (1 - mix) + g * mix),
                round(base.blue() * (1 - mix) + b * mix)))
        self.setPalette(palette)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.clicked.emit(self.index)
        super().mousePressEvent(event)


def heading_row() -> QFrame:
    """The column titles over the rows, aligned with them: what goes in (the digits) and
    the "output" and "weights" columns."""
    box = QFrame()
    box.setObjectName("rowsHeading")
    box.setFrameShape(QFrame.Shape.NoFrame)
    row = QHBoxLayout(box)
    row.setContentsMargins(7, 2, 7, 2)
    row.setSpacing(6)
    title = QLabel("<b>in:</b> digits, 1×28×28")
    title.setFixedWidth(NUMBER_WIDTH + 6 + TYPE_WIDTH)
    row.addWidget(title)
    row.addStretch(1)
    for text, width in (("output", SHAPE_WIDTH), ("weights", PARAMS_WIDTH)):
        label = QLabel(f"<b>{text}</b>")
        label.setFixedWidth(width)
        label.setAlignment(Qt.AlignmentFlag.AlignRight)
        row.addWidget(label)
    row.addSpacing(3 * (BUTTON_WIDTH + 6))
    box.setStyleSheet(f"color: {NETWORK.muted};")
    return box


def _whole(value, field: Field) -> int:
    """A config value as the int its spin box shows (a (h, w) pair: its height; None: the
    special value)."""
    if value is None:
        return int(field.low)
    if isinstance(value, list | tuple):
        value = value[0]
    return int(value)
