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


# Train tab.


# Inside tab.


# Draw tab.


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
