"""core.saliency: the "Why?" maps agree with what really happens to the margin."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import ASSETS, load_sample
from core.model import Sequential
from core.models import tutorial_cnn
from core.saliency import (
    explain,
    explain_many,
    gradient_times_input,
    logits,
    margin_gradient,
    occlusion,
    overlay_rgba,
)


@pytest.fixture(scope="module")
def model():
    return Sequential.load(ASSETS / "tutorial_cnn.npz")


@pytest.fixture(scope="module")
def digits():
    data = load_sample()
    return data.x_test[:6].astype(np.float32) / 255.0


def margin(model, x, top, second):
    scores = logits(model, x[None, None])[0]
    return scores[top] - scores[second]


def test_logits_are_the_scores_under_the_softmax(model, digits):
    scores = logits(model, digits[:, None])
    probabilities = model.predict(digits[:, None])
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(shifted / shifted.sum(axis=1, keepdims=True), probabilities,
                               atol=1e-5)


@pytest.fixture(scope="module")
def model64(model):
    """The shipped model in float64, for gradient checks."""
    config = model.get_config()
    for layer in config["layers"]:
        layer["config"]["dtype"] = "float64"
    twin = Sequential.from_config(config)
    twin.set_weights(model.get_weights())
    return twin


@pytest.mark.parametrize("index", range(3))
def test_the_margin_gradient_matches_finite_differences(model64, digits, index):
    # a digit's flat background gives ties inside max-pooling windows, where the
    # gradient is only one of the subgradients; a faint noise breaks them
    noise = np.random.default_rng(index).uniform(0.0, 1e-3, (28, 28))
    x = digits[index].astype(np.float64) + noise
    top, second = np.argsort(-logits(model64, x[None, None])[0])[:2]
    m, grad = margin_gradient(model64, x, int(top), int(second))
    assert m == pytest.approx(margin(model64, x, top, second), rel=1e-9)
    strongest = np.argsort(-np.abs(grad).reshape(-1))[:6]
    some = np.random.default_rng(index).choice(784, 6, replace=False)
    for pixel in np.concatenate([strongest, some]):
        step = np.zeros(784)
        step[pixel] = 1e-6
        step = step.reshape(28, 28)
        numeric = (margin(model64, x + step, top, second)
                   - margin(model64, x - step, top, second)) / 2e-6
        assert np.sign(numeric) == np.sign(grad.reshape(-1)[pixel])
        assert numeric == pytest.approx(grad.reshape(-1)[pixel], rel=1e-4, abs=1e-6)
    explained = gradient_times_input(model64, x, int(top), int(second))
    np.testing.assert_allclose(explained.values, (x * grad).astype(np.float32), rtol=1e-5)


@pytest.mark.parametrize("index", range(3))
def test_occlusion_signs_are_what_wiping_the_ink_does(model, digits, index):
    x = digits[index]
    e = explain(model, x)
    assert e.method == "occlusion" and e.values.shape == (28, 28)
    assert np.all(e.values[x == 0] == 0)  # only ink is explained
    assert e.margin == pytest.approx(margin(model, x, e.top, e.second), rel=1e-5)
    # wiping the ink the map marks for the answer lowers the margin (a finite difference),
    # wiping the ink it marks for the runner-up raises it
    for chosen, direction in ((e.values > 0.3 * e.scale(), -1), (e.values < -0.3 * e.scale(), 1)):
        if chosen.any():
            wiped = np.where(chosen, 0.0, x)
            change = margin(model, wiped, e.top, e.second) - e.margin
            assert np.sign(change) == direction


def test_the_model_is_left_exactly_as_it_was(digits):
    model = tutorial_cnn(seed=3)
    model.train_on_batch(digits[:, None], np.arange(6))
    grads = {k: g.copy() for k, g in model.named_grads().items()}
    weights = model.get_weights()
    occlusion(model, digits[0])
    gradient_times_input(model, digits[1])
    for (name, g), w, w0 in zip(model.named_grads().items(), model.get_weights(), weights,
                                strict=True):
        np.testing.assert_array_equal(g, grads[name])
        np.testing.assert_array_equal(w, w0)
    assert model.layers[0].skip_input_grad  # training still skips the input gradient


def test_explain_many_is_explain_for_each(model, digits):
    many = explain_many(model, digits[:3])
    for e, x in zip(many, digits[:3], strict=True):
        one = explain(model, x)
        assert (e.top, e.second) == (one.top, one.second)
        np.testing.assert_allclose(e.values, one.values, rtol=1e-4, atol=1e-5)
    assert explain_many(model, np.zeros((0, 28, 28))) == []


def test_overlay_colours_say_the_side_and_opacity_the_strength(model, digits):
    e = explain(model, digits[0])
    rgba = overlay_rgba(e, (0, 255, 0), (0, 0, 255))
    assert rgba.shape == (28, 28, 4) and rgba.dtype == np.uint8
    strongest = np.unravel_index(np.argmax(np.abs(e.values)), e.values.shape)
    assert rgba[strongest][3] == round(0.85 * 255)
    side = (0, 255, 0) if e.values[strongest] > 0 else (0, 0, 255)
    assert tuple(rgba[strongest][:3]) == side
    assert np.all(rgba[..., 3][e.values == 0] == 0)
