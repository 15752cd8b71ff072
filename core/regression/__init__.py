"""Linear regression with L1 / L2 / elastic-net penalties, with scikit-learn's exact objectives.

L1 gives weights that are *exactly* zero where L2 only makes them small, and the
regularization lab shows exactly that, so everything here is solved exactly rather than
approximately:

- Ridge, ``‖y − Xw‖² + α‖w‖²``: one linear solve.
- Lasso, ``(1/(2n))‖y − Xw‖² + α‖w‖₁``, and ElasticNet,
  ``(1/(2n))‖y − Xw‖² + αρ‖w‖₁ + ½α(1 − ρ)‖w‖²``: coordinate descent finds which weights are
  zero and their signs, then a linear solve on the non-zero weights gives the exact optimum;
  the optimality (KKT) conditions are checked before it is returned.
- The Lasso path is piecewise linear in α; :func:`lasso_knots` finds its corners exactly.
- The constrained forms, minimise J0 subject to ‖w‖₁ ≤ t or ‖w‖₂ ≤ t, are solved through
  their KKT conditions (:func:`constrained`) and, for two weights, also by walking the
  boundary of the region (:func:`walk_boundary`), the explained.ai rule.

Shapes: ``X`` is (n, d), ``y`` is (n,), a weight vector ``w`` is (d,). Unless said otherwise
J0 is the plain data term ``(1/(2n))‖y − Xw‖²``; each model's α is in its own scikit-learn
units, so a Ridge α and a Lasso α of the same size are not equally strong.
numpy only, float64 throughout.

One module a topic: ``problems`` (data, validation, least squares), ``data_term`` (J0),
``solvers``, ``paths``, ``regions`` (constrained forms), ``gradient_descent`` (weight decay
and the proximal soft-threshold steps), ``oned``
(the 1-D view F(x) = f(x) + λ|x|). Every public name is importable from here.
"""

from __future__ import annotations

from core.regression.data_term import j0, j0_contour, j0_grid
from core.regression.gradient_descent import (
    gd_max_lr,
    gd_step,
    gradient_descent,
    penalised_gd_step,
    penalised_max_lr,
    prox_gd_step,
    proximal_gradient_descent,
    soft_threshold,
)
from core.regression.oned import (
    SmoothLoss1D,
    argmin_penalised_1d,
    penalised_1d,
    zero_threshold_1d,
)
from core.regression.paths import (
    alpha_grid,
    alpha_max,
    elastic_net_path,
    lasso_at,
    lasso_knots,
    lasso_path,
    ridge_path,
    zero_alphas,
)
from core.regression.problems import intercept, make_data, ols
from core.regression.regions import (
    Constrained,
    alpha_for_t,
    constrained,
    region_boundary,
    region_size,
    t_for_alpha,
    walk_boundary,
)
from core.regression.solvers import PENALTIES, Penalty, elastic_net, lasso, penalised, ridge

__all__ = [
    "PENALTIES", "Constrained", "Penalty", "SmoothLoss1D", "alpha_for_t", "alpha_grid",
    "alpha_max", "argmin_penalised_1d", "constrained", "elastic_net", "elastic_net_path",
    "gd_max_lr", "gd_step", "gradient_descent", "intercept", "j0", "j0_contour", "j0_grid",
    "lasso", "lasso_at", "lasso_knots", "lasso_path", "make_data", "ols", "penalised",
    "penalised_1d", "penalised_gd_step", "penalised_max_lr", "prox_gd_step",
    "proximal_gradient_descent", "region_boundary", "region_size", "ridge", "ridge_path",
    "soft_threshold", "t_for_alpha", "walk_boundary", "zero_alphas", "zero_threshold_1d",
]
