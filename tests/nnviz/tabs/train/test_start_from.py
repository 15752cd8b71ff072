"""Where a run starts from, Qt-free: fresh weights of any network by seed, the default,
and a run that continues the last one recording it as its parent."""

from __future__ import annotations

import numpy as np

from core.layers import Dense, Flatten
from core.model import Sequential
from core.models import tutorial_cnn
from core.runs import CheckpointWeights, CurrentWeights
from nnviz.tabs.train.start_from import (
    CURRENT,
    FRESH,
    Lineage,
    compiled,
    default_choice,
    fresh_model,
    fresh_origin,
)


def test_fresh_weights_of_a_seed_are_the_tutorial_cnns_of_that_seed():
    trained = tutorial_cnn(seed=5)
    trained.layers[0].params["W"][...] = 1.0
    fresh = fresh_model(trained, seed=3)
    assert fresh is not trained and fresh.get_config() == trained.get_config()
    for got, want in zip(fresh.get_weights(), tutorial_cnn(seed=3).get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    assert fresh.optimizer is not trained.optimizer and fresh.optimizer.iterations == 0
    assert fresh.optimizer.get_config() == trained.optimizer.get_config()
    assert fresh_origin(fresh, 3) == "untrained tutorial CNN (seed 3)"


def test_fresh_weights_follow_any_network():
    mlp = Sequential([Flatten(), Dense(16, activation="relu"), Dense(10, activation="softmax")],
                     input_shape=(1, 28, 28), seed=1, name="small_mlp")
    fresh = compiled(fresh_model(mlp, seed=9))
    assert fresh.get_config() == mlp.get_config() and fresh.loss is not None
    assert not np.array_equal(fresh.get_weights()[0], mlp.get_weights()[0])
    np.testing.assert_array_equal(fresh.get_weights()[0], fresh_model(mlp, 9).get_weights()[0])
    assert fresh_origin(mlp, 9) == "untrained small mlp (seed 9)"


def test_the_pretrained_model_starts_fresh_by_default_any_other_from_its_weights():
    assert default_choice(pretrained=True) == FRESH
    assert default_choice(pretrained=False) == CURRENT


def test_going_on_from_the_last_runs_weights_records_that_run_as_the_parent():
    model = tutorial_cnn()
    lineage = Lineage("20260101-000000-000000-abcd", 320, model)
    assert lineage.start(model, "tutorial CNN, trained 320 steps") == CheckpointWeights(
        "20260101-000000-000000-abcd", 320)
    assert lineage.start(tutorial_cnn(), "something else") == CurrentWeights("something else")
