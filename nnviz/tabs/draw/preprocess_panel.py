"""What the network sees: the drawing becoming the 28×28 input, one step a row.

Four stage views — the drawing (its strokes redrawn to scale), the box cropped to the
ink, the box scaled to 20 px, the centred 28×28 input — each with a line saying what
happened (:mod:`nnviz.tabs.draw.captions`), and a switch for each of the four steps so
the user can see why it matters. Shows a result of :func:`core.preprocess.stages`;
reports the switches with ``switchesChanged``.
"""

from __future__ import annotations

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QSizePolicy, QVBoxLayout

from core.preprocess import BOX, CENTER, FRAME
from core.strokes import STROKE_RATIO
from nnviz.tabs.draw.captions import Captions, describe
from nnviz.tabs.draw.stage_view import StageView
from nnviz.tabs.draw.state import Switches
from nnviz.theme import DRAW

SIDE = 120
"""Side of each stage view in pixels."""
TEXT_WIDTH = 150
"""Width of the text beside each stage view (fixed, so the column never jumps)."""

STROKES_TIP = (
    "Strokes to scale: redraw your strokes for the network with a width of "
    f"{STROKE_RATIO:.0%} of the digit's size,\nwhatever brush the screen shows, as "
    "MNIST's strokes are always about 2-3 px of its 20-px box.\nSwitch it off and the "
    "brush you drew with is used: a small digit drawn with a wide brush\nbecomes a blob, "
    "a big one with a thin brush comes out faint."
)
CROP_TIP = (
    "Crop to the ink: cut the drawing down to the bounding box of its strokes (green).\n"
    "Switch it off and the whole canvas is shrunk instead: a digit drawn small or in a "
    "corner\nstays small in the 28x28 input. MNIST digits always fill a 20-px box, so the "
    "network\nhas never seen tiny digits and misreads them."
)
SCALE_TIP = (
    "Scale to 20 px: resize the box so its longer side is 20 px, keeping the aspect ratio\n"
    "(area averaging gives the grey anti-aliased edges MNIST has).\n"
    "Switch it off and the digit keeps the size it had on the canvas (the canvas is just\n"
    "shrunk to 28 px): small drawings become a few pixels, thick-brushed ones a blob."
)
CENTER_TIP = (
    "Centre by mass: shift the digit so the centre of mass of its ink (red dot) lands on\n"
    "the centre of the 28x28 frame (blue cross), exactly how MNIST was made.\n"
    "Switch it off and the digit stays where you drew it: the convolutions and pooling\n"
    "tolerate small shifts, but the dense layers at the end learned digits at the centre,\n"
    "so an off-centre digit is misread."
)


def detail_label() -> QLabel:
    """A small grey, word-wrapped line of secondary text."""
    label = QLabel()
    label.setStyleSheet(f"color: {DRAW.detail};")
    label.setWordWrap(True)
    return label


