"""Light or dark: nnviz follows the system's palette, pyqtgraph plots included.

Qt hands every widget the desktop's palette, light or dark, so widgets that paint with
``QPalette`` colours follow it by themselves. pyqtgraph plots do not: they read a
background and a foreground colour from pyqtgraph's global options when a plot is
created. :func:`apply_theme` therefore decides once, at start-up and before the first
plot exists, whether the application palette is dark (its window colour has a lightness
below one half) and sets pyqtgraph's options to match. Plot widgets ask
:func:`plot_colors` for the few colours they draw themselves (titles, legends,
crosshairs, outlines around markers) instead of hard-coding black on white.

Data colours (curves, colour maps, images of digits) stay the same in both themes: they
are mid-tones chosen to read on white and on near-black alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PyQt6.QtGui import QGuiApplication, QPalette

__all__ = ["DARK", "LIGHT", "PlotColors", "apply_theme", "colors_for", "is_dark",
           "plot_colors", "set_plot_colors"]

Rgba = tuple[int, int, int, int]


@dataclass(frozen=True)
class PlotColors:
    """The neutral colours of plots in one theme.

    Text colours are ``"#rrggbb"`` strings (usable in pyqtgraph and in Qt rich text);
    translucent ones are ``(r, g, b, a)`` tuples for ``pg.mkPen`` / ``pg.mkBrush``.
    """

    name: str
    """``"light"`` or ``"dark"``."""
    background: str
    """Plot background."""
    text: str
    """Titles and legend labels."""
    axis: str
    """Axis lines, tick labels and neutral curves."""
    muted: str
    """Secondary text: hints, plots that are switched off."""
    ink: str
    """Markers and lines that must stand out most (black on white, near-white on dark)."""
    grid: str
    """Thin separators between cells (e.g. of the confusion matrix)."""
    crosshair: Rgba
    """The hover line that follows the mouse."""
    legend_brush: Rgba
    """Fill behind a legend, translucent so curves still show through."""
    legend_pen: str
    """Legend frame."""
    label_fill: Rgba
    """Fill behind a text label inside a plot."""

    @property
    def halo(self) -> str:
        """Outline around filled markers: the background, so a marker stands clear of a curve."""
        return self.background


LIGHT = PlotColors(
    name="light", background="#ffffff", text="#202020", axis="#3c3c3c", muted="#707070",
    ink="#000000", grid="#e1e1e1", crosshair=(0, 0, 0, 110), legend_brush=(255, 255, 255, 200),
    legend_pen="#c8c8c8", label_fill=(255, 255, 255, 210),
)
"""Black on white: the look nnviz has always had on a light desktop."""

DARK = PlotColors(
    name="dark", background="#1c1d21", text="#e8e8e8", axis="#c4c4c4", muted="#9a9a9a",
    ink="#f2f2f2", grid="#3a3b40", crosshair=(255, 255, 255, 120), legend_brush=(28, 29, 33, 210),
    legend_pen="#55565c", label_fill=(28, 29, 33, 210),
)
"""Light grey on near-black, for a dark desktop; a touch darker than a typical dark window
so the plots read as panels."""

_current = LIGHT


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark one: its window colour is darker than mid-grey."""
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def colors_for(palette: QPalette) -> PlotColors:
    """The plot colours that go with ``palette``: :data:`DARK` or :data:`LIGHT`."""
    return DARK if is_dark(palette) else LIGHT


def plot_colors() -> PlotColors:
    """The plot colours in use (set by :func:`apply_theme`; :data:`LIGHT` before that)."""
    return _current


def set_plot_colors(colors: PlotColors) -> None:
    """Use ``colors`` for plots created from now on, pyqtgraph's defaults included."""
    global _current
    _current = colors
    pg.setConfigOptions(background=colors.background, foreground=colors.text)


