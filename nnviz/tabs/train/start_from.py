"""Which weights a run starts from: fresh ones drawn with a seed, the current ones, or a
checkpoint of a kept run. Qt-free.

The choice is explicit (the Train tab shows it beside Start, and every run records it).
While the model is the shipped pre-trained one the default is fresh weights: a newcomer's
first run then starts from random weights and its curves show learning from the start,
instead of the flat curves of an already trained network; continuing the pre-trained
model is the other entry of the same list. Any other model (loaded, reset, trained here)
defaults to its current weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model import Sequential
from core.models import TUTORIAL_OPTIMIZER
from core.optimizers import get as get_optimizer
from core.runs import CheckpointWeights, CurrentWeights, StartWeights
from nnviz.tabs.train.runs_state import network_name

__all__ = ["CHECKPOINT", "CHOICES", "CURRENT", "FRESH", "Lineage", "compiled", "default_choice",
           "fresh_model", "fresh_origin"]

FRESH, CURRENT, CHECKPOINT = "fresh", "current", "checkpoint"
CHOICES = (FRESH, CURRENT, CHECKPOINT)


def default_choice(pretrained: bool) -> str:
    """Fresh weights while the model is the shipped pre-trained one, else the current ones."""
    return FRESH if pretrained else CURRENT


def fresh_model(model: Sequential, seed: int) -> Sequential:
    """A network with ``model``'s layers and input, new weights drawn with ``seed`` (the
    same seed gives the same weights, as :func:`core.models.tutorial_cnn` does), compiled
    like ``model`` with a new optimizer of its settings (no state)."""
    config = model.get_config()
    unbuilt = Sequential.from_config({**config, "input_shape": None})
    fresh = Sequential(unbuilt.layers, input_shape=model.input_shape, seed=seed,
                       name=unbuilt.name)
    if model.loss is not None:
        fresh.loss, fresh.metrics = model.loss, list(model.metrics)
    if model.optimizer is not None:
        fresh.optimizer = get_optimizer(model.optimizer.get_config())
    return fresh


def fresh_origin(model: Sequential, seed: int) -> str:
    """What fresh weights are called: "untrained tutorial CNN (seed 0)"."""
    return f"untrained {network_name(model.get_config())} (seed {seed})"


def compiled(model: Sequential) -> Sequential:
    """``model`` compiled as the tutorial does when it is not yet (a network rebuilt from
    a run's checkpoint has no loss and no optimizer)."""
    if model.loss is None or model.optimizer is None:
        model.compile("categorical_crossentropy", TUTORIAL_OPTIMIZER)
    return model


@dataclass
class Lineage:
    """The end of the last run recorded here: run ``run_id`` left ``model`` with the
    weights of its checkpoint at ``step``. A run started from the current weights while
    the session still has that model continues that run, and records it as its parent."""

    run_id: str
    step: int
    model: Sequential

    def start(self, model: Sequential, description: str) -> StartWeights:
        """What a run of ``model`` from its current weights starts from."""
        if model is self.model:
            return CheckpointWeights(self.run_id, self.step)
        return CurrentWeights(description)

