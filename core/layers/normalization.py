"""Batch normalization: each feature (or each channel of a conv map) rescaled to mean 0,
variance 1 over the batch, then given a learned scale and shift."""

from __future__ import annotations

import numpy as np

from core.layers.base import Layer, batch_shape


class BatchNormalization(Layer):
    """y = gamma · (x - mean) / sqrt(var + epsilon) + beta, per feature of a flat (N, F)
    input or per channel of a (N, C, H, W) map (the statistics then run over N, H and W).

    In training, mean and var are the batch's own (var the biased mean of squares, as
    Keras computes it) and the moving statistics follow them:
    moving = momentum · moving + (1 - momentum) · batch. In inference the moving
    statistics stand in for the batch's, so one digit is classified as it would be in any
    batch. ``momentum`` defaults to 0.9 (PyTorch's 0.1 in its convention) rather than
    Keras' 0.99: runs here are short, and at 0.99 the moving statistics of an epoch of
    32 batches would still be mostly their starting values (mean 0, variance 1).

    ``params``: gamma (C,) starting at 1, beta (C,) at 0 — trained. ``state``:
    moving_mean (C,) and moving_variance (C,) — saved with the model, never trained and
    never penalised.
    """

    kind = "batch_normalization"

    def __init__(self, momentum: float = 0.9, epsilon: float = 1e-3, name: str | None = None,
                 dtype: str = "float32") -> None:
        super().__init__(name, dtype)
        if isinstance(momentum, bool) or not isinstance(momentum, int | float | np.number) \
                or not 0.0 <= momentum < 1.0:
            raise ValueError(f"{self.label}: momentum must be in [0, 1), got {momentum!r}")
        if isinstance(epsilon, bool) or not isinstance(epsilon, int | float | np.number) \
                or not 0.0 < epsilon < float("inf"):
            raise ValueError(f"{self.label}: epsilon must be a number > 0, got {epsilon!r}")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self._xhat: np.ndarray | None = None      # (C, M) normalised input
        self._inv_std: np.ndarray | None = None   # (C,) 1 / sqrt(var + epsilon)
        self._batch_statistics = False            # was the last forward normalised by the batch?

    def output_shape(self, input_shape):
        if len(input_shape) not in (1, 3):
            raise ValueError(f"{self.label} expects flat features (N, F) or images (N, C, H, "
                             f"W), got {batch_shape(input_shape)}")
        return tuple(input_shape)

    def param_shapes(self, input_shape):
        self.output_shape(input_shape)
        return {"gamma": (int(input_shape[0]),), "beta": (int(input_shape[0]),)}

    def state_shapes(self, input_shape):
        return {"moving_mean": (int(input_shape[0]),), "moving_variance": (int(input_shape[0]),)}

    def build(self, input_shape, rng=None) -> None:
        super().build(input_shape, rng)
        c = self.input_shape[0]
        self._add_param("gamma", np.ones(c))
        self._add_param("beta", np.zeros(c))
        self._add_state("moving_mean", np.zeros(c))
        self._add_state("moving_variance", np.ones(c))

    @staticmethod
    def _rows(x: np.ndarray) -> np.ndarray:
        """x as (C, M): one row per feature or channel, M = N (flat) or N·H·W (maps). A view
        for conv outputs, which are stored channel-major."""
        if x.ndim == 2:
            return x.T
        return x.transpose(1, 0, 2, 3).reshape(x.shape[1], -1)

    @staticmethod
    def _unrows(rows: np.ndarray, like: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`_rows`, shaped like ``like``."""
        if like.ndim == 2:
            return rows.T
        n, c, h, w = like.shape
        return rows.reshape(c, n, h, w).transpose(1, 0, 2, 3)

    def forward(self, x, training=False):
        self._ensure_built(x)
        rows = self._rows(x)
        if training:
            with np.errstate(invalid="ignore", over="ignore"):  # a diverged batch (inf - inf)
                mean = rows.mean(axis=1)                        # is the trainer's to report
                centered = rows - mean[:, None]
                var = np.mean(np.square(centered), axis=1)
            if np.isfinite(mean).all() and np.isfinite(var).all():  # and is left out of
                keep = self.momentum                                   # the moving statistics
                for key, batch in (("moving_mean", mean), ("moving_variance", var)):
                    moving = self.state[key]
                    moving *= keep
                    moving += (1.0 - keep) * batch
        else:
            centered = rows - self.state["moving_mean"][:, None]
            var = self.state["moving_variance"]
        inv_std = 1.0 / np.sqrt(var + self.epsilon)
        xhat = np.multiply(centered, inv_std[:, None], out=centered)
        self._xhat, self._inv_std, self._batch_statistics = xhat, inv_std, training
        y = xhat * self.params["gamma"][:, None]
        y += self.params["beta"][:, None]
        return self._unrows(y, x)

    def backward(self, grad_out):
        g = self._rows(grad_out)
        xhat, gamma = self._xhat, self.params["gamma"]
        self.grads["beta"] = dbeta = g.sum(axis=1)
        self.grads["gamma"] = dgamma = np.einsum("cm,cm->c", g, xhat)
        if self.skip_input_grad:
            return None
        scale = (gamma * self._inv_std)[:, None]
        if not self._batch_statistics:  # fixed statistics: y is affine in x
            return self._unrows(g * scale, grad_out)
        # through the batch mean and variance too:
        # dx = gamma/std · (g - mean(g) - xhat · mean(g · xhat))
        m = g.shape[1]
        dx = xhat * (dgamma / m)[:, None]
        np.subtract(g, dx, out=dx)
        dx -= (dbeta / m)[:, None]
        dx *= scale
        return self._unrows(dx, grad_out)

    def get_config(self):
        return {"name": self.name, "momentum": self.momentum, "epsilon": self.epsilon}
