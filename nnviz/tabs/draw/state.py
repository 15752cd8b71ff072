"""The Draw tab's state, kept without Qt: the drawing as the model sees it, the model's
answer and why, and the user's personal digits.

:class:`DrawState` turns the canvas drawing (or an opened picture) into the 28×28 input:
the strokes redrawn in proportion to the digit's size (:mod:`core.strokes`), then the
MNIST recipe of :func:`core.preprocess.stages`, each step switchable. It classifies the
input with the model it was given (one forward pass: probabilities and logits), explains
the answer on request (:func:`core.saliency.explain`) and keeps the personal digits,
adding and removing drawings so that the file on disk and the set in memory never
disagree. The tab's views only show what it holds; everything here is testable without a
QApplication.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.functional import softmax
from core.model import Sequential
from core.personal import PersonalDigits, PersonalDigitsError
from core.picture import PictureInk
from core.preprocess import ink_bbox, is_nearly_empty, stages
from core.saliency import Explanation, explain
from core.strokes import Stroke, drawing_image, normalised_width
from nnviz.tabs.draw.captions import Captions, Source, describe

RECENT = 8
"""How many of the latest personal digits the tab shows."""
CLASSES = 10


def min_extent(brush_width: float) -> float:
    """The smallest ink extent (share of the canvas) that counts as a digit: a dot the
    size of the brush is not one."""
    return max(0.08, 1.3 * brush_width)


def forward(model, x28: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One forward pass of a (28, 28) input: probabilities (10,) and logits (10,) float64.

    ``model.activations(x)`` for x (1, 1, 28, 28) must end with the softmax output. When
    the activation before it is that softmax's input, those are the logits; otherwise the
    log-probabilities are returned, which equal the logits up to an additive constant.
    """
    activations = model.activations(x28[None, None].astype(np.float32, copy=False))
    probabilities = np.asarray(activations[-1], dtype=np.float64).reshape(-1)
    if probabilities.shape != (CLASSES,):
        raise ValueError(f"expected {CLASSES} class probabilities, got shape "
                         f"{probabilities.shape}")
    if len(activations) >= 2:
        before = np.asarray(activations[-2], dtype=np.float64).reshape(-1)
        if before.shape == (CLASSES,) and np.allclose(softmax(before), probabilities,
                                                       atol=1e-4):
            return probabilities, before
    return probabilities, np.log(np.clip(probabilities, 1e-12, 1.0))


def home_relative(path: Path) -> str:
    """``path`` with the home folder written as ~ (shorter in labels)."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Switches:
    """Which preprocessing steps are on: crop to the ink, scale to 20 px, centre by mass,
    and redraw the strokes in proportion to the digit's size."""

    crop: bool = True
    scale: bool = True
    center: bool = True
    strokes: bool = True


def frame_rect(result: dict) -> tuple[float, float, float] | None:
    """Where the 28×28 input frame lies on the raw image: (left, top, side) in raw
    pixels, or None for an empty result. Input pixel (r, c) shows raw pixel
    (top + r · side / 28, left + c · side / 28)."""
    if result["empty"]:
        return None
    top, _, left, _ = result["bbox"]
    row, col = result["offset"]
    factor = result["scale"]
    return left - col / factor, top - row / factor, 28.0 / factor


