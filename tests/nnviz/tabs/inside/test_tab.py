"""The Inside tab: the real arrays on screen, snapshots while a trainer runs, drawn input.

The tab looks at the model it is given; like the session does in the app, these tests copy
a snapshot's weights into that model (:func:`_apply`) before showing the snapshot."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtTest import QTest

from core.data import as_network_input, load_sample
from core.diagnostics import take_snapshot
from core.layers import Dense, Flatten
from core.model import Sequential
from core.models import tutorial_cnn
from core.training import Trainer
from nnviz.tabs.inside.colors import DIVERGING, colorize, symmetric_limit
from nnviz.tabs.inside.state import DRAWN
from nnviz.tabs.inside.tab import InsideTab

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def data():
    return load_sample()


@pytest.fixture
def tab(shown, data):
    widget = shown(InsideTab(), 1280, 800)
    widget.set_model(tutorial_cnn(seed=0))
    widget.set_samples(data.x_test[:300], data.y_test[:300])
    return widget


def _apply(model, snapshot):
    """What Session.apply_snapshot does: the snapshot's weights into the model."""
    model.set_weights([snapshot.weights[name] for name in model.named_params()])


def _assert_maps_are(tab, model, x):
    """Every stage of the network view holds model.activations(x) for that stage."""
    acts = model.activations(x[None])
    view = tab.network_view
    np.testing.assert_array_equal(view.stage_values(0), x)
    for stage in tab.stages()[1:]:
        np.testing.assert_array_equal(view.stage_values(stage.index), acts[stage.output][0])


def _assert_filters_are(tab, weights):
    for name in tab.filters_panel.layer_names():
        np.testing.assert_array_equal(tab.filters_panel.kernels(name), weights[f"{name}.W"])


def test_set_model_looks_inside_the_model_it_is_given(tab):
    assert tab.objectName() == "insideTab"
    assert " → ".join(s.shape_text for s in tab.stages()) == (
        "28×28 → 4×24×24 → 8×22×22 → 8×11×11 → 16×9×9 → 16×4×4 → 256 → 128 → 10")
    assert [s.params for s in tab.stages() if s.params] == [104, 296, 1168, 32896, 1290]
    given = tutorial_cnn(seed=1)
    tab.set_model(given)
    assert tab.model() is given and tab.state.model is given
    assert "35,754 parameters" in tab.network_view.caption()
    _assert_maps_are(tab, given, tab.current_input())
    given.layers[0].params["W"][...] *= -1.0            # the weights change elsewhere
    tab.refresh()
    _assert_maps_are(tab, given, tab.current_input())


def test_filters_and_feature_maps_are_the_model_arrays(tab, data):
    model = tab.model()
    _assert_filters_are(tab, model.named_params())
    tab.select_input(4)
    assert tab.picker.selection() == 4
    sample = tab.selected_sample()
    assert data.y_test[sample] == 4                          # two of each class: slot 4 is a 4
    x = as_network_input(data.x_test[sample:sample + 1])[0]
    np.testing.assert_array_equal(tab.current_input(), x)
    _assert_maps_are(tab, model, x)
    conv = model.activations(x[None])[3][0]                 # conv2d_2 + tanh
    limit = symmetric_limit(conv)
    np.testing.assert_array_equal(tab.network_view.stage_rgba(2),
                                  colorize(conv, -limit, limit, DIVERGING))
    kernels = model.layers[0].params["W"]
    limit = np.abs(kernels).max()
    np.testing.assert_array_equal(tab.filters_panel.rgba("conv2d_1"),
                                  colorize(kernels, -limit, limit, DIVERGING))
    expected = model.predict(as_network_input(data.x_test[tab.state.shown])).argmax(axis=1)
    np.testing.assert_array_equal(tab.picker.predictions(), expected)


def test_show_snapshot_brings_new_weights_everywhere(tab, data):
    trained = tutorial_cnn(seed=0)
    x = as_network_input(data.x_train[:200])
    y = data.y_train[:200].astype(np.int64)
    for start in range(0, 200, 50):
        trained.train_on_batch(x[start:start + 50], y[start:start + 50])
    snapshot = take_snapshot(trained, epoch=0)
    tab.select_input(1)
    _apply(tab.model(), snapshot)
    tab.show_snapshot(snapshot)
    _assert_filters_are(tab, snapshot.weights)
    _assert_maps_are(tab, trained, tab.current_input())
    assert len(tab.stats_panel.history) == 1
    assert "step 4" in tab.network_view.caption()


def test_the_guesses_follow_new_weights_at_most_once_a_second(tab, qtbot, data):
    before = tab.picker.predictions()
    trained = tutorial_cnn(seed=7)
    expected = trained.predict(as_network_input(data.x_test[tab.state.shown])).argmax(axis=1)
    assert not np.array_equal(before, expected)
    snapshot = take_snapshot(trained, 0)
    _apply(tab.model(), snapshot)
    tab.show_snapshot(snapshot)                          # right after set_samples: too soon
    np.testing.assert_array_equal(tab.picker.predictions(), before)
    qtbot.waitUntil(lambda: np.array_equal(tab.picker.predictions(), expected), timeout=3000)


