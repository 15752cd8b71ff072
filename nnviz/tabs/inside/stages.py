"""What the Inside tab shows, computed without Qt: the network's stages and pixel explanations.

A *stage* is one box of the architecture strip: a layer that transforms (conv, pooling,
flatten, dense) together with the element-wise layers that follow it (its activation,
dropout). The tutorial CNN's 13 layers become 9 stages, input included:
28×28 → 4×24×24 → 8×22×22 → 8×11×11 → 16×9×9 → 16×4×4 → 256 → 128 → 10.

An *explanation* says how one output value of a stage was computed from the previous
stage's output: for a conv pixel the input patch, the kernel, their products and the sum;
for a pooling pixel the window and its maximum (or mean); for a dense unit the weighted
inputs; for a batch-normalised value the statistics it was normalised with.
The arithmetic here is redone in float64 from the model's own arrays, and the model's
output is kept beside it, so the view can show that they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from core.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Pooling2D,
    PReLU,
)
from core.model import Sequential

ATTACHED_TYPES = (Activation, Dropout, PReLU)
"""Layer types drawn as part of the stage before them (element-wise, same shape)."""


class StageKind(StrEnum):
    """What a stage does (and so how it is drawn and explained)."""

    INPUT = "input"
    CONV = "conv"
    POOL = "pool"
    FLATTEN = "flatten"
    DENSE = "dense"
    NORM = "norm"
    OTHER = "other"


STAGE_KINDS = ((Conv2D, StageKind.CONV), (Pooling2D, StageKind.POOL),
               (Flatten, StageKind.FLATTEN), (Dense, StageKind.DENSE),
               (BatchNormalization, StageKind.NORM))
"""The stage kind of a transforming layer, by its type; any other layer's is OTHER."""


def stage_kind(layer) -> StageKind:
    """The kind of the stage that ``layer`` starts."""
    return next((kind for cls, kind in STAGE_KINDS if isinstance(layer, cls)), StageKind.OTHER)


@dataclass(frozen=True)
class Stage:
    """One box of the architecture strip.

    layers: indices into ``model.layers`` (empty for the input); main: the transforming
    layer (None for the input); output: the layer whose output the stage shows (None for
    the input: the stage shows the network input); shape: per-sample output shape.
    """

    index: int
    name: str
    kind: StageKind
    description: str
    layers: tuple[int, ...]
    main: int | None
    output: int | None
    shape: tuple[int, ...]
    params: int
    activation: str | None

    @property
    def is_maps(self) -> bool:
        """True for image-like outputs (C, H, W)."""
        return len(self.shape) == 3

    @property
    def shape_text(self) -> str:
        return shape_text(self.shape, drop_single_channel=self.kind is StageKind.INPUT)


def shape_text(shape: tuple[int, ...], drop_single_channel: bool = False) -> str:
    """'4×24×24' for (4, 24, 24); '28×28' for the (1, 28, 28) input when asked."""
    dims = list(shape)
    if drop_single_channel and len(dims) == 3 and dims[0] == 1:
        dims = dims[1:]
    return "×".join(str(d) for d in dims)


def _describe(layer, activation: str | None, extras: list[str]) -> str:
    if isinstance(layer, Conv2D):
        text = "Conv {}×{}".format(*layer.kernel_size)
        if layer.stride != 1:
            text += f" /{layer.stride}"
    elif isinstance(layer, Pooling2D):
        kind = "Avg" if isinstance(layer, AveragePooling2D) else "Max"
        text = f"{kind} pool " + "{}×{}".format(*layer.pool_size)
        if layer.strides != layer.pool_size:
            text += f" /{layer.strides[0]}"
    elif isinstance(layer, Flatten):
        text = "Flatten"
    elif isinstance(layer, Dense):
        text = "Dense"
    elif isinstance(layer, BatchNormalization):
        text = "Batch norm"
    else:
        text = layer.kind.replace("_", " ").capitalize()
    if activation and activation != "linear":
        text += f" + {activation.replace('_', ' ')}"
    for extra in extras:
        text += f" + {extra}"
    return text


