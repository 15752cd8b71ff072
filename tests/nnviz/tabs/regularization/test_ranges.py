"""The sticky-range rule that keeps the lab's axes still while a slider drags."""

from __future__ import annotations

from nnviz.tabs.regularization.ranges import settle, sticky


def test_sticky_keeps_a_range_that_holds_the_data_with_little_to_spare():
    assert sticky((0.0, 10.0), (1.0, 9.0), slack=1.5)
    assert not sticky((0.0, 10.0), (1.0, 11.0), slack=1.5)  # data outside
    assert not sticky((0.0, 10.0), (3.0, 9.0), slack=1.5)  # too much empty room


def test_settle_adds_room_for_the_next_small_change():
    assert settle((0.0, 10.0), (1.0, 9.0), 1.5) == (0.0, 10.0)
    low, high = settle((0.0, 10.0), (1.0, 11.0), 2.0)
    assert (low, high) == (0.0, 12.0)
    assert sticky((low, high), (0.5, 11.5), 2.0)
