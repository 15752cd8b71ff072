"""The runs panel's Qt-free state: a run's row, ticks and colours, what differs, names."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from core.runs import CheckpointWeights
from core.runs import RunHistory as RunStore
from nnviz.settings import TrainingSettings
from nnviz.tabs.train.runs_state import (
    COLUMNS,
    Ticks,
    difference_rows,
    kernel_sums,
    result_rows,
    run_cells,
    setting_label,
    settings_summary,
    shown_value,
)
from tests.nnviz.tabs.train.kept_runs import make_run


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path)


def test_a_runs_row_says_what_it_was_and_what_came_out(store):
    run = store.get(make_run(store, "L1 run", l1=3e-3, epochs=3, accuracy=0.9,
                             zero_share_of=0.5))
    cells = run_cells(run)
    assert set(cells) == set(COLUMNS)
    assert cells["name"].text == "L1 run"
    assert cells["data"].text == "sample"
    assert cells["network"].text == "tutorial CNN"
    assert cells["optimizer"].text == "SGD lr 0.05"
    assert cells["penalty"].text == "L1 0.003"
    assert cells["epochs"].text == "3 / 3"
    assert cells["best"].text == "90.0 %" and cells["best"].key == pytest.approx(0.9)
    # half of conv2d_1's 100 kernel weights, of the network's 35,588
    assert cells["zeros"].key == pytest.approx(50 / 35_588)
    assert cells["zeros"].text == "0.1 %"


def test_unmeasured_figures_sort_first_and_numbers_sort_as_numbers(store):
    done = store.get(make_run(store, "a", accuracy=0.95))
    low = store.get(make_run(store, "b", accuracy=0.5))
    keys = sorted([run_cells(done)["best"].key, run_cells(low)["best"].key, -1.0])
    assert keys == [-1.0, pytest.approx(0.5), pytest.approx(0.95)]


def test_ticks_keep_their_colour_and_reuse_the_freed_one():
    ticks = Ticks()
    assert ticks.set("a", True) and ticks.set("b", True) and ticks.set("c", True)
    assert [ticks.color(i) for i in "abc"] == [0, 1, 2]
    assert not ticks.set("a", True)  # already ticked: nothing changes
    ticks.set("b", False)
    ticks.set("d", True)
    assert ticks.ids() == ["a", "c", "d"] and ticks.color("d") == 1 and ticks.color("c") == 2
    assert ticks.keep_only(["a"]) and ticks.ids() == ["a"]


def test_the_differences_name_only_what_differs_in_words(store):
    none = store.get(make_run(store, "none"))
    l1 = store.get(make_run(store, "L1", l1=3e-3))
    l2 = store.get(make_run(store, "L2", l2=1e-3))
    rows = {label: values for _, label, values in difference_rows([none, l1, l2])}
    assert rows == {"L1": ["0", "0.003", "0"], "L2": ["0", "0", "0.001"]}
    assert difference_rows([none]) == []
    seeded = store.get(make_run(store, "seed 3", seed=3))
    rows = {label: values for _, label, values in difference_rows([none, seeded])}
    assert rows == {"Starting weights": ["fresh weights (seed 0)", "fresh weights (seed 3)"]}


def test_the_results_say_accuracy_zeros_and_epochs(store):
    a = store.get(make_run(store, "a", accuracy=0.8, epochs=2))
    b = store.get(make_run(store, "b", accuracy=0.6, epochs=1))
    rows = {label: values for _, label, values in result_rows([a, b])}
    assert rows["Best val. accuracy"] == ["80.0 %", "60.0 %"]
    assert rows["Epochs trained"] == ["2", "1"]
    assert rows["Last validation loss"] == ["1", "2"]
    assert set(rows) >= {"Exact zeros"}
    last = a.load_checkpoint(a.checkpoints()[-1].step)
    kernels = [last[f"{name}.W"].astype(np.float64) for name in a.zero_layers]
    assert kernel_sums(a) == pytest.approx((sum(np.abs(w).sum() for w in kernels),
                                            sum((w**2).sum() for w in kernels)))
    assert rows["Σw² (L2 adds α·Σw²)"][0] == f"{kernel_sums(a)[1]:,.1f}"


def test_settings_have_the_names_people_use():
    assert setting_label("lr") == "learning rate"
    assert setting_label("augmentation.rotation_range") == "rotation"
    assert setting_label("augmentation.horizontal_flip") == "horizontal flip"
    assert setting_label("dataset.train") == "digits trained on"
    assert shown_value(None) == "—" and shown_value(True) == "on" and shown_value(1e-4) == "1e-4"
    assert shown_value((1, 28, 28)) == "(1, 28, 28)"


def test_a_runs_first_name_says_what_differs_from_the_tutorial():
    assert settings_summary(asdict(TrainingSettings())) == "tutorial settings"
    assert settings_summary(asdict(TrainingSettings(l1=3e-3))) == "L1 0.003"
    assert settings_summary(asdict(TrainingSettings(epochs=3, l2=1e-3))) == "L2 0.001, epochs 3"


def test_a_continued_run_says_where_it_came_from(store):
    parent = make_run(store, "parent")
    child = store.get(make_run(store, "child", start=CheckpointWeights(parent, 5)))
    assert f"continued from step 5 of run {parent}" in run_cells(child)["name"].tip
