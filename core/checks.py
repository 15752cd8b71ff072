"""Checks for settings that come from people and files: whole numbers and finite reals.

Layers, optimizers, regularizers and the command line take settings typed by a user or
read from a file (a model header, saved settings). These checks turn a wrong type, NaN,
an infinity or an out-of-range value into a ``ValueError`` that names the setting, so
nothing further down meets a ``ZeroDivisionError``, an ``OverflowError`` or a silent NaN.
"""

from __future__ import annotations

import inspect
import math
from numbers import Integral, Real

__all__ = ["known_settings", "whole", "real", "pair", "text_choice"]


def whole(value: object, name: str, low: int = 1, high: int | None = None) -> int:
    """``value`` as an int in [low, high]; booleans and floats (even 2.0) are refused."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number, got {_show(value)}")
    number = int(value)
    if number < low or (high is not None and number > high):
        bound = f">= {low}" if high is None else f"between {low} and {high:,}"
        raise ValueError(f"{name} must be {bound}, got {number:,}")
    return number


def real(value: object, name: str, low: float | None = None, high: float | None = None, *,
         low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite float within the bounds (closed unless ``*_open``)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {_show(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number}")
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        raise ValueError(f"{name} must be {_range(low, high, low_open, high_open)}, "
                         f"got {number:g}")
    return number


def pair(value: object, name: str, low: int = 1, high: int | None = None) -> tuple[int, int]:
    """A whole number or a pair of them (a kernel or pool size) as (height, width)."""
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ValueError(f"{name} must be a whole number or two of them, got {_show(value)}")
        return whole(value[0], name, low, high), whole(value[1], name, low, high)
    size = whole(value, name, low, high)
    return size, size


def text_choice(value: object, name: str, options: tuple[str, ...]) -> str:
    """``value`` if it is one of the strings ``options``."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {_show(value)}")
    return value


def known_settings(cls: type, config: object, what: str) -> dict:
    """``config`` as keyword arguments for ``cls(**config)``: a dict whose keys are all
    parameters of ``cls`` and that holds every parameter without a default (a settings
    dict from a file may hold anything)."""
    if not isinstance(config, dict):
        raise ValueError(f"the settings of {what} must be a dict, got {_show(config)}")
    parameters = inspect.signature(cls).parameters
    unknown = [key for key in config if key not in parameters]
    if unknown:
        raise ValueError(f"{what} has no setting {_show(str(unknown[0]))}; its settings are "
                         f"{', '.join(sorted(parameters))}")
    missing = [name for name, p in parameters.items()
               if p.default is inspect.Parameter.empty and name not in config]
    if missing:
        raise ValueError(f"{what} needs the setting {missing[0]!r}")
    return dict(config)


def _range(low, high, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    return f"{'<' if high_open else '<='} {high:g}"


def _show(value: object) -> str:
    """A short repr for messages (a 10,000-item list from a file stays one line)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
