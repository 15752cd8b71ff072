"""The from-scratch network's training run, without Qt: its loss history and what one
iteration computes.

:class:`ScratchRun` trains :class:`core.scratch.TwoLayerNetwork` on XOR by gradient descent,
W ← W − η·∂L/∂W on L = Σ(y − ŷ)², and keeps the loss of every iteration and the first one
whose loss rose. :func:`iteration_report` lays one iteration open: every forward value, delta
and weight gradient of backprop, the gradients by central finite differences as a check, the
weights after the update, and how the four predictions stand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.scratch import XOR_X, XOR_Y, TwoLayerNetwork

RELATIVE_TOLERANCE = 1e-5  # backprop vs central differences (h = 1e-5, float64)
ABSOLUTE_TOLERANCE = 1e-8
CHECKED = ("dW2", "dW1")  # the gradients compared with finite differences


@dataclass(frozen=True)
class GradientCheck:
    """Backprop against finite differences: the largest |difference|, that difference relative
    to the larger of the two gradients' largest entries, and whether they agree."""

    difference: float
    relative: float
    agree: bool


def gradient_check(analytic: np.ndarray, numeric: np.ndarray) -> GradientCheck:
    """Compare backprop with finite differences.

    They agree when the largest difference is below 1e-5 of the gradients' scale plus 1e-8,
    the round-off floor of a central difference with h = 1e-5 (about 1e-16 · L / h), so
    vanishing gradients still pass.
    """
    diff = float(np.max(np.abs(analytic - numeric)))
    scale = max(float(np.max(np.abs(analytic))), float(np.max(np.abs(numeric))))
    relative = diff / scale if scale > 0 else 0.0
    return GradientCheck(diff, relative, diff <= RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE)


@dataclass(frozen=True)
class IterationReport:
    """One iteration from the current weights.

    ``grads``: :meth:`TwoLayerNetwork.backprop`'s dict (forward values (N, H) / (N, 1), the
    loss, deltas and ``dW1`` (H, n_in), ``dW2`` (1, H)); ``numeric``: the same two gradients by
    finite differences, or None when not computed (they cost 2 losses a weight);
    ``new_weights``: ``W1`` and ``W2`` after the update with ``learning_rate``.
    """

    grads: dict
    numeric: dict[str, np.ndarray] | None
    new_weights: dict[str, np.ndarray]
    activation: str
    learning_rate: float
    targets: np.ndarray

    @property
    def loss(self) -> float:
        """Σ(y − ŷ)² at the current weights."""
        return float(self.grads["loss"])

    @property
    def predictions(self) -> np.ndarray:
        """ŷ for every sample, (N,)."""
        return self.grads["y_hat"][:, 0]

    @property
    def correct(self) -> np.ndarray:
        """Whether each prediction rounds to its target, (N,) bool."""
        return np.round(self.predictions) == self.targets

    @property
    def solved(self) -> bool:
        """Every prediction rounds to its target."""
        return bool(np.all(self.correct))

    @property
    def checks(self) -> dict[str, GradientCheck]:
        """Backprop against finite differences for ``dW2`` and ``dW1`` ({} without numeric)."""
        if self.numeric is None:
            return {}
        return {k: gradient_check(np.asarray(self.grads[k]), self.numeric[k]) for k in CHECKED}

    @property
    def dead_units(self) -> bool:
        """relu only: every hidden unit's input is ≤ 0 for every sample, so every gradient is 0."""
        return self.activation == "relu" and not np.any(self.grads["z1"] > 0)

    @property
    def linear_units(self) -> bool:
        """relu only: every hidden unit is active for every sample, so the net is linear."""
        return self.activation == "relu" and bool(np.all(self.grads["z1"] > 0))


def iteration_report(
    network: TwoLayerNetwork, X: np.ndarray, y: np.ndarray, learning_rate: float,
    numeric: bool = True,
) -> IterationReport:
    """Backprop at the network's current weights (and finite differences if ``numeric``)."""
    grads = network.backprop(X, y)
    return IterationReport(
        grads=grads,
        numeric=network.numerical_gradients(X, y) if numeric else None,
        new_weights={"W1": network.W1 - learning_rate * grads["dW1"],
                     "W2": network.W2 - learning_rate * grads["dW2"]},
        activation=network.activation,
        learning_rate=float(learning_rate),
        targets=np.asarray(y, dtype=np.float64).reshape(-1),
    )


class ScratchRun:
    """A network learning XOR for ``iterations`` steps, with the loss of each step.

    ``X`` (4, 3) holds the XOR inputs with a constant third column (a bias); ``y`` (4, 1).
    """

    def __init__(
        self, n_hidden: int = 4, seed: int = 0, activation: str = "sigmoid",
        iterations: int = 1500,
    ) -> None:
        self.X, self.y = XOR_X, XOR_Y
        self.network = TwoLayerNetwork(
            self.X.shape[1], n_hidden=n_hidden, seed=seed, activation=activation
        )
        self.iterations = iterations
        self.stopped: str | None = None
        """Why the last update was refused (it was not finite), until one succeeds; or None."""
        self._losses = np.empty(max(iterations, 1))
        self._first_rise: int | None = None

    @property
    def iteration(self) -> int:
        """Iterations done."""
        return self.network.iteration

    @property
    def finished(self) -> bool:
        """Whether the run has reached its iteration count."""
        return self.iteration >= self.iterations

    @property
    def losses(self) -> np.ndarray:
        """The loss of every iteration so far, (iterations done,) (a copy)."""
        return self._losses[: self.iteration].copy()

    @property
    def first_rise(self) -> int | None:
        """The first iteration whose loss was higher than the one before, or None."""
        return self._first_rise

    def set_iterations(self, iterations: int) -> None:
        """Change how long the run is (the losses so far are kept)."""
        self.iterations = iterations
        self._grow(iterations)

    def advance(self, n: int, learning_rate: float) -> np.ndarray:
        """Run up to ``n`` iterations and return their losses (k,). An update that would make
        a weight inf or NaN is not made: the run stops there and says why in :attr:`stopped`."""
        start = self.iteration
        for _ in range(n):
            i = self.iteration
            try:
                loss = self.network.step(self.X, self.y, learning_rate)
            except FloatingPointError as exc:
                self.stopped = str(exc)
                break
            self.stopped = None
            self._grow(i + 1)
            self._losses[i] = loss
            if self._first_rise is None and i > 0 and loss > self._losses[i - 1]:
                self._first_rise = i
        return self._losses[start : self.iteration].copy()

    def report(self, learning_rate: float, numeric: bool = True) -> IterationReport:
        """:func:`iteration_report` at the current weights."""
        return iteration_report(self.network, self.X, self.y, learning_rate, numeric)

    def _grow(self, size: int) -> None:
        if size > len(self._losses):
            grown = np.empty(max(2 * len(self._losses), size))
            grown[: len(self._losses)] = self._losses
            self._losses = grown
