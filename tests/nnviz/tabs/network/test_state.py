"""The editor's Qt-free state: shapes and weights of every preset, edits and their undo,
the problems of broken networks beside their layer, and the fixes it offers."""

from __future__ import annotations

import numpy as np
import pytest

from core.models import PRESETS, preset
from nnviz.tabs.network.state import NetworkDraft


def draft_of(name: str) -> NetworkDraft:
    draft = NetworkDraft()
    draft.load_preset(name)
    return draft


def classes(draft: NetworkDraft) -> list[str]:
    return [spec["class_name"] for spec in draft.layers]


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_has_its_shapes_and_weight_counts(name) -> None:
    draft = draft_of(name)
    model = preset(name)
    report = draft.report
    assert not draft.problems and report.total_params == model.count_params()
    assert report.layers[-1].output_shape == (10,)
    built = draft.build()
    assert built.output_shapes()[-1] == (10,) and built.count_params() == model.count_params()
    assert draft.name == name and draft.can_undo()  # loading a preset is an edit too


def test_lenet5_row_by_row() -> None:
    draft = draft_of("lenet5")
    rows = [(layer.class_name, layer.output_shape, layer.params) for layer in draft.report.layers]
    assert rows == [("Conv2D", (6, 28, 28), 156), ("AveragePooling2D", (6, 14, 14), 0),
                    ("Conv2D", (16, 10, 10), 2416), ("AveragePooling2D", (16, 5, 5), 0),
                    ("Flatten", (400,), 0), ("Dense", (120,), 48120), ("Dense", (84,), 10164),
                    ("Dense", (10,), 850)]
    assert draft.layers[0]["config"]["activation"] == "tanh"  # folded: one row per layer


def test_a_setting_changes_shapes_and_counts_at_once() -> None:
    draft = draft_of("lenet5")
    draft.set_setting(0, "filters", 12)
    assert draft.report.layers[0].output_shape == (12, 28, 28)
    assert draft.report.layers[0].params == 12 * (25 + 1)
    assert draft.report.layers[2].params == 16 * (12 * 25 + 1)
    assert draft.name == "LeNet-5 (edited)" and draft.has_changes()
    draft.set_setting(0, "filters", 6)
    assert draft.name == "lenet5"  # the same layers again: the preset again


def test_typing_a_number_is_one_undo_step() -> None:
    draft = draft_of("mlp")
    for value in (1, 12, 128, 1280):  # "1", "12", "128", "1280" typed into units
        draft.set_setting(1, "units", value)
    draft.set_setting(1, "activation", "tanh")
    assert draft.undo() and draft.layers[1]["config"]["activation"] == "relu"
    assert draft.undo() and draft.layers[1]["config"]["units"] == 128
    assert draft.redo() and draft.layers[1]["config"]["units"] == 1280
    with pytest.raises(ValueError, match="Flatten has no setting 'units'"):
        draft.set_setting(0, "units", 3)


def test_add_remove_move_and_undo() -> None:
    draft = draft_of("tutorial_cnn")
    before = draft.architecture()
    at = draft.add("BatchNormalization", 1)
    assert at == 1 and classes(draft)[1] == "BatchNormalization"
    assert draft.report.layers[1].params == 2 * 4 and draft.report.layers[1].output_shape == (
        4, 24, 24)
    assert draft.move(1, 0) == 0 and classes(draft)[0] == "BatchNormalization"
    draft.remove(0)
    assert draft.architecture() == before
    assert draft.undo() and classes(draft)[0] == "BatchNormalization"
    assert draft.undo() and classes(draft)[1] == "BatchNormalization"
    assert draft.undo() and draft.architecture() == before
    with pytest.raises(IndexError):
        draft.remove(len(draft.layers))
    with pytest.raises(ValueError, match="cannot add"):
        draft.add("Mystery")


def test_new_layers_go_where_such_layers_go() -> None:
    draft = draft_of("lenet5")
    conv = draft.add("Conv2D")
    assert classes(draft)[conv + 1] == "Flatten"  # maps layers: before the Flatten
    dense = draft.add("Dense")
    assert dense == len(draft.layers) - 2  # before the output layer
    assert not draft.problems


def test_a_dense_layer_put_on_maps_gets_a_flatten_and_a_note() -> None:
    draft = draft_of("tutorial_cnn")
    at = draft.add("Dense", 2)
    assert classes(draft)[at - 1: at + 1] == ["Flatten", "Dense"]
    assert "Flatten was added" in draft.note
    assert draft.problems  # the later conv layers now get flat inputs: said where


BROKEN = {
    "a kernel too big after pooling": (
        "lenet5", lambda d: d.set_setting(1, "pool_size", 8), 2,
        "conv2d_2: a 5×5 kernel does not fit its 3×3 input — remove a pooling layer"),
    "a Dense layer on maps without a Flatten": (
        "lenet5", lambda d: d.remove(4), 4,
        "dense_1 expects a flat (N, features) input, got (N, 16, 5, 5): add a Flatten"),
    "a last layer of 12 units": (
        "mlp", lambda d: d.set_setting(2, "units", 12), 2,
        "the last layer must give 10 outputs with softmax"),
    "a last layer without softmax": (
        "mlp", lambda d: d.set_setting(2, "activation", None), 2,
        "the last layer must give 10 outputs with softmax"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_network_says_what_and_where(case) -> None:
    name, edit, row, message = BROKEN[case]
    draft = draft_of(name)
    edit(draft)
    assert any(p.startswith(message) for p in draft.problems), draft.problems
    own = draft.report.layers[row].problems
    assert any(p.startswith(message) for p in own) or any(
        p.startswith(message) for p in draft.network_problems())
    with pytest.raises(ValueError, match="cannot be built"):
        draft.build()


def test_fixes_repair_what_they_say() -> None:
    draft = draft_of("lenet5")
    draft.remove(4)  # the Flatten
    (fix,) = draft.fixes(4)
    assert fix.label == "Insert a Flatten before it"
    draft.apply(fix)
    assert not draft.problems and classes(draft)[4] == "Flatten"
    draft.set_setting(7, "units", 3)
    fixes = draft.fixes(7)
    assert [f.action for f in fixes] == ["make_output"]
    draft.apply(fixes[0])
    assert not draft.problems and draft.name == "lenet5"


def test_the_architecture_round_trips() -> None:
    draft = draft_of("wide_cnn")
    draft.add("Dropout", 7)
    config = draft.architecture()
    other = NetworkDraft()
    other.set_architecture(config)
    assert other.architecture() == config
    assert other.build().get_config()["layers"] == draft.build().get_config()["layers"]
    with pytest.raises(ValueError, match="list of layers"):
        other.set_architecture({"name": "x"})


def test_it_follows_the_session_unless_it_has_edits_of_its_own() -> None:
    draft = NetworkDraft()
    assert draft.follow(preset("mlp")) and draft.name == "mlp" and not draft.has_changes()
    assert draft.follow(preset("lenet5")) and draft.name == "lenet5"
    draft.set_setting(0, "filters", 8)
    assert not draft.follow(preset("tutorial_cnn"))  # the edits stay: now unbuilt changes
    assert draft.layers[0]["config"]["filters"] == 8 and draft.has_changes()
    draft.revert()
    assert not draft.has_changes() and draft.name == "tutorial_cnn"


def test_building_is_seeded() -> None:
    draft = draft_of("lenet5")
    draft.seed = 3
    a, b = draft.build(), draft.build()
    draft.seed = 4
    c = draft.build()
    np.testing.assert_array_equal(a.get_weights()[0], b.get_weights()[0])
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])
    assert a.name == "lenet5" and a.optimizer is None
