"""Ten editable class scores (logits): a vertical slider and a typed value per class.

The editor keeps the scores at full precision (a CNN's logits loaded with ``set_scores``
are not rounded to the two decimals the spin boxes show); an edit replaces one score.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QGridLayout, QLabel, QSlider, QWidget

SLIDER_RANGE = 10.0  # the sliders cover -10..10; typed scores may go further
SLIDER_STEPS_PER_UNIT = 10
TYPED_RANGE = 100.0


class ScoreEditor(QWidget):
    """One slider + spin box per class; emits ``scoresChanged`` with the scores (K,)."""

    scoresChanged = pyqtSignal(object)  # np.ndarray of shape (K,)

    def __init__(self, n_classes: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers: list[QLabel] = []
        """The class numbers above the columns (the true class in bold)."""
        self.sliders: list[QSlider] = []
        """One vertical slider per class, −10 to 10 in steps of 0.1."""
        self.spins: list[QDoubleSpinBox] = []
        """One typed value per class, −100 to 100."""
        self._values = np.zeros(n_classes)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(4)
        layout.setVerticalSpacing(2)
        for k in range(n_classes):
            label = QLabel(str(k))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setToolTip(f"Class {k}")
            slider = QSlider(Qt.Orientation.Vertical)
            limit = int(SLIDER_RANGE * SLIDER_STEPS_PER_UNIT)
            slider.setRange(-limit, limit)
            slider.setMinimumHeight(90)
            slider.setToolTip(
                f"Score (logit) z_{k} of class {k}, from -{SLIDER_RANGE:g} to {SLIDER_RANGE:g}.\n"
                "Softmax turns the ten scores into probabilities; only differences matter."
            )
            spin = QDoubleSpinBox()
            spin.setRange(-TYPED_RANGE, TYPED_RANGE)
            spin.setDecimals(2)
            spin.setSingleStep(0.1)
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setMinimumWidth(48)
            spin.setToolTip(
                f"Type the score z_{k} of class {k} (-{TYPED_RANGE:g} to {TYPED_RANGE:g});\n"
                "the slider stops at its end but the typed value is used."
            )
            slider.valueChanged.connect(lambda v, k=k: self._on_slider_moved(k, v))
            spin.valueChanged.connect(lambda v, k=k: self._on_spin_changed(k, v))
            layout.addWidget(label, 0, k)
            layout.addWidget(slider, 1, k, alignment=Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(spin, 2, k)
            self.headers.append(label)
            self.sliders.append(slider)
            self.spins.append(spin)

    def scores(self) -> np.ndarray:
        """The current scores, shape (K,), float64 (a copy)."""
        return self._values.copy()

    def set_scores(self, scores: np.ndarray) -> None:
        """Show new scores (K,), clamped to the typed range; emits ``scoresChanged`` once."""
        values = np.asarray(scores, dtype=np.float64).reshape(-1)
        values = np.clip(values, -TYPED_RANGE, TYPED_RANGE)
        if values.size != len(self.spins):
            raise ValueError(f"expected {len(self.spins)} scores, got {values.size}")
        for k, value in enumerate(values):
            self._set_one(k, float(value))
        self.scoresChanged.emit(self.scores())

    def set_highlighted(self, k: int) -> None:
        """Mark class k (the true class) in the column headers."""
        for j, label in enumerate(self.headers):
            label.setText(f"<b>[{j}]</b>" if j == k else str(j))
            label.setToolTip(f"Class {j}" + (" — the true class" if j == k else ""))

    def _set_one(self, k: int, value: float) -> None:
        self._values[k] = value
        self.spins[k].blockSignals(True)
        self.sliders[k].blockSignals(True)
        self.spins[k].setValue(value)
        self.sliders[k].setValue(round(value * SLIDER_STEPS_PER_UNIT))
        self.spins[k].blockSignals(False)
        self.sliders[k].blockSignals(False)

    def _on_slider_moved(self, k: int, position: int) -> None:
        self._set_one(k, position / SLIDER_STEPS_PER_UNIT)  # the spin box shows it exactly
        self.scoresChanged.emit(self.scores())

    def _on_spin_changed(self, k: int, value: float) -> None:
        self._set_one(k, value)
        self.scoresChanged.emit(self.scores())