class DrawState:
    """The drawing, its preprocessing, the prediction and the personal digits.

    ``preprocessed`` is the dict of :func:`core.preprocess.stages` for the last drawing;
    ``input`` its (28, 28) float32 model input (None while the canvas is nearly empty);
    ``digit``, ``probabilities`` (10,) and ``logits`` (10,) the model's answer (None when
    there is none, ``message`` then says why).
    """

    def __init__(self, personal: PersonalDigits | None = None) -> None:
        self.model = None
        self.switches = Switches()
        self.preprocessed: dict | None = None
        self.input: np.ndarray | None = None
        self.digit: int | None = None
        self.probabilities: np.ndarray | None = None
        self.logits: np.ndarray | None = None
        self.message = "draw a digit"
        self.label_follows_prediction = True
        self.picture: PictureInk | None = None
        self.source = Source()
        self.explanation: Explanation | None = None
        if personal is None:
            personal, self.personal_error = self.open_personal_digits()
        else:
            self.personal_error = None
        self.personal = personal

    @staticmethod
    def open_personal_digits() -> tuple[PersonalDigits, str | None]:
        """The user's saved digits; a corrupt file is reported (the message) and left
        untouched (an empty set that is never saved over it)."""
        try:
            return PersonalDigits(), None
        except PersonalDigitsError as exc:
            return PersonalDigits(load=False), str(exc)

    # -- drawing and prediction -----------------------------------------------------------
    def set_drawing(self, image: np.ndarray, brush_width: float, strokes: int,
                    switches: Switches | None = None,
                    polylines: list[Stroke] | None = None) -> dict:
        """Preprocess the canvas ``image`` (H, W) in [0, 1]; returns every step (see
        :func:`core.preprocess.stages`). With the ``strokes`` switch on and the canvas's
        ``polylines`` given, the image is first redrawn from them at the normalised
        width (:func:`core.strokes.drawing_image`). Whether there is a digit at all is
        judged on the drawing as it is on the canvas. A fresh canvas (no strokes) lets
        the label follow the prediction again. Classify with :meth:`classify` afterwards.
        """
        if switches is not None:
            self.switches = switches
        s = self.switches
        self.picture = None
        raw = np.asarray(image, dtype=np.float32)
        extent = min_extent(brush_width)
        redrawn = None
        if s.strokes and polylines and not is_nearly_empty(raw, ink_bbox(raw), 0.001, extent):
            redrawn = normalised_width(polylines)
            raw = drawing_image(polylines, resolution=raw.shape[0])
            extent = 0.0
        result = stages(raw, s.crop, s.scale, s.center, min_extent=extent)
        self.source = Source(brush=brush_width, redrawn=redrawn)
        self._keep(result)
        if strokes == 0:
            self.label_follows_prediction = True
        return result

    def set_picture(self, picture: PictureInk, switches: Switches | None = None) -> dict:
        """Preprocess the ink of an opened picture the same way (there are no strokes to
        redraw); returns every step."""
        if switches is not None:
            self.switches = switches
        s = self.switches
        self.picture = picture
        result = stages(picture.ink, s.crop, s.scale, s.center, min_extent=0.03)
        self.source = Source(picture=picture.polarity())
        self._keep(result)
        self.label_follows_prediction = True
        return result

    def _keep(self, result: dict) -> None:
        self.preprocessed = result
        self.input = result["input"]
        self.explanation = None

    def captions(self) -> Captions:
        """What each stage of the last preprocessing did (see
        :func:`nnviz.tabs.draw.captions.describe`)."""
        if self.preprocessed is None:
            return Captions("", "", "", "")
        return describe(self.preprocessed, self.switches, self.source)

    def classify(self) -> bool:
        """Run the model on the input; True when the digit or its probabilities changed.

        A model that fails or answers NaN gives a message instead of a prediction: a
        foreign or broken model must not break the tab.
        """
        digit = probabilities = logits = None
        if self.model is None:
            message = "No model loaded. Train one or open a model file to classify."
        elif self.input is None:
            message = "draw a digit"
        else:
            message = ""
            try:
                probabilities, logits = forward(self.model, self.input)
            except Exception as exc:  # a foreign or broken model must not crash the tab
                message = f"The model could not classify this drawing: {exc}"
            else:
                if not np.all(np.isfinite(probabilities)):
                    message = "The model's output is not a number (did training diverge?)"
                    probabilities = logits = None
                else:
                    digit = int(np.argmax(probabilities))
        changed = digit != self.digit or not _same(probabilities, self.probabilities)
        self.digit, self.probabilities, self.logits = digit, probabilities, logits
        self.message = message
        return changed

    def explain(self) -> Explanation | None:
        """Which input pixels pushed the model toward its answer and which toward its
        second guess (:func:`core.saliency.explain`); None without a prediction or for a
        model the map cannot look into (kept in ``explanation``)."""
        self.explanation = None
        if self.digit is None or self.input is None or not isinstance(self.model, Sequential):
            return None
        try:
            self.explanation = explain(self.model, self.input)
        except Exception:  # a foreign layer without the needed pass must not break drawing
            self.explanation = None
        return self.explanation

    def runner_up(self) -> int | None:
        """The second most probable digit (None without a prediction)."""
        if self.probabilities is None:
            return None
        return int(np.argsort(-self.probabilities, kind="stable")[1])

    # -- personal digits --------------------------------------------------------------------
    def can_add(self) -> bool:
        return self.input is not None and self.personal_error is None

    def add_personal(self, label: int) -> tuple[bool, str]:
        """Add the input with ``label`` and save; (done, what to tell the user). When the
        file cannot be written the set is left as it was."""
        if not self.can_add():
            return False, ""
        try:
            self.personal.add(self.input, label)
        except ValueError as exc:
            return False, f"Not added: {exc}"
        try:
            self.personal.save()
        except OSError as exc:
            self.personal.remove(-1)
            return False, f"Not added: could not save your digits ({exc})."
        return True, f"Added as a {label}. Draw the next one."

    def remove_last_personal(self) -> tuple[bool, str]:
        """Remove the latest drawing and save; (done, what to tell the user). When the
        file cannot be written the drawing is put back."""
        if len(self.personal) == 0 or self.personal_error is not None:
            return False, ""
        image = self.personal.images[-1].copy()
        label = int(self.personal.labels[-1])
        self.personal.remove(-1)
        try:
            self.personal.save()
        except OSError as exc:
            self.personal.add(image, label)
            return False, f"Not removed: could not save your digits ({exc})."
        return True, f"Removed the last drawing (a {label})."

    def personal_summary(self) -> str:
        """One line: how many personal digits there are and where they are kept."""
        if self.personal_error is not None:
            return "Your saved digits could not be read."
        n = len(self.personal)
        return (f"{n} personal digit{'s' if n != 1 else ''} "
                f"(saved in {home_relative(self.personal.folder)})")

    def recent_personal(self, count: int = RECENT) -> list[tuple[int, np.ndarray, int]]:
        """The latest ``count`` personal digits, oldest first: (index, (28, 28) float32 image
        in [0, 1], label)."""
        n = len(self.personal)
        images, labels = self.personal.images, self.personal.labels
        return [(i, images[i].astype(np.float32) / 255.0, int(labels[i]))
                for i in range(max(n - count, 0), n)]


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """True when both are None or both hold equal arrays."""
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b))
