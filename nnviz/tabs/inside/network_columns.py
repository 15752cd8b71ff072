"""What each column of the network view shows: its style, its values and their colours.

One :class:`Column` per stage. Its *style* says how the stage's per-sample output is
drawn: the input digit as a grey image ("image"), feature maps as tiles ("maps"), a flat
vector as a grid with one row per channel of the maps it came from ("grid"), dense units
as signed bars ("bars"), the softmax output as labelled probability bars ("probs").
:func:`recolor` turns values into colours on a symmetric scale ``[-limit, +limit]`` and
writes them into the column's persistent RGB32 buffer in place, so a refresh allocates
nothing. Where things sit on screen is :mod:`nnviz.tabs.inside.network_layout`'s job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QImage

from nnviz.tabs.inside.colors import (
    DIVERGING,
    PACKED_DIVERGING,
    PACKED_GREY,
    colorize,
    lut_indices,
    rgba_image,
    symmetric_limit,
    unpack,
)
from nnviz.tabs.inside.stages import Stage, StageKind

TILED = ("image", "maps")
"""Styles drawn as one image tile per channel."""
SIGNED = ("maps", "grid", "bars")
"""Styles coloured on the diverging scale (the others have fixed ranges)."""
MAX_BARS = 300
"""Dense stages with more units than this are drawn as a grid instead of bars."""
MAX_GRID_ROW = 64
"""Most values in one row of a flattened vector's grid."""


@dataclass
class Column:
    """Display buffers and geometry of one stage."""

    stage: Stage
    style: str                            # image | maps | grid | bars | probs
    values: np.ndarray | None = None      # per-sample output shown
    limits: np.ndarray | None = None      # colour limit(s): (C, 1, 1), or shape ()
    buffer: np.ndarray | None = None      # RGB32 tiles stacked: (C*H, W) or (R, K) uint32
    image: QImage | None = None           # shares ``buffer``
    bar_index: list[int] = field(default_factory=list)       # colour of each bar (0..255)
    bar_length: list[float] = field(default_factory=list)    # value / limit in [-1, 1]
    grid: tuple[int, int] = (1, 1)        # grid rows x cols (flatten)
    cols: int = 1                         # tile columns for maps
    shrink: float = 1.0                   # tiles made smaller than the height allows
    rect: QRectF = field(default_factory=QRectF)
    header: QRectF = field(default_factory=QRectF)
    tiles: list[QRectF] = field(default_factory=list)
    content: QRectF = field(default_factory=QRectF)

    @property
    def map_shape(self) -> tuple[int, int]:
        """(rows, cols) of one tile, or of the grid."""
        if self.style in TILED:
            return self.stage.shape[1], self.stage.shape[2]
        return self.grid


def column_style(stages: list[Stage], stage: Stage) -> str:
    """How ``stage`` (one of ``stages``) is drawn (see the module docstring)."""
    if stage.kind is StageKind.INPUT and stage.is_maps:
        return "image"
    if stage.is_maps:
        return "maps"
    if stage.index == len(stages) - 1 and stage.activation == "softmax":
        return "probs"
    if stage.kind is StageKind.DENSE and stage.shape[0] <= MAX_BARS:
        return "bars"
    return "grid"


def grid_shape(stages: list[Stage], stage: Stage) -> tuple[int, int]:
    """Rows x cols for a flat vector: one row per channel of the maps it flattens, or one
    per row of those maps when a channel is too long for one row (a flattened 1×28×28
    digit stays a 28×28 picture)."""
    n = int(np.prod(stage.shape))
    previous = stages[stage.index - 1] if stage.index > 0 else None
    if previous is not None and previous.is_maps and int(np.prod(previous.shape)) == n:
        channels, height, width = previous.shape
        if n // channels > MAX_GRID_ROW:
            return channels * height, width
        return channels, n // channels
    cols = int(math.ceil(math.sqrt(n)))
    return int(math.ceil(n / cols)), cols


def make_columns(stages: list[Stage]) -> list[Column]:
    """One column per stage, with zeroed pixel buffers for the styles that have them."""
    columns = []
    for stage in stages:
        column = Column(stage, column_style(stages, stage))
        if column.style == "grid":
            column.grid = grid_shape(stages, stage)
        if column.style in TILED:
            rows, width = stage.shape[0] * stage.shape[1], stage.shape[2]
        elif column.style == "grid":
            rows, width = column.grid
        else:
            columns.append(column)
            continue
        column.buffer = np.zeros((rows, width), dtype=np.uint32)
        column.image = rgba_image(column.buffer)
        columns.append(column)
    return columns


