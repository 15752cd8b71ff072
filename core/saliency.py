"""Why did it say 7? Which pixels of the input pushed the network toward its answer, and
which toward its second guess.

Both maps explain the *margin* m(x) = z_top(x) − z_second(x), the difference of the two
class scores before softmax (the logits): m > 0 is why the network prefers its answer,
and a pixel that raises m speaks for the answer, one that lowers it for the runner-up.

* :func:`gradient_times_input` — S = x ⊙ ∂m/∂x: the first-order share of m carried by
  each pixel's ink (one forward and one backward pass; the input gradient is taken
  through worker replicas of the layers, so the model, its caches and its gradients are
  never touched and training never pays for it).
* :func:`occlusion` — S[i, j] = mean over the patches covering (i, j) of
  m(x) − m(x with the patch wiped to background), times the pixel's ink share: what
  actually happens to the margin when that ink is taken away (one batched forward pass
  of every patch that touches ink).

:func:`explain` uses occlusion (3×3 patches every 2 pixels). Measured with the shipped
model on 414 real pen digits whose two best classes were 1/7, 4/9 or 3/5
(``benchmarks/saliency.py``): wiping the 20 pixels a map ranks most in favour of the
answer lowers the margin by a median 101 % with occlusion against 79 % with
gradient × input, and wiping the 20 it ranks most in favour of the runner-up raises the
margin by 38 % against 12 % (random ink: −10 %). Gradient × input is a local, first-order
answer: the tanh units saturate on thick strokes, and on a digit's blank background
max-pooling windows hold ties, where the gradient is only one of many subgradients — so
it misjudges what removing a stroke does (the crossbar of a 7, the closed top of a 9,
the flat top of a 5), while occlusion measures exactly that, which is the question a
user asks. It costs about a hundred 28×28 forward passes in one batch, about 4 ms a map
(gradient × input: about 1 ms) — fast enough to follow the pen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.layers import Activation
from core.parallel import replicate, single_threaded_blas

PATCH = 3
"""Side of the occluding square patch (pixels of the 28×28 input)."""
STRIDE = 2
"""Distance between the tried patches (pixels)."""


@dataclass(frozen=True)
class Explanation:
    """A saliency map and what it explains.

    ``values`` (28, 28) float32: > 0 pushed toward ``top``, < 0 toward ``second``;
    ``margin`` = z_top − z_second of the unchanged input; ``method`` its name.
    """

    values: np.ndarray
    top: int
    second: int
    margin: float
    method: str

    def scale(self) -> float:
        """The largest |value| (at least a tiny positive number), for symmetric colours."""
        return max(float(np.max(np.abs(self.values))), 1e-12)


def _logit_layers(model) -> list:
    """The layers up to the class scores: all but a final softmax."""
    layers = list(model.layers)
    if layers and isinstance(layers[-1], Activation) and layers[-1].activation == "softmax":
        layers = layers[:-1]
    return layers


def _input_dtype(model):
    return model.layers[0].dtype


def _replicas(model, input_gradient: bool = False) -> list:
    """Worker replicas of the layers up to the scores (shared weights, own caches)."""
    rng = np.random.default_rng(0)
    layers = [replicate(layer, rng) for layer in _logit_layers(model)]
    for layer in layers:
        layer.skip_input_grad = not input_gradient
    return layers


def logits(model, x: np.ndarray) -> np.ndarray:
    """Class scores before softmax for a batch x (N, 1, 28, 28): (N, classes) float64."""
    h = np.asarray(x, dtype=_input_dtype(model))
    with single_threaded_blas():  # small products: BLAS threads only get in each other's way
        for layer in _replicas(model):
            h = layer.forward(h, training=False)
    return np.asarray(h, dtype=np.float64).reshape(len(x), -1)


def top_two(scores: np.ndarray) -> tuple[int, int]:
    """(best, second best) class of a (classes,) score vector."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    return int(order[0]), int(order[1])


def margin_gradient(model, x28: np.ndarray, top: int, second: int) -> tuple[float, np.ndarray]:
    """m = z_top − z_second at x28 (28, 28) and ∂m/∂x (28, 28) float64.

    Runs on replicas of the layers (shared weights, own caches and gradients, the first
    layer computing its input gradient), so ``model`` is left exactly as it was.
    """
    layers = _replicas(model, input_gradient=True)
    h = np.asarray(x28, dtype=_input_dtype(model))[None, None]
    with single_threaded_blas():
        for layer in layers:
            h = layer.forward(h, training=False)
        scores = np.asarray(h, dtype=np.float64).reshape(-1)
        grad = np.zeros_like(h)
        grad.reshape(-1)[top] += 1.0
        grad.reshape(-1)[second] -= 1.0
        for layer in reversed(layers):
            grad = layer.backward(grad)
    return float(scores[top] - scores[second]), np.asarray(grad, np.float64).reshape(28, 28)


