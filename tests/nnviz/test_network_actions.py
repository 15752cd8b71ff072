"""The Network tab in the window: a network built there is what every view shows, what
trains, what is saved and loaded; Start waits for a network that can be built."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtGui import QKeySequence

from core.layers import BatchNormalization
from core.model import Sequential
from nnviz.app import MainWindow
from nnviz.main_window import TAB_NAMES
from nnviz.tabs.regularization.network import NetworkRegularizationPanel
from tests.strokes import DIGITS, draw_digit


@pytest.fixture
def window(shown):
    w = shown(MainWindow(), 1400, 900)
    yield w
    w.controller.shutdown(3000)
    assert not w.controller.is_running


def build(window, name: str, seed: int = 1) -> None:
    editor = window.network_tab.editor
    editor.load_preset(name)
    editor.seed_spin.setValue(seed)
    editor.build_button.click()


def train_batches(window, qtbot, count: int) -> None:
    """``count`` batches with Step, each shown (its snapshot applied), then stop."""
    start = window.session.steps_trained
    for k in range(1, count + 1):
        window.train_tab.step_button.click()
        qtbot.waitUntil(lambda k=k: window.session.steps_trained == start + k, timeout=10000)
    with qtbot.waitSignal(window.controller.runFinished, timeout=3000):
        window.train_tab.stop_button.click()


def test_the_network_tab_comes_right_after_train(window) -> None:
    assert TAB_NAMES[:3] == ("Train", "Network", "Inside")
    assert window.tabs.widget(1).widget() is window.network_tab
    view = next(a for a in window.menuBar().actions() if a.text() == "&View").menu()
    assert [a.shortcut() for a in view.actions()] == [
        QKeySequence(f"Ctrl+{i}") for i in range(1, 7)]
    assert "Design the network" in window.tabs.tabToolTip(1)
    assert window.network_tab.editor.draft.name == "tutorial_cnn"  # the network trained now


def test_lenet5_built_and_trained_updates_both_filter_grids_and_the_drawing(window, qtbot):
    draw_digit(window.draw_tab.canvas, DIGITS[4]["closed"], size=0.6)
    build(window, "lenet5")
    session = window.session
    assert session.model.name == "lenet5" and session.model.count_params() == 61706
    assert window.train_tab.model_label.text().startswith(
        "Model: LeNet-5, 61,706 weights, untrained (seed 1) — LeCun's 1998 digit reader")
    inside = window.inside_tab
    assert inside.filters_panel.layer_names() == ["conv2d_1", "conv2d_2"]
    assert [s.description for s in inside.stages()][1:3] == ["Conv 5×5 + tanh", "Avg pool 2×2"]
    before = {name: inside.filters_panel.kernels(name).copy() for name in ("conv2d_1",
                                                                           "conv2d_2")}
    _, drawn_before = window.draw_tab.current_prediction()
    np.testing.assert_allclose(drawn_before, session.view_model.predict(
        window.draw_tab.current_input()[None, None])[0], rtol=1e-5)
    train_batches(window, qtbot, 3)
    assert session.steps_trained == 3
    window.tabs.setCurrentIndex(TAB_NAMES.index("Inside"))  # hidden, it redraws when shown
    for name, kernels in before.items():
        shown = inside.filters_panel.kernels(name)
        assert not np.array_equal(shown, kernels)
        np.testing.assert_array_equal(shown, session.view_model.named_params()[f"{name}.W"])
    _, drawn_after = window.draw_tab.current_prediction()
    assert not np.allclose(drawn_after, drawn_before)
    np.testing.assert_allclose(drawn_after, session.view_model.predict(
        window.draw_tab.current_input()[None, None])[0], rtol=1e-5)
    assert "LeNet-5, 61,706 weights, trained 3 steps" in window.train_tab.model_label.text()
    table = window.regularization_tab.findChild(NetworkRegularizationPanel)
    assert [layer for layer, _ in table.rows()] == ["conv2d_1", "conv2d_2", "dense_1",
                                                    "dense_2", "dense_3"]


def test_a_saved_lenet5_loads_back_as_lenet5(window, tmp_path) -> None:
    build(window, "lenet5", seed=5)
    weights = window.session.model.get_weights()
    path = tmp_path / "lenet.npz"
    window.save_model(path)
    assert Sequential.load(path).name == "lenet5"
    build(window, "mlp")
    window.load_model(path)
    session = window.session
    assert session.model.name == "lenet5"
    assert session.model_description() == "LeNet-5, 61,706 weights, loaded from lenet.npz"
    for a, b in zip(session.model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(a, b)
    editor = window.network_tab.editor
    assert editor.draft.name == "lenet5" and not editor.has_unbuilt_changes()
    assert window.inside_tab.filters_panel.layer_names() == ["conv2d_1", "conv2d_2"]


def test_a_broken_network_keeps_start_off_and_says_why(window) -> None:
    editor, tab = window.network_tab.editor, window.train_tab
    editor.load_preset("lenet5")
    editor.remove_layer(4)  # the Flatten: dense_1 would get maps
    assert not tab.start_button.isEnabled() and not tab.step_button.isEnabled()
    assert "dense_1 expects a flat (N, features) input" in tab.network_status()
    assert not tab.network_line.isHidden()
    tab.start()  # the menu and Space call it too: nothing starts
    assert not window.controller.is_running
    assert "cannot be built" in window.statusBar().currentMessage()
    editor.use_current_network()
    assert tab.start_button.isEnabled() and tab.network_status() == ""


def test_start_builds_unbuilt_changes_first(window, qtbot) -> None:
    editor, tab = window.network_tab.editor, window.train_tab
    editor.load_preset("mlp")
    editor.seed_spin.setValue(4)
    assert tab.start_button.text() == "Build and start"
    assert "Start builds “Dense MLP” first" in tab.network_status()
    with qtbot.waitSignal(window.controller.snapshotReady, timeout=10000):
        tab.step_button.click()
    assert window.session.model.name == "mlp" and window.controller.is_running
    assert tab.start_button.text() == "Start" and tab.network_status() == ""
    assert window.inside_tab.filters_panel.layer_names() == ["dense_1"]  # units as pictures
    with qtbot.waitSignal(window.controller.runFinished, timeout=3000):
        tab.stop_button.click()


def test_the_editor_is_read_only_while_a_run_goes_on(window, qtbot) -> None:
    editor = window.network_tab.editor
    with qtbot.waitSignal(window.controller.snapshotReady, timeout=10000):
        window.train_tab.step_button.click()  # a paused run: still a run
    assert editor.is_read_only() and not editor.read_only_label.isHidden()
    assert "cannot change while it trains" in editor.read_only_label.text()
    assert not editor.add_button.isEnabled() and not editor.build_button.isEnabled()
    before = editor.architecture()
    editor.add_layer("Dense")
    assert editor.architecture() == before
    with qtbot.waitSignal(window.controller.runFinished, timeout=3000):
        window.train_tab.stop_button.click()
    assert not editor.is_read_only() and editor.add_button.isEnabled()


def test_reset_weights_rebuilds_the_current_network_not_the_tutorial_cnn(window) -> None:
    build(window, "lenet5")
    trained = window.session.model
    window.train_tab.reset_weights()
    model = window.session.model
    assert model is not trained and model.name == "lenet5"
    assert model.get_config()["layers"] == trained.get_config()["layers"]
    assert not np.array_equal(model.get_weights()[0], trained.get_weights()[0])
    assert window.undo_weights_change() and window.session.model is trained


def test_a_build_is_undoable_and_the_optimizer_settings_apply(window) -> None:
    tab = window.train_tab
    tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("adam"))
    tab.l2_spin.setValue(1e-3)
    before = window.session.model
    build(window, "wide_cnn")
    model = window.session.model
    assert type(model.optimizer).__name__ == "Adam"
    assert model.regularization_loss() > 0  # L2 on every kernel, Conv2D and Dense
    assert window.undo_weights_change() and window.session.model is before


def test_batch_normalization_statistics_reach_the_views(window, qtbot) -> None:
    editor = window.network_tab.editor
    editor.load_preset("tutorial_cnn")
    editor.add_layer("BatchNormalization", 1)
    editor.add_layer("ELU", 2)
    editor.set_layer_setting(0, "activation", None)
    editor.build_button.click()
    assert any(isinstance(layer, BatchNormalization) for layer in window.session.model.layers)
    train_batches(window, qtbot, 2)
    mean = window.session.view_model.named_state()["batch_normalization_1.moving_mean"]
    np.testing.assert_array_equal(
        mean, window.session.model.named_state()["batch_normalization_1.moving_mean"])
    assert np.any(mean != 0)  # moved from its start by training
    stage = next(s for s in window.inside_tab.stages() if s.name == "batch_normalization_1")
    assert stage.description == "Batch norm + elu"
