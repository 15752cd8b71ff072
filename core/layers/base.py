"""The layer contract shared by every layer.

A layer is built once for a per-sample input shape (no batch axis), then maps a batch
forward and a gradient backward:

* ``forward(x, training=False) -> y`` keeps what ``backward`` needs in private caches;
* ``backward(grad_out) -> grad_in`` fills ``grads`` (same keys and shapes as ``params``)
  and never modifies ``grad_out``;
* ``output_shape(input_shape)`` tells shapes before anything runs (for the GUI), and
  ``param_shapes(input_shape)`` the shapes of the weights ``build`` will create (so a
  model's size is known before a byte is allocated);
* ``state`` holds arrays that are not trained but belong to the model (BatchNormalization's
  moving statistics): saved in model files, never seen by the optimizer or a penalty;
* ``get_config()`` is a JSON-ready dict that rebuilds the layer with ``layer_from_config``.
"""

from __future__ import annotations

import math

import numpy as np

from core import regularizers

DTYPES = ("float32", "float64")
"""The weight and activation types a layer can compute in."""


def whole_number(value, what: str, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum`` (a size from a config or a form: 3 or 3.0, not 2.5,
    True or "3"); ValueError saying what is wrong otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if not float(value).is_integer():
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {int(value)}")
    return int(value)


def batch_shape(input_shape) -> str:
    """A per-sample shape written as the batch a user sees: (8, 4, 4) -> "(N, 8, 4, 4)"."""
    return "(" + ", ".join(["N", *map(str, input_shape)]) + ")"


def pair(value, what: str, minimum: int = 1) -> tuple[int, int]:
    """A size given as one whole number or as two (height, width): (h, w)."""
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ValueError(f"{what} must be one number or two (height, width), got {value!r}")
        return whole_number(value[0], what, minimum), whole_number(value[1], what, minimum)
    size = whole_number(value, what, minimum)
    return size, size


class Layer:
    """Base class. Subclasses override ``build``, ``forward``, ``backward``, ``output_shape``."""

    kind = "layer"  # the registry name, also the stem of default layer names

    def __init__(self, name: str | None = None, dtype: str = "float32") -> None:
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"a layer name must be a non-empty text, got {name!r:.40}")
        self.name = name
        self.dtype = _float_dtype(dtype)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}  # not trained: e.g. moving statistics
        self.regularizers: dict[str, regularizers.Regularizer] = {}
        self.input_shape: tuple[int, ...] | None = None
        self.built = False
        self.rng = np.random.default_rng(0)
        self.skip_input_grad = False  # set by the model on the first layer: dx is never used

    # -- lifecycle ---------------------------------------------------------------
    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator | None = None) -> None:
        """Create the weights for a per-sample ``input_shape``; ``rng`` seeds initialisers."""
        self.input_shape = tuple(int(s) for s in input_shape)
        if rng is not None:
            self.rng = rng
        self.output_shape(self.input_shape)  # validates the shape early, with a clear error
        self.built = True

    def _ensure_built(self, x: np.ndarray) -> None:
        if not self.built:
            self.build(x.shape[1:])
        elif tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(
                f"{self.label}: expected input of shape (N, "
                f"{', '.join(map(str, self.input_shape))}), got {tuple(x.shape)}"
            )

    def _add_param(self, key: str, value: np.ndarray, regularizer=None) -> None:
        self.params[key] = np.ascontiguousarray(value, dtype=self.dtype)
        self.grads[key] = np.zeros_like(self.params[key])
        reg = regularizers.get(regularizer)
        if reg is not None:
            self.regularizers[key] = reg

    def _add_state(self, key: str, value: np.ndarray) -> None:
        self.state[key] = np.ascontiguousarray(value, dtype=self.dtype)

    # -- computation -------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(input_shape)

    def param_shapes(self, input_shape: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
        """The shape of every weight ``build(input_shape)`` creates, keyed like ``params``
        (none for layers without weights); nothing is allocated."""
        return {}

    def param_count(self, input_shape: tuple[int, ...]) -> int:
        """How many weights ``build(input_shape)`` creates (a Python int: never wraps)."""
        return sum(math.prod(shape) for shape in self.param_shapes(input_shape).values())

    def state_shapes(self, input_shape: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
        """The shape of every ``state`` array ``build(input_shape)`` creates (none here)."""
        return {}

    @property
    def label(self) -> str:
        """The name to show in messages: the layer's name, or its type before it has one."""
        return self.name or type(self).__name__

    def sync_from(self, original: Layer) -> None:
        """Copy settings that may change during training from ``original`` (a replica
        of this layer runs on a worker thread; see core.parallel)."""

    def regularization_loss(self) -> float:
        """Sum of this layer's weight penalties (0 when it has none)."""
        return sum(reg(self.params[key]) for key, reg in self.regularizers.items())

    def _add_regularization_grads(self) -> None:
        """Add each penalty's gradient to the data gradient already in ``grads``.

        Where an L1-penalised weight is exactly 0, |w| has no derivative; the
        subgradient of smallest size is used (soft-thresholding the data gradient by l1),
        so a zero weight stays zero unless the data pull exceeds l1, as in Lasso.
        """
        for key, reg in self.regularizers.items():
            if not (reg.l1 or reg.l2):
                continue
            w, g = self.params[key], self.grads[key]
            g += reg.gradient(w)
            if reg.l1:
                at_zero = w == 0
                if at_zero.any():
                    pull = g[at_zero]
                    g[at_zero] = np.sign(pull) * np.maximum(np.abs(pull) - reg.l1, 0)

    # -- description -------------------------------------------------------------
    @property
    def count_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def get_config(self) -> dict:
        return {"name": self.name}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})" + (f"  # {self.name}" if self.name else "")


def _float_dtype(dtype) -> np.dtype:
    """``dtype`` as float32 or float64; anything else (ints, objects, text, complex) is a
    ValueError: the arithmetic of training needs real floating-point numbers."""
    try:
        resolved = np.dtype(dtype) if isinstance(dtype, str | np.dtype | type) else None
    except (TypeError, ValueError):
        resolved = None
    if resolved is None or resolved.name not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r:.40}")
    return resolved
