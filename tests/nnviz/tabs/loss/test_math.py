"""The Loss tab's numbers against core.losses and against the formulas written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from core.functional import softmax
from core.losses import BinaryCrossentropy, binary_crossentropy, categorical_crossentropy
from nnviz.tabs.loss.math import (
    binary_curves,
    binary_probe,
    probability_grid,
    softmax_readout,
    unclipped_bce,
    validate_scores,
)


def test_binary_curves_match_core_losses_and_the_formula() -> None:
    curves = binary_curves(binary_crossentropy.epsilon)
    p = curves.p
    np.testing.assert_allclose(curves.bce_y1, binary_crossentropy.elementwise(np.ones_like(p), p))
    np.testing.assert_allclose(curves.bce_y0, binary_crossentropy.elementwise(np.zeros_like(p), p))
    q = np.clip(p, 1e-7, 1 - 1e-7)
    np.testing.assert_allclose(curves.bce_y1, -np.log(q))
    np.testing.assert_allclose(curves.bce_y0, -np.log(1 - q))
    np.testing.assert_allclose(curves.squared_y1, (1 - p) ** 2)
    np.testing.assert_allclose(curves.squared_y0, p**2)
    assert curves.cap == pytest.approx(-np.log(1e-7))
    # The clip caps the loss exactly at -log(eps), reached at both ends of [0, 1].
    assert curves.bce_y1[0] == pytest.approx(curves.cap) == curves.bce_y0[-1]
    assert np.max(curves.bce_y1) == pytest.approx(curves.cap)


@pytest.mark.parametrize("eps", [1e-15, 1e-3, 0.2])
def test_probability_grid_spans_0_to_1_and_holds_the_clip_points(eps: float) -> None:
    p = probability_grid(eps)
    assert p[0] == 0.0 and p[-1] == 1.0 and np.all(np.diff(p) > 0)
    assert eps in p and (1.0 - eps) in p
    assert np.min(p[p > 0]) <= eps  # the steep end is sampled below the clip


def test_bigger_eps_flattens_the_curve_inside_the_clip_zone() -> None:
    curves = binary_curves(0.1)
    inside = curves.p <= 0.1
    np.testing.assert_allclose(curves.bce_y1[inside], -np.log(0.1))
    assert np.all(curves.unclipped_y1[inside & (curves.p < 0.1)] > -np.log(0.1))
    np.testing.assert_allclose(
        curves.bce_y1, BinaryCrossentropy(epsilon=0.1).elementwise(np.ones_like(curves.p), curves.p)
    )


def test_unclipped_loss_shows_what_log0_does() -> None:
    assert unclipped_bce(1.0, 0.0) == np.inf
    assert np.isnan(unclipped_bce(0.0, 0.0))  # 0 * log(0) = 0 * -inf = NaN
    assert unclipped_bce(0.0, 0.0, limit_zero_times_log=True) == 0.0
    assert unclipped_bce(0.0, 1.0) == np.inf
    assert unclipped_bce(1.0, 0.25) == pytest.approx(-np.log(0.25))


@pytest.mark.parametrize("eps", [0.0, 0.5, -1e-7])
def test_binary_curves_refuse_a_meaningless_eps(eps: float) -> None:
    with pytest.raises(ValueError, match="eps"):
        binary_curves(eps)


@pytest.mark.parametrize("temperature", [0.1, 1.0, 3.7])
@pytest.mark.parametrize("true_class", [0, 4, 9])
def test_softmax_readout_matches_core_losses(temperature: float, true_class: int) -> None:
    z = np.random.default_rng(true_class).normal(0, 3, 10)
    r = softmax_readout(z, true_class, temperature)
    y = np.eye(10)[true_class]
    by_hand = np.exp(z / temperature - np.max(z / temperature))
    by_hand /= by_hand.sum()
    np.testing.assert_allclose(r.probabilities, by_hand)
    assert r.probabilities.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(r.neg_log_p, -np.log(by_hand), rtol=1e-10)
    assert r.loss == pytest.approx(-np.log(by_hand[true_class]))
    scaled = z[None] / temperature
    assert r.loss == pytest.approx(categorical_crossentropy.from_logits(y[None], scaled))
    # The probability route clips p at eps; the score route (log-softmax) needs no clip.
    clipped = categorical_crossentropy(y[None], softmax(scaled))
    if r.probabilities[true_class] > categorical_crossentropy.epsilon:
        assert r.loss == pytest.approx(clipped)
    else:
        cap = -np.log(categorical_crossentropy.epsilon)
        assert clipped == pytest.approx(cap) and r.loss > cap
    np.testing.assert_allclose(r.gradient, by_hand - y)
    np.testing.assert_allclose(
        r.gradient, categorical_crossentropy.gradient_from_logits(y[None], scaled)[0]
    )
    assert r.gradient.sum() == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(r.one_hot, y)


def test_softmax_gradient_wrt_scores_includes_the_temperature() -> None:
    z, t, k = np.linspace(-2, 3, 10), 2.5, 6
    r = softmax_readout(z, k, t)
    h = 1e-6
    numeric = np.empty(10)
    for j in range(10):
        up, down = z.copy(), z.copy()
        up[j] += h
        down[j] -= h
        numeric[j] = (softmax_readout(up, k, t).loss - softmax_readout(down, k, t).loss) / (2 * h)
    np.testing.assert_allclose(r.gradient_logits, numeric, atol=1e-8)


def test_softmax_readout_is_stable_for_huge_scores() -> None:
    z = np.zeros(10)
    z[2] = 1000.0
    r = softmax_readout(z, 5, 0.1)
    assert np.all(np.isfinite(r.neg_log_p)) and r.loss == pytest.approx(10000.0)
    assert r.probabilities[2] == 1.0


@pytest.mark.parametrize(
    "bad, message",
    [(np.zeros(9), "10 scores"), (np.zeros((2, 10)), "10 scores"), ([np.nan] * 10, "NaN")],
)
def test_validate_scores_refuses_bad_input(bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_scores(bad)


def test_validate_scores_accepts_a_batch_of_one() -> None:
    np.testing.assert_array_equal(validate_scores(np.arange(10.0)[None]), np.arange(10.0))


def test_softmax_readout_refuses_bad_class_or_temperature() -> None:
    with pytest.raises(ValueError, match="true class"):
        softmax_readout(np.zeros(10), 10)
    with pytest.raises(ValueError, match="temperature"):
        softmax_readout(np.zeros(10), 0, 0.0)


def test_unclipped_curves_draw_inf_as_a_gap() -> None:
    curves = binary_curves(0.1)
    y1, y0 = curves.drawable_unclipped()
    assert np.isnan(y1[curves.p == 0.0]).all() and np.isnan(y0[curves.p == 1.0]).all()
    finite = np.isfinite(curves.unclipped_y1)
    np.testing.assert_array_equal(y1[finite], curves.unclipped_y1[finite])


def test_binary_probe_clips_and_shows_log0() -> None:
    probe = binary_probe(1e-7, 0.0)
    assert probe.clipped == 1e-7
    assert probe.bce_y1 == pytest.approx(-np.log(1e-7)) and probe.bce_y0 == pytest.approx(1e-7)
    assert probe.raw_y1 == np.inf and np.isnan(probe.raw_y0) and not probe.raw_finite
    assert (probe.squared_y1, probe.squared_y0) == (1.0, 0.0)
    probe = binary_probe(0.1, 0.25)
    assert probe.clipped == 0.25 and probe.raw_finite
    assert probe.bce_y1 == pytest.approx(-np.log(0.25)) == probe.raw_y1
    assert probe.squared_y1 == pytest.approx(0.5625) and probe.squared_y0 == pytest.approx(0.0625)
    assert binary_probe(0.1, 0.95).clipped == pytest.approx(0.9)


def test_softmax_readout_exposes_its_shift_and_denominator() -> None:
    z = np.array([1.0, 3.0, -2.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0])
    r = softmax_readout(z, 1, temperature=2.0)
    assert r.shift == pytest.approx(1.5)
    assert r.probabilities[1] == pytest.approx(np.exp(1.5 - r.shift) / r.denominator)
    assert r.top_other == 9
    np.testing.assert_array_equal(r.one_hot, np.eye(10)[1])
