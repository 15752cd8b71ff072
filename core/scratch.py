"""A 2-layer neural network ŷ = σ(W2·f(W1·x)) from scratch, written to be read top to bottom.

One hidden layer, no biases (taken as 0 for simplicity), and for one sample x:

    z1 = W1·x        a1 = f(z1)        (hidden layer, f = sigmoid by default)
    z2 = W2·a1       ŷ  = σ(z2)        (output, always the sigmoid so 0 < ŷ < 1)
    L  = Σ (y − ŷ)²                    (sum of squared errors over all samples)

A batch is processed at once: the rows of ``X`` (shape (N, n_inputs)) are the samples,
so ``z1 = X @ W1.T`` has shape (N, n_hidden) and ``ŷ`` has shape (N, 1).

Training repeats three things: the forward pass above; backpropagation, which applies
the chain rule from the loss back to every weight; and a gradient-descent update
``W -= learning_rate * dL/dW``.  With the defaults (XOR data, 4 hidden units, seed 0,
learning rate 1.0, 1500 iterations) the loss falls at every single iteration and the
rounded predictions equal the targets.  ``learning_rate=1.0`` on the *sum* of squared
errors is exactly the tutorial's ``weights += dot(..., 2 * (y - ŷ) * σ'(...))``.

The weights start uniform in [0, 1), as the tutorial's ``np.random.rand`` does, but from
an explicit ``np.random.default_rng(seed)`` so every run is reproducible.

Other hidden activations than the sigmoid: ``"tanh"`` and ``"relu"``.  The
output stays a sigmoid because the targets are 0 and 1.  A relu hidden layer learns XOR
too, but its loss is not monotonic at learning rate 1.0: when a unit's input crosses 0
its slope jumps from 1 to 0, and a full step can overshoot.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.functional import sigmoid

# The classic data set: three binary inputs, the third always 1 (it plays the role of a
# bias, since the network has none); the target is XOR of the first two inputs.
XOR_X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)  # (4, 3)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float64)  # (4, 1)


# --- activations: the function f and its derivative f'(z), both taking z ---------------


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)·(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh(z)²."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z)."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (the kink at exactly 0 is given slope 0)."""
    return (z > 0.0).astype(z.dtype)


ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray],
                             Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (np.tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
}


