"""Gradient-descent optimizers with Keras' update rules.

The base class owns the loop: ``update(params, grads)`` walks dicts keyed by stable
names (``"dense_1.W"``), updates every array *in place* and counts iterations.
Subclasses write only ``_update_one``, the rule stated in their docstring. The learning
rate ``lr`` is a plain attribute, so it may be changed between batches.
"""

from __future__ import annotations

import numpy as np

from core.checks import known_settings, real


class Optimizer:
    """Base: per-parameter state in ``state[name]``, ``iterations`` counts update calls."""

    name = "optimizer"

    def __init__(self, lr: float) -> None:
        self.lr = real(lr, "the learning rate", low=0.0, low_open=True)
        self.iterations = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Apply one step to every array of ``params`` in place, using ``grads[name]``."""
        lr = self.current_lr()
        for name, p in params.items():
            self._update_one(name, p, grads[name], lr)
        self.iterations += 1

    def current_lr(self) -> float:
        """The learning rate used by the next step (after any decay)."""
        return self.lr

    def _slot(self, name: str, key: str, like: np.ndarray) -> np.ndarray:
        slots = self.state.setdefault(name, {})
        if key not in slots:
            slots[key] = np.zeros_like(like)
        return slots[key]

    def _update_one(self, name: str, p: np.ndarray, g: np.ndarray, lr: float) -> None:
        raise NotImplementedError

    # -- state, so a diverging run can be rolled back ------------------------------------
    def get_state(self) -> dict:
        """A deep copy of the slots and the iteration count."""
        return {"iterations": self.iterations,
                "state": {n: {k: v.copy() for k, v in s.items()} for n, s in self.state.items()}}

    def set_state(self, saved: dict) -> None:
        """Restore what :meth:`get_state` returned (copies, so ``saved`` can be reused)."""
        self.iterations = saved["iterations"]
        self.state = {n: {k: v.copy() for k, v in s.items()} for n, s in saved["state"].items()}

    def get_config(self) -> dict:
        return {"name": self.name, "lr": self.lr}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, Nesterov momentum and time decay (Keras).

    lr_t = lr / (1 + decay · iterations)
    v    = momentum · v - lr_t · g
    p   += momentum · v - lr_t · g   if nesterov   else   p += v
    """

    name = "sgd"

    def __init__(self, lr: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 decay: float = 0.0) -> None:
        super().__init__(lr)
        self.momentum = real(momentum, "momentum", low=0.0)
        if not isinstance(nesterov, bool | np.bool_):
            raise ValueError(f"nesterov must be true or false, got {nesterov!r:.40}")
        self.nesterov = bool(nesterov)
        self.decay = real(decay, "the learning-rate decay", low=0.0)

    def current_lr(self) -> float:
        return self.lr / (1.0 + self.decay * self.iterations)

    def _update_one(self, name, p, g, lr):
        if self.momentum == 0.0:
            p -= lr * g
            return
        v = self._slot(name, "velocity", p)
        v *= self.momentum
        v -= lr * g
        if self.nesterov:
            p += self.momentum * v - lr * g
        else:
            p += v

    def get_config(self):
        return {"name": self.name, "lr": self.lr, "momentum": self.momentum,
                "nesterov": self.nesterov, "decay": self.decay}


class Adagrad(Optimizer):
    """Per-weight rates shrinking with the sum of past squared gradients (Keras).

    a += g²;  p -= lr · g / (sqrt(a) + eps)
    """

    name = "adagrad"

    def __init__(self, lr: float = 0.01, epsilon: float = 1e-7) -> None:
        super().__init__(lr)
        self.epsilon = real(epsilon, "epsilon", low=0.0)

    def _update_one(self, name, p, g, lr):
        a = self._slot(name, "accumulator", p)
        a += g * g
        p -= lr * g / (np.sqrt(a) + self.epsilon)

    def get_config(self):
        return {"name": self.name, "lr": self.lr, "epsilon": self.epsilon}


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012) as in Keras, lr = 1.0 by default.

    a = rho·a + (1 - rho)·g²;  u = g · sqrt(d + eps) / sqrt(a + eps)
    p -= lr · u;               d = rho·d + (1 - rho)·u²
    """

    name = "adadelta"

    def __init__(self, lr: float = 1.0, rho: float = 0.95, epsilon: float = 1e-7) -> None:
        super().__init__(lr)
        self.rho = real(rho, "rho", 0.0, 1.0)
        self.epsilon = real(epsilon, "epsilon", low=0.0)

    def _update_one(self, name, p, g, lr):
        a = self._slot(name, "accumulator", p)
        d = self._slot(name, "delta_accumulator", p)
        a *= self.rho
        a += (1.0 - self.rho) * g * g
        u = g * np.sqrt(d + self.epsilon) / np.sqrt(a + self.epsilon)
        p -= lr * u
        d *= self.rho
        d += (1.0 - self.rho) * u * u

    def get_config(self):
        return {"name": self.name, "lr": self.lr, "rho": self.rho, "epsilon": self.epsilon}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) in Keras' form, t = iterations + 1:

    m = b1·m + (1 - b1)·g;  v = b2·v + (1 - b2)·g²
    p -= lr · sqrt(1 - b2^t) / (1 - b1^t) · m / (sqrt(v) + eps)
    """

    name = "adam"

    def __init__(self, lr: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7) -> None:
        super().__init__(lr)
        self.beta_1 = real(beta_1, "beta_1", 0.0, 1.0, high_open=True)
        self.beta_2 = real(beta_2, "beta_2", 0.0, 1.0, high_open=True)
        self.epsilon = real(epsilon, "epsilon", low=0.0)

    def _update_one(self, name, p, g, lr):
        t = self.iterations + 1
        lr_t = float(lr * np.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t))
        m = self._slot(name, "m", p)
        v = self._slot(name, "v", p)
        m *= self.beta_1
        m += (1.0 - self.beta_1) * g
        v *= self.beta_2
        v += (1.0 - self.beta_2) * g * g
        p -= lr_t * m / (np.sqrt(v) + self.epsilon)

    def get_config(self):
        return {"name": self.name, "lr": self.lr, "beta_1": self.beta_1,
                "beta_2": self.beta_2, "epsilon": self.epsilon}


_REGISTRY: dict[str, type[Optimizer]] = {c.name: c for c in (SGD, Adagrad, Adadelta, Adam)}

DEFAULT_LR = {"sgd": 0.01, "adagrad": 0.01, "adadelta": 1.0, "adam": 0.001}
"""Each optimizer's own default learning rate (Keras')."""


def names() -> list[str]:
    """Optimizer names accepted by :func:`get`."""
    return list(_REGISTRY)


def get(identifier: str | dict | Optimizer) -> Optimizer:
    """Resolve a name (``"sgd"``), a config dict (``{"name": "sgd", "lr": 0.05}``) or an object."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        identifier = {"name": identifier}
    if not isinstance(identifier, dict):
        raise ValueError(f"an optimizer is a name or a dict of settings, got {identifier!r:.40}")
    config = dict(identifier)
    name = config.pop("name", "")
    cls = _REGISTRY.get(name.lower()) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(f"unknown optimizer {name!r:.40}; choose one of {names()}")
    return cls(**known_settings(cls, config, f"the {cls.name} optimizer"))
