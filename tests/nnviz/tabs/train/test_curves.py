"""Training curves: held data equals what was given, smoothing, log y, hover, CSV/PNG/SVG."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PyQt6.QtCore import QPointF
from PyQt6.QtGui import QImage

from nnviz.tabs.train.curves import BATCH_COLUMNS, CSV_COLUMNS, TrainCurves, smooth

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


def fake_run(epochs: int = 10, batches: int = 40, seed: int = 0, l2: float = 1e-4) -> dict:
    """A plausible run: loss falling from 2.3 with batch noise, accuracy rising, an L2
    penalty that grows as the weights do, and a learning rate lowered by hand at epoch 6.

    Returns {"batch": {BATCH_COLUMNS: (epochs*batches,)}, "epoch": [(epoch, val_loss,
    val_acc, loss, acc)]}.
    """
    rng = np.random.default_rng(seed)
    n = epochs * batches
    pos = (np.arange(n) + 1) / batches
    data = 0.035 + 2.25 * np.exp(-pos / 0.3) + 0.2 * np.exp(-pos / 2.5)
    data = data * np.exp(rng.normal(0, 0.25, n))
    penalty = l2 * 300 * (1 - np.exp(-pos / 1.5)) + l2 * 40
    acc = 1 / (1 + (data / 0.45) ** 1.7) + rng.normal(0, 0.01, n)
    acc = np.clip(np.round(acc * 100) / 100, 0, 1)  # batches of 100 give whole percents
    lr = np.where(pos <= 6, 0.05, 0.02) / (1 + 1e-6 * np.arange(n))
    batch = {"epoch_position": pos, "loss": data + penalty, "data_loss": data,
             "penalty": penalty, "accuracy": acc, "lr": lr}
    rows = []
    for e in range(1, epochs + 1):
        part = slice((e - 1) * batches, e * batches)
        val_loss = 0.05 + 2.0 * np.exp(-e / 0.35) + 0.2 * np.exp(-e / 2.5) + 0.002 * e
        rows.append((e, val_loss, 1 / (1 + (val_loss / 0.45) ** 1.7),
                     float(batch["loss"][part].mean()), float(acc[part].mean())))
    return {"batch": batch, "epoch": rows}


def feed(curves: TrainCurves, run: dict, every: int = 7) -> None:
    """Give ``run`` to ``curves`` the way the worker does: a few batches at a time."""
    b = run["batch"]
    rows = iter(run["epoch"])
    pending = next(rows, None)
    n = len(b["loss"])
    for start in range(0, n, every):
        part = slice(start, min(start + every, n))
        curves.add_batches(*(b[k][part] for k in BATCH_COLUMNS))
        while pending is not None and pending[0] <= b["epoch_position"][part.stop - 1]:
            curves.add_epoch(*pending)
            pending = next(rows, None)
    curves.flush()  # what the redraw timer does a moment later


def ema_loop(values: np.ndarray, w: float) -> np.ndarray:
    """The textbook (TensorBoard) debiased EMA, one value at a time: the oracle."""
    out, last, k = [], 0.0, 0
    for v in values:
        if not np.isfinite(v):
            out.append(np.nan)
            continue
        last = w * last + (1 - w) * v
        k += 1
        out.append(last / (1 - w**k))
    return np.array(out)


def points(curves: TrainCurves, name: str) -> int:
    """How many points the curve ``name`` draws."""
    x, _ = curves.plots.curve(name).getData()
    return 0 if x is None else len(x)


@pytest.fixture
def curves(shown) -> TrainCurves:
    w = shown(TrainCurves(), 1000, 640)
    return w


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=150),
       st.sampled_from([0.0, 0.01, 0.3, 0.6, 0.9, 0.99]), st.integers(1, 149))
def test_smooth_matches_the_loop_also_when_continued(values, w, cut) -> None:
    x = np.array(values)
    x[::17] = np.nan  # non-finite points are skipped
    expected = ema_loop(x, w)
    np.testing.assert_allclose(smooth(x, w)[0], expected, rtol=1e-9, atol=1e-9)
    head, state = smooth(x[:cut], w)
    tail, _ = smooth(x[cut:], w, state)
    np.testing.assert_allclose(np.concatenate([head, tail]), expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("w", [0.05, 0.6, 0.9, 0.99])
def test_smooth_of_a_long_noisy_series_in_many_blocks(w) -> None:
    x = np.random.default_rng(1).lognormal(0, 1, 9000)
    head, state = smooth(x[:4321], w)
    tail, _ = smooth(x[4321:], w, state)
    np.testing.assert_allclose(np.concatenate([head, tail]), ema_loop(x, w), rtol=1e-10)
    with pytest.raises(ValueError, match="smoothing weight"):
        smooth(x, 1.0)


def test_smooth_starts_at_the_first_value_and_follows_a_constant() -> None:
    s, _ = smooth(np.full(500, 3.0), 0.99)
    np.testing.assert_allclose(s, 3.0)  # debiased: no ramp up from 0


def test_data_held_equals_data_given_and_curves_show_it(curves) -> None:
    run = fake_run(epochs=3, batches=20)
    feed(curves, run)
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


def test_export_csv_has_header_batch_rows_and_epoch_rows(curves, tmp_path) -> None:
    run = fake_run(epochs=2, batches=5)
    feed(curves, run, every=3)
    path = tmp_path / "curves.csv"
    curves.export_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["row"] for r in rows] == ["batch"] * 5 + ["epoch"] + ["batch"] * 5 + ["epoch"]
    batch_rows = [r for r in rows if r["row"] == "batch"]
    np.testing.assert_array_equal([float(r["loss"]) for r in batch_rows], run["batch"]["loss"])
    np.testing.assert_array_equal([float(r["learning_rate"]) for r in batch_rows],
                                  run["batch"]["lr"])
    last = rows[-1]
    assert last["epoch"] == "2" and last["data_loss"] == ""
    assert float(last["val_loss"]) == run["epoch"][1][1]


def test_export_png_and_svg(curves, tmp_path) -> None:
    feed(curves, fake_run(epochs=2, batches=10))
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
