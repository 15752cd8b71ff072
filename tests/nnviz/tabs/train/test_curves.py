"""Training curves: what is drawn is the history given, smoothing, log y, hover, CSV/PNG/SVG."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PyQt6.QtCore import QPointF
from PyQt6.QtGui import QImage

from nnviz.tabs.train.curves import BATCH_COLUMNS, CSV_COLUMNS, TrainCurves
from tests.nnviz.tabs.train.runs import ema_loop, fake_run, feed


def points(curves: TrainCurves, name: str) -> int:
    """How many points the curve ``name`` draws."""
    x, _ = curves.plots.curve(name).getData()
    return 0 if x is None else len(x)


@pytest.fixture
def curves(shown) -> TrainCurves:
    w = shown(TrainCurves(), 1000, 640)
    return w


def test_data_held_equals_data_given_and_curves_show_it(curves) -> None:
    run = fake_run(epochs=3, batches=20)
    feed(curves, run)
    curves.flush()
    held = curves.batch_data()
    for key in BATCH_COLUMNS:
        np.testing.assert_array_equal(held[key], run["batch"][key])
    epochs = curves.epoch_data()
    np.testing.assert_array_equal(
        np.column_stack([epochs[k] for k in ("epoch", "val_loss", "val_accuracy", "loss",
                                             "accuracy")]), np.array(run["epoch"]))
    y = curves.plots.curve("loss_raw").yData
    np.testing.assert_array_equal(y, run["batch"]["loss"])
    y = curves.plots.curve("val_accuracy").yData
    np.testing.assert_allclose(y, 100 * epochs["val_accuracy"])
    np.testing.assert_allclose(curves.smoothed("loss"), ema_loop(run["batch"]["loss"], 0.6))


def test_unequal_lengths_are_refused(curves) -> None:
    with pytest.raises(ValueError, match="one length"):
        curves.add_batches([0.1, 0.2], [1.0], [1.0], [0.0], [0.5], [0.05])
    assert curves.batch_data()["loss"].size == 0


def test_smoothing_slider_and_setter_agree_and_resmooth(curves) -> None:
    run = fake_run(epochs=2, batches=30)
    feed(curves, run)
    curves.flush()
    curves.smoothing_slider.setValue(90)  # the user drags the slider
    assert curves.smoothing() == pytest.approx(0.9)
    np.testing.assert_allclose(curves.smoothed("loss"), ema_loop(run["batch"]["loss"], 0.9))
    curves.set_smoothing(0.0)
    assert curves.smoothing_slider.value() == 0
    np.testing.assert_allclose(curves.plots.curve("loss_smooth").yData, run["batch"]["loss"])
    curves.set_smoothing(5)  # clipped to the slider's range
    assert curves.smoothing() == pytest.approx(0.99)


def test_log_y_checkbox_switches_the_loss_axis(curves) -> None:
    curves.log_check.click()
    assert curves.log_y() and curves.plots.log_y()
    curves.set_log_y(False)
    assert not curves.log_check.isChecked() and not curves.plots.log_y()


def test_data_loss_and_penalty_curves_appear_only_with_a_penalty(curves) -> None:
    run = fake_run(epochs=1, batches=10, l2=0.0)
    feed(curves, run)
    curves.flush()
    assert points(curves, "data_loss_smooth") == 0
    assert "off" in curves.plots.penalty_title()
    curves.add_batches(1.1, 0.6, 0.5, 0.1, 0.8, 0.05)  # the user switches L2 on
    curves.flush()
    assert points(curves, "data_loss_smooth") == 11
    assert "part of the loss" in curves.plots.penalty_title()


def test_hover_reads_the_nearest_batch_and_epoch(curves, qtbot) -> None:
    curves.set_smoothing(0.0)
    curves.add_batches([0.5, 1.0, 1.5], [2.0, 1.25, 0.75], [1.9, 1.2, 0.7],
                       [0.1, 0.05, 0.05], [0.5, 0.625, 0.75], [0.05, 0.05, 0.04])
    curves.add_epoch(1, 1.5, 0.6, 1.6, 0.55)
    curves.flush()
    qtbot.wait(1)  # let the layout settle so the view maps coordinates
    plot = curves.plots.loss_plot
    scene_pos = plot.vb.mapViewToScene(QPointF(0.97, 1.3))
    curves.plots.scene().sigMouseMoved.emit(scene_pos)
    text = curves.hover_text()
    assert "epoch 1.000 (batch 2)" in text
    assert "loss 1.25 = data 1.2 + penalty 0.05" in text
    assert "accuracy 62.5 %" in text and "learning rate 0.05" in text
    assert "end of epoch 1" in text and "validation loss 1.5" in text
    assert "validation accuracy 60.0 %" in text
    assert curves.plots.crosshair_position() == pytest.approx(0.97)
    np.testing.assert_allclose(curves.plots.dot("loss").yData, [1.25])
    curves.show_values_at(1.2)  # nearer to the batch before than to the one after
    assert "epoch 1.000 (batch 2)" in curves.hover_text()
    curves.show_values_at(1.3)
    assert "epoch 1.500 (batch 3)" in curves.hover_text()
    curves.show_values_at(-3.0)
    assert "epoch 0.500 (batch 1)" in curves.hover_text()
    curves.plots.scene().sigMouseMoved.emit(QPointF(-50, -50))  # off the plots
    assert curves.plots.crosshair_position() is None and "Hover" in curves.hover_text()


def test_export_csv_writes_the_history(curves, tmp_path) -> None:
    feed(curves, fake_run(epochs=2, batches=5), every=3)
    path = tmp_path / "curves.csv"
    curves.export_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [list(CSV_COLUMNS), *curves.history.csv_rows()] and len(rows) == 13


def test_export_png_and_svg(curves, tmp_path) -> None:
    feed(curves, fake_run(epochs=2, batches=10))
    curves.flush()
    curves.show_values_at(1.0)
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    curves.export_image(png)
    curves.export_image(svg)
    image = QImage(str(png))
    assert not image.isNull() and abs(image.width() - curves.plots.width()) <= 2
    assert image.pixelColor(2, 2).name() == "#ffffff"
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 50
    assert curves.plots.crosshair_position() == 1.0  # the crosshair comes back after the export
    with pytest.raises(ValueError, match="png or .svg"):
        curves.export_image(tmp_path / "c.jpg")


def test_clear_forgets_everything(curves) -> None:
    feed(curves, fake_run(epochs=1, batches=10))
    curves.flush()
    curves.clear()
    assert curves.batch_data()["loss"].size == 0 and curves.epoch_data()["epoch"].size == 0
    assert points(curves, "loss_raw") == 0
    curves.add_batches(0.1, 2.0, 2.0, 0.0, 0.1, 0.05)  # smoothing restarts from scratch
    assert curves.smoothed("loss")[0] == pytest.approx(2.0)


def test_non_finite_values_do_not_break_the_plot(curves) -> None:
    curves.add_batches([0.1, 0.2, 0.3], [2.0, np.inf, np.nan], [2.0, np.inf, np.nan],
                       [0.0, 0.0, 0.0], [0.1, 0.1, 0.1], [10.0, 10.0, 10.0])
    assert np.isinf(curves.batch_data()["loss"][1])  # held as given
    y = curves.plots.curve("loss_raw").yData
    assert y[0] == 2.0 and np.isnan(y[1:]).all()  # shown as gaps
    assert np.isfinite(curves.plots.loss_plot.vb.viewRange()[1]).all()


def test_redraws_are_throttled_but_never_lost(curves, qtbot) -> None:
    curves.add_batches(0.1, 2.0, 2.0, 0.0, 0.1, 0.05)  # the first batches draw at once
    assert points(curves, "loss_raw") == 1
    curves.add_batches(0.2, 1.9, 1.9, 0.0, 0.2, 0.05)  # within the interval: deferred
    assert points(curves, "loss_raw") == 1
    qtbot.waitUntil(lambda: points(curves, "loss_raw") == 2, timeout=2000)