def network_stages(model: Sequential) -> list[Stage]:
    """Group ``model.layers`` into stages, the input first (see the module docstring)."""
    if model.input_shape is None:
        raise ValueError("the model has no input shape yet")
    shapes = model.output_shapes()
    stages = [Stage(0, "input", StageKind.INPUT, "Input", (), None, None, tuple(model.input_shape),
                    0, None)]
    groups: list[list[int]] = []
    for i, layer in enumerate(model.layers):
        if isinstance(layer, ATTACHED_TYPES) and groups:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        main = model.layers[group[0]]
        activation, extras = None, []
        for i in group[1:]:
            layer = model.layers[i]
            if isinstance(layer, Activation) and activation is None:
                activation = layer.activation
            elif isinstance(layer, PReLU) and activation is None:
                activation = "prelu"
            elif isinstance(layer, Activation):
                extras.append(layer.activation.replace("_", " "))  # a second function
            else:
                extras.append(layer.kind.replace("_", " "))  # its name, e.g. "+ dropout"
        if isinstance(main, Activation):
            activation = main.activation
        kind = stage_kind(main)
        stages.append(Stage(
            index=len(stages), name=main.name, kind=kind,
            description=_describe(main, activation, extras) if kind is not StageKind.OTHER
            else (activation or main.kind).replace("_", " ").capitalize(),
            layers=tuple(group), main=group[0], output=group[-1], shape=tuple(shapes[group[-1]]),
            params=sum(model.layers[i].count_params for i in group), activation=activation))
    return stages


def stage_outputs(stages: list[Stage], x: np.ndarray,
                  activations: list[np.ndarray]) -> list[np.ndarray]:
    """Per-sample output of every stage: x (C, H, W) for the input, then the output layer's
    activation (batch axis removed). ``activations`` is ``model.activations(x[None])``."""
    return [x if s.output is None else activations[s.output][0] for s in stages]


