"""PyTorch export: a standalone, readable ``.py`` that rebuilds the network in ``torch.nn``.

:func:`to_pytorch` writes the script and, beside it, the nnviz model file it loads the
trained weights from (numpy reads it, nothing is unpickled). The script trains and
evaluates on MNIST with the loss, optimizer, regularization and batch settings the network
was trained with, on the GPU when there is one; two commented lines make it run under
torch.distributed. The fixed text is :mod:`core.export.pytorch_template`; this module
writes the parts that depend on the network, from three tables keyed by class:

* :data:`LAYERS` (``@writes(LayerClass)``): the ``torch.nn`` module and how its weights map;
* :data:`LOSSES`: the loss expression; :data:`OPTIMIZERS`: the ``torch.optim`` construction.

A new layer type is one ``@writes`` function; a type without one is refused, naming it,
before anything is written.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import losses, optimizers
from core.atomic_file import write_atomically
from core.export.by_class import ByClass
from core.export.pytorch_template import SCRIPT
from core.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPooling2D,
    Pooling2D,
    PReLU,
)
from core.model_file import save_model
from core.models import TUTORIAL_TRAINING


@dataclass(frozen=True)
class TorchLayer:
    """One nnviz layer in the script: its ``torch.nn`` constructor, how its weights map
    (nnviz key, torch attribute, transposed?) and a module class the script must define."""

    module: str
    weights: tuple[tuple[str, str, bool], ...] = ()
    helper: str = ""


LayerWriter = Callable[[Layer, tuple[int, ...]], TorchLayer]
LAYERS: ByClass[LayerWriter] = ByClass("PyTorch")
"""``write(layer, input_shape) -> TorchLayer`` for a layer type."""
writes = LAYERS.register


_WEIGHT_AND_BIAS = (("W", "weight", False), ("b", "bias", False))

ELEMENTWISE_PRELU = '''

class ElementwisePReLU(nn.Module):
    """y = x for x > 0, alpha·x otherwise, with one learned slope per element of a sample
    (nnviz's and Keras' PReLU; torch's nn.PReLU has one per channel)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.alpha = nn.Parameter(torch.zeros(shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.where(x > 0, x, self.alpha * x)
'''


@writes(Conv2D)
def _conv(layer: Conv2D, input_shape: tuple[int, ...]) -> TorchLayer:
    return TorchLayer(f"nn.Conv2d({input_shape[0]}, {layer.filters}, kernel_size="
                      f"{layer.kernel_size}, stride={layer.stride}, padding={layer.pad})",
                      _WEIGHT_AND_BIAS)


SAME_POOL = '''

class SamePool2d(nn.Module):
    """Max ("max") or average ("avg") pooling with Keras' 'same' padding, which may put one
    more row (column) at the bottom (right) than at the top (left); padded positions never
    win a max and never enter a mean (torch's own padding is symmetric only)."""

    def __init__(self, kind: str, kernel_size: tuple[int, int], stride: tuple[int, int],
                 pads: tuple[int, int, int, int]) -> None:
        super().__init__()
        self.average = kind == "avg"
        self.pool = (nn.AvgPool2d if self.average else nn.MaxPool2d)(kernel_size, stride)
        self.pads = pads  # (left, right, top, bottom), as F.pad takes them

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.average:
            return self.pool(F.pad(x, self.pads, value=float("-inf")))
        inside = F.pad(torch.ones_like(x[:1, :1]), self.pads)
        return self.pool(F.pad(x, self.pads)) / self.pool(inside)
'''


def _pool(layer: Pooling2D, input_shape: tuple[int, ...], kind: str) -> TorchLayer:
    top, bottom, left, right = layer.pads(*input_shape[1:])
    if not (top or bottom or left or right):  # 'valid': partial windows dropped, as torch does
        module = "nn.AvgPool2d" if kind == "avg" else "nn.MaxPool2d"
        return TorchLayer(f"{module}(kernel_size={layer.pool_size}, stride={layer.strides})")
    return TorchLayer(f"SamePool2d({_source(kind)}, {layer.pool_size}, {layer.strides}, "
                      f"{(left, right, top, bottom)})", helper=SAME_POOL)


@writes(MaxPooling2D)
def _max_pool(layer: MaxPooling2D, input_shape: tuple[int, ...]) -> TorchLayer:
    return _pool(layer, input_shape, "max")


@writes(AveragePooling2D)
def _average_pool(layer: AveragePooling2D, input_shape: tuple[int, ...]) -> TorchLayer:
    return _pool(layer, input_shape, "avg")


@writes(BatchNormalization)
def _batch_norm(layer: BatchNormalization, input_shape: tuple[int, ...]) -> TorchLayer:
    # torch's momentum is the weight of the new batch: 1 - nnviz's (the moving statistics'
    # weight); torch also updates running_var with the unbiased variance, nnviz (as Keras)
    # with the biased one: the same inference, slightly different moving variances
    kind = "BatchNorm1d" if len(input_shape) == 1 else "BatchNorm2d"
    return TorchLayer(f"nn.{kind}({input_shape[0]}, eps={layer.epsilon!r}, "
                      f"momentum={round(1.0 - layer.momentum, 12)!r})",
                      (("gamma", "weight", False), ("beta", "bias", False),
                       ("moving_mean", "running_mean", False),
                       ("moving_variance", "running_var", False)))


@writes(Flatten)
def _flatten(layer: Flatten, input_shape: tuple[int, ...]) -> TorchLayer:
    return TorchLayer("nn.Flatten()")


@writes(Dense)
def _dense(layer: Dense, input_shape: tuple[int, ...]) -> TorchLayer:
    return TorchLayer(f"nn.Linear({input_shape[0]}, {layer.units})",
                      (("W", "weight", True), ("b", "bias", False)))


_ACTIVATIONS = {"tanh": "nn.Tanh()", "relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()",
                "softmax": "nn.Softmax(dim=-1)", "linear": "nn.Identity()"}


@writes(Activation)
def _activation(layer: Activation, input_shape: tuple[int, ...]) -> TorchLayer:
    if layer.activation == "leaky_relu":
        return TorchLayer(f"nn.LeakyReLU({layer.alpha!r})")
    if layer.activation == "elu":
        return TorchLayer(f"nn.ELU({layer.alpha!r})")
    return TorchLayer(_ACTIVATIONS[layer.activation])


@writes(PReLU)
def _prelu(layer: PReLU, input_shape: tuple[int, ...]) -> TorchLayer:
    return TorchLayer(f"ElementwisePReLU({tuple(input_shape)})", (("alpha", "alpha", False),),
                      ELEMENTWISE_PRELU)


@writes(Dropout)
def _dropout(layer: Dropout, input_shape: tuple[int, ...]) -> TorchLayer:
    return TorchLayer(f"nn.Dropout(p={layer.rate!r})")  # the same inverted scaling


# -- the loss and the optimizer ----------------------------------------------------------------
_ONE_HOT = "    target = F.one_hot(y, outputs.shape[1]).to(outputs.dtype)\n"
LOSSES: ByClass[str] = ByClass("PyTorch")
"""The loss on ``outputs`` and one-hot ``target``, as lines of the script."""
LOSSES[losses.CategoricalCrossentropy] = _ONE_HOT + (
    "    loss = -(target * outputs.clamp(EPS, 1 - EPS).log()).sum(dim=1).mean()")
LOSSES[losses.BinaryCrossentropy] = _ONE_HOT + (
    "    loss = F.binary_cross_entropy(outputs.clamp(EPS, 1 - EPS), target)")
LOSSES[losses.MeanSquaredError] = _ONE_HOT + "    loss = F.mse_loss(outputs, target)"
LOSSES[losses.SumSquaredError] = _ONE_HOT + (
    '    loss = F.mse_loss(outputs, target, reduction="sum")')
_FUSED_LOSS = ("    scores = net(x, logits=True)  # softmax + cross-entropy computed together\n"
               "    return F.cross_entropy(scores, y), scores")


def _loss_code(loss: losses.Loss, fused: bool) -> str:
    if fused:
        return _FUSED_LOSS
    return ("    outputs = net(x)\n" + LOSSES.lookup(loss, f"loss {loss.name}")
            + "\n    return loss, outputs")


OptimizerWriter = Callable[[optimizers.Optimizer], tuple[str, str]]
OPTIMIZERS: ByClass[OptimizerWriter] = ByClass("PyTorch")
"""``write(optimizer) -> (docstring, body)`` of the script's make_optimizer(net)."""


@OPTIMIZERS.register(optimizers.SGD)
def _sgd(o: optimizers.SGD) -> tuple[str, str]:
    doc = (f"SGD(lr={o.lr!r}, momentum={o.momentum!r}, nesterov={o.nesterov!r}, decay="
           f"{o.decay!r}) as in nnviz: lr_t = lr / (1 + decay·t) after t batches. (torch "
           "multiplies the momentum sum by the current lr, nnviz each gradient as it is "
           "added: the same steps while lr is constant.)")
    body = (f"    optimizer = torch.optim.SGD(net.parameters(), lr={o.lr!r}, "
            f"momentum={o.momentum!r}, nesterov={o.nesterov!r})\n")
    if not o.decay:
        return doc, body + "    return optimizer, None"
    return doc, body + ("    schedule = torch.optim.lr_scheduler.LambdaLR(\n"
                        f"        optimizer, lambda t: 1 / (1 + {o.decay!r} * t))\n"
                        "    return optimizer, schedule")


@OPTIMIZERS.register(optimizers.Adagrad)
def _adagrad(o: optimizers.Adagrad) -> tuple[str, str]:
    return (f"Adagrad(lr={o.lr!r}, epsilon={o.epsilon!r}): a += g²; p -= lr·g / "
            "(sqrt(a) + eps), the accumulator starting at 0.",
            f"    return torch.optim.Adagrad(net.parameters(), lr={o.lr!r}, "
            f"eps={o.epsilon!r}), None")


@OPTIMIZERS.register(optimizers.Adadelta)
def _adadelta(o: optimizers.Adadelta) -> tuple[str, str]:
    return (f"Adadelta(lr={o.lr!r}, rho={o.rho!r}, epsilon={o.epsilon!r}), the same rule "
            "in nnviz and torch.",
            f"    return torch.optim.Adadelta(net.parameters(), lr={o.lr!r}, rho={o.rho!r}, "
            f"eps={o.epsilon!r}), None")


@OPTIMIZERS.register(optimizers.Adam)
def _adam(o: optimizers.Adam) -> tuple[str, str]:
    return (f"Adam(lr={o.lr!r}, beta_1={o.beta_1!r}, beta_2={o.beta_2!r}, epsilon="
            f"{o.epsilon!r}). (torch adds eps after the bias correction of sqrt(v), nnviz "
            "before it: a difference only while v is tiny.)",
            f"    return torch.optim.Adam(net.parameters(), lr={o.lr!r}, betas=({o.beta_1!r}, "
            f"{o.beta_2!r}), eps={o.epsilon!r}), None")


# -- the script -------------------------------------------------------------------------------
def pytorch_source(model, weights_file: str, script_name: str = "model.py",
                   training: dict | None = None) -> str:
    """The text of the script for ``model`` (a built Sequential), which loads its weights
    from the nnviz model file ``weights_file`` beside it."""
    if not model.built:
        raise ValueError("build the model (give it an input shape) before exporting it")
    loss = model.loss if model.loss is not None else losses.CategoricalCrossentropy()
    optimizer = model.optimizer if model.optimizer is not None else optimizers.get("sgd")
    training = {**TUTORIAL_TRAINING, **(training or {})}
    last = model.layers[-1]
    fused = (isinstance(loss, losses.CategoricalCrossentropy) and isinstance(last, Activation)
             and last.activation == "softmax")
    body_layers = model.layers[:-1] if fused else model.layers
    shapes = [model.input_shape, *model.output_shapes()]
    written = [LAYERS.lookup(layer, f"layer {layer.name}")(layer, shapes[i])
               for i, layer in enumerate(body_layers)]
    lines, weight_map, penalties = [], {}, {}
    for layer, torch_layer, name in zip(body_layers, written, _torch_names(body_layers),
                                        strict=True):
        lines.append(f"            ({_source(name)}, {torch_layer.module}),\n")
        for key, attribute, transposed in torch_layer.weights:
            weight_map[f"{layer.name}.{key}"] = (f"body.{name}.{attribute}", transposed)
        reg = layer.regularizers.get("W")
        if reg is not None and (reg.l1 or reg.l2):
            penalties[f"body.{name}.weight"] = (reg.l1, reg.l2)
    helpers = "".join(dict.fromkeys(t.helper for t in written if t.helper))
    optimizer_doc, optimizer_body = OPTIMIZERS.lookup(optimizer)(optimizer)
    settings = (f"{optimizer!r}, loss {loss.name}, "
                f"batch {training['batch_size']}, {training['epochs']} epochs, the last "
                f"{training['validation_split']:.0%} held out for validation")
    if penalties:
        settings += (", weight penalties l1·Σ|w| + l2·Σw² (nnviz also stops an L1-penalised "
                     "weight at exactly 0 when a step would carry it across; torch does not)")
    return SCRIPT.substitute(
        title=f"{model.name}: {len(model.layers)} layers",
        model_name=model.name, n_params=f"{model.count_params():,}",
        weights_file=weights_file, script_name=script_name,
        settings=textwrap.fill(settings + ".", width=88),
        input_shape=repr(tuple(model.input_shape)),
        training=_literal({k: training[k] for k in ("batch_size", "epochs", "validation_split")}),
        weight_map=_literal(weight_map, multiline=True),
        penalties=_literal(penalties, multiline=True), helpers=helpers,
        summary=_summary(model, shapes, fused), layers="".join(lines), forward=_forward(fused),
        loss_name=loss.name, loss=_loss_code(loss, fused),
        optimizer_doc=_docstring(optimizer_doc), optimizer=optimizer_body)


def _forward(fused: bool) -> str:
    if fused:
        return '''        self.head = nn.Softmax(dim=-1)

    def forward(self, x: torch.Tensor, logits: bool = False) -> torch.Tensor:
        """Class probabilities (N, K); with logits=True the scores before the softmax."""
        scores = self.body(x)
        return scores if logits else self.head(scores)
'''
    return '''
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The network's outputs, as nnviz's predict gives them."""
        return self.body(x)
'''


def _summary(model, shapes: list[tuple[int, ...]], fused: bool) -> str:
    """Net's docstring: the layers under their nnviz names with their output shapes."""
    rows = [f"{layer.name:<20} {_kind(layer):<14} -> {tuple(shape)}"
            for layer, shape in zip(model.layers, shapes[1:], strict=True)]
    if fused:
        rows[-1] += "   (the head: softmax)"
    table = "\n    ".join(rows)
    return (f"{model.name}, for inputs (N, {', '.join(map(str, model.input_shape))}):\n\n"
            f"    {table}\n    ")


def _kind(layer: Layer) -> str:
    return layer.activation if isinstance(layer, Activation) else type(layer).__name__


def _docstring(text: str) -> str:
    """``text`` wrapped for a docstring indented by four spaces."""
    return textwrap.fill(text, width=88, subsequent_indent="    ")


def _torch_names(layers: list[Layer]) -> list[str]:
    """The layers' nnviz names as torch module names (no dots; unique)."""
    names: list[str] = []
    for layer in layers:
        name = re.sub(r"\W", "_", layer.name) or "layer"
        while name in names:
            name += "_"
        names.append(name)
    return names


def _source(value) -> str:
    """Python source for a str, bool, number or tuple of them, strings in double quotes."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        return "(" + ", ".join(map(_source, value)) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _literal(mapping: dict, multiline: bool = False) -> str:
    """A dict as Python source with double-quoted keys, one item a line if ``multiline``."""
    items = [f"{_source(key)}: {_source(value)}" for key, value in mapping.items()]
    if not multiline:
        return "{" + ", ".join(items) + "}"
    if not items:
        return "{}"
    return "{\n" + "".join(f"    {item},\n" for item in items) + "}"


def to_pytorch(model, path: str | Path, training: dict | None = None) -> tuple[Path, Path]:
    """Write the PyTorch script ``path`` (``.py``) for ``model`` and the nnviz model file it
    loads the weights from, ``path`` with ``.npz``; returns both paths.

    ``training`` (batch_size, epochs, validation_split) defaults to the tutorial's. Both
    files are written to temporary names and renamed. Raises ValueError for a layer type,
    loss or optimizer with no PyTorch form, before anything is written.
    """
    script = Path(path)
    if script.suffix != ".py":
        script = script.with_name(script.name + ".py")
    weights = script.with_suffix(".npz")
    source = pytorch_source(model, weights.name, script.name, training)
    save_model(model, weights)
    write_atomically(script, source.encode("utf-8"))
    return script, weights
