"""The training settings the Train tab lets the user choose, and their JSON form.

Qt-free. :class:`TrainingSettings` holds the optimizer, run and regularization choices as
plain fields and the augmentation as a :class:`core.augmentation.AugmentationConfig`, so
a new augmentation option needs no edit here. Fields are addressed by dotted paths
(``"lr"``, ``"augmentation.rotation_range"``) through :meth:`TrainingSettings.get` and
:meth:`TrainingSettings.set`: the Train tab binds its controls with one table of such
paths (``nnviz.tabs.train.controls.FIELDS``).

JSON (:meth:`TrainingSettings.to_json`) nests the augmentation under ``"augmentation"``;
:meth:`TrainingSettings.from_json` also reads the older flat form (``"rotation_range"``,
``"shift_range"``, ``"horizontal_flip"`` … at the top level). Unknown keys and values of
the wrong type fall back to the defaults, and so do numbers outside the range of their
control (:data:`RANGES`, which the Train tab's spin boxes use too) or not finite:
:meth:`TrainingSettings.from_saved` also says which, for the status bar.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from core import optimizers
from core.augmentation import AugmentationConfig
from core.models import TUTORIAL_OPTIMIZER

__all__ = ["RANGES", "TrainingSettings", "bounds"]

RANGES: dict[str, tuple[str, float, float]] = {
    "lr": ("learning rate", 1e-5, 10.0),
    "momentum": ("momentum", 0.0, 0.999),
    "decay": ("decay", 0.0, 0.1),
    "batch_size": ("batch size", 1, 10_000),
    "epochs": ("epochs", 1, 1000),
    "validation_split": ("validation split", 0.0, 0.9),
    "l1": ("L1", 0.0, 1.0),
    "l2": ("L2", 0.0, 1.0),
    "dropout": ("dropout", 0.0, 0.9),
    "augmentation.rotation_range": ("rotation", 0.0, 180.0),
    "shift_range": ("shift", 0.0, 0.5),
    # options the Train tab has no control for
    "augmentation.height_shift_range": ("vertical shift", 0.0, 0.5),
    "augmentation.zoom_range": ("zoom", 0.0, 1.0),
    "augmentation.shear_range": ("shear", 0.0, 90.0),
    "augmentation.zca_epsilon": ("ZCA epsilon", 1e-12, 1.0),
}
"""Settings path -> (what the user calls it, lowest, highest value): the range of the
control that sets it (for the options without one, a sensible range), and what a saved
value must lie in."""


def bounds(path: str) -> tuple[float, float]:
    """The (lowest, highest) value of the setting at ``path``."""
    _, low, high = RANGES[path]
    return low, high


@dataclass
class TrainingSettings:
    """Everything the Train tab lets the user choose, defaulting to the tutorial's."""

    optimizer: str = "sgd"
    lr: float = TUTORIAL_OPTIMIZER["lr"]
    momentum: float = TUTORIAL_OPTIMIZER["momentum"]
    nesterov: bool = TUTORIAL_OPTIMIZER["nesterov"]
    decay: float = TUTORIAL_OPTIMIZER["decay"]
    batch_size: int = 100
    epochs: int = 10
    validation_split: float = 0.2
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    augmentation: AugmentationConfig = field(default_factory=AugmentationConfig)
    use_personal_digits: bool = False

    @property
    def shift_range(self) -> float:
        """The random shift as a share of the size, the same horizontally and vertically
        (setting it sets both of the augmentation's shift ranges)."""
        return self.augmentation.width_shift_range

    @shift_range.setter
    def shift_range(self, value: float) -> None:
        self.augmentation.width_shift_range = self.augmentation.height_shift_range = value

    def optimizer_config(self) -> dict:
        """The optimizer as a core.optimizers config dict."""
        if self.optimizer == "sgd":
            return {"name": "sgd", "lr": self.lr, "momentum": self.momentum,
                    "nesterov": self.nesterov, "decay": self.decay}
        return {"name": self.optimizer, "lr": self.lr}

    # -- fields by dotted path ----------------------------------------------------------
    def get(self, path: str) -> Any:
        """The value at ``path``, e.g. ``"lr"`` or ``"augmentation.rotation_range"``."""
        owner, name = self._owner(path)
        return getattr(owner, name)

    def set(self, path: str, value: Any) -> None:
        """Set the value at ``path`` (see :meth:`get`); unknown paths raise AttributeError."""
        owner, name = self._owner(path)
        if not hasattr(owner, name):
            raise AttributeError(f"no training setting {path!r}")
        setattr(owner, name, value)

    def _owner(self, path: str) -> tuple[object, str]:
        *parents, name = path.split(".")
        owner: object = self
        for parent in parents:
            owner = getattr(owner, parent)
        return owner, name

    # -- JSON ---------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> TrainingSettings:
        """Settings from saved JSON; unknown keys, wrong types and values out of range
        fall back to defaults (see :meth:`from_saved`)."""
        return cls.from_saved(text)[0]

    @classmethod
    def from_saved(cls, text: str | None) -> tuple[TrainingSettings, list[str]]:
        """Settings from saved JSON, and one note per value that was out of its range or
        not a finite number and so fell back to its default (``"validation split 5 →
        0.2"``). Unknown keys and values of the wrong type fall back silently.

        Reads both the nested form that :meth:`to_json` writes and the older flat one.
        """
        settings = cls._parsed(text)
        return settings, settings._reset_out_of_range()

    def _reset_out_of_range(self) -> list[str]:
        """Put every value outside :data:`RANGES` (or NaN, or infinite) and an unknown
        optimizer back to its default; returns what was changed, as notes."""
        default, notes = type(self)(), []
        for path, (label, low, high) in RANGES.items():
            value = self.get(path)
            if not (math.isfinite(value) and low <= value <= high):
                self.set(path, default.get(path))
                notes.append(f"{label} {value:g} → {default.get(path):g}")
        if self.optimizer not in optimizers.names():
            notes.append(f"optimizer {self.optimizer[:20]!r} → {default.optimizer}")
            self.optimizer = default.optimizer
        return notes

    @classmethod
    def _parsed(cls, text: str | None) -> TrainingSettings:
        settings = cls()
        try:
            saved = json.loads(text) if text else {}
        except (TypeError, ValueError):
            return settings
        if not isinstance(saved, dict):
            return settings
        _update(settings, saved, skip=("augmentation",))
        nested = saved.get("augmentation")
        if isinstance(nested, dict):
            _update(settings.augmentation, nested)
        else:  # the flat form: the augmentation's options beside the others
            _update(settings.augmentation, saved)
            shift = _checked(saved.get("shift_range"), settings.shift_range)
            if shift is not None:
                settings.shift_range = shift
        return settings


def _update(target: object, saved: dict, skip: tuple[str, ...] = ()) -> None:
    """Copy into the dataclass ``target`` each field of ``saved`` whose type fits."""
    for f in fields(target):
        if f.name in skip:
            continue
        value = _checked(saved.get(f.name), getattr(target, f.name))
        if value is not None:
            setattr(target, f.name, value)


def _checked(value: Any, default: Any) -> Any:
    """``value`` as the type of ``default`` when it is one (an int also counts as a float),
    else None."""
    if isinstance(value, type(default)):
        return type(default)(value)
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return None
