"""The Network tab's state, kept without Qt: the architecture being edited and its checks.

:class:`NetworkDraft` holds the layers being edited (folded config specs, see
:mod:`nnviz.networks`), the network they started from (a preset or the current network),
the network the session trains now, and the edits that can be undone. Every edit
re-checks the whole architecture with ``core.models.inspect_architecture``: each layer's
output shape, weight count and problems, in plain words, before anything is built. The
editor's views only show what it holds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from core.architecture import ArchitectureReport, inspect_architecture
from core.models import DIGITS, PRESETS, display_name
from nnviz.networks import (
    EDITED,
    architecture_of,
    build_network,
    fold,
    preset_architecture,
    same_architecture,
)
from nnviz.tabs.network.fields import LAYER_FIELDS, NEW_LAYERS

__all__ = ["Fix", "NetworkDraft", "UNDO_DEPTH"]

UNDO_DEPTH = 100
"""Most edits kept for undo."""
IMAGE_LAYERS = ("Conv2D", "MaxPooling2D", "AveragePooling2D")
"""Layers that work on maps (they come before the Flatten)."""


@dataclass(frozen=True)
class Fix:
    """An edit that repairs a problem of a layer: ``label`` for its button, ``action``
    ("insert_flatten", "make_output") and the layer ``index`` it applies to."""

    label: str
    action: str
    index: int


class NetworkDraft:
    """The architecture being edited: ``layers`` (folded specs) plus its name, seed and
    undo history; :attr:`report` checks it. Change it only through the methods, so that
    every edit can be undone and is checked again."""

    def __init__(self) -> None:
        self.layers: list[dict] = []
        self.base_name = "network"   # the preset or network the draft started from
        self._base_layers: list[dict] = []
        self.current: dict | None = None  # the session's network (folded), to compare
        self.seed = 0
        self.note = ""  # what the last edit did besides what was asked ("Flatten added")
        self._undo: list[tuple[list[dict], str, list[dict]]] = []  # (layers, base name, base)
        self._redo: list[tuple[list[dict], str, list[dict]]] = []
        self._last_edit: tuple[int, str] | None = None  # (row, key) of a typing streak
        self._report: ArchitectureReport | None = None

    # -- what the views read ------------------------------------------------------------
    @property
    def title(self) -> str:
        """The name as the app shows it ("LeNet-5", "LeNet-5 (edited)")."""
        return display_name(self.name)

    @property
    def name(self) -> str:
        """The network's name: the preset's or the base network's while unchanged, else
        its display name + " (edited)"."""
        if same_architecture(self.layers, self._base_layers):
            return self.base_name
        return display_name(self.base_name).removesuffix(EDITED) + EDITED

    def architecture(self) -> dict:
        """A ``Sequential.get_config()``-style dict of the draft (a deep copy)."""
        return {"name": self.name, "input_shape": list(DIGITS),
                "layers": copy.deepcopy(self.layers)}

    @property
    def report(self) -> ArchitectureReport:
        """Shapes, weight counts and problems of every layer (computed once per edit)."""
        if self._report is None:
            self._report = inspect_architecture(self.architecture())
        return self._report

    @property
    def problems(self) -> tuple[str, ...]:
        return self.report.problems

    def network_problems(self) -> list[str]:
        """The problems that belong to no single layer (the output, the size)."""
        own = {p for layer in self.report.layers for p in layer.problems}
        return [p for p in self.report.problems if p not in own]

    def input_shape(self, index: int) -> tuple[int, ...] | None:
        """The per-sample shape that layer ``index`` receives (None: unknown, a layer
        before it is broken)."""
        if index == 0:
            return DIGITS
        layers = self.report.layers
        return layers[index - 1].output_shape if index - 1 < len(layers) else None

    def has_changes(self) -> bool:
        """Whether the draft differs from the network the session trains now."""
        return self.current is None or not same_architecture(self.layers,
                                                             self.current["layers"])

    def fixes(self, index: int) -> list[Fix]:
        """Edits that repair layer ``index``'s problems (a Flatten before a Dense layer on
        maps; the last Dense layer made 10 units with softmax)."""
        found: list[Fix] = []
        spec = self.layers[index]
        shape = self.input_shape(index)
        if spec["class_name"] == "Dense" and shape is not None and len(shape) == 3:
            found.append(Fix("Insert a Flatten before it", "insert_flatten", index))
        if (index == len(self.layers) - 1 and spec["class_name"] == "Dense"
                and self.network_problems() and self.report.layers[index].output_shape
                and any("last layer" in p for p in self.network_problems())):
            found.append(Fix("Make it 10 units with softmax", "make_output", index))
        return found

    # -- whole architectures ------------------------------------------------------------
    def set_architecture(self, config: dict) -> None:
        """Edit ``config`` (a ``get_config()``-style dict) from now on; undoable. Its
        name becomes the base name; a config without a list of layers raises ValueError."""
        layers = config.get("layers") if isinstance(config, dict) else None
        if not isinstance(layers, list):
            raise ValueError("a network config is a dict with a list of layers")
        self._remember()
        self.layers = fold(copy.deepcopy(layers))
        self.base_name = str(config.get("name") or "network")
        self._base_layers = copy.deepcopy(self.layers)
        self._changed()

    def load_preset(self, name: str) -> None:
        """Start from preset ``name`` (a key of ``core.models.PRESETS``); undoable."""
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
        self.set_architecture(preset_architecture(name))

    def follow(self, model) -> bool:
        """The session trains ``model`` now; the draft takes its architecture when it had
        no edits of its own (True), else keeps them (False)."""
        had_changes = self.current is not None and self.has_changes()
        self.current = architecture_of(model)
        if had_changes:
            self._report = None
            return False
        if not same_architecture(self.layers, self.current["layers"]) or not self.layers:
            self._remember()  # Undo shows the layers of the network before again
        self.layers = copy.deepcopy(self.current["layers"])
        self.base_name = self.current["name"]
        self._base_layers = copy.deepcopy(self.layers)
        self._changed()
        return True

    def revert(self) -> None:
        """Back to the network the session trains now (undoable)."""
        if self.current is not None:
            self.set_architecture(self.current)

    # -- edits ---------------------------------------------------------------------------
    def add(self, class_name: str, index: int | None = None) -> int:
        """Insert a new ``class_name`` layer at ``index`` (default: where it usually goes,
        see :meth:`default_position`); returns its index. A Dense layer put on maps gets a
        Flatten before it (:attr:`note` says so: the engine never flattens by itself)."""
        if class_name not in NEW_LAYERS:
            raise ValueError(f"the editor cannot add a {class_name!r} layer; choose one of "
                             f"{', '.join(NEW_LAYERS)}")
        index = self.default_position(class_name) if index is None else index
        index = max(0, min(int(index), len(self.layers)))
        self._remember()
        note = ""
        shape = self.input_shape(index)
        if class_name == "Dense" and shape is not None and len(shape) == 3:
            self.layers.insert(index, {"class_name": "Flatten", "config": {}})
            index += 1
            note = ("A Flatten was added before the new Dense layer: a Dense layer takes a "
                    "flat vector, and nothing flattens the maps by itself.")
        self.layers.insert(index, {"class_name": class_name,
                                   "config": copy.deepcopy(NEW_LAYERS[class_name])})
        self._changed(note)
        return index

    def default_position(self, class_name: str) -> int:
        """Where a new layer goes when no place is given: map layers (conv, pooling) just
        before the Flatten, the rest just before the output layer."""
        names = [spec["class_name"] for spec in self.layers]
        if class_name in IMAGE_LAYERS:
            flat = [i for i, name in enumerate(names) if name in ("Flatten", "Dense")]
            return flat[0] if flat else len(names)
        dense = [i for i, name in enumerate(names) if name == "Dense"]
        return dense[-1] if dense else len(names)

    def remove(self, index: int) -> None:
        """Delete layer ``index``; undoable."""
        self._check(index)
        self._remember()
        del self.layers[index]
        self._changed()

    def move(self, index: int, to: int) -> int:
        """Move layer ``index`` to position ``to`` (clamped); returns where it is now."""
        self._check(index)
        to = max(0, min(int(to), len(self.layers) - 1))
        if to != index:
            self._remember()
            self.layers.insert(to, self.layers.pop(index))
            self._changed()
        return to

    def set_setting(self, index: int, key: str, value) -> None:
        """Set one setting of layer ``index`` (None removes it: the layer's default).
        Consecutive changes of the same setting are one undo step (typing "128")."""
        self._check(index)
        if not any(f.key == key for f in LAYER_FIELDS.get(self.layers[index]["class_name"], ())):
            raise ValueError(f"{self.layers[index]['class_name']} has no setting {key!r} "
                             "the editor can change")
        config = self.layers[index]["config"]
        if config.get(key) == value and (value is not None or key not in config):
            return
        if self._last_edit != (index, key):
            self._remember()
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
        self._changed()
        self._last_edit = (index, key)

    def apply(self, fix: Fix) -> None:
        """Carry out ``fix`` (one of :meth:`fixes`); undoable."""
        if fix.action == "insert_flatten":
            self._remember()
            self.layers.insert(fix.index, {"class_name": "Flatten", "config": {}})
            self._changed()
        elif fix.action == "make_output":
            self._remember()
            self.layers[fix.index]["config"].update(units=10, activation="softmax")
            self._changed()
        else:
            raise ValueError(f"unknown fix {fix.action!r}")

    # -- undo ------------------------------------------------------------------------------
    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        """Take back the last edit; False when there is none."""
        return self._step(self._undo, self._redo)

    def redo(self) -> bool:
        """Do the last undone edit again; False when there is none."""
        return self._step(self._redo, self._undo)

    def _step(self, source: list, target: list) -> bool:
        if not source:
            return False
        target.append(self._snapshot())
        self.layers, self.base_name, self._base_layers = source.pop()
        self._changed()
        return True

    def _remember(self) -> None:
        self._undo.append(self._snapshot())
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()

    def _snapshot(self) -> tuple[list[dict], str, list[dict]]:
        return copy.deepcopy(self.layers), self.base_name, copy.deepcopy(self._base_layers)

    def _changed(self, note: str = "") -> None:
        self._report = None
        self._last_edit = None
        self.note = note

    def _check(self, index: int) -> None:
        if not 0 <= index < len(self.layers):
            raise IndexError(f"there is no layer {index} (the network has "
                             f"{len(self.layers)})")

    # -- building ---------------------------------------------------------------------------
    def build(self):
        """A fresh model of the draft, its weights drawn from :attr:`seed` (not compiled);
        ValueError listing the problems when it cannot be built."""
        if self.problems:
            raise ValueError("the network cannot be built: " + "; ".join(self.problems))
        return build_network(self.architecture(), self.seed)
