"""The runs panel on its own: it lists and sorts the kept runs, ticks them (each in its
colour), says what differs, renames, deletes with undo and exports CSV."""

from __future__ import annotations

import csv

import pytest

from core.runs import RunHistory as RunStore
from nnviz.tabs.train.runs_panel import RunsPanel
from nnviz.theme import RUN_COLORS
from tests.nnviz.tabs.train.kept_runs import make_run


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path)


@pytest.fixture
def three(store) -> list[str]:
    """none, L1, L2: oldest first."""
    return [make_run(store, "none", accuracy=0.9),
            make_run(store, "L1", l1=3e-3, accuracy=0.8, zero_share_of=0.5),
            make_run(store, "L2", l2=1e-3, accuracy=0.95)]


@pytest.fixture
def panel(shown, store, three) -> RunsPanel:
    return shown(RunsPanel(store), 1100, 300)


def test_lists_every_run_newest_first_and_sorts_by_any_column(panel, three):
    assert panel.objectName() == "runsPanel"
    assert panel.run_ids() == three[::-1]
    assert [panel.cell_text(i, "name") for i in three] == ["none", "L1", "L2"]
    assert panel.cell_text(three[1], "penalty") == "L1 0.003"
    panel.sort_by("best", descending=True)
    assert panel.run_ids() == [three[2], three[0], three[1]]  # 95 %, 90 %, 80 %
    panel.sort_by("name")
    assert panel.run_ids() == [three[1], three[2], three[0]]  # L1, L2, none
    panel.sort_by("zeros", descending=True)
    assert panel.run_ids()[0] == three[1]


def test_ticked_runs_get_distinct_colours_and_their_differences(panel, three, qtbot):
    with qtbot.waitSignal(panel.tickedChanged):
        panel.set_ticked(three[0])
    assert "Tick another run" in panel.differences.message()
    panel.set_ticked(three[1])
    panel.set_ticked(three[2])
    assert panel.ticked() == three
    assert [panel.color(i) for i in three] == list(RUN_COLORS[:3])
    rows = dict(panel.differences.rows())
    assert rows["L1"] == ["0", "0.003", "0"] and rows["L2"] == ["0", "0", "0.001"]
    assert rows["Best val. accuracy"] == ["90.0 %", "80.0 %", "95.0 %"]
    assert "Starting weights" not in rows  # all three started from seed 0
    headers = [panel.differences.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["none", "L1", "L2"]
    with qtbot.waitSignal(panel.tickedChanged):
        panel.set_ticked(three[1], False)
    assert [values for label, values in panel.differences.rows() if label == "L2"] == [
        ["0", "0.001"]]


def test_renaming_in_the_name_cell_renames_the_run_and_a_bad_name_changes_nothing(
        panel, store, three):
    row = panel.run_ids().index(three[0])
    panel.table.item(row, 0).setText("no penalty")  # what an edit of the cell does
    assert store.get(three[0]).name == "no penalty"
    assert panel.cell_text(three[0], "name") == "no penalty"
    messages = []
    panel.statusMessageChanged.connect(messages.append)
    assert not panel.rename(three[0], "   ")
    assert store.get(three[0]).name == "no penalty" and "keeps its name" in messages[-1]
    assert panel.cell_text(three[0], "name") == "no penalty"


def test_delete_goes_to_the_trash_and_undo_brings_the_runs_back(panel, store, three, qtbot):
    panel.set_ticked(three[1])
    panel.select(three[1])
    assert panel.delete_button.isEnabled() and not panel.undo_button.isEnabled()
    with qtbot.waitSignal(panel.tickedChanged):  # a deleted run is no longer ticked
        panel.delete_button.click()
    assert three[1] not in panel.run_ids() and three[1] not in store
    assert panel.ticked() == [] and panel.undo_button.isEnabled()
    panel.undo_button.click()
    assert three[1] in panel.run_ids() and store.get(three[1]).name == "L1"
    assert panel.selected_run() == three[1] and not panel.undo_button.isEnabled()


def test_a_run_that_trains_cannot_be_deleted(panel, three):
    panel.set_recording(three[0])
    assert "(training)" in panel.cell_text(three[0], "epochs")
    panel.select(three[0])
    assert not panel.delete_button.isEnabled() and not panel.load_button.isEnabled()
    assert not panel.delete([three[0]]) and three[0] in panel.run_ids()


def test_export_writes_the_runs_curves_as_csv(panel, three, tmp_path):
    path = tmp_path / "curves.csv"
    assert panel.export_csv(three[0], path)
    rows = list(csv.reader(path.open()))
    assert rows[0][:3] == ["row", "step", "epoch_position"]
    assert [r[0] for r in rows[1:]].count("batch") == 10  # 2 epochs of 5 batches
    assert [r[0] for r in rows[1:]].count("epoch") == 2
    errors = []
    panel.errorOccurred.connect(lambda title, text: errors.append(title))
    assert not panel.export_csv(three[0], path / "x.csv")  # inside a file: cannot be
    assert errors == ["Cannot export the curves"]


def test_the_load_and_timeline_buttons_name_the_selected_run(panel, three, qtbot):
    panel.select(three[2])
    with qtbot.waitSignal(panel.loadRequested) as loaded:
        panel.load_button.click()
    with qtbot.waitSignal(panel.timelineRequested) as followed:
        panel.timeline_button.click()
    assert loaded.args == [three[2]] and followed.args == [three[2]]
