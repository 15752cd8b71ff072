"""The results under the curves: a report's mistakes, a clicked cell's digits, the way back
to all mistakes, and a clicked digit handed on."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from core.training import validation_report
from nnviz.tabs.train.results import TrainResults

NAMES = tuple(str(i) for i in range(10))


def a_report(epoch: int = 0, seed: int = 0):
    """A report on 200 random 'digits': about 40 % right, the rest spread over the cells."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, 200)
    probs = rng.random((200, 10))
    probs[np.arange(200), labels] += rng.random(200) * 1.3
    probs /= probs.sum(axis=1, keepdims=True)
    images = rng.integers(0, 256, (200, 28, 28), dtype=np.uint8)
    return validation_report(epoch, probs, labels), (images, labels)


def worst_cell(report) -> tuple[int, int]:
    mistakes = report.confusion.copy()
    np.fill_diagonal(mistakes, 0)
    return tuple(int(i) for i in np.unravel_index(mistakes.argmax(), mistakes.shape))


@pytest.fixture
def results(shown) -> TrainResults:
    return shown(TrainResults(), 900, 320)


def click_cell(qtbot, results, cell) -> None:
    qtbot.mouseClick(results.confusion.plot_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=results.confusion.cell_center(*cell))


def test_after_a_cell_there_is_a_way_back_to_all_mistakes(results, qtbot) -> None:
    report, validation = a_report()
    results.show_report(report, validation, NAMES)
    everything = results.gallery.total_count()
    assert everything == len(report.misclassified) and results.all_button.isHidden()
    cell = worst_cell(report)
    click_cell(qtbot, results, cell)
    assert results.gallery.total_count() == report.confusion[cell] < everything
    assert results.confusion.selected_cell() == cell and not results.all_button.isHidden()
    results.all_button.click()  # the button goes back ...
    assert results.gallery.total_count() == everything
    assert results.confusion.selected_cell() is None and results.all_button.isHidden()
    click_cell(qtbot, results, cell)
    with qtbot.waitSignal(results.confusion.selectionCleared, timeout=1000):
        click_cell(qtbot, results, cell)  # ... and so does a second click on the cell
    assert results.gallery.total_count() == everything
    assert results.confusion.selected_cell() is None


def test_the_next_report_clears_the_cell_and_shows_its_own_mistakes(results, qtbot) -> None:
    report, validation = a_report()
    results.show_report(report, validation, NAMES)
    click_cell(qtbot, results, worst_cell(report))
    later, _ = a_report(epoch=1, seed=1)
    results.show_report(later, validation, NAMES)
    assert results.confusion.selected_cell() is None and results.all_button.isHidden()
    assert results.gallery.title().startswith("Misclassified validation digits after epoch 2")
    assert results.gallery.total_count() == len(later.misclassified)


def test_a_clicked_digit_is_handed_on_with_its_true_label(results, qtbot) -> None:
    report, (images, labels) = a_report()
    results.show_report(report, (images, labels), NAMES)
    thumbnails = results.gallery.thumbnails
    item = thumbnails.item(3)
    with qtbot.waitSignal(results.digitChosen, timeout=1000) as chosen:
        qtbot.mouseClick(thumbnails.viewport(), Qt.MouseButton.LeftButton,
                         pos=thumbnails.visualItemRect(item).center())
    image, label = chosen.args
    index = report.misclassified[3]
    assert label == labels[index] and image.dtype == np.float32 and image.shape == (28, 28)
    np.testing.assert_allclose(image, images[index] / 255.0, atol=1e-6)


def test_the_gallery_fills_the_width_of_its_panel(results) -> None:
    report, validation = a_report()
    results.show_report(report, validation, NAMES)
    gallery = results.gallery
    width = gallery.thumbnails.viewport().width()
    cell = gallery.thumbnails.gridSize().width()
    assert gallery.columns() >= 3 and width - gallery.columns() * cell < cell / 4
