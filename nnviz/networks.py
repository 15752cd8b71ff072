"""The network the app trains, in words and as an editable architecture (Qt-free).

A network's architecture is a ``Sequential.get_config()`` dict: ``{"name", "input_shape",
"layers": [{"class_name", "config"}, ...]}``. The app shows and edits it *folded*: a
Conv2D or Dense layer followed by a plain Activation becomes one layer with an
``activation`` setting (what ``Sequential.add`` unfolds again when it builds), and the
settings that do not shape the network (layer names, weight penalties) are left out, so
two architectures compare equal exactly when they build the same network.

:func:`network_title` says what a network is called ("LeNet-5"), :func:`network_summary`
describes it in one line, :func:`build_network` makes a fresh, seeded model of an
architecture and :func:`with_dropout` gives the architecture a Dropout before each Dense
layer.
"""

from __future__ import annotations

from core.layers import (
    LAYER_TYPES,
    Activation,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Pooling2D,
    layer_from_config,
)
from core.layers.activations import ALPHA_DEFAULTS
from core.model import Sequential
from core.models import DIGITS, PRESET_INFO, PRESETS, display_name

__all__ = ["EDITED", "architecture_of", "build_network", "dropout_rates", "fold",
           "network_summary", "network_title", "preset_architecture", "same_architecture",
           "with_dropout"]

EDITED = " (edited)"
"""Appended to the name of a network changed in the editor ("LeNet-5 (edited)")."""
_NOT_SHAPING = ("name", "kernel_regularizer")
_FOLDS_INTO = ("Conv2D", "Dense")  # the layers with an ``activation=`` setting


def _plain(spec: dict) -> dict:
    """A layer spec without the settings that do not shape the network; pooling strides
    equal to the pool size (the default) left out too."""
    config = {k: v for k, v in dict(spec.get("config") or {}).items() if k not in _NOT_SHAPING}
    cls = LAYER_TYPES.get(spec.get("class_name"))
    if cls is not None and issubclass(cls, Pooling2D) and "strides" in config:
        if _pair(config["strides"]) == _pair(config.get("pool_size", 2)):
            del config["strides"]
    return {"class_name": spec.get("class_name"), "config": config}


def _pair(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value, value)


def _folds(activation: dict) -> bool:
    """Whether an Activation spec can become its layer's ``activation=`` (no own alpha)."""
    config = activation.get("config") or {}
    name = config.get("activation")
    alpha = config.get("alpha")
    return (activation.get("class_name") == "Activation" and isinstance(name, str)
            and (alpha is None or alpha == ALPHA_DEFAULTS.get(name)))


def fold(layers: list[dict]) -> list[dict]:
    """``layers`` (config specs) in the editor's folded form (see the module docstring)."""
    folded: list[dict] = []
    for spec in layers:
        spec = _plain(spec) if isinstance(spec, dict) else spec
        last = folded[-1] if folded else None
        if (isinstance(spec, dict) and last is not None and last["class_name"] in _FOLDS_INTO
                and last["config"].get("activation") is None and _folds(spec)):
            name = spec["config"]["activation"]
            if name != "linear":
                last["config"]["activation"] = name
            continue
        folded.append(spec)
    return folded


def architecture_of(model: Sequential) -> dict:
    """``model``'s architecture, folded, named as the model is."""
    config = model.get_config()
    return {"name": config["name"], "input_shape": list(DIGITS), "layers": fold(config["layers"])}


def _canonical(spec: dict) -> dict:
    """A folded spec as its layer writes it (sizes as pairs, defaults filled in), so that
    ``kernel_size=5`` and ``[5, 5]`` compare equal; a spec that cannot be made stays."""
    if not isinstance(spec, dict):
        return spec
    config = dict(spec["config"])
    activation = config.pop("activation", None) if spec["class_name"] in _FOLDS_INTO else None
    try:
        made = layer_from_config(spec["class_name"], config).get_config()
    except (ValueError, TypeError):
        return spec
    plain = _plain({"class_name": spec["class_name"], "config": made})
    if activation is not None:
        plain["config"]["activation"] = activation
    return plain