def apply_theme(app: QGuiApplication | None = None) -> PlotColors:
    """Match the plots to the application's palette; call before any plot is created.

    Returns the colours chosen. Plots created earlier keep theirs: pyqtgraph reads its
    options when a plot is built.
    """
    app = app or QGuiApplication.instance()
    colors = colors_for(app.palette()) if app is not None else LIGHT
    set_plot_colors(colors)
    return colors


# -- Colours the views use, by the tab that uses them --------------------------------------
# Widgets take every colour from here (never a hex literal of their own). Each tab's
# colours sit in its own section below.

# Shared by several tabs.
Rgb = tuple[int, int, int]
"""An opaque colour as (r, g, b), for ``pg.mkPen`` / ``pg.mkBrush`` and numpy arithmetic."""
INPUT_REFUSED_BORDER = "#d62728"
"""The frame of a field whose typed text was refused (red, readable on light and dark)."""
TIMELINE_PAST_FILL, TIMELINE_PAST_TEXT, TIMELINE_PAST_BORDER = "#fff4d6", "#5c3d00", "#e0a526"
"""The timeline bar while the views show a checkpoint, not the weights of now (amber: it
stands out on the Train, Inside and Draw tabs alike)."""


# Train tab.
TRAIN_CURVE: Rgb = (31, 119, 180)
"""Training loss and accuracy (blue)."""
VALIDATION_CURVE: Rgb = (230, 85, 13)
"""Validation loss and accuracy (orange)."""
DATA_LOSS_CURVE: Rgb = (44, 160, 44)
"""The data loss, the part of the loss without the penalty (green)."""
PENALTY_CURVE: Rgb = (148, 103, 189)
"""The regularization penalty (purple)."""
DIVERGENCE_MARK = "#d62728"
"""The line on the loss plot where a batch diverged (red)."""
RUN_COLORS: tuple[Rgb, ...] = ((214, 39, 40), (23, 160, 180), (44, 160, 44),
                               (140, 86, 75), (227, 119, 194), (180, 160, 20),
                               (90, 90, 90), (148, 103, 189))
"""One colour per ticked run drawn with the live curves (red, teal, green, brown, pink,
ochre, grey, purple: never the live run's blue or orange; green is also the live data
loss, purple its penalty); the ninth ticked run takes the first again."""
TIMELINE_CURSOR: Rgb = (224, 160, 30)
"""The line on the curves at the step the timeline shows (the timeline bar's amber)."""

TRAINING_STATE_COLORS: dict[str, tuple[str, str]] = {
    "idle": ("#6b6b6b", "#a8a8a8"),
    "running": ("#2f6fb3", "#6aa6de"),
    "paused": ("#a86a00", "#e8b55a"),
    "diverged": ("#c0392b", "#e57368"),
    "stopped": ("#555555", "#a0a0a0"),
    "finished": ("#2e8b57", "#6cc08b"),
}
"""Training state -> (badge fill, progress-bar fill); the badge text is white."""
PROGRESS_BORDER = "#b8b8b8"
"""Frame of the progress bar."""
DIVERGED_FILL, DIVERGED_TEXT, DIVERGED_BORDER = "#fdecea", "#8e1b10", "#e57368"
"""The warning box of a diverged run: pale red, dark red text, red frame."""
RUN_WARNING_FILL, RUN_WARNING_TEXT, RUN_WARNING_BORDER = "#fff4e0", "#6b3a00", "#e6a23c"
"""The warning box about a run that cannot learn (pale amber, dark brown text, amber frame)."""
SETTINGS_WARNING = "#b45309"
"""Cautions under the settings (amber), e.g. a flip that is wrong for digits."""