def recolor(columns: list[Column], mode: str) -> float | None:
    """Recompute every column's limits for scale ``mode`` ("map", "layer", "global") and
    overwrite its pixels in place; returns the shared limit in "global" mode, else None."""
    signed = [c for c in columns if c.values is not None and c.style in SIGNED]
    shared = None
    if mode == "global" and signed:
        shared = float(max(symmetric_limit(c.values) for c in signed))
    for column in columns:
        values = column.values
        if values is None:
            column.limits = None
            if column.buffer is not None:
                column.buffer[...] = 0
            continue
        if column.style in ("image", "probs"):
            column.limits = np.asarray(1.0)
            if column.style == "image":
                c, h, w = values.shape
                colorize(values.reshape(c * h, w), 0.0, 1.0, PACKED_GREY, out=column.buffer)
            continue
        if shared is not None:
            limits = np.asarray(shared)
        elif mode == "map" and column.style == "maps":
            limits = symmetric_limit(values, axis=(1, 2))
        else:
            limits = symmetric_limit(values)
        column.limits = limits
        if column.style == "maps":
            colorize(values, -limits, limits, PACKED_DIVERGING,
                     out=column.buffer.reshape(values.shape))
        elif column.style == "grid":
            rows, cols = column.grid
            flat = np.zeros(rows * cols, dtype=np.float64)
            flat[: values.size] = values.reshape(-1)
            colorize(flat.reshape(rows, cols), -limits, limits, PACKED_DIVERGING,
                     out=column.buffer)
        else:
            flat = values.reshape(-1)
            column.bar_index = lut_indices(flat, -limits, limits).tolist()
            column.bar_length = np.clip(flat / float(limits), -1.0, 1.0).tolist()
    return shared


def column_rgba(column: Column) -> np.ndarray | None:
    """The RGBA pixels shown: (C, H, W, 4) for maps, (R, K, 4) for a flat grid, (n, 4) for
    bars; None for the probability bars (and for bars when nothing is shown)."""
    if column.style in TILED:
        return unpack(column.buffer.reshape(column.stage.shape))
    if column.style == "grid":
        return unpack(column.buffer)
    if column.style == "bars" and column.values is not None:
        return DIVERGING[np.asarray(column.bar_index, dtype=np.intp)]
    return None


def range_text(column: Column, mode: str) -> str:
    """The colour range printed under a column's header, e.g. '±0.93'."""
    if column.values is None or column.limits is None:
        return ""
    if column.style == "image":
        return "0 … 1 (gray)"
    if column.style == "probs":
        return "0 … 100 %"
    limits = np.asarray(column.limits).reshape(-1)
    lo, hi = float(limits.min()), float(limits.max())
    if mode == "map" and column.style == "maps" and hi > lo:
        return f"±{lo:.2g} … ±{hi:.2g}"
    return f"±{hi:.2g}"


def range_labels(column: Column, mode: str) -> list[str]:
    """What to print under a column's header, longest first (the first that fits is drawn):
    the colour range said as one, e.g. ["color range ±0.93", "colors ±0.93", "±0.93"]."""
    text = range_text(column, mode)
    if not text or column.style not in SIGNED:
        return [text]
    return [f"color range {text}", f"colors {text}", text]


_MODE_WORDS = {
    "layer": "one range for the whole layer, its largest |value| for this input",
    "map": "each map its own range, its own largest |value|",
    "global": "one range for the whole network, its largest |value|",
}


def range_tip(column: Column, mode: str) -> str:
    """The tooltip of a column's range label: what the numbers mean."""
    text = range_text(column, mode)
    if not text:
        return ""
    if column.style == "image":
        return "The input's pixels, from 0 (black) to 1 (white)."
    if column.style == "probs":
        return "Each bar is the probability of one digit, from 0 to 100 %."
    limit = text.split("…")[-1].strip().lstrip("±")
    return (f"Color range {text} of {column.stage.name}: blue = −{limit}, white = 0, "
            f"red = +{limit}; larger values get the full color.\n"
            f"Scale: {_MODE_WORDS[mode]}. Choose it with “Colors” above.")


def params_text(stage: Stage) -> str:
    """The last line of a stage's header box: its pixels or its parameters."""
    if stage.kind is StageKind.INPUT:
        return f"{int(np.prod(stage.shape)):,} pixels"
    return f"{stage.params:,} params" if stage.params else "no params"