class TwoLayerNetwork:
    """ŷ = σ(W2·f(W1·x)) with zero biases, trained on Σ(y − ŷ)² by gradient descent.

    Parameters
    ----------
    n_inputs : number of input features (3 for the XOR data).
    n_hidden : hidden units (4 for XOR).
    seed : seed of the ``np.random.default_rng`` that draws the initial weights.
    activation : hidden-layer activation, one of ``"sigmoid"``, ``"tanh"``, ``"relu"``.

    Attributes ``W1`` (n_hidden, n_inputs) and ``W2`` (1, n_hidden) are float64 and owned
    by the network (updated in place); ``iteration`` counts the updates made so far.
    """

    def __init__(
        self, n_inputs: int, n_hidden: int = 4, seed: int = 0, activation: str = "sigmoid"
    ) -> None:
        if n_inputs < 1 or n_hidden < 1:
            raise ValueError(f"need n_inputs >= 1 and n_hidden >= 1, got {n_inputs}, {n_hidden}")
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}"
            )
        self.n_inputs = n_inputs
        self.n_hidden = n_hidden
        self.seed = seed
        self.activation = activation
        self._f, self._f_prime = ACTIVATIONS[activation]
        rng = np.random.default_rng(seed)
        self.W1 = rng.random((n_hidden, n_inputs))  # uniform in [0, 1), like np.random.rand
        self.W2 = rng.random((1, n_hidden))
        self.iteration = 0

    # --- forward pass ---------------------------------------------------------------

    def forward(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """The forward pass: z1, a1 (N, n_hidden) and z2, y_hat (N, 1) for X (N, n_inputs)."""
        X = self._check_X(X)
        z1 = X @ self.W1.T  # (N, H): row n is W1·x_n
        a1 = self._f(z1)  # (N, H)
        z2 = a1 @ self.W2.T  # (N, 1)
        y_hat = sigmoid(z2)  # (N, 1)
        return {"z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat}

    def predict(self, X: np.ndarray) -> np.ndarray:
        """ŷ for each row of X: shape (N, 1), values in (0, 1)."""
        return self.forward(X)["y_hat"]

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Sum of squared errors Σ(y − ŷ)² over all samples."""
        y_hat = self.predict(X)
        return float(np.sum((self._check_y(y, len(y_hat)) - y_hat) ** 2))

    # --- backpropagation ------------------------------------------------------------

    def backprop(self, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray | float]:
        """Forward pass, loss and every backward quantity by the chain rule.

        Returns a dict with the inputs ``X`` (N, n_inputs) and ``y`` (N, 1); the forward
        values ``z1``, ``a1`` (N, H), ``z2``, ``y_hat`` (N, 1); ``loss`` (float); and,
        going backwards,
        ``dL_dy_hat`` = 2(ŷ − y) (N, 1);
        ``delta2`` = dL/dz2 = dL/dŷ · σ'(z2) (N, 1);
        ``dW2`` = δ2ᵀ · a1 (1, H);
        ``dL_da1`` = δ2 · W2 (N, H);
        ``delta1`` = dL/dz1 = dL/da1 · f'(z1) (N, H);
        ``dW1`` = δ1ᵀ · X (H, n_inputs).
        """
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        fwd = self.forward(X)
        z1, a1, z2, y_hat = fwd["z1"], fwd["a1"], fwd["z2"], fwd["y_hat"]
        loss = float(np.sum((y - y_hat) ** 2))

        dL_dy_hat = 2.0 * (y_hat - y)  # derivative of (y − ŷ)² w.r.t. ŷ
        delta2 = dL_dy_hat * sigmoid_derivative(z2)  # chain rule through ŷ = σ(z2)
        dW2 = delta2.T @ a1  # z2 = a1·W2ᵀ, summed over the samples
        dL_da1 = delta2 @ self.W2  # back through z2 to every hidden unit
        delta1 = dL_da1 * self._f_prime(z1)  # chain rule through a1 = f(z1)
        dW1 = delta1.T @ X  # z1 = X·W1ᵀ, summed over the samples

        return {
            "X": X, "y": y, "z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat, "loss": loss,
            "dL_dy_hat": dL_dy_hat, "delta2": delta2, "dW2": dW2,
            "dL_da1": dL_da1, "delta1": delta1, "dW1": dW1,
        }

    def numerical_gradients(
        self, X: np.ndarray, y: np.ndarray, h: float = 1e-5
    ) -> dict[str, np.ndarray]:
        """dL/dW1 and dL/dW2 by central finite differences (L(w + h) − L(w − h)) / 2h.

        The independent check of :meth:`backprop`: nudges one weight at a time and
        restores it afterwards.  Returns ``{"dW1": (H, n_inputs), "dW2": (1, H)}``.
        """
        grads = {}
        for name, W in (("dW1", self.W1), ("dW2", self.W2)):
            g = np.zeros_like(W)
            for idx in np.ndindex(W.shape):
                original = W[idx]
                W[idx] = original + h
                loss_plus = self.loss(X, y)
                W[idx] = original - h
                loss_minus = self.loss(X, y)
                W[idx] = original
                g[idx] = (loss_plus - loss_minus) / (2.0 * h)
            grads[name] = g
        return grads

    # --- gradient descent -----------------------------------------------------------

    def step(self, X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0) -> float:
        """One iteration: forward, backprop, ``W -= learning_rate · dW``.

        Returns the loss *before* the update (the loss of this iteration).  If the update
        would make a weight inf or NaN (a diverging learning rate), raises
        ``FloatingPointError`` and leaves the weights unchanged.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            grads = self.backprop(X, y)
            new_W1 = self.W1 - learning_rate * grads["dW1"]
            new_W2 = self.W2 - learning_rate * grads["dW2"]
        if not (np.all(np.isfinite(new_W1)) and np.all(np.isfinite(new_W2))):
            raise FloatingPointError(
                f"the update at iteration {self.iteration} is not finite "
                f"(learning rate {learning_rate} diverges); the weights were kept"
            )
        self.W1[...] = new_W1
        self.W2[...] = new_W2
        self.iteration += 1
        return float(grads["loss"])

    def fit(
        self, X: np.ndarray, y: np.ndarray, iterations: int = 1500, learning_rate: float = 1.0
    ) -> np.ndarray:
        """Run ``iterations`` gradient-descent steps; returns each one's loss, (iterations,)."""
        losses = np.empty(iterations)
        for i in range(iterations):
            losses[i] = self.step(X, y, learning_rate)
        return losses

    # --- helpers --------------------------------------------------------------------

    def get_weights(self) -> dict[str, np.ndarray]:
        """Copies of the weights, ``{"W1": (H, n_inputs), "W2": (1, H)}``."""
        return {"W1": self.W1.copy(), "W2": self.W2.copy()}

    def _check_X(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (N, {self.n_inputs}), got {X.shape}")
        return X

    @staticmethod
    def _check_y(y: np.ndarray, n: int) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        if len(y) != n:
            raise ValueError(f"y must hold {n} targets, got {len(y)}")
        return y

    def __repr__(self) -> str:
        return (
            f"TwoLayerNetwork(n_inputs={self.n_inputs}, n_hidden={self.n_hidden}, "
            f"seed={self.seed}, activation={self.activation!r})"
        )