CONFUSION_CORRECT: Rgb = (35, 139, 69)
"""Confusion-matrix diagonal at full share (green); cells fade to white with the share."""
CONFUSION_MISTAKE: Rgb = (203, 24, 29)
"""Confusion-matrix mistakes at full share (red)."""
CONFUSION_GRID: Rgb = (225, 225, 225)
"""Lines between the (light) cells."""
CONFUSION_HOVER: Rgba = (0, 0, 0, 120)
"""Outline of the cell under the mouse."""
CONFUSION_SELECTED: Rgb = (20, 90, 200)
"""Outline of the clicked cell."""
CONFUSION_TEXT: Rgb = (30, 30, 30)
"""Counts on light cells."""
CONFUSION_TEXT_ON_DARK: Rgb = (255, 255, 255)
"""Counts on saturated cells."""
CONFUSION_TEXT_ZERO: Rgb = (190, 190, 190)
"""Zero counts, faint."""


@dataclass(frozen=True)
class TrainColors:
    """The Train tab's colours that follow light or dark."""

    progress_trough: str
    """Empty part of the progress bar."""
    progress_text: str
    """The percentage on the progress bar."""
    caption: str
    """Secondary lines beside the controls (which model, where the data came from)."""
    hover_dot: Rgba
    """The dots that mark the hovered batch on the curves."""


TRAIN_LIGHT = TrainColors(progress_trough="#f6f6f6", progress_text=LIGHT.text,
                          caption="#475569", hover_dot=(0, 0, 0, 160))
TRAIN_DARK = TrainColors(progress_trough="#2a2b30", progress_text=DARK.text,
                         caption="#a3adbd", hover_dot=(242, 242, 242, 170))


def train_colors() -> TrainColors:
    """The Train tab's colours for the theme in use (:func:`plot_colors`)."""
    return TRAIN_DARK if plot_colors().name == DARK.name else TRAIN_LIGHT


# Inside tab.
@dataclass(frozen=True)
class InsideColors:
    """What the Inside tab paints besides its colour maps (those are in
    :mod:`nnviz.tabs.inside.colors`). ``"#rrggbb"`` strings; ``(r, g, b, a)`` when
    translucent."""

    accent: str = "#2563eb"
    """The chosen input digit and the border of the selected layer's box."""
    header_fill: str = "#ecf1f8"
    """The architecture strip's boxes."""
    header_selected: str = "#cee0f7"
    """The box of the layer whose statistics are shown."""
    header_border: str = "#96a5b9"
    header_text: str = "#191919"
    """What a box says (always on its light fill, in both themes)."""
    caption: str = "#5a5a5a"
    """Small grey captions: layer names in the boxes, labels beside the explained grids."""
    frame: str = "#787878"
    """Outlines around tiles and grids; text where nothing is shown yet."""
    rule: str = "#969696"
    """Lighter lines: outlines of filters, the separator and the empty drawn tile."""
    highlight: str = "#ffaa00"
    """Where an explained value came from, the filter that computed it, a pool's winner."""
    outline: str = "#000000"
    """The dark ring around the explained value."""
    right: str = "#1e8c3c"
    """A right guess, and a sum that agrees with the layer's own output."""
    wrong: str = "#c82828"
    top_class: str = "#2ea05a"
    """The most probable digit's bar."""
    other_class: str = "#969696"
    track: Rgba = (128, 128, 128, 40)
    """The empty part of a bar."""
    bars_fill: Rgba = (128, 128, 128, 25)
    """Behind the signed bars of a dense layer."""
    readout_fill: Rgba = (255, 255, 225, 235)
    """The little label with the value under the mouse."""
    readout_border: str = "#3c3c3c"
    readout_text: str = "#141414"
    why_answer: tuple[int, int, int] = (58, 210, 124)
    """"Why?" maps on the picker: ink that pushed toward the answer (as on the Draw tab)."""
    why_second: tuple[int, int, int] = (91, 149, 255)
    """"Why?" maps: ink that pushed toward the runner-up."""
    layers: tuple[str, ...] = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                               "#8c564b", "#e377c2", "#7f7f7f")
    """One colour per weighted layer for its statistics curves and bars, in order."""
    histogram: Rgba = (31, 119, 180, 120)
    """The weight histogram's fill (its outline is the same colour, opaque)."""