def gradient_times_input(model, x28: np.ndarray, top: int | None = None,
                         second: int | None = None) -> Explanation:
    """S = x ⊙ ∂(z_top − z_second)/∂x for x28 (28, 28) in [0, 1]; top / second default
    to the model's two best classes."""
    x28 = np.asarray(x28, dtype=np.float64)
    if top is None or second is None:
        top, second = top_two(logits(model, x28[None, None])[0])
    margin, grad = margin_gradient(model, x28, top, second)
    return Explanation((x28 * grad).astype(np.float32), top, second, margin,
                       "gradient × input")


def _wiped(x28: np.ndarray, patch: int, stride: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The occlusion batch of one (28, 28) image: the image itself, then one copy per
    inked patch×patch square (every ``stride`` pixels) wiped to 0: (K + 1, 28, 28), and
    the wiped rows (K, patch, 1) and columns (K, 1, patch)."""
    h, w = x28.shape
    n = h - patch + 1
    # which squares (top-left corners) hold any ink: a box sum over the ink mask
    ink = (x28 > 0).astype(np.int32)
    summed = np.pad(ink, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    box = (summed[patch:, patch:] - summed[:-patch, patch:] - summed[patch:, :-patch]
           + summed[:-patch, :-patch])[:n, :n]
    on_grid = np.zeros_like(box, dtype=bool)
    on_grid[::stride, ::stride] = True
    on_grid[-1, ::stride] = on_grid[::stride, -1] = True  # the last row and column too
    on_grid[-1, -1] = True
    corners = np.argwhere((box > 0) & on_grid)
    batch = np.repeat(x28[None], len(corners) + 1, axis=0)
    rows = corners[:, 0, None, None] + np.arange(patch)[None, :, None]
    cols = corners[:, 1, None, None] + np.arange(patch)[None, None, :]
    k = np.arange(1, len(corners) + 1)[:, None, None]
    batch[k, rows, cols] = 0.0
    return batch, rows, cols


def _occlusion_map(x28: np.ndarray, scores: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                   top: int | None, second: int | None) -> Explanation:
    """The map from the scores (K + 1, classes) of :func:`_wiped`'s batch."""
    if top is None or second is None:
        top, second = top_two(scores[0])
    margins = scores[:, top] - scores[:, second]
    drop = (margins[0] - margins[1:]).astype(np.float64)
    total = np.zeros(x28.shape)
    count = np.zeros(x28.shape)
    np.add.at(total, (rows, cols), np.broadcast_to(drop[:, None, None],
                                                     np.broadcast_shapes(rows.shape, cols.shape)))
    np.add.at(count, (rows, cols), 1.0)
    values = np.where(count > 0, total / np.maximum(count, 1.0), 0.0) * x28
    return Explanation(values.astype(np.float32), top, second, float(margins[0]), "occlusion")


def occlusion(model, x28: np.ndarray, top: int | None = None, second: int | None = None,
              patch: int = PATCH, stride: int = STRIDE) -> Explanation:
    """S[i, j] = x[i, j] · mean over the patch×patch squares covering (i, j) of
    m(x) − m(x with the square wiped), m = z_top − z_second; squares every ``stride``
    pixels, and only those that hold ink are tried (a wiped blank square changes
    nothing)."""
    x28 = np.asarray(x28, dtype=np.float32)
    batch, rows, cols = _wiped(x28, patch, stride)
    return _occlusion_map(x28, logits(model, batch[:, None]), rows, cols, top, second)


def explain(model, x28: np.ndarray) -> Explanation:
    """The Draw and Inside tabs' map for x28 (28, 28): :func:`occlusion` of the margin
    between the model's two best classes (see the module docstring for why)."""
    return occlusion(model, x28)


def explain_many(model, images: np.ndarray) -> list[Explanation]:
    """:func:`explain` for every image of (N, 28, 28) float in [0, 1], all occlusion
    batches run as one."""
    images = np.asarray(images, dtype=np.float32)
    parts = [_wiped(x28, PATCH, STRIDE) for x28 in images]
    if not parts:
        return []
    scores = logits(model, np.concatenate([batch for batch, _, _ in parts])[:, None])
    out, start = [], 0
    for x28, (batch, rows, cols) in zip(images, parts, strict=True):
        out.append(_occlusion_map(x28, scores[start:start + len(batch)], rows, cols,
                                  None, None))
        start += len(batch)
    return out


def overlay_rgba(explanation: Explanation, answer: tuple[int, int, int],
                 second: tuple[int, int, int], max_alpha: float = 0.85) -> np.ndarray:
    """The map as a translucent (28, 28, 4) uint8 RGBA image for display: colour
    ``answer`` (r, g, b) where a pixel pushed toward the answer, ``second`` where toward
    the runner-up; opacity √(|value| / largest |value|) · ``max_alpha`` (the square root
    keeps weaker pushes visible), transparent where neither."""
    values = explanation.values.astype(np.float64)
    strength = np.sqrt(np.abs(values) / explanation.scale())
    rgb = np.where((values >= 0)[..., None], np.asarray(answer, np.float64),
                   np.asarray(second, np.float64))
    alpha = np.clip(strength * max_alpha, 0.0, 1.0) * 255.0
    return np.concatenate([rgb, alpha[..., None]], axis=-1).round().astype(np.uint8)
