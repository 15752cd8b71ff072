"""What differs between runs: exactly the settings that differ, and the network layer by
layer."""

from __future__ import annotations

from core.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from core.model import Sequential
from core.models import tutorial_cnn
from core.regularizers import Regularizer
from core.runs import CheckpointWeights, DatasetInfo, architecture_changes
from core.runs.compare import flatten, network_differences, same
from tests.core.runs.conftest import SETTINGS, record, tiny_model


def _settings(**changes) -> dict:
    return flatten(SETTINGS) | changes


def test_the_penalty_lesson_differs_in_l1_and_l2_only(history):
    runs = [record(history, settings=_settings(l1=l1, l2=l2), epochs=1, batches=3)
            for l1, l2 in ((0.0, 0.0), (0.001, 0.0), (0.0, 0.001))]
    differences = history.differences([run.id for run in runs])
    assert differences == {"l1": [0.0, 0.001, 0.0], "l2": [0.0, 0.0, 0.001]}


def test_identical_runs_differ_in_nothing(history):
    runs = [record(history, epochs=1, batches=2) for _ in range(2)]
    assert history.differences([run.id for run in runs]) == {}
    assert history.differences([runs[0].id]) == {}


def test_nested_settings_data_sets_and_starts_are_named_by_their_path(history):
    base = record(history, epochs=1, batches=2)
    augmented = dict(SETTINGS, augmentation={"rotation_range": 20.0,
                                             "horizontal_flip": False},
                     batch_size=32, nesterov=True)
    other = history.record(tiny_model(), dataset=DatasetInfo("mnist", "~/.keras", 48_000,
                                                             12_000, 10_000),
                           settings=augmented, start=CheckpointWeights(base.id, 2))
    other.finish("stopped")
    differences = history.differences([base.id, other.id])
    assert differences == {
        "dataset.name": ["sample", "mnist"],
        "dataset.source": ["5,000 MNIST digits", "~/.keras"],
        "dataset.train": [3200, 48_000], "dataset.validation": [800, 12_000],
        "dataset.test": [1000, 10_000],
        "start": ["fresh weights (seed 0)", f"step 2 of run {base.id}"],
        "augmentation.rotation_range": [0.0, 20.0],
        "batch_size": [100, 32],
        "nesterov": [None, True],  # a setting one run does not have
    }


def test_values_compare_as_values():
    assert same(1, 1.0) and same(float("nan"), float("nan")) and same((5, 5), [5, 5])
    assert not same(True, 1) and not same(0, None) and not same((3, 3), (5, 5))


def _without_pool(filters: int = 4) -> Sequential:
    model = Sequential(input_shape=(1, 28, 28), name="variant")
    model.add(Conv2D(filters, 5))
    model.add(Activation("tanh"))
    model.add(Conv2D(8, 3))
    model.add(Activation("tanh"))
    model.add(Conv2D(16, 3))  # no max pooling before it
    model.add(Activation("relu"))
    model.add(MaxPooling2D(2))
    model.add(Flatten())
    model.add(Dropout(0.25))
    model.add(Dense(128, kernel_initializer="normal"))
    model.add(Activation("tanh"))
    model.add(Dense(10, kernel_initializer="normal"))
    model.add(Activation("relu"))
    return model


def test_network_changes_are_named_layer_by_layer():
    before = tutorial_cnn(compile=False).get_config()
    after = _without_pool(filters=16).get_config()
    assert architecture_changes(before, after) == [
        "conv2d_1 filters: 4 → 16",
        "layer 5: max_pooling2d removed",
        "activation_5 activation: softmax → relu",
        "layer 9: dropout added",
    ]
    rows = network_differences([before, after, before])
    assert rows["layer 5: max_pooling2d"] == ["max_pooling2d_1", None, "max_pooling2d_1"]
    assert rows["layer 9: dropout"] == [None, "dropout_1", None]
    assert rows["conv2d_1 filters"] == [4, 16, 4]


def test_layers_after_an_insertion_are_compared_with_their_counterparts():
    before = tutorial_cnn(compile=False).get_config()
    after = tutorial_cnn(dropout=0.5, compile=False).get_config()
    assert architecture_changes(before, after) == ["layer 10: dropout added",
                                                   "layer 13: dropout added"]


def test_the_penalty_is_a_setting_not_a_network_difference():
    plain = tutorial_cnn(compile=False).get_config()
    penalised = tutorial_cnn(kernel_regularizer=Regularizer(0.001, 0.0),
                             compile=False).get_config()
    assert plain != penalised and architecture_changes(plain, penalised) == []


def test_an_input_shape_and_kernel_size_change_show_as_such():
    a = Sequential([Conv2D(2, 3), Flatten(), Dense(10)], input_shape=(1, 28, 28))
    b = Sequential([Conv2D(2, 5), Flatten(), Dense(10)], input_shape=(1, 32, 32))
    assert architecture_changes(a.get_config(), b.get_config()) == [
        "input shape: (1, 28, 28) → (1, 32, 32)", "conv2d_1 kernel_size: (3, 3) → (5, 5)"]
