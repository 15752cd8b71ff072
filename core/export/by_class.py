"""A table keyed by class: one entry per layer (or loss) type, found along the class's MRO."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ByClass(Generic[T]):
    """Entries by class; a subclass without an entry of its own uses its nearest base's.

    ``target`` names the export ("ONNX", "PyTorch") in the message for a missing entry.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._entries: dict[type, T] = {}

    def __setitem__(self, cls: type, entry: T) -> None:
        self._entries[cls] = entry

    def register(self, cls: type) -> Callable[[T], T]:
        """Decorator: ``@table.register(Conv2D)`` over the function for that type."""
        def add(entry: T) -> T:
            self._entries[cls] = entry
            return entry
        return add

    def lookup(self, obj: object, label: str = "") -> T:
        """The entry of ``obj``'s class; ValueError naming the type when there is none."""
        for cls in type(obj).__mro__:
            if cls in self._entries:
                return self._entries[cls]
        what = type(obj).__name__ + (f" ({label})" if label else "")
        raise ValueError(f"{what} cannot be exported to {self.target} yet")
