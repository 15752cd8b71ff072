"""Numbers as the Inside tab prints them."""

from __future__ import annotations

from nnviz.tabs.inside.value_text import compact, format_value


def test_compact_numbers():
    assert compact(0.123) == "+.12"
    assert compact(-0.5) == "−.50"
    assert compact(0.0) == "0" and compact(0.001) == "0"
    assert compact(-12.3) == "−12"


def test_format_value_signs_and_switches_to_exponents():
    assert format_value(0.12345) == "+0.123"
    assert format_value(-2.0) == "−2.000"
    assert format_value(-1.5e-5) == "−1.50e−05"
    assert format_value(float("nan")) == "nan"