def same_architecture(a: list[dict], b: list[dict]) -> bool:
    """Whether two layer lists build the same network (folded, names ignored)."""
    return [_canonical(s) for s in fold(a)] == [_canonical(s) for s in fold(b)]


def preset_architecture(name: str) -> dict:
    """The folded architecture of preset ``name`` (a key of ``core.models.PRESETS``)."""
    return architecture_of(PRESETS[name](compile=False))


def _preset_of(name: str, layers: list[dict]) -> str | None:
    """The preset ``name`` is, when the layers really are that preset's."""
    if name in PRESETS and same_architecture(layers, preset_architecture(name)["layers"]):
        return name
    return None


def network_title(model: Sequential) -> str:
    """What to call ``model``: its preset's display name ("LeNet-5"), else its own name."""
    return display_name(model.name)


def network_summary(config: dict) -> str:
    """One line that describes an architecture: its preset's description when it is one,
    else its layers, e.g. "conv 6@5×5 tanh → avg-pool 2 → dense 120 tanh → dense 10 softmax"."""
    layers = fold(config.get("layers") or [])
    preset = _preset_of(config.get("name", ""), layers)
    if preset is not None:
        return PRESET_INFO[preset].description
    return " → ".join(filter(None, (_layer_words(spec) for spec in layers))) or "no layers"


def _layer_words(spec: dict) -> str:
    cls, c = LAYER_TYPES.get(spec.get("class_name")), spec.get("config") or {}
    act = f" {c['activation']}" if c.get("activation") else ""
    if cls is Conv2D:
        kh, kw = _pair(c.get("kernel_size", 3))
        same = " same" if c.get("padding") == "same" else ""
        stride = f" stride {c['stride']}" if c.get("stride", 1) != 1 else ""
        return f"conv {c.get('filters')}@{kh}×{kw}{same}{stride}{act}"
    if cls is Dense:
        return f"dense {c.get('units')}{act}"
    if cls is not None and issubclass(cls, Pooling2D):
        kind = "max" if cls.__name__.startswith("Max") else "avg"
        ph, pw = _pair(c.get("pool_size", 2))
        return f"{kind}-pool {ph if ph == pw else f'{ph}×{pw}'}"
    if cls is Dropout:
        return f"dropout {c.get('rate')}"
    if cls is Flatten:
        return ""
    if cls is not None and issubclass(cls, Activation):
        return c.get("activation") or cls.kind.replace("_", " ")
    return (cls.kind if cls is not None else str(spec.get("class_name"))).replace("_", " ")


def build_network(config: dict, seed: int | None) -> Sequential:
    """A fresh model of the architecture ``config`` for 1×28×28 digits, its weights drawn
    from ``seed`` (not compiled); a config that cannot be built raises ValueError."""
    model = Sequential(name=str(config.get("name") or "network"), seed=seed)
    for spec in config.get("layers") or []:
        model.add(layer_from_config(spec["class_name"], dict(spec.get("config") or {})))
    model.build(DIGITS)
    return model


def with_dropout(config: dict, rate: float) -> dict:
    """``config`` with a Dropout of ``rate`` before each Dense layer (nothing else moves,
    so the weights of the network stay valid for the new one)."""
    layers: list[dict] = []
    for spec in config["layers"]:
        if spec.get("class_name") == "Dense":
            layers.append({"class_name": "Dropout", "config": {"rate": float(rate)}})
        layers.append(spec)
    return {**config, "layers": layers}


def dropout_rates(model: Sequential) -> list[float]:
    """The rate of every Dropout layer of ``model``, in order."""
    return [layer.rate for layer in model.layers if isinstance(layer, Dropout)]
