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


# Regularization tab.


# Loss tab.
