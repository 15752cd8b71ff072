"""What is wrong with a network, said before anything is built.

:func:`check_architecture` takes a network's config (what ``Sequential.get_config`` gives
and ``Sequential.from_config`` builds: ``{"name", "input_shape", "layers": [{"class_name",
"config"}, ...]}``) and returns every problem in plain words, each naming its layer, or an
empty list when the network can be built and trained here on 1×28×28 digits of 10
classes. :func:`inspect_architecture` gives the same problems layer by layer, with each
layer's output shape and weight count, for an editor to show beside each row.

Nothing is allocated: the layers are made (which checks their settings) but never built;
shapes come from ``output_shape`` and weight counts from ``param_count``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from core.layers import LAYER_TYPES, Activation, Conv2D, Dense, Layer, layer_from_config
from core.layers.base import batch_shape
from core.model import KERNEL_LAYERS, Sequential

DIGITS = (1, 28, 28)
CLASSES = 10
# Limits of what trains interactively here, measured on two shared cores (batch 100): a
# 4.8 million-weight MLP trains ~780 digits/s; convolutions run at ~10 G multiply-adds/s
# (forward and backward), so a net of 14.7 million multiply-adds per digit trains ~220
# digits/s, and one at the limit below ~160 (an epoch of the 3,200 shipped training
# digits in 20 s). Every weight is also held about eight times (itself, its gradient, the
# momentum, each worker's gradient, the rollback and view copies): 5 million is ~160 MB.
MAX_WEIGHTS = 5_000_000
MAX_MULTIPLY_ADDS = 20_000_000  # per digit, forward

@dataclass(frozen=True)
class LayerReport:
    """One entry of the config's ``layers``: its name, class, output shape per sample
    (None when it cannot be known), trainable weights, and its problems."""

    index: int
    name: str
    class_name: str
    output_shape: tuple[int, ...] | None
    params: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ArchitectureReport:
    """Every layer's report, the network's problems (the layers' ones first) and totals."""

    layers: tuple[LayerReport, ...]
    problems: tuple[str, ...]
    total_params: int
    multiply_adds: int

    @property
    def ok(self) -> bool:
        return not self.problems


def check_architecture(config: dict) -> list[str]:
    """Every problem of the network ``config`` in plain words (empty: it can be built and
    trained interactively on 1×28×28 digits with 10 classes)."""
    return list(inspect_architecture(config).problems)


def inspect_architecture(config: dict) -> ArchitectureReport:
    """The problems of ``config`` layer by layer, with output shapes and weight counts."""
    general: list[str] = []
    specs = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(specs, list):
        return ArchitectureReport((), ("the network description has no list of layers",), 0, 0)
    shape = _input_shape(config, general)
    if not specs:
        general.append("the network has no layers: it needs at least a Flatten and a Dense "
                       "layer of 10 units with softmax")
        return ArchitectureReport((), tuple(general), 0, 0)
    model = Sequential(name="check")  # no input shape: layers are named and kept, not built
    taken: set[str] = set()  # every name given so far, also to layers that could not be made
    reports: list[LayerReport] = []
    multiply_adds, last = 0, None
    for index, spec in enumerate(specs):
        problems: list[str] = []
        name, layers = _make(model, index, spec, problems, taken)
        params = 0
        for layer in layers:
            if shape is None:
                break
            try:
                out = layer.output_shape(shape)
            except ValueError as error:
                problems.append(_named(str(error), layer.name))
                shape = None
                break
            params += layer.param_count(shape)
            multiply_adds += _multiply_adds(layer, shape, out)
            shape = out
        if not layers:
            shape = None
        else:
            last = layers[-1]
        reports.append(LayerReport(index, name, _class_name(spec), shape if not problems
                                   else None, params, tuple(problems)))
    total = sum(r.params for r in reports)
    layer_problems = [p for r in reports for p in r.problems]
    if not layer_problems and shape is not None:  # the whole network's shapes are known
        general += _network_problems(shape, last, total, multiply_adds)
    return ArchitectureReport(tuple(reports), tuple(layer_problems + general), total,
                              multiply_adds)


def _input_shape(config: dict, problems: list[str]) -> tuple[int, ...] | None:
    given = config.get("input_shape")
    if given is None:
        return DIGITS
    if not isinstance(given, list | tuple) or tuple(given) != DIGITS:
        problems.append(f"the input must be the digits' 1×28×28 images, got {given!r}")
        return None
    return DIGITS


def _spec_name(spec, index: int) -> str:
    config = spec.get("config") if isinstance(spec, dict) else None
    name = config.get("name") if isinstance(config, dict) else None
    return name if isinstance(name, str) and name else f"layer {index + 1}"


def _class_name(spec) -> str:
    name = spec.get("class_name") if isinstance(spec, dict) else None
    return name if isinstance(name, str) else "?"


def _named(message: str, name: str) -> str:
    """``message`` beginning with the layer's name (layers made without one say their type)."""
    if message.startswith((f"{name}:", f"{name} ")):
        return message
    for cls in LAYER_TYPES.values():
        if message.startswith(f"{cls.__name__}: ") or message.startswith(f"{cls.__name__} "):
            return name + message[len(cls.__name__):]
    return f"{name}: {message}"


def _make(model: Sequential, index: int, spec, problems: list[str],
          taken: set[str]) -> tuple[str, list[Layer]]:
    """Make the layer of ``spec`` (and the Activation its ``activation=`` adds) and append
    them to ``model``, named as ``Sequential.from_config`` names them; returns the name and
    the layers made ([] when it cannot be made, the reason added to ``problems``)."""
    label = _spec_name(spec, index)
    if (not isinstance(spec, dict) or not isinstance(spec.get("class_name"), str)
            or not isinstance(spec.get("config", {}), dict)):
        problems.append(f"{label}: a layer is described by a class name and a dict of settings")
        return label, []
    class_name, settings = spec["class_name"], dict(spec.get("config", {}))
    cls = LAYER_TYPES.get(class_name)
    if cls is None:
        problems.append(f"{label}: unknown layer type {class_name!r}; choose one of "
                        f"{', '.join(LAYER_TYPES)}")
        return label, []
    accepted = inspect.signature(cls.__init__).parameters
    unknown = [key for key in settings if key not in accepted]
    missing = [key for key, p in accepted.items() if key != "self" and p.default is p.empty
               and p.kind is p.POSITIONAL_OR_KEYWORD and key not in settings]
    name = settings.get("name")
    taken.update(layer.name for layer in model.layers)
    if not isinstance(name, str) or not name:  # the name Sequential.add would give it
        number = 1
        while f"{cls.kind}_{number}" in taken:
            number += 1
        name = f"{cls.kind}_{number}"
    elif name in taken:
        problems.append(f"{name}: two layers have this name; each needs its own")
        return name, []
    taken.add(name)
    if unknown:
        problems.append(f"{name}: {class_name} has no setting "
                        f"{', '.join(map(repr, unknown))}")
    if missing:
        problems.append(f"{name}: {class_name} needs {', '.join(map(repr, missing))}")
    if unknown or missing:
        return name, []
    activation = settings.get("activation") if issubclass(cls, KERNEL_LAYERS) else None
    try:
        if activation is not None:
            Activation(activation, name=name)  # a bad name is reported as this layer's
        layer = layer_from_config(class_name, {**settings, "name": name})
        before = len(model.layers)
        model.add(layer)
    except (ValueError, TypeError) as error:
        problems.append(_named(str(error), name))
        return name, []
    return name, model.layers[before:]


def _multiply_adds(layer: Layer, shape: tuple[int, ...], out: tuple[int, ...]) -> int:
    """Multiply-adds of one sample's forward pass through a kernel layer (0 for others)."""
    if isinstance(layer, Conv2D):
        kh, kw = layer.kernel_size
        return out[0] * out[1] * out[2] * shape[0] * kh * kw
    if isinstance(layer, Dense):
        return shape[0] * layer.units
    return 0


def _network_problems(shape, last: Layer, total: int, multiply_adds: int) -> list[str]:
    problems = []
    last_activation = last.activation if isinstance(last, Activation) else None
    if shape != (CLASSES,) or last_activation != "softmax":
        if len(shape) != 1:
            detail = (f"it ends with {batch_shape(shape)} maps: add a Flatten and a Dense layer "
                      "of 10 units with softmax")
        elif shape != (CLASSES,):
            detail = f"it gives {shape[0]}: make the last Dense layer 10 units"
        else:
            detail = (f"it ends with {last_activation}: make it softmax" if last_activation
                      else f"it ends with a {type(last).__name__} layer: end it with softmax")
        problems.append(f"the last layer must give 10 outputs with softmax (one probability "
                        f"for each digit); {detail}")
    if total == 0:
        problems.append("the network has no layer with weights to train: add a Dense or "
                        "Conv2D layer")
    if total > MAX_WEIGHTS:
        problems.append(f"this network has {_amount(total)} weights: more than nnviz can "
                        f"train interactively (at most {_amount(MAX_WEIGHTS)}) — use fewer "
                        "units or filters, or pool before the first Dense layer")
    elif multiply_adds > MAX_MULTIPLY_ADDS:  # (a dense layer does one per weight: said above)
        problems.append(f"this network needs {_amount(multiply_adds)} multiply-adds per digit: "
                        f"more than nnviz can train interactively (at most "
                        f"{_amount(MAX_MULTIPLY_ADDS)}) — use fewer filters, or pool or "
                        "stride earlier")
    return problems


def _amount(n: int) -> str:
    """48_000_000 -> "48 million", 2_500_000 -> "2.5 million", 61_706 -> "61,706"."""
    if n < 1_000_000:
        return f"{n:,}"
    return f"{n / 1e6:.1f}".removesuffix(".0") + " million"
