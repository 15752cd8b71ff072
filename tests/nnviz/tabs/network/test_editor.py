"""The network editor's widget: rows for every preset, labels that follow typing, the
buttons, problems beside their row, read-only during a run, Build."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import Qt

from core.models import PRESETS, preset
from nnviz.tabs.network.editor import NetworkEditor
from nnviz.tabs.network.row import shape_words


@pytest.fixture
def editor(shown) -> NetworkEditor:
    widget = shown(NetworkEditor(), 1100, 700)
    widget.set_current_model(preset("lenet5"))
    return widget


def shown_rows(editor: NetworkEditor) -> list[tuple[str, str, str]]:
    return [(row.class_name, row.shape_label.text(), row.params_label.text())
            for row in editor.rows()]


def test_it_is_found_by_its_name_and_shows_the_current_network(editor) -> None:
    assert editor.objectName() == "networkEditor"
    assert shown_rows(editor)[:3] == [("Conv2D", "6×28×28", "156"),
                                      ("AveragePooling2D", "6×14×14", "–"),
                                      ("Conv2D", "16×10×10", "2,416")]
    assert "61,706 weights" in editor.total_label.text()
    assert not editor.has_unbuilt_changes() and editor.build_button.isEnabled()


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_shows_each_layers_shape_and_weights(editor, name) -> None:
    editor.load_preset(name)
    report = editor.draft.report
    assert len(editor.rows()) == len(report.layers)
    assert shown_rows(editor) == [
        (layer.class_name, shape_words(layer.output_shape),
         f"{layer.params:,}" if layer.params else "–") for layer in report.layers]
    assert f"Total: {preset(name).count_params():,} weights" in editor.total_label.text()
    assert all(not row.problems() for row in editor.rows())


def test_the_labels_follow_each_keystroke(editor, qtbot) -> None:
    filters = editor.rows()[0].controls["filters"]
    filters.setFocus()
    filters.selectAll()
    qtbot.keyClicks(filters, "1")
    assert editor.rows()[0].shape_label.text() == "1×28×28"
    qtbot.keyClicks(filters, "2")  # "12", before Enter or leaving the field
    row = editor.rows()[0]
    assert row is editor.rows()[0] and filters.hasFocus()  # the row was not rebuilt
    assert row.shape_label.text() == "12×28×28" and row.params_label.text() == "312"
    assert editor.rows()[2].params_label.text() == f"{16 * (12 * 25 + 1):,}"
    assert "LeNet-5 (edited)" in editor.total_label.text()
    assert editor.has_unbuilt_changes()


def test_a_broken_network_shows_why_beside_the_layer(editor) -> None:
    editor.rows()[1].controls["pool_size"].setValue(8)  # conv2d_2 gets 3×3 maps
    row = editor.rows()[2]
    assert row.problems()[0].startswith("conv2d_2: a 5×5 kernel does not fit its 3×3 input")
    assert not row.problem_box.isHidden() and "⚠ conv2d_2" in row.problem_label.text()
    assert "1 problem" in editor.summary_label.text()
    assert not editor.build_button.isEnabled()
    assert editor.rows()[3].shape_label.text() == "?"  # what follows cannot be known


def test_a_missing_flatten_is_offered_as_a_fix_button(editor, qtbot) -> None:
    editor.rows()[4].remove_button.click()  # the Flatten
    row = editor.rows()[4]
    assert row.class_name == "Dense" and "add a Flatten before it" in row.problems()[0]
    buttons = row.findChildren(type(editor.build_button), "fixButton")
    assert [b.text() for b in buttons] == ["Insert a Flatten before it"]
    buttons[0].click()
    assert [r.class_name for r in editor.rows()][4:6] == ["Flatten", "Dense"]
    assert not editor.problems() and not editor.has_unbuilt_changes()


def test_the_last_layer_must_give_ten_softmax_outputs(editor) -> None:
    last = editor.rows()[-1]
    last.controls["activation"].setCurrentIndex(last.controls["activation"].findData("relu"))
    assert any("the last layer must give 10 outputs with softmax" in p
               for p in editor.rows()[-1].problems())
    assert not editor.build_button.isEnabled()


def test_buttons_add_move_and_remove_layers(editor) -> None:
    editor.add_combo.setCurrentIndex(editor.add_combo.findData("Dropout"))
    editor.rows()[5].clicked.emit(5)  # select dense_1: the new layer goes after it
    editor.add_button.click()
    names = [r.class_name for r in editor.rows()]
    assert names[5:8] == ["Dense", "Dropout", "Dense"]
    editor.rows()[6].up_button.click()
    assert [r.class_name for r in editor.rows()][5:7] == ["Dropout", "Dense"]
    editor.rows()[5].down_button.click()
    editor.rows()[6].remove_button.click()
    assert [r.class_name for r in editor.rows()] == [s["class_name"] for s in
                                                     editor.draft.current["layers"]]
    assert not editor.rows()[0].up_button.isEnabled()
    assert not editor.rows()[-1].down_button.isEnabled()


def test_the_public_api_adds_moves_removes_and_undoes(editor) -> None:
    before = editor.architecture()
    at = editor.add_layer("BatchNormalization", 1)
    assert editor.rows()[at].class_name == "BatchNormalization"
    assert editor.rows()[at].params_label.text() == "12"
    assert editor.move_layer(at, 0) == 0
    editor.set_layer_setting(0, "momentum", 0.5)
    assert editor.rows()[0].controls["momentum"].value() == 0.5
    editor.remove_layer(0)
    assert editor.architecture() == before
    assert editor.undo() and editor.rows()[0].class_name == "BatchNormalization"
    editor.undo_button.click()
    assert editor.rows()[0].controls["momentum"].value() == 0.9
    assert editor.redo() and editor.rows()[0].controls["momentum"].value() == 0.5


def test_architecture_and_set_architecture_round_trip(editor, shown) -> None:
    editor.add_layer("LeakyReLU", 1)
    editor.set_layer_setting(1, "alpha", 0.1)
    config = editor.architecture()
    other = shown(NetworkEditor())
    other.set_architecture(config)
    assert other.architecture() == config
    assert shown_rows(other) == shown_rows(editor)
    assert other.build_model().get_config() == editor.build_model().get_config()


def test_read_only_during_a_run(editor) -> None:
    editor.set_read_only(True, "Training is running: the network cannot change.")
    assert not editor.read_only_label.isHidden()
    assert not editor.add_button.isEnabled() and not editor.build_button.isEnabled()
    assert not editor.rows()[0].controls["filters"].isEnabled()
    assert not editor.rows()[0].remove_button.isEnabled()
    before = editor.architecture()
    editor.add_layer("Dense")
    editor.remove_layer(0)
    assert editor.architecture() == before
    editor.set_read_only(False)
    assert editor.rows()[0].controls["filters"].isEnabled() and editor.build_button.isEnabled()
    assert editor.read_only_label.isHidden()


def test_build_asks_for_a_seeded_model(editor, qtbot) -> None:
    editor.seed_spin.setValue(7)
    with qtbot.waitSignal(editor.buildRequested):
        qtbot.mouseClick(editor.build_button, Qt.MouseButton.LeftButton)
    model = editor.build_model()
    assert model.name == "lenet5" and model.count_params() == 61706
    assert editor.draft.seed == 7


def test_a_preset_from_the_combo_and_back_to_the_current_network(editor) -> None:
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("mlp"))
    editor.preset_combo.activated.emit(editor.preset_combo.currentIndex())
    assert [r.class_name for r in editor.rows()] == ["Flatten", "Dense", "Dense"]
    assert editor.has_unbuilt_changes() and "Unbuilt changes" in editor.status_label.text()
    editor.current_button.click()
    assert not editor.has_unbuilt_changes() and len(editor.rows()) == 8
