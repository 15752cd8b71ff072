"""Setting checks: whole numbers, finite reals, pairs, choices, known keyword settings."""

from __future__ import annotations

import numpy as np
import pytest

from core.checks import known_settings, pair, real, text_choice, whole


def test_whole_numbers():
    assert whole(3, "n") == 3 and whole(np.int64(4), "n") == 4 and whole(0, "n", low=0) == 0
    for bad, message in [(2.0, "whole number, got 2.0"), (True, "got True"), ("3", "got '3'"),
                         (0, "n must be >= 1, got 0"), (11, "between 1 and 10, got 11")]:
        with pytest.raises(ValueError, match=message):
            whole(bad, "n", high=10 if bad == 11 else None)


def test_reals_are_finite_and_bounded():
    assert real(1, "x") == 1.0 and real(np.float32(0.5), "x", 0, 1) == 0.5
    for value, kwargs, message in [
        (float("nan"), {}, "finite number, got nan"), (float("-inf"), {}, "got -inf"),
        (None, {}, "x must be a number, got None"), (False, {}, "got False"),
        (0.0, {"low": 0.0, "low_open": True}, "x must be > 0, got 0"),
        (1.0, {"low": 0.0, "high": 1.0, "high_open": True}, r"in \[0, 1\), got 1"),
        (5.0, {"high": 2.0}, "x must be <= 2, got 5"),
    ]:
        with pytest.raises(ValueError, match=message):
            real(value, "x", **kwargs)


def test_pairs_choices_and_settings():
    assert pair(3, "k") == (3, 3) and pair([2, 5], "k") == (2, 5)
    with pytest.raises(ValueError, match="a whole number or two of them"):
        pair((1, 2, 3), "k")
    assert text_choice("relu", "f", ("relu", "tanh")) == "relu"
    with pytest.raises(ValueError, match="f must be one of relu, tanh; got 'x'"):
        text_choice("x", "f", ("relu", "tanh"))

    def make(a, b=1):
        return a + b

    assert known_settings(make, {"a": 1}, "make") == {"a": 1}
    with pytest.raises(ValueError, match="make has no setting 'c'; its settings are a, b"):
        known_settings(make, {"c": 1}, "make")
    with pytest.raises(ValueError, match="make needs the setting 'a'"):
        known_settings(make, {"b": 1}, "make")
    with pytest.raises(ValueError, match="the settings of make must be a dict"):
        known_settings(make, [1], "make")


def test_long_values_are_shown_short():
    with pytest.raises(ValueError) as caught:
        whole(list(range(10_000)), "n")
    assert len(str(caught.value)) < 100
