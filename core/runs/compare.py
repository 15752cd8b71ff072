"""What differs between runs: settings, data set, starting weights and network.

:func:`differences` gives one entry per thing that is not the same in every run, with
its value in each run (None where a run has no such thing):

* ``"dataset.name"``, ``"dataset.source"``, ``"dataset.train"``, ``"dataset.validation"``,
  ``"dataset.test"``;
* ``"start"``: which weights the run began with, in words;
* every training setting by its path (nested settings joined by dots:
  ``"lr"``, ``"augmentation.rotation_range"``);
* the network, layer by layer, with the first run's network as the reference: the
  layers are matched in order by type, as many as possible (a layer inserted or removed
  does not shift the comparison of the others), then ``"conv2d_1 filters"`` (a setting of a matched
  layer, named as in the first run), ``"layer 5: max_pooling2d"`` (a layer that some
  runs lack; the values are its name in each run, or None), ``"input shape"``.

A layer's ``kernel_regularizer`` is left out: it is the L1/L2 penalty, a training
setting. :func:`architecture_changes` says the same for two networks in sentences
("conv2d_1 filters: 4 → 16", "layer 5: max_pooling2d removed").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from core.layers import LAYER_TYPES

NOT_COMPARED = ("name", "kernel_regularizer")


def flatten(data: Mapping, prefix: str = "") -> dict[str, object]:
    """Nested dicts as one level of dotted paths: {"a": {"b": 1}} -> {"a.b": 1}."""
    flat: dict[str, object] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = tuple(value) if isinstance(value, list) else value
    return flat


def same(a: object, b: object) -> bool:
    """Equal values (NaN equals NaN; 1 equals 1.0, but True does not equal 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _kind(class_name: str) -> str:
    cls = LAYER_TYPES.get(class_name)
    return cls.kind if cls is not None else str(class_name).lower()


def _layers(architecture: Mapping) -> list[tuple[str, str, dict]]:
    """(class name, layer name, compared settings) of each layer."""
    out = []
    for spec in architecture.get("layers", []):
        config = dict(spec.get("config", {}))
        settings = flatten({k: v for k, v in config.items() if k not in NOT_COMPARED})
        out.append((spec.get("class_name", "?"), str(config.get("name", "?")), settings))
    return out


def _match(reference: list, other: list) -> tuple[dict[int, int], list[int]]:
    """Align two layer lists: the most layers matched by type in order (and among those
    alignments, the most with equal settings); returns (reference index -> other index,
    unmatched other indices)."""
    n, m = len(reference), len(other)
    best = [[(0, 0)] * (m + 1) for _ in range(n + 1)]  # best[i][j]: for reference[i:], other[j:]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = max(best[i + 1][j], best[i][j + 1])
            if reference[i][0] == other[j][0]:
                matched, equal = best[i + 1][j + 1]
                score = max(score, (matched + 1, equal + (reference[i][2] == other[j][2])))
            best[i][j] = score
    pairs, i, j = {}, 0, 0
    while i < n and j < m:
        if reference[i][0] == other[j][0] and best[i][j] == (
                best[i + 1][j + 1][0] + 1,
                best[i + 1][j + 1][1] + (reference[i][2] == other[j][2])):
            pairs[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    matched = set(pairs.values())
    return pairs, [j for j in range(m) if j not in matched]


def network_differences(architectures: Sequence[Mapping]) -> dict[str, list]:
    """The network part of :func:`differences`: entry -> value per network."""
    if len(architectures) < 2:
        return {}
    rows: dict[str, list] = {}
    shapes = [tuple(a.get("input_shape") or ()) for a in architectures]
    if any(not same(s, shapes[0]) for s in shapes):
        rows["input shape"] = shapes
    layers = [_layers(a) for a in architectures]
    reference = layers[0]
    matches = [_match(reference, other) for other in layers]
    for i, (class_name, name, _) in enumerate(reference):
        found = [pairs.get(i) for pairs, _ in matches]
        if any(j is None for j in found):
            rows[f"layer {i + 1}: {_kind(class_name)}"] = [
                None if j is None else other[j][1] for j, other in zip(found, layers, strict=True)]
        present = [other[j][2] for j, other in zip(found, layers, strict=True) if j is not None]
        for key in dict.fromkeys(k for s in present for k in s):
            values = [None if j is None else other[j][2].get(key)
                      for j, other in zip(found, layers, strict=True)]
            compared = [v for v, j in zip(values, found, strict=True) if j is not None]
            if any(not same(v, compared[0]) for v in compared):  # among the runs with it
                rows[f"{name} {key}"] = values
    removed = set(rows)
    for r, (_, extra) in enumerate(matches):
        for j in extra:
            class_name, name, _ = layers[r][j]
            key = f"layer {j + 1}: {_kind(class_name)}"
            if key in removed:  # the same place and type as a layer others lack
                key += " (added)"
            rows.setdefault(key, [None] * len(architectures))[r] = name
    return rows


def differences(runs: Sequence) -> dict[str, list]:
    """Every setting, data set figure and network part that is not the same in all
    ``runs`` (:class:`core.runs.Run` objects): entry -> [value in each run]."""
    described = []
    for run in runs:
        values = {f"dataset.{k}": v for k, v in run.dataset.to_json().items()}
        values["start"] = run.start.describe()
        values.update(flatten(run.settings))
        described.append(values)
    rows = {}
    for key in dict.fromkeys(k for values in described for k in values):
        column = [values.get(key) for values in described]
        if any(not same(v, column[0]) for v in column):
            rows[key] = column
    rows.update(network_differences([run.architecture for run in runs]))
    return rows


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(map(str, value)) + ")"
    return str(value)


def architecture_changes(before: Mapping, after: Mapping) -> list[str]:
    """The changes from network ``before`` to ``after`` in sentences, layer by layer."""
    rows = network_differences([before, after])
    changes = []
    for key, (old, new) in rows.items():
        if key.startswith("layer ") and ": " in key:
            changes.append(f"{key.removesuffix(' (added)')} "
                           f"{'removed' if new is None else 'added'}")
        else:
            changes.append(f"{key}: {_shown(old)} → {_shown(new)}")
    return changes
