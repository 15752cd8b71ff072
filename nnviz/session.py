"""GUI-side state: the data set, the model and the latest results of training.

The session is the single source of truth the tabs read from (the settings a run uses
are :class:`nnviz.settings.TrainingSettings`, re-exported here). During a run the training
model belongs to the worker thread; views use ``view_model``, a separate copy whose
weights are refreshed from the snapshots the worker publishes. Loading data or a model
validates everything first and changes nothing when the input is bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from core.augmentation import Augmenter
from core.data import (
    ASSETS,
    Dataset,
    as_network_input,
    find_dataset,
    load_dataset,
    load_sample,
    search_dataset,
)
from core.diagnostics import Snapshot
from core.layers import Dropout
from core.model import Sequential, validation_split_index
from core.model_file import ModelFileError, save_model
from core.models import TUTORIAL_OPTIMIZER, tutorial_cnn
from core.optimizers import Optimizer
from core.optimizers import get as get_optimizer
from core.training import Trainer, ValidationReport
from nnviz.networks import (
    architecture_of,
    build_network,
    network_summary,
    network_title,
    with_dropout,
)
from nnviz.settings import TrainingSettings

__all__ = ["INPUT_SHAPE", "PRETRAINED_PATH", "Session", "StandardizedModel", "TrainingSettings",
           "is_tutorial_cnn", "kernel_zero_fractions"]

PRETRAINED_PATH = ASSETS / "tutorial_cnn.npz"
INPUT_SHAPE = (1, 28, 28)


class StandardizedModel:
    """A model seen through the featurewise standardisation it was trained with: its
    ``predict`` and ``activations`` standardise raw [0, 1] inputs first."""

    def __init__(self, model: Sequential, augmenter: Augmenter) -> None:
        self._model = model
        self._augmenter = augmenter

    def predict(self, x: np.ndarray, batch_size: int = 500) -> np.ndarray:
        return self._model.predict(self._augmenter.standardize(x), batch_size)

    def activations(self, x: np.ndarray) -> list[np.ndarray]:
        return self._model.activations(self._augmenter.standardize(x))

    def clone(self) -> StandardizedModel:
        return StandardizedModel(self._model.clone(), self._augmenter)

    def __getattr__(self, name: str):
        return getattr(self._model, name)


@dataclass
class _ModelState:
    """Everything the session keeps about its model: what one level of undo restores."""

    model: Sequential
    view_model: Sequential
    origin: str
    pretrained: bool
    start_step: int
    snapshot: Snapshot | None
    report: ValidationReport | None
    steps_trained: int
    augmenter: Augmenter | None
    validation_digits: tuple[np.ndarray, np.ndarray] | None
    unsaved: bool


class Session(QObject):
    """Data set, models and results shared by the tabs.

    Signals: ``datasetChanged()``, ``modelChanged()`` (a different model: loaded, reset,
    restored, or an undo), ``weightsChanged()`` (the view model got newer weights from
    training), ``reportChanged()`` (an epoch ended with a new validation report).

    A reset or a restore of the pre-trained model can be undone once
    (:meth:`undo_model_change`); ``unsaved`` says whether the weights were trained since
    they were last saved or loaded.
    """

    datasetChanged = pyqtSignal()
    modelChanged = pyqtSignal()
    weightsChanged = pyqtSignal()
    reportChanged = pyqtSignal()

    def __init__(self, dataset: Dataset | None = None, model: Sequential | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset = dataset if dataset is not None else load_sample()
        self.model_origin = ""
        """Where the weights came from, e.g. "pre-trained, 99.24 % on MNIST test",
        "untrained (seed 7)", "loaded from m.npz" (what :meth:`model_description` says
        after the network's name and size before any training)."""
        self._pretrained = False
        if model is None:
            model, self.model_origin, self._pretrained = self._initial_model()
        self.model: Sequential = model
        self.view_model: Sequential = model.clone()
        self.augmenter: Augmenter | None = None
        self.snapshot: Snapshot | None = None
        self.report: ValidationReport | None = None
        self.validation_digits: tuple[np.ndarray, np.ndarray] | None = None
        """The uint8 digits (N, 28, 28) and labels (N,) the latest run validates on (the
        ones ``report`` indexes); None before the first run."""
        self._start_step = _iterations(model)
        self.steps_trained = self._start_step
        """The optimizer's step count of the weights shown (the latest snapshot's)."""
        self.unsaved = False
        """True when the weights were trained since they were last saved or loaded."""
        self._previous: _ModelState | None = None

    @staticmethod
    def _initial_model() -> tuple[Sequential, str, bool]:
        """The pre-trained model, its origin text, and whether it is the pre-trained one."""
        try:
            model = Sequential.load(PRETRAINED_PATH)
        except ModelFileError:
            return tutorial_cnn(seed=0), "untrained (no pre-trained model found)", False
        accuracy = model.metadata.get("test_accuracy")
        note = f", {100 * accuracy:.2f} % on MNIST test" if accuracy else ""
        return model, f"pre-trained{note}", True

    def model_description(self) -> str:
        """What the network is and what its weights are now, never stale: its name and
        size, then e.g. "untrained (seed 7)", "pre-trained, 99.24 % on MNIST test" (only
        while they are the pre-trained ones), after training "trained 300 steps ·
        validation 97.1 %": "LeNet-5, 61,706 weights, trained 300 steps · validation
        97.1 %"."""
        title = f"{network_title(self.model)}, {self.model.count_params():,} weights"
        trained = self.steps_trained - self._start_step
        if trained <= 0:
            return f"{title}, {self.model_origin}" if self.model_origin else title
        if self.model_origin.startswith("untrained"):
            text = f"{title}, trained {trained:,} steps"
        else:
            origin = "pre-trained" if self._pretrained else self.model_origin
            text = f"{title}, {origin}, trained {trained:,} more steps"
        if self.report is not None:
            text += f" · validation {100 * self.report.accuracy:.1f} %"
        return text

    def model_summary(self) -> str:
        """One line that describes the network (a preset's description, else its layers)."""
        return network_summary(architecture_of(self.model))

    def is_pretrained(self) -> bool:
        """Whether the weights are the shipped pre-trained ones, untouched by training."""
        return self._pretrained and self.steps_trained <= self._start_step

    # -- what the views use -----------------------------------------------------------
    def model_for_views(self):
        """The view model, wrapped so it standardises inputs when training did."""
        if self.augmenter is not None and self.augmenter.config.standardizes:
            return StandardizedModel(self.view_model, self.augmenter)
        return self.view_model

    def has_dropout(self) -> bool:
        """Whether the model has Dropout layers (only then can dropout change mid-run)."""
        return any(isinstance(layer, Dropout) for layer in self.model.layers)

    def zero_fractions(self) -> dict[str, float]:
        """Layer name -> share of its kernel entries that are exactly zero, for the weights
        the views show (the latest snapshot's, else the view model's)."""
        if self.snapshot is not None:
            return self.snapshot.zero_fractions()
        return kernel_zero_fractions(self.view_model)

    def validation_images(self, settings: TrainingSettings) -> tuple[np.ndarray, np.ndarray]:
        """The uint8 validation digits (N, 28, 28) and labels that a run would hold out."""
        x, y = self.dataset.x_train, self.dataset.y_train
        split_at = validation_split_index(len(x), settings.validation_split)
        if split_at >= len(x):
            return self.dataset.x_test[:500], self.dataset.y_test[:500]
        return x[split_at:], y[split_at:]

    # -- data -------------------------------------------------------------------------
    def open_dataset(self, source: str | Path | None, dataset: str = "mnist") -> Dataset:
        """Load a data set; on any error raise it and keep the current one."""
        data = load_sample() if source == "sample" else load_dataset(source, dataset)
        self.use_dataset(data)
        return data

    def use_dataset(self, data: Dataset) -> None:
        """Train and validate on ``data`` (already loaded, e.g. a slice of another) from
        the next run on; every view follows."""
        self.dataset = data
        self.datasetChanged.emit()

    @staticmethod
    def available_datasets() -> dict[str, Path | None]:
        """Which data sets can be offered: name -> where (None for the shipped sample)."""
        found: dict[str, Path | None] = {"sample": None}
        for name in ("mnist", "fashion-mnist"):
            place = find_dataset(name)
            if place is not None:
                found[name] = place
        return found

    @staticmethod
    def unreachable_data_places() -> list[str]:
        """One line for each place the data-set search could not look into (no
        permission, a name too long...): the search passed over them."""
        return list(dict.fromkeys(problem for name in ("mnist", "fashion-mnist")
                                  for problem in search_dataset(name)[1]))

    # -- models -----------------------------------------------------------------------
    def load_model(self, path: str | Path) -> None:
        """Replace the model by a file's (it must take 1×28×28 digits and give 10 classes).

        Everything (the model, its compile settings, the views' copy) is built before the
        session changes in one step: a file that fails anywhere raises ModelFileError and
        leaves the model, the view model, the origin and the results as they were.
        """
        name = Path(path).name
        model = Sequential.load(path)
        if model.input_shape != INPUT_SHAPE or model.output_shapes()[-1] != (10,):
            raise ModelFileError(
                f"{name} takes inputs {model.input_shape} and gives "
                f"{model.output_shapes()[-1]} outputs; nnviz needs 1×28×28 digits and 10 classes")
        try:
            if model.optimizer is None:
                model.compile("categorical_crossentropy", TUTORIAL_OPTIMIZER)
            view_model = model.clone()
        except ValueError as error:
            raise ModelFileError(f"{name} cannot be used: {error}") from None
        self._replace_model(model, f"loaded from {name}", view_model)
        self._previous = None  # a load is chosen with a file dialog, not undone

    def model_copy(self) -> Sequential:
        """A copy of the network with the latest weights (the view model's) and a fresh
        optimizer of the run's settings (no state): what is saved and exported."""
        model = self.view_model.clone()
        if self.model.optimizer is not None:
            model.optimizer = get_optimizer(self.model.optimizer.get_config())
        return model

    def save_model(self, path: str | Path) -> None:
        """Write the latest weights (the view model's) to ``path`` atomically."""
        model = self.model_copy()
        metadata = {"origin": self.model_origin, "steps_trained": self.steps_trained,
                    "data": self.dataset.describe()}
        if self.report is not None:
            metadata["validation_accuracy"] = round(self.report.accuracy, 4)
        if self.augmenter is not None and self.augmenter.config.standardizes:
            metadata["warning"] = ("trained on featurewise-standardised inputs; "
                                   "the standardisation is not stored in this file")
        save_model(model, path, metadata=metadata)
        self.unsaved = False

    def replace_model(self, model: Sequential, origin: str) -> None:
        """Use ``model`` from now on (the Draw tab's taught model or the one from before
        teaching, a network rebuilt from a kept run's checkpoint, fresh weights for a run);
        it must take 1×28×28 digits and give 10 classes."""
        if model.input_shape != INPUT_SHAPE or model.output_shapes()[-1] != (10,):
            raise ValueError(f"the model takes {model.input_shape} and gives "
                             f"{model.output_shapes()[-1]}; nnviz needs 1×28×28 and 10 classes")
        self._replace_model(model, origin)

    def use_network(self, model: Sequential, origin: str) -> None:
        """Like :meth:`replace_model`, for a network built in the editor: undoable once
        (:meth:`undo_model_change` brings the previous network and its weights back)."""
        previous, self._previous = self._previous, self._state()
        try:
            self.replace_model(model, origin)
        except ValueError:
            self._previous = previous
            raise

    def reset_model(self, settings: TrainingSettings, seed: int | None = None) -> None:
        """Fresh, untrained weights for the current network (same layers, new random
        values from ``seed``), compiled with the settings' optimizer, penalties and dropout
        (as a run would apply them, see :meth:`_prepare_model`); undo with
        :meth:`undo_model_change`."""
        seed = int(np.random.default_rng().integers(1 << 31)) if seed is None else seed
        config = self.model.get_config()
        if settings.dropout > 0 and not self.has_dropout():
            config = with_dropout(config, settings.dropout)
        model = build_network(config, seed)
        model.compile("categorical_crossentropy", settings.optimizer_config())
        model.set_regularization(settings.l1, settings.l2)
        for layer in model.layers:
            if isinstance(layer, Dropout):
                layer.rate = settings.dropout
        self._previous = self._state()
        self._replace_model(model, f"untrained (seed {seed})")

    def restore_pretrained(self) -> None:
        """Back to the shipped pre-trained model (undo with :meth:`undo_model_change`);
        raises ModelFileError, changing nothing, when it is not there."""
        model = Sequential.load(PRETRAINED_PATH)
        _, origin, _ = self._initial_model()
        self._previous = self._state()
        self._replace_model(model, origin, pretrained=True)

    def remember_for_undo(self) -> None:
        """Let :meth:`undo_model_change` bring back the model, weights and results as they
        are now (call it just before replacing them)."""
        self._previous = self._state()

    def can_undo_model_change(self) -> bool:
        """Whether a reset or restore can be undone (one level)."""
        return self._previous is not None

    def undo_model_change(self) -> bool:
        """Bring back the model the last reset or restore replaced, with its results;
        False when there is nothing to undo."""
        previous, self._previous = self._previous, None
        if previous is None:
            return False
        self._set_state(previous)
        self.modelChanged.emit()
        if self.report is not None:
            self.reportChanged.emit()
        return True

    def _state(self) -> _ModelState:
        return _ModelState(self.model, self.view_model, self.model_origin, self._pretrained,
                           self._start_step, self.snapshot, self.report, self.steps_trained,
                           self.augmenter, self.validation_digits, self.unsaved)

    def _set_state(self, state: _ModelState) -> None:
        self.model, self.view_model = state.model, state.view_model
        self.model_origin, self._pretrained = state.origin, state.pretrained
        self._start_step, self.snapshot = state.start_step, state.snapshot
        self.report = state.report
        self.steps_trained, self.augmenter = state.steps_trained, state.augmenter
        self.validation_digits, self.unsaved = state.validation_digits, state.unsaved

    def _replace_model(self, model: Sequential, origin: str, view_model: Sequential | None = None,
                       pretrained: bool = False) -> None:
        """Swap in ``model`` (and its views' copy, made here unless given) in one step."""
        view_model = model.clone() if view_model is None else view_model
        steps = _iterations(model)
        self._set_state(_ModelState(model, view_model, origin, pretrained, steps, None, None,
                                    steps, None, self.validation_digits, False))
        self.modelChanged.emit()

    def apply_snapshot(self, snapshot: Snapshot) -> None:
        """Copy a snapshot's weights (and non-trained arrays, e.g. BatchNormalization's
        moving statistics) into the view model (UI thread)."""
        self.snapshot = snapshot
        if snapshot.step != self.steps_trained:
            self.unsaved = True
        self.steps_trained = snapshot.step
        targets = {**self.view_model.named_params(), **self.view_model.named_state()}
        for name, w in {**snapshot.weights, **snapshot.state}.items():
            if name in targets and targets[name].shape == w.shape:
                targets[name][...] = w
        self.weightsChanged.emit()

    def record_epoch(self, logs: dict, report: ValidationReport | None) -> None:
        """Keep an epoch's validation report (a slot for the controller's epochFinished);
        emits ``reportChanged`` when there is one (no validation set: none)."""
        if report is not None:
            self.report = report
            self.reportChanged.emit()

    # -- runs -------------------------------------------------------------------------
    def make_trainer(self, settings: TrainingSettings,
                     personal: tuple[np.ndarray, np.ndarray] | None = None,
                     start_paused: bool = False) -> Trainer:
        """A Trainer for the current model and data with ``settings`` applied.

        Everything that can fail is checked before the model or the session changes.
        """
        x = as_network_input(self.dataset.x_train)
        y = self.dataset.y_train.astype(np.int64)
        split_at = validation_split_index(len(x), settings.validation_split)
        validation = (x[split_at:], y[split_at:]) if split_at < len(x) else None
        x, y = x[:split_at], y[:split_at]
        if personal is not None and len(personal[1]):
            x = np.concatenate([x, personal[0].astype(np.float32)])
            y = np.concatenate([y, personal[1].astype(np.int64)])
        if len(x) == 0:
            raise ValueError(f"no training digits left: {len(self.dataset.y_train)} images "
                             f"with a validation split of {settings.validation_split:.0%}")
        if settings.batch_size <= 0 or settings.epochs <= 0:
            raise ValueError("the batch size and the number of epochs must be positive")
        optimizer = get_optimizer(settings.optimizer_config())  # raises on bad settings
        config = settings.augmentation
        augmenter = None
        if config.changes_geometry or config.standardizes:
            augmenter = Augmenter(config, seed=None)
            if config.standardizes:
                augmenter.fit(x)
                if validation is not None:
                    validation = (augmenter.standardize(validation[0]), validation[1])
        standardized_before = self._standardizes()
        self._previous = None  # training these weights makes an undo of their reset stale
        self._prepare_model(settings, optimizer)
        self.augmenter = augmenter
        self.validation_digits = self.validation_images(settings)
        if self._standardizes() != standardized_before:
            self.modelChanged.emit()  # the views must feed the model differently now
        return Trainer(self.model, x, y, batch_size=settings.batch_size, epochs=settings.epochs,
                       validation_split=0.0, validation_data=validation, shuffle=True,
                       augment=augmenter.augment if augmenter is not None else None,
                       start_paused=start_paused)

    def _standardizes(self) -> bool:
        return self.augmenter is not None and self.augmenter.config.standardizes

    def _prepare_model(self, settings: TrainingSettings, optimizer: Optimizer) -> None:
        """Bring the model in line with the settings before a run (keeps its weights): the
        dropout setting is the rate of every Dropout layer, and a network without any gets
        one before each Dense layer when the rate is above 0; the L1/L2 strengths go on
        every kernel (Conv2D and Dense); the optimizer is the settings' one."""
        model = self.model
        if settings.dropout > 0 and not self.has_dropout():
            rebuilt = build_network(with_dropout(model.get_config(), settings.dropout),
                                    model.seed)
            rebuilt.set_weights(model.get_weights())
            for name, a in rebuilt.named_state().items():
                a[...] = model.named_state()[name]
            rebuilt.loss, rebuilt.metrics = model.loss, model.metrics
            rebuilt.optimizer = model.optimizer
            self.model = model = rebuilt
            self.view_model = rebuilt.clone()
            self.modelChanged.emit()
        for layer in model.layers:
            if isinstance(layer, Dropout):
                layer.rate = settings.dropout
        model.set_regularization(settings.l1, settings.l2)
        wanted = optimizer.get_config()
        current = model.optimizer
        if current is None or current.get_config() != wanted:
            if current is not None and type(current) is type(optimizer):
                optimizer.iterations = current.iterations  # the decay schedule goes on
            model.optimizer = optimizer


def _iterations(model: Sequential) -> int:
    """The optimizer's step count (0 without an optimizer)."""
    return int(model.optimizer.iterations) if model.optimizer is not None else 0


_NOT_ARCHITECTURE = ("name", "kernel_regularizer", "kernel_initializer", "bias_initializer")


def _architecture(model: Sequential) -> list[tuple[type, dict]]:
    """The layers' types and shape-deciding configs, in order, dropout left out."""
    return [(type(layer), {k: v for k, v in layer.get_config().items()
                           if k not in _NOT_ARCHITECTURE})
            for layer in model.layers if not isinstance(layer, Dropout)]


def is_tutorial_cnn(model: Sequential) -> bool:
    """Whether ``model`` has the tutorial CNN's layers (with or without dropout), so that
    its weights fit a freshly built :func:`core.models.tutorial_cnn`."""
    return (model.input_shape == INPUT_SHAPE
            and _architecture(model) == _architecture(tutorial_cnn(compile=False)))


def kernel_zero_fractions(model: Sequential) -> dict[str, float]:
    """Layer name -> share of the entries of its kernel ``W`` that are exactly zero (what a
    :class:`core.diagnostics.Snapshot` reports, for a model without one)."""
    return {name.rsplit(".", 1)[0]: float(np.mean(w == 0))
            for name, w in model.named_params().items() if name.endswith(".W")}
