"""The shared set-up of the regression tests: random problems and scikit-learn as oracle."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import Ridge

from core import regression as R

TOL = 1e-6
SEEDS = range(16)
FRACTIONS = (0.005, 0.05, 0.3, 0.8)  # α as a fraction of α_max


def tight_sklearn(model_cls, **kwargs):
    """A scikit-learn model solved far more tightly than its defaults, to serve as the oracle."""
    if model_cls is Ridge:
        return model_cls(**kwargs)
    return model_cls(tol=1e-14, max_iter=1_000_000, **kwargs)


def problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random problems: 2 to 8 features, independent or strongly correlated, some weights ~0."""
    rng = np.random.default_rng(seed)
    d = (2, 3, 5, 8)[seed % 4]
    corrs = (0.0, 0.95, -0.8, 0.6) if d == 2 else (0.0, 0.9, 0.5, -0.1)
    corr = corrs[(seed // 4) % 4]
    w_true = rng.normal(size=d) * np.where(np.arange(d) % 2 == 0, 1.0, 0.05)
    return R.make_data(30 + 5 * d, 1.0, corr, w_true, rng)