# -- explanations ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    """Where a value comes from in the previous stage's output.

    For maps: ``channels`` (None = every channel), rows [r0, r1), cols [c0, c1).
    For vectors: ``units`` (indices into the flat vector), rows/cols unused.
    """

    channels: tuple[int, ...] | None
    rows: tuple[int, int] = (0, 0)
    cols: tuple[int, int] = (0, 0)
    units: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Explanation:
    """A value of a stage's output and where it came from (fields depend on ``kind``).

    kind: the kind of the stage explained (INPUT: a pixel of the input).
    index: position in the stage's per-sample output; value: the value shown there.
    conv: patch, kernel, products (C, kh, kw); channel_sums (C,); bias; total = Σ + b
    (float64, redone here); z = the conv layer's own output (pre-activation).
    pool: window (ph, pw) of the input channel (NaN where it lies on padding); winner
    (row, col) in the window for a max pool; ``average`` and total = the window's mean
    for an average pool.
    norm: (x, mean, variance, epsilon, gamma, beta) of the value's channel; total =
    gamma·(x − mean)/√(variance + epsilon) + beta.
    dense: inputs, weights, products (n_in,); top: indices of the largest |products|;
    bias; total; z. flatten: the source index (c, y, x) in the previous stage.
    """

    stage: Stage
    index: tuple[int, ...]
    value: float
    kind: StageKind
    region: Region | None = None
    patch: np.ndarray | None = None
    kernel: np.ndarray | None = None
    products: np.ndarray | None = None
    channel_sums: np.ndarray | None = None
    bias: float = 0.0
    total: float = 0.0
    z: float = 0.0
    window: np.ndarray | None = None
    winner: tuple[int, int] | None = None
    inputs: np.ndarray | None = None
    weights: np.ndarray | None = None
    top: np.ndarray | None = None
    source: tuple[int, ...] | None = None
    average: bool = False
    norm: tuple[float, float, float, float, float, float] | None = None


def explain(model: Sequential, stages: list[Stage], outputs: list[np.ndarray],
            activations: list[np.ndarray], stage_index: int,
            index: tuple[int, ...], top_k: int = 8) -> Explanation:
    """Explain ``outputs[stage_index][index]`` from the previous stage's output.

    outputs: per-stage per-sample arrays (:func:`stage_outputs`); activations: the
    model's per-layer outputs for the same single input (batch axis 1).
    """
    stage = stages[stage_index]
    index = tuple(int(i) for i in index)
    value = float(outputs[stage_index][index])
    if stage.main is None:
        return Explanation(stage, index, value, StageKind.INPUT)
    layer = model.layers[stage.main]
    x_in = outputs[stage_index - 1]
    z = float(activations[stage.main][0][index])
    if isinstance(layer, Conv2D):
        return _explain_conv(layer, stage, index, value, x_in, z)
    if isinstance(layer, Pooling2D):
        return _explain_pool(layer, stage, index, value, x_in, z)
    if isinstance(layer, BatchNormalization):
        return _explain_norm(layer, stage, index, value, x_in, z)
    if isinstance(layer, Flatten):
        source = tuple(int(s) for s in np.unravel_index(index[0], x_in.shape))
        if len(source) == 3:
            region = Region((source[0],), (source[1], source[1] + 1), (source[2], source[2] + 1))
        else:
            region = Region(None, units=(index[0],))
        return Explanation(stage, index, value, StageKind.FLATTEN, region, source=source, z=z,
                           total=float(x_in[source]))
    if isinstance(layer, Dense):
        unit = index[0]
        inputs = np.asarray(x_in, dtype=np.float64).reshape(-1)
        weights = np.asarray(layer.params["W"][:, unit], dtype=np.float64)
        products = inputs * weights
        bias = float(layer.params["b"][unit])
        top = np.argsort(-np.abs(products), kind="stable")[:top_k]
        return Explanation(stage, index, value, StageKind.DENSE,
                           Region(None, units=tuple(top.tolist())), inputs=inputs,
                           weights=weights, products=products, top=top, bias=bias,
                           total=float(products.sum() + bias), z=z)
    return Explanation(stage, index, value, StageKind.OTHER, z=z)


def _explain_conv(layer, stage: Stage, index: tuple[int, ...], value: float,
                  x_in: np.ndarray, z: float) -> Explanation:
    f, i, j = index
    kh, kw = layer.kernel_size
    s, p = layer.stride, layer.pad
    c_in = x_in.shape[0]
    padded = np.pad(np.asarray(x_in, dtype=np.float64), ((0, 0), (p, p), (p, p)))
    patch = padded[:, i * s:i * s + kh, j * s:j * s + kw].copy()
    kernel = np.asarray(layer.params["W"][f], dtype=np.float64)
    products = patch * kernel
    channel_sums = products.sum(axis=(1, 2))
    bias = float(layer.params["b"][f])
    h, w = x_in.shape[1:]
    r0, c0 = i * s - p, j * s - p
    region = Region(tuple(range(c_in)), (max(r0, 0), min(r0 + kh, h)),
                    (max(c0, 0), min(c0 + kw, w)))
    return Explanation(stage, index, value, StageKind.CONV, region, patch=patch, kernel=kernel,
                       products=products, channel_sums=channel_sums, bias=bias,
                       total=float(channel_sums.sum() + bias), z=z)


def _explain_pool(layer: Pooling2D, stage: Stage, index: tuple[int, ...], value: float,
                  x_in: np.ndarray, z: float) -> Explanation:
    """The window of output (c, i, j): rows sh·i − top … + ph of the input (padded
    positions NaN, they never count), its maximum or its mean."""
    c, i, j = index
    (ph, pw), (sh, sw) = layer.pool_size, layer.strides
    h, w = x_in.shape[1:]
    top, _, left, _ = layer.pads(h, w)
    r0, c0 = i * sh - top, j * sw - left
    window = np.full((ph, pw), np.nan)
    rows, cols = slice(max(r0, 0), min(r0 + ph, h)), slice(max(c0, 0), min(c0 + pw, w))
    window[rows.start - r0:rows.stop - r0, cols.start - c0:cols.stop - c0] = x_in[c, rows, cols]
    region = Region((c,), (rows.start, rows.stop), (cols.start, cols.stop))
    if isinstance(layer, AveragePooling2D):
        return Explanation(stage, index, value, StageKind.POOL, region, window=window, z=z,
                           total=float(np.nanmean(window)), average=True)
    winner = np.unravel_index(int(np.nanargmax(window)), window.shape)
    return Explanation(stage, index, value, StageKind.POOL, region, window=window,
                       winner=(int(winner[0]), int(winner[1])), z=z,
                       total=float(np.nanmax(window)))


def _explain_norm(layer: BatchNormalization, stage: Stage, index: tuple[int, ...],
                  value: float, x_in: np.ndarray, z: float) -> Explanation:
    """A normalised value from its input and its channel's moving statistics (what the
    layer uses when classifying)."""
    channel = index[0]
    x = float(x_in[index])
    mean = float(layer.state["moving_mean"][channel])
    variance = float(layer.state["moving_variance"][channel])
    gamma, beta = float(layer.params["gamma"][channel]), float(layer.params["beta"][channel])
    total = gamma * (x - mean) / np.sqrt(variance + layer.epsilon) + beta
    region = (Region((channel,), (index[1], index[1] + 1), (index[2], index[2] + 1))
              if len(index) == 3 else Region(None, units=(channel,)))
    return Explanation(stage, index, value, StageKind.NORM, region, z=z, total=float(total),
                       norm=(x, mean, variance, layer.epsilon, gamma, beta))
