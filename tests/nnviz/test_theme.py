"""Light or dark plots from the application palette, and every plot of the app following it."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PyQt6.QtGui import QColor, QImage, QPalette

from nnviz import theme
from nnviz.app import MainWindow, configure_pyqtgraph
from nnviz.tabs.train.curves import TrainCurves
from nnviz.theme import DARK, LIGHT, apply_theme, colors_for, is_dark, plot_colors


def _palette(window: str) -> QPalette:
    palette = QPalette(QColor(window))  # Qt derives a whole palette from the button colour
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    return palette


@pytest.fixture
def palette_as(qapp):
    """Switch the application palette (and the plot colours with it); restores both."""
    original = qapp.palette()

    def switch(window_colour: str) -> theme.PlotColors:
        qapp.setPalette(_palette(window_colour))
        colors = apply_theme(qapp)
        configure_pyqtgraph()
        return colors

    yield switch
    qapp.setPalette(original)
    theme.set_plot_colors(LIGHT)
    configure_pyqtgraph()


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(("window", "dark"), [
    ("#ffffff", False), ("#efefef", False), ("#808080", False),  # mid-grey counts as light
    ("#7f7f7f", True), ("#353535", True), ("#000000", True),
])
def test_dark_means_a_window_colour_below_half_lightness(window, dark):
    assert is_dark(_palette(window)) is dark
    assert colors_for(_palette(window)) is (DARK if dark else LIGHT)


@pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])
def test_every_theme_is_readable(colors):
    assert _contrast(colors.text, colors.background) >= 7
    assert _contrast(colors.axis, colors.background) >= 4.5
    assert _contrast(colors.ink, colors.background) >= 7
    assert _contrast(colors.muted, colors.background) >= 3
    assert colors.halo == colors.background


def test_light_is_the_default_until_the_palette_says_otherwise():
    assert plot_colors() is LIGHT


def test_apply_theme_follows_the_palette_and_sets_pyqtgraphs_defaults(palette_as):
    assert palette_as("#2d2d30") is DARK
    assert plot_colors() is DARK
    assert pg.getConfigOption("background") == DARK.background
    assert pg.getConfigOption("foreground") == DARK.text
    assert palette_as("#f0f0f0") is LIGHT
    assert pg.getConfigOption("background") == LIGHT.background


@pytest.mark.parametrize(("window", "expected"), [("#2d2d30", DARK), ("#f0f0f0", LIGHT)],
                         ids=["dark", "light"])
def test_every_plot_of_the_window_follows_the_palette(palette_as, qtbot, window, expected):
    palette_as(window)
    main = MainWindow(restore=False)
    qtbot.addWidget(main)
    views = main.findChildren(pg.GraphicsView)
    assert len(views) >= 15  # train, confusion matrix, inside, regularization, loss plots
    wrong = [type(v).__name__ + (f" {v.objectName()}" if v.objectName() else "")
             for v in views if v.backgroundBrush().color() != QColor(expected.background)]
    assert not wrong, f"plots that do not follow the {expected.name} theme: {wrong}"
    main.controller.shutdown(2000)


def test_a_dark_training_plot_exports_on_its_own_background(palette_as, qtbot, tmp_path):
    palette_as("#2d2d30")
    curves = TrainCurves()
    qtbot.addWidget(curves)
    curves.resize(800, 500)
    curves.export_image(tmp_path / "dark.png")
    image = QImage(str(tmp_path / "dark.png"))
    assert image.pixelColor(2, 2).name() == DARK.background
