"""The Regularization lab's state and arithmetic, without Qt: why L1 gives exact zeros.

A two-weight linear regression y = w₁x₁ + w₂x₂ + noise whose sample the user shapes. At a
penalty strength α the lab solves the penalised problem; for a region size t it minimises
J0(w) = (1/2n)‖y − Xw‖² over the region (the L1 diamond |w₁| + |w₂| ≤ t, the L2 circle
‖w‖ ≤ t, or the elastic-net region ρ‖w‖₁ + ½(1 − ρ)‖w‖² ≤ ρt + ½(1 − ρ)t²); both give the
same optimum w*, so α and t are two handles on one solution. It also knows the path of w* as
α grows, the α from which a weight is exactly 0, the Lasso and Ridge coefficient paths, and two
gradient-descent runs from one start, without and with weight decay λ:

    θ := θ·(1 − ηλ/m) − η·(1/m)·Σᵢ(h_θ(xᵢ) − yᵢ)·xᵢ.

Every number comes from :mod:`core.regression`, in each penalty's scikit-learn units. The tab
binds its controls to a :class:`RegularizationLab` and shows what it computes.
Shapes: X (n, 2), y (n,), a weight vector w (2,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.regression import (
    PENALTIES,
    Constrained,
    alpha_max,
    constrained,
    elastic_net_path,
    gd_max_lr,
    gd_step,
    j0,
    j0_contour,
    j0_grid,
    lasso_at,
    lasso_knots,
    make_data,
    ols,
    penalised,
    region_boundary,
    region_size,
    ridge_path,
    zero_alphas,
)
from nnviz.tabs.regularization.ranges import sticky

GD_MAX_STEPS = 3000
N_PATH = 240  # α samples of the smooth paths
N_LEVELS = 9  # J0 contours on the plane
GRID = 256  # J0 samples along each axis of the plane's filled bands
STILL = 1e-7  # a run has converged once a step moves it less than this (relative to its start)
FAR = 1e3  # ... and has diverged once it is this far out (relative to its start)
PURE_L1_RATIO = {"l1": 1.0, "l2": 0.0}


@dataclass(frozen=True)
class DataSettings:
    """How the sample is drawn: n rows, noise σ on y, corr(x₁, x₂), the true weights."""

    n: int = 50
    noise: float = 1.0
    corr: float = 0.6
    w1: float = 1.5
    w2: float = 0.5

    @property
    def w_true(self) -> np.ndarray:
        """(w1, w2), shape (2,)."""
        return np.array([self.w1, self.w2], dtype=np.float64)


@dataclass(frozen=True)
class Landscape:
    """J0 over the plane, for drawing: ``j0`` (GRID, GRID) sampled over ``extent`` =
    (x0, x1, y0, y1) (wider than the view, so bands fill it), the contour ``levels``
    (N_LEVELS,) and their curves [(m, 2)], and the ``view`` (x0, x1, y0, y1) to show."""

    j0: np.ndarray
    extent: tuple[float, float, float, float]
    levels: np.ndarray
    contours: list[np.ndarray]
    view: tuple[float, float, float, float]


@dataclass(frozen=True)
class FirstZero:
    """Where a weight first becomes exactly 0 as α grows: from ``alpha`` on (region size
    ``t`` and smaller) weight ``index`` is 0; ``w`` (2,) is the optimum there."""

    alpha: float
    index: int
    t: float
    w: np.ndarray


@dataclass(frozen=True)
class Solution:
    """The optimum for one α and t: w* (2,), J0(w*), the region's boundary (m, 2) and the J0
    contour through w* (k, 2). ``same_l1`` / ``same_l2``: the Lasso / Ridge optimum whose region
    has the same size t (None for the solution's own penalty)."""

    penalty: str
    alpha: float
    t: float
    w: np.ndarray
    j0: float
    region: np.ndarray
    tangent: np.ndarray
    same_l1: Constrained | None
    same_l2: Constrained | None

    def mark(self, penalty: str) -> tuple[float, np.ndarray, bool]:
        """(α, w, same_t) to mark on the "l1" or "l2" coefficient paths: this solution for its
        own penalty (same_t False), else that penalty's optimum at the same t (same_t True)."""
        if penalty == self.penalty:
            return self.alpha, self.w, False
        other = self.same_l1 if penalty == "l1" else self.same_l2
        return other.alpha, other.w, True

    @property
    def ridge_alpha(self) -> float:
        """The Ridge α whose circle has this solution's size t."""
        return self.mark("l2")[0]


@dataclass(frozen=True)
class DescentStatus:
    """Where the gradient-descent runs stand: ``steps`` taken, the decay factor 1 − ηλ/m, the
    largest stable learning rate 2 / (λ_max(XᵀX/m) + λ/m), ``unstable`` (a run diverged or η is
    at or above that limit), ``converged`` (the last step barely moved either run) and
    ``finished`` (diverged, converged or out of steps: an animation should stop)."""

    steps: int
    decay_factor: float
    max_lr: float
    unstable: bool
    converged: bool
    finished: bool


class DescentRuns:
    """Two gradient-descent trajectories from one start: without decay and with decay λ.

    Preallocated (max_steps + 1, 2) each, so a step writes one row.
    """

    def __init__(self, max_steps: int = GD_MAX_STEPS) -> None:
        self.max_steps = max_steps
        self.start = np.zeros(2)
        self._plain = np.zeros((max_steps + 1, 2))
        self._decay = np.zeros((max_steps + 1, 2))
        self._steps = 0

    @property
    def steps(self) -> int:
        """Steps taken since the start."""
        return self._steps

    def reset(self, start: np.ndarray | None = None) -> None:
        """Back to the start (moved to ``start`` (2,) if given), no steps taken."""
        if start is not None:
            self.start = np.array(start, dtype=np.float64)
        self._plain[0] = self.start
        self._decay[0] = self.start
        self._steps = 0

    def step(
        self, X: np.ndarray, y: np.ndarray, lr: float, lam: float, n_steps: int = 1
    ) -> tuple[bool, bool]:
        """Advance both runs by up to ``n_steps``; returns (diverged, converged)."""
        k = self._steps
        for _ in range(n_steps):
            if k >= self.max_steps:
                break
            self._plain[k + 1] = gd_step(X, y, self._plain[k], lr)
            self._decay[k + 1] = gd_step(X, y, self._decay[k], lr, lam)
            k += 1
        self._steps = k
        scale = float(np.linalg.norm(self.start)) + 1.0
        previous = max(k - 1, 0)
        moved = max(
            float(np.linalg.norm(self._plain[k] - self._plain[previous])),
            float(np.linalg.norm(self._decay[k] - self._decay[previous])),
        )
        diverged = not np.all(np.isfinite(self._decay[k])) or max(
            float(np.abs(self._plain[k]).max()), float(np.abs(self._decay[k]).max())
        ) > FAR * scale
        return diverged, k > 0 and moved < STILL * scale

    def trajectories(self) -> tuple[np.ndarray, np.ndarray]:
        """The two runs so far, (steps + 1, 2) each: without and with decay (copies)."""
        k = self._steps + 1
        return self._plain[:k].copy(), self._decay[:k].copy()


class RegularizationLab:
    """The lab's whole state: the sample, the penalty, the current solution and the runs.

    ``penalty`` is "l1", "l2" or "elasticnet"; ``rho`` the elastic net's l1_ratio ρ; ``lr``
    and ``lam`` the learning rate η and the decay λ of gradient descent. Change the data with
    :meth:`set_data` / :meth:`new_sample`, the penalty with :meth:`set_penalty` /
    :meth:`set_rho`, then ask for a solution with :meth:`set_alpha` or :meth:`set_t`.
    """

    def __init__(self, settings: DataSettings | None = None, seed: int = 2016) -> None:
        self.seed = seed
        self.penalty = "l1"
        self.rho = 0.5
        self.lr = 0.2
        self.lam = 20.0
        self.view = (-1.0, 1.0, -1.0, 1.0)
        self.descent = DescentRuns()
        self.solution: Solution | None = None
        self.set_data(settings or DataSettings())

    # ------------------------------------------------------------------ data
    def set_data(self, settings: DataSettings) -> None:
        """Draw the sample for ``settings`` (same seed: same noise), and restart the runs at
        the view's upper-left corner. Raises ValueError for settings core cannot draw."""
        X, y = make_data(
            settings.n, settings.noise, settings.corr, settings.w_true,
            np.random.default_rng(self.seed),
        )
        self.settings = settings
        self.X, self.y = X, y
        self.w_ols = ols(X, y)
        self.j0_ols = float(j0(X, y, self.w_ols))
        self.knots = lasso_knots(X, y)
        self.landscape = self._landscape()
        x0, x1, y0, y1 = self.view
        self.descent.reset(np.array([x0 + 0.1 * (x1 - x0), y1 - 0.1 * (y1 - y0)]))
        self._update_penalty()

    def new_sample(self) -> None:
        """Draw a fresh sample with the same settings (the next seed)."""
        self.seed += 1
        self.set_data(self.settings)

    def correlation(self) -> float:
        """The sample's correlation of x₁ and x₂ (NaN for fewer than three rows)."""
        return float(np.corrcoef(self.X.T)[0, 1]) if self.X.shape[0] > 2 else float("nan")

    def target_uncorrelated(self) -> bool:
        """Whether Xᵀy = 0: y is uncorrelated with both features, so every optimum is w = 0."""
        return not np.any(self.X.T @ self.y)

    def _landscape(self) -> Landscape:
        """J0's bands and contours around ŵ and the true w; the view stays put while it
        still fits the data with little to spare, so small data changes do not jolt it."""
        X, y, w_ols = self.X, self.y, self.w_ols
        reach = max(float(np.linalg.norm(w_ols)), float(np.linalg.norm(self.settings.w_true)), 0.3)
        centre = 0.4 * w_ols
        half = 0.62 * reach + 0.35 * float(np.abs(w_ols).max()) + 0.25
        want = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        old = self.view
        slack = 0.45 * half
        if not (sticky(old[:2], want[:2], slack) and sticky(old[2:], want[2:], slack)):
            m = 0.15 * half
            self.view = (want[0] - m, want[1] + m, want[2] - m, want[3] + m)
        view = self.view
        centre = np.array([view[0] + view[1], view[2] + view[3]]) / 2
        big = 2.2 * (view[1] - view[0]) / 2
        extent = (centre[0] - big, centre[0] + big, centre[1] - big, centre[1] + big)
        grid = j0_grid(X, y, np.linspace(*extent[:2], GRID), np.linspace(*extent[2:], GRID))
        corners = np.array([[a, b] for a in view[:2] for b in view[2:]])
        j_far = float(np.max(j0(X, y, corners)))
        f = (np.arange(1, N_LEVELS + 1) / (N_LEVELS + 0.5)) ** 2
        levels = self.j0_ols + (j_far - self.j0_ols) * f
        contours = [j0_contour(X, y, level) for level in levels]
        return Landscape(grid, extent, levels, contours, view)

    # ------------------------------------------------------------------ penalty
    def set_penalty(self, penalty: str) -> None:
        """Switch to "l1", "l2" or "elasticnet"."""
        if penalty not in PENALTIES:
            raise ValueError(f"unknown penalty {penalty!r}; expected one of {PENALTIES}")
        self.penalty = penalty
        self._update_penalty()

    def set_rho(self, rho: float) -> None:
        """The elastic net's l1_ratio ρ in (0, 1): 1 is the Lasso, 0 Ridge."""
        self.rho = float(rho)
        self._update_penalty()

    def l1_ratio(self, penalty: str | None = None) -> float:
        """ρ of ``penalty`` (default: the current one): 1 for L1, 0 for L2, else :attr:`rho`."""
        return PURE_L1_RATIO.get(penalty or self.penalty, self.rho)

    def alpha_range(self, penalty: str | None = None) -> tuple[float, float]:
        """Sensible ends for α: from almost least squares to (nearly) all zero."""
        penalty = penalty or self.penalty
        if penalty == "l2":
            lam = np.linalg.eigvalsh(self.X.T @ self.X)
            top = max(float(lam[-1]), 1e-12)
            return max(float(lam[0]), 1e-6 * top) * 1e-3, top * 1e2
        top = alpha_max(self.X, self.y, self.l1_ratio(penalty))
        if top == 0.0:  # y ⟂ both features: every penalised optimum is 0
            top = 1.0
        return top * 1e-3, top * 1.25

    def t_ols(self) -> float:
        """The size of the smallest region that holds ŵ: beyond it the constraint is idle."""
        return region_size(self.w_ols, self.penalty, self.l1_ratio())

    def t_max(self) -> float:
        """The largest t worth offering: a little beyond :meth:`t_ols`."""
        return 1.15 * self.t_ols()

    def alpha_max(self) -> float:
        """The smallest α at which every weight is 0 (inf for L2)."""
        return alpha_max(self.X, self.y, self.l1_ratio())

    def _update_penalty(self) -> None:
        """What depends on the penalty: the α of each weight's zero and the path of w*."""
        X, y, p, rho = self.X, self.y, self.penalty, self.l1_ratio()
        self._zero_alphas = zero_alphas(X, y, rho)
        if p == "l1":
            self.path = self.knots[1]
        else:
            lo, hi = self.alpha_range()
            path_alphas = np.geomspace(hi * 1e3, lo * 1e-4, N_PATH)
            if p == "l2":
                path = ridge_path(X, y, path_alphas)
            else:
                path = elastic_net_path(X, y, path_alphas[::2], rho)  # smooth enough
            self.path = np.vstack([np.zeros((1, 2)), path, self.w_ols[None, :]])
        finite = [(a, j) for j, a in enumerate(self._zero_alphas) if 0 < a < np.inf]
        if finite:
            alpha, index = min(finite)
            w = self.solve(alpha)
            self.first_zero = FirstZero(alpha, index, region_size(w, p, rho), w)
        else:
            self.first_zero = None

    # ------------------------------------------------------------------ solutions
    def solve(self, alpha: float) -> np.ndarray:
        """The penalised optimum at α (2,): the Lasso from its exact knots, others directly."""
        if self.penalty == "l1":
            return lasso_at(*self.knots, alpha)
        return penalised(self.X, self.y, alpha, self.penalty, self.l1_ratio())

    def set_alpha(self, alpha: float) -> Solution:
        """Solve at penalty strength α; t follows as the size of the region that holds w*."""
        w = self.solve(alpha)
        return self._settle(alpha, region_size(w, self.penalty, self.l1_ratio()), w)

    def set_t(self, t: float) -> Solution:
        """Minimise J0 over the region of size t; α follows as the strength with that w*."""
        sol = constrained(self.X, self.y, t, self.penalty, self.l1_ratio())
        return self._settle(sol.alpha, t, sol.w)

    def _settle(self, alpha: float, t: float, w: np.ndarray) -> Solution:
        X, y, p, rho = self.X, self.y, self.penalty, self.l1_ratio()
        j_w = float(j0(X, y, w))
        self.solution = Solution(
            penalty=p, alpha=alpha, t=t, w=w, j0=j_w,
            region=region_boundary(t, p, rho),
            tangent=j0_contour(X, y, j_w),
            same_l1=constrained(X, y, t, "l1") if p != "l1" else None,
            same_l2=constrained(X, y, t, "l2") if p != "l2" else None,
        )
        return self.solution

    # ------------------------------------------------------------------ paths
    def lasso_path(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The Lasso path over its α range: α (N_PATH,), w (N_PATH, 2), and per weight the α
        from which it is exactly 0 (2,)."""
        alphas = np.geomspace(*self.alpha_range("l1"), N_PATH)
        return alphas, lasso_at(*self.knots, alphas), zero_alphas(self.X, self.y)

    def ridge_path(self) -> tuple[np.ndarray, np.ndarray]:
        """The Ridge path over its α range: α (N_PATH,), w (N_PATH, 2)."""
        alphas = np.geomspace(*self.alpha_range("l2"), N_PATH)
        return alphas, ridge_path(self.X, self.y, alphas)

    # ------------------------------------------------------------------ gradient descent
    def descent_status(self, diverged: bool = False, converged: bool = False) -> DescentStatus:
        """The runs' status at the current η and λ (``diverged`` / ``converged`` as the last
        step found them)."""
        limit = gd_max_lr(self.X, self.lam)
        return DescentStatus(
            steps=self.descent.steps,
            decay_factor=1.0 - self.lr * self.lam / self.X.shape[0],
            max_lr=limit,
            unstable=diverged or self.lr >= limit,
            converged=converged,
            finished=diverged or converged or self.descent.steps >= self.descent.max_steps,
        )

    def descent_step(self, n_steps: int = 1) -> DescentStatus:
        """Advance both runs by ``n_steps`` at the current η and λ."""
        diverged, converged = self.descent.step(self.X, self.y, self.lr, self.lam, n_steps)
        return self.descent_status(diverged, converged)
