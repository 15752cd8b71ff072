"""The "Start from" control beside Start: fresh weights (with their seed), the current
weights, or the checkpoint the timeline shows (see :mod:`nnviz.tabs.train.start_from`).

:func:`build_start_from` creates ``owner.start_from_combo`` (item data: one of
:data:`~nnviz.tabs.train.start_from.CHOICES`) and ``owner.start_seed_spin``, as the other
builders of :mod:`nnviz.tabs.train.controls` do, and returns the widget holding them.
"""

from __future__ import annotations

from PyQt6.QtGui import QStandardItemModel
from PyQt6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QWidget

from nnviz.tabs.train.start_from import CHECKPOINT, CHOICES, CURRENT, FRESH

__all__ = ["build_start_from", "show_start_choices"]

_TIP = ("Which weights the run starts from, recorded with it:\n"
        "• fresh weights: new random ones, drawn with this seed (the same seed gives the same "
        "weights, so runs that differ in one setting only are a fair comparison);\n"
        "• the current weights: go on training the network as it is now;\n"
        "• a checkpoint: the weights the timeline below the tabs shows (the new run records "
        "that run and step as its parent).")
_CHECKPOINT_NONE = "a checkpoint (move the timeline to one)"


def build_start_from(owner: QWidget) -> QWidget:
    """ "from [fresh weights ▾] [seed 0]": the combo and the seed of fresh weights."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    caption = QLabel("from")
    caption.setToolTip(_TIP)
    combo = owner.start_from_combo = QComboBox()
    combo.setObjectName("startFromCombo")
    combo.setToolTip(_TIP)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)  # the list opens as wide as its longest entry
    combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    for choice in CHOICES:
        combo.addItem("", choice)
    seed = owner.start_seed_spin = QSpinBox()
    seed.setObjectName("startSeedSpin")
    seed.setRange(0, 2**31 - 1)
    seed.setPrefix("seed ")
    seed.setKeyboardTracking(False)
    seed.setToolTip("The seed of the fresh weights: the same seed, the same starting weights.")
    seed.setMaximumWidth(seed.fontMetrics().horizontalAdvance("seed 0000000") + 30)
    combo.currentIndexChanged.connect(
        lambda _: seed.setVisible(combo.currentData() == FRESH))
    row.addWidget(caption)
    row.addWidget(combo)
    row.addWidget(seed)
    show_start_choices(owner, pretrained=False, checkpoint=None)
    return box


def show_start_choices(owner: QWidget, pretrained: bool, checkpoint: str | None) -> None:
    """Name the choices for the model as it is (``pretrained``: the shipped one) and the
    timeline's checkpoint (``checkpoint``: e.g. "step 200 of “L1 0.003”", None: none
    chosen, so that entry is disabled and a selection of it falls back to the current
    weights)."""
    combo = owner.start_from_combo
    texts = {FRESH: "fresh weights",
             CURRENT: "the pre-trained model (continue training it)" if pretrained
             else "the current weights",
             CHECKPOINT: checkpoint or _CHECKPOINT_NONE}
    for index in range(combo.count()):
        combo.setItemText(index, texts[combo.itemData(index)])
    combo.view().setMinimumWidth(max(combo.fontMetrics().horizontalAdvance(text)
                                     for text in texts.values()) + 40)
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        model.item(combo.findData(CHECKPOINT)).setEnabled(checkpoint is not None)
    if checkpoint is None and combo.currentData() == CHECKPOINT:
        combo.setCurrentIndex(combo.findData(CURRENT))
    owner.start_seed_spin.setVisible(combo.currentData() == FRESH)