def test_other_digits_keep_the_slot_and_show_the_new_digit(tab, data):
    tab.select_input(5)
    first = tab.selected_sample()
    tab.next_button.click()
    assert tab.picker.selection() == 5 and tab.selected_sample() != first
    assert data.y_test[tab.selected_sample()] == 5
    _assert_maps_are(tab, tab.model(), tab.current_input())
    np.testing.assert_array_equal(
        tab.current_input(), as_network_input(data.x_test[tab.selected_sample()][None])[0])


def test_a_snapshot_of_another_architecture_is_ignored(tab):
    caption = tab.network_view.caption()
    tab.show_snapshot(take_snapshot(Sequential([Flatten(), Dense(10)], input_shape=(1, 28, 28))))
    other = tutorial_cnn(seed=3)
    other.layers.pop()                                       # not the same set of weights
    other.layers.pop()
    tab.show_snapshot(take_snapshot(other, 0))
    assert len(tab.stats_panel.history) == 0
    assert tab.network_view.caption() == caption


class _Relay(QObject):
    """Carries snapshots from the training thread to the UI thread (a queued signal)."""

    snapshot = pyqtSignal(object)


def test_show_snapshot_while_a_trainer_runs_does_not_race(tab, qtbot, data):
    trained = tutorial_cnn(seed=0)
    view = trained.clone()                                   # the session's view model
    tab.set_model(view)
    tab.select_input(2)
    x_in = tab.current_input()
    main = threading.current_thread()
    touched: list[str] = []

    def spy(name):
        method = getattr(trained, name)

        def wrapper(*args, **kwargs):
            if threading.current_thread() is main:
                touched.append(name)
            return method(*args, **kwargs)
        return wrapper

    for name in ("activations", "predict", "forward", "named_params", "get_weights",
                 "set_weights", "clone", "named_grads"):
        setattr(trained, name, spy(name))

    relay = _Relay()
    shown, problems = [], []
    reference = tutorial_cnn(seed=0)
    names = list(reference.named_params())

    def on_snapshot(snapshot):                               # on the UI thread
        _apply(view, snapshot)
        tab.show_snapshot(snapshot)
        reference.set_weights([snapshot.weights[n] for n in names])
        expected = reference.activations(x_in[None])
        if not np.array_equal(tab.network_view.stage_values(4), expected[6][0]):
            problems.append(f"maps differ at step {snapshot.step}")
        if not np.array_equal(tab.filters_panel.kernels("conv2d_2"),
                              snapshot.weights["conv2d_2.W"]):
            problems.append(f"filters differ at step {snapshot.step}")
        shown.append(snapshot.step)

    relay.snapshot.connect(on_snapshot)
    previous = [None]

    def on_batch_end(logs):                                  # on the training thread
        previous[0] = take_snapshot(trained, logs["epoch"], previous=previous[0])
        relay.snapshot.emit(previous[0])

    x = as_network_input(data.x_train[:1000])
    trainer = Trainer(trained, x, data.y_train[:1000].astype(np.int64), batch_size=50,
                      epochs=1, validation_split=0.2, on_batch_end=on_batch_end)
    worker = threading.Thread(target=trainer.run)
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive() and len(shown) == 16, timeout=60000)
    worker.join()
    assert trainer.state == "finished"
    assert problems == []
    assert shown == sorted(shown) and shown[-1] == 16
    assert touched == []                                     # the tab never read the trainer's
    assert tab.model() is view
    assert len(tab.stats_panel.history) == 16


def test_the_drawn_digit_is_an_input_and_followed_live(tab, qtbot):
    rng = np.random.default_rng(0)
    first = (rng.random((28, 28)) > 0.8).astype(np.float32)
    tab.set_drawn_input(first)
    assert tab.picker.selection() == 0                       # drawing alone changes nothing
    with qtbot.waitSignal(tab.picker.selectionChanged):
        QTest.mouseClick(tab.picker, LEFT, pos=tab.picker.drawn_rect().center().toPoint())
    assert tab.picker.selection() == DRAWN
    np.testing.assert_array_equal(tab.current_input(), first[None])
    _assert_maps_are(tab, tab.model(), first[None])
    second = np.zeros((28, 28), dtype=np.float32)
    second[5:23, 12:16] = 1.0
    tab.set_drawn_input(second)
    _assert_maps_are(tab, tab.model(), second[None])
    tab.set_drawn_input(None)
    assert tab.outputs() is None and tab.network_view.stage_values(1) is None
    tab.select_input(0)
    assert tab.outputs() is not None