class PreprocessPanel(QGroupBox):
    """The four preprocessing stages with their switches (``crop_check``, ``scale_check``,
    ``center_check``) and what each did (``raw_detail`` … ``input_detail``)."""

    switchesChanged = pyqtSignal()
    """The user switched a step on or off (read them with :meth:`switches`)."""

    def __init__(self) -> None:
        super().__init__("What the network sees")
        self.setToolTip(
            "How your drawing becomes the 28x28 input, step by step, the way MNIST was "
            "made.\nSwitch a step off to see why it matters."
        )
        self.raw_view, self.box_view, self.scaled_view, self.input_view = (
            StageView(side=SIDE) for _ in range(4))
        self.raw_view.setToolTip("1. Your drawing as the network's input is made from it "
                                 "(strokes to scale); green: the ink's box.")
        self.box_view.setToolTip(CROP_TIP)
        self.scaled_view.setToolTip(
            SCALE_TIP + "\nShown at the model's pixel size; green: the 20x20 box.")
        self.input_view.setToolTip(
            CENTER_TIP + "\nThis 28x28 image is exactly what the network classifies.")
        self.crop_check = QCheckBox("2. Crop to the ink")
        self.scale_check = QCheckBox("3. Scale to 20 px")
        self.center_check = QCheckBox("4. Centre by mass")
        self.strokes_check = QCheckBox("strokes to scale")
        for check, tip in ((self.crop_check, CROP_TIP), (self.scale_check, SCALE_TIP),
                           (self.center_check, CENTER_TIP), (self.strokes_check, STROKES_TIP)):
            check.setToolTip(tip)
            check.setChecked(True)
            check.toggled.connect(self.switchesChanged)
        raw_title = QLabel("1. Your drawing")
        raw_title.setToolTip(self.raw_view.toolTip())
        self.raw_detail, self.box_detail, self.scaled_detail, self.input_detail = (
            detail_label() for _ in range(4))
        rows = [
            (self.raw_view, raw_title, self.raw_detail),
            (self.box_view, self.crop_check, self.box_detail),
            (self.scaled_view, self.scale_check, self.scaled_detail),
            (self.input_view, self.center_check, self.input_detail),
        ]
        grid = QGridLayout(self)
        grid.setVerticalSpacing(4)
        grid.setHorizontalSpacing(8)
        for r, (view, title, detail) in enumerate(rows):
            view.setFixedSize(SIDE, SIDE)
            detail.setFixedWidth(TEXT_WIDTH)
            detail.setToolTip(title.toolTip())
            text = QVBoxLayout()
            text.setSpacing(2)
            text.addStretch(1)
            text.addWidget(title)
            if r == 0:
                text.addWidget(self.strokes_check)
            text.addWidget(detail)
            text.addStretch(1)
            grid.addWidget(view, r, 0)
            grid.addLayout(text, r, 1)
            grid.setRowStretch(r, 1)
        legend = QLabel(
            f"<span style='color:{DRAW.box}'>■</span> box &nbsp; "
            f"<span style='color:{DRAW.centre}'>+</span> centre &nbsp; "
            f"<span style='color:{DRAW.mass}'>●</span> centre of mass"
        )
        legend.setToolTip(
            "Green: the ink's bounding box (and the 20x20 target box).\n"
            "Blue cross: the centre of the 28x28 frame.\n"
            "Red dot: the intensity-weighted centre of mass of the digit."
        )
        grid.addWidget(legend, len(rows), 0, 1, 2)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def switches(self) -> Switches:
        """The steps switched on."""
        return Switches(self.crop_check.isChecked(), self.scale_check.isChecked(),
                        self.center_check.isChecked(), self.strokes_check.isChecked())

    def show_result(self, result: dict, switches: Switches,
                    captions: Captions | None = None) -> None:
        """Show the steps of ``result`` (:func:`core.preprocess.stages`) made with
        ``switches``, described by ``captions`` (default: what
        :func:`~nnviz.tabs.draw.captions.describe` says of them)."""
        text = captions or describe(result, switches)
        self.raw_detail.setText(text.raw)
        self.box_detail.setText(text.box)
        self.scaled_detail.setText(text.scaled)
        self.input_detail.setText(text.input)
        raw = result["raw"]
        if result["empty"]:
            self.raw_view.set_image(raw, smooth=True)
            for view in (self.box_view, self.scaled_view, self.input_view):
                view.set_image(None, placeholder="empty")
            self.input_view.set_overlay(None)
            return
        self.raw_view.set_image(raw, smooth=True,
                                boxes=(tuple(result["bbox"]),) if switches.crop else ())
        self.box_view.set_image(result["box"], smooth=True)
        scaled = result["scaled"]
        sh, sw = scaled.shape
        margin = (FRAME - BOX) // 2
        self.scaled_view.set_image(
            scaled,
            frame=(FRAME, FRAME),
            offset=((FRAME - sh) // 2, (FRAME - sw) // 2),
            boxes=((margin, margin + BOX, margin, margin + BOX),),
        )
        self.input_view.set_image(result["input"], cross=(CENTER, CENTER), mass=result["com"])

    def set_input_overlay(self, rgba) -> None:
        """The "Why?" map over the 28×28 input ((28, 28, 4) uint8 RGBA, or None)."""
        self.input_view.set_overlay(rgba)
