"""core.teach: a few labelled digits of one writer teach the network their hand, and the
original model stays untouched (so teaching can be undone)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.augmentation import affine_sample
from core.data import ASSETS, load_sample
from core.model import Sequential
from core.preprocess import to_mnist
from core.teach import TeachConfig, accuracy, holdout_split, teach

FAST = TeachConfig(steps=40, final_steps=10)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def model():
    return Sequential.load(ASSETS / "tutorial_cnn.npz")


def tilted(images: np.ndarray, degrees: float = 50.0) -> np.ndarray:
    """One writer's hand: every digit leaning ``degrees`` (uint8 (N, 28, 28) in, float out),
    normalised like a drawing."""
    t = np.deg2rad(degrees)
    turn = np.repeat(np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])[None],
                     len(images), axis=0)
    x = affine_sample(images[:, None].astype(np.float32) / 255.0, turn,
                      np.zeros((len(images), 2)))[:, 0]
    return np.stack([to_mnist(image) for image in x])


@pytest.fixture(scope="module")
def writer(sample):
    """Three digits of each class to teach, 300 others of the same hand to test."""
    mine = np.concatenate([np.flatnonzero(sample.y_test == k)[:3] for k in range(10)])
    others = np.setdiff1d(np.arange(len(sample.y_test)), mine)[:300]
    return (tilted(sample.x_test[mine]), sample.y_test[mine].astype(np.int64),
            tilted(sample.x_test[others]), sample.y_test[others].astype(np.int64))


def test_teaching_raises_the_writers_accuracy_and_can_be_undone(model, sample, writer):
    x_mine, y_mine, x_same_hand, y_same_hand = writer
    weights = model.get_weights()
    before = accuracy(model, x_same_hand, y_same_hand)
    result = teach(model, x_mine, y_mine, sample.x_train, sample.y_train,
                   sample.x_test[:300], sample.y_test[:300], config=FAST, seed=0)
    assert result.model is not None and result.model is not model
    after = accuracy(result.model, x_same_hand, y_same_hand)
    assert after >= before + 0.06, (before, after)
    assert result.others_after >= result.others_before - 0.02  # nothing else forgotten
    assert result.personal_held_out == 10 and result.personal_count == 30
    assert 0.0 <= result.personal_before <= 1.0 and "→" in result.summary()
    # undo = the previous model, which teaching never touched
    assert result.previous is model
    for w, w0 in zip(model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(w, w0)


def test_holdout_split_keeps_a_digit_of_each_kind_to_learn_from():
    labels = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 3, 3])
    taught, held = holdout_split(labels, 1 / 3, np.random.default_rng(0))
    assert sorted(np.concatenate([taught, held])) == list(range(12))
    assert np.bincount(labels[held], minlength=4).tolist() == [1, 1, 0, 2]
    assert set(labels[taught]) == {0, 1, 2, 3}


def test_no_digits_and_a_stop_change_nothing(model, sample, writer):
    empty = teach(model, np.zeros((0, 28, 28)), np.zeros(0), sample.x_train, sample.y_train)
    assert empty.model is None and "Add some labelled drawings" in empty.message
    stop = threading.Event()
    stop.set()
    stopped = teach(model, writer[0], writer[1], sample.x_train, sample.y_train, stop=stop)
    assert stopped.model is None and "stopped" in stopped.message


def test_progress_is_reported_to_the_end(model, sample, writer):
    seen = []
    teach(model, writer[0], writer[1], sample.x_train, sample.y_train,
          config=TeachConfig(steps=10, final_steps=10), progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 2