def test_hover_explains_and_a_click_pins(tab):
    view = tab.network_view
    point = view.point_of(2, (3, 4, 5)).toPoint()
    QTest.mouseMove(view, point)
    explanation = tab.explain_panel.explanation()
    assert explanation.stage.name == "conv2d_2" and explanation.index == (3, 4, 5)
    assert explanation.value == view.stage_values(2)[3, 4, 5]
    assert tab.filters_panel.highlight() == ("conv2d_2", 3)
    QTest.mouseClick(view, LEFT, pos=point)
    QTest.mouseMove(view, view.point_of(7, (10,)).toPoint())
    assert tab.explain_panel.explanation().index == (3, 4, 5)   # pinned
    model = tutorial_cnn(seed=5)
    snapshot = take_snapshot(model, 0)
    _apply(tab.model(), snapshot)
    tab.show_snapshot(snapshot)
    pinned = tab.explain_panel.explanation()
    assert pinned.index == (3, 4, 5) and pinned.value == view.stage_values(2)[3, 4, 5]
    np.testing.assert_array_equal(pinned.kernel, model.layers[2].params["W"][3])
    QTest.mouseClick(view, LEFT, pos=point)                    # release the pin
    QTest.mouseMove(view, view.point_of(7, (10,)).toPoint())
    assert tab.explain_panel.explanation().index == (10,)
    assert tab.filters_panel.highlight() is None


def test_the_pinned_value_is_explained_again_for_a_new_input(tab):
    view = tab.network_view
    point = view.point_of(4, (2, 3, 3)).toPoint()
    QTest.mouseMove(view, point)
    QTest.mouseClick(view, LEFT, pos=point)
    tab.select_input(6)
    explanation = tab.explain_panel.explanation()
    assert explanation.index == (2, 3, 3)
    assert explanation.value == tab.outputs()[4][2, 3, 3]
    tab.set_model(tab.model())                                # a new model releases the pin
    assert tab.explain_panel.explanation() is None and view.pin() is None


def test_a_hidden_tab_only_records_and_redraws_when_shown(tab, qtbot):
    before = tab.network_view.stage_values(1).copy()
    tab.hide()
    snapshot = take_snapshot(tutorial_cnn(seed=9), 0)
    _apply(tab.model(), snapshot)
    tab.show_snapshot(snapshot)
    np.testing.assert_array_equal(tab.network_view.stage_values(1), before)   # not redrawn
    assert tab.state.dirty
    assert len(tab.stats_panel.history) == 1
    tab.show()
    qtbot.waitExposed(tab)
    _assert_maps_are(tab, tab.model(), tab.current_input())
    _assert_filters_are(tab, snapshot.weights)


def test_scale_and_layer_choices_reach_every_view(tab):
    tab.set_scale_mode("global")
    assert tab.network_view.scale_mode() == "global"
    assert tab.filters_panel.scale_mode() == "global"
    assert tab.scale_combo.currentText() == "global"
    QTest.mouseClick(tab.network_view, LEFT,
                     pos=tab.network_view.header_rect(7).center().toPoint())
    assert tab.stats_panel.selected_layer() == "dense_1"
    tab.stats_panel.layer_combo.setCurrentText("conv2d_3")
    assert tab.network_view.selected_stage() == 4


def test_before_a_model_and_with_a_model_without_convolutions(shown, data):
    widget = shown(InsideTab(), 1000, 700)
    widget.set_samples(data.x_test[:100], data.y_test[:100])
    widget.set_drawn_input(np.zeros((28, 28), dtype=np.float32))
    widget.show_snapshot(take_snapshot(tutorial_cnn(), 0))     # no model yet: ignored
    assert widget.model() is None and widget.outputs() is None
    assert not widget.grab().isNull()
    flat = Sequential([Flatten(), Dense(32, activation="relu"), Dense(10, activation="softmax")],
                      input_shape=(1, 28, 28))
    widget.set_model(flat)
    assert [s.shape_text for s in widget.stages()] == ["28×28", "784", "32", "10"]
    # no convolutions: the first dense layer's units are drawn as pictures over the digit
    assert widget.filters_panel.layer_names() == ["dense_1"]
    w = flat.named_params()["dense_1.W"]
    np.testing.assert_array_equal(widget.filters_panel.kernels("dense_1"),
                                  w[:, :24].T.reshape(24, 1, 28, 28))
    assert "the first 24 of its 32 units" in widget.filters_box.title()
    x = as_network_input(data.x_test[widget.selected_sample()][None])[0]
    _assert_maps_are(widget, widget.model(), x)
    assert not widget.grab().isNull()


def test_the_why_toggle_puts_a_map_on_every_digit_of_the_picker(tab, qtbot, data):
    assert tab.why_button.objectName() == "insideWhyButton" and not tab.picker.has_why_overlays()
    tab.why_button.click()
    assert tab.picker.has_why_overlays()
    tab.next_button.click()  # another strip: its maps follow
    qtbot.waitUntil(tab.picker.has_why_overlays)
    tab.why_button.click()
    assert not tab.picker.has_why_overlays()