INSIDE = InsideColors()


# Draw tab.
@dataclass(frozen=True)
class DrawColors:
    """What the Draw tab paints: ``"#rrggbb"`` strings (usable in style sheets and rich
    text too); ``(r, g, b, a)`` when translucent."""

    ink: str = "#ffffff"
    """Strokes on the canvas: white ink on black, like MNIST."""
    paper: str = "#000000"
    empty_field: str = "#282828"
    """A preprocessing view with nothing to show yet."""
    box: str = "#50c878"
    """The ink's bounding box and the 20×20 target box."""
    centre: str = "#5aa0e6"
    """The centre of the 28×28 frame; the brush outline while drawing."""
    mass: str = "#f05a3c"
    """The centre of mass of the ink."""
    eraser: str = "#e65a3c"
    """The brush outline while erasing."""
    outline: str = "#000000"
    """The ring around the centre-of-mass dot."""
    frame: str = "#6e6e6e"
    """Around the canvas and the preprocessing views; the canvas's hint text."""
    placeholder: str = "#969696"
    detail: str = "#808080"
    """Secondary text: what each preprocessing step did, the personal digits' labels,
    the "?" without a prediction."""
    prediction: str = "#2ea05a"
    """The predicted digit and its bar."""
    second: str = "#6e96d2"
    """The runner-up's bar."""
    other: str = "#8c8c8c"
    track: Rgba = (128, 128, 128, 40)
    """The empty part of a probability bar."""
    why_answer: str = "#3ad27c"
    """"Why?" map: ink that pushed the network toward its answer (the answer's green)."""
    why_second: str = "#5b95ff"
    """"Why?" map: ink that pushed it toward its second guess (the runner-up's blue)."""
    teach_better: str = "#2ea05a"
    """Teach result: a figure that rose."""
    teach_worse: str = "#d2643c"
    """Teach result: a figure that fell."""


DRAW = DrawColors()


# Regularization tab. RGB(A) tuples for pyqtgraph; ``"#rrggbb"`` strings for style sheets.
REG_REGION = (230, 110, 0)
"""The penalty's region on the weight plane: diamond, circle or elastic-net shape."""
REG_OPTIMUM = (215, 25, 55)
"""The regularised optimum w*, the contour touching the region, the α marked on the paths,
and F(x) = f(x) + λ|x| in the 1-D view."""
REG_LEAST_SQUARES = (0, 0, 0)
"""The least-squares point ŵ."""
REG_PATH = (25, 25, 25)
"""The path of w* as α grows."""
REG_ZERO = (0, 150, 60)
"""Where a weight becomes exactly 0: the star on the plane, the dotted lines on the paths."""
REG_TRUE_W = (110, 110, 110)
"""The true weights the sample was drawn with."""
REG_GD_PLAIN = (0, 115, 140)
"""Gradient descent without weight decay."""
REG_GD_DECAY = (200, 0, 160)
"""Gradient descent with weight decay."""
REG_MARKER_EDGE = (255, 255, 255)
"""Outline of the markers drawn over the J0 bands (always light: the bands are light)."""
REG_BANDS = ((250, 252, 255), (92, 140, 196))
"""The filled J0 bands, from the bottom of the bowl (light) to the far corners (blue)."""
REG_CONTOUR = (60, 90, 140, 150)
"""The J0 contour lines."""
REG_CONTOUR_LABEL = (40, 60, 100)
"""A contour's value written on it ..."""
REG_CONTOUR_LABEL_FILL = (255, 255, 255, 170)
"""... over a light patch."""
REG_PLANE_AXES = (0, 0, 0, 140)
"""The lines w₁ = 0 and w₂ = 0 across the bands."""
REG_HINT = (90, 90, 90)
"""The "GD start" hint on the plane."""
REG_WEIGHTS = ((31, 119, 180), (230, 85, 13))
"""w₁ (blue) and w₂ (orange) on the coefficient paths."""
REG_SMOOTH_LOSS = (120, 120, 120)
"""The smooth loss f(x) of the 1-D view."""
REG_PRESETS = ((120, 120, 220), (60, 160, 100))
"""F(x) of the 1-D view at its two preset λ (0.5 and 2)."""
REG_SAMPLE_EDGE = (60, 60, 60, 120)
"""Outline of the sample's dots."""
REG_TARGET_COLORMAP = "CET-D1"
"""pyqtgraph colour map of the sample's dots by target y: blue low, red high."""
REG_NOTE_BACKGROUND = "#fff8e8"
"""The note under the plane: a light amber card with dark text in either theme."""
REG_NOTE_TEXT = "#2b2200"
REG_NOTE_BORDER = "#e6b873"


# Loss tab.
LOSS_Y1 = (31, 119, 180)
"""Binary cross-entropy for the label y = 1, and the from-scratch network's loss curve."""
LOSS_Y0 = (230, 120, 20)
"""Binary cross-entropy for the label y = 0."""
LOSS_UNCLIPPED = (110, 110, 110)
"""The loss without the eps clip."""
LOSS_PROBE = (120, 120, 120)
"""The probe line at the probed p."""
LOSS_CLIP_ZONE = (220, 60, 60, 60)
"""The shaded p < eps and p > 1 − eps zones."""
LOSS_CAP = (200, 40, 40)
"""The cap −log(eps) the clip puts on the loss."""
LOSS_ALERT = (214, 39, 40)
"""What must catch the eye: the true class's bar, an inf or NaN, a failed gradient check,
the first rise of the loss."""
LOSS_OTHER_CLASS = (120, 150, 190)
"""The bars of the classes that are not the true one."""
LOSS_PUSH_UP = (44, 160, 44)
"""A negative gradient bar: gradient descent raises that score."""
LOSS_PUSH_DOWN = LOSS_ALERT
"""A positive gradient bar: gradient descent lowers that score."""
LOSS_CHECK_PASSED = (20, 140, 50)
"""A gradient that agrees with its finite-difference estimate."""
LOSS_RIGHT_CELL = (200, 240, 200)
"""A prediction that rounds to its target ..."""
LOSS_WRONG_CELL = (250, 205, 205)
"""... and one that does not."""
LOSS_CELL_TEXT = (20, 20, 20)
"""Dark text on those light cells and on the weight heat maps, in either theme."""
LOSS_STAGE_CURRENT = (255, 190, 0, 90)
"""The backprop stage shown: translucent amber over the table's own base colour."""
LOSS_STAGE_DONE = (128, 128, 128, 28)
"""Backprop stages already walked through: a touch of grey."""
LOSS_STAGE_TODO = (0, 0, 0, 0)
"""Stages still to come: the table's own colour."""
LOSS_WEIGHT_COLORMAP = "CET-D1"
"""pyqtgraph colour map of the weight heat maps: blue negative, red positive."""


# Network tab.
@dataclass(frozen=True)
class NetworkColors:
    """The network editor's colours: translucent fills and mid-tone text, readable on the
    light and the dark palette alike (``"#rrggbb"`` text colours, ``(r, g, b, a)`` fills)."""

    problem: str = "#d03030"
    """A layer's problems, and the summary when the network cannot be built."""
    ok: str = "#1e8c3c"
    """ "Ready to build", and the line that says the Train tab trains this network."""
    pending: str = "#b45309"
    """Unbuilt changes."""
    muted: str = "#7a8494"
    """Secondary text: notes, the input row, column headings."""
    problem_fill: Rgba = (220, 40, 40, 28)
    """Behind a row with a problem."""
    selected_fill: Rgba = (37, 99, 235, 30)
    """Behind the row that new layers are added after."""
    locked_fill: Rgba = (180, 83, 9, 30)
    """Behind the line that says why the editor is read-only during a run."""


NETWORK = NetworkColors()
