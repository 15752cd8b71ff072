"""Sequential: a stack of layers with Keras' API (add, compile, fit, evaluate, predict...)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from core import losses, model_file, optimizers, parallel
from core.callbacks import Callback, CallbackList, History, ProgbarLogger
from core.checks import real, whole
from core.data import to_categorical
from core.layers import Activation, Conv2D, Dense, Layer, layer_from_config
from core.regularizers import Regularizer

KERNEL_LAYERS = (Conv2D, Dense)  # the layers with a kernel W (and an ``activation=`` option)


def validation_split_index(n: int, validation_split: float) -> int:
    """Where Keras' ``validation_split`` cuts n samples: the last fraction (taken before any
    shuffling) is held out, so samples [index:] validate and [:index] train."""
    if not 0.0 <= validation_split < 1.0:
        raise ValueError("validation_split must be in [0, 1)")
    return int(n * (1.0 - validation_split))


class Sequential:
    """A linear stack of layers, trained by back-propagation.

    Layers get Keras-style names (``conv2d_1``, ``dense_2``...) when added; weights are
    created as soon as the input shape is known (``input_shape=`` on the model or the
    first call). ``stop_training`` may be set by a callback to end ``fit`` early.
    """

    def __init__(self, layers: Sequence[Layer] = (), input_shape: Sequence[int] | None = None,
                 seed: int | None = 0, name: str = "sequential",
                 workers: int | None = None) -> None:
        self.name = name
        self.workers = parallel.DEFAULT_WORKERS if workers is None else max(1, int(workers))
        self.layers: list[Layer] = []
        self.input_shape = tuple(input_shape) if input_shape is not None else None
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self._parallel = parallel.DataParallel(self.rng)
        self.loss: losses.Loss | None = None
        self.optimizer: optimizers.Optimizer | None = None
        self.metrics: list[str] = []
        self.stop_training = False  # a callback sets it to end fit() early
        self.discard_batch = False  # a callback sets it in on_batch_end to undo a batch
        self.chunk_size = parallel.CHUNK  # larger batches are computed in chunks this big
        self.metadata: dict = {}  # free-form notes saved with the model (e.g. test accuracy)
        self._names: set[str] = set()  # the layers' names, and the next free default
        self._next_index: dict[str, int] = {}  # index per kind, so naming stays linear
        for layer in layers:
            self.add(layer)

    # -- building ------------------------------------------------------------------
    def add(self, layer: Layer) -> None:
        """Append a layer (and its ``activation=`` as a separate Activation layer)."""
        if not isinstance(layer, Layer):
            raise TypeError(f"expected a Layer, got {type(layer).__name__}")
        activation = layer.activation if isinstance(layer, KERNEL_LAYERS) else None
        if activation is not None:
            layer.activation = None
        self._name_layer(layer)
        self.layers.append(layer)
        if self.input_shape is not None:
            try:
                self._build_from(len(self.layers) - 1)
            except ValueError:  # a layer that does not fit is not kept
                self.layers.pop()
                raise
        if activation is not None:
            self.add(Activation(activation, dtype=layer.dtype.name))

    def _name_layer(self, layer: Layer) -> None:
        """Give ``layer`` the first free default name ``<kind>_<n>`` (or check its own)."""
        if len(self._names) != len(self.layers):  # the list was changed from outside
            self._names = {existing.name for existing in self.layers}
            self._next_index = {}
        taken = self._names
        if layer.name is None:
            index = self._next_index.get(layer.kind, 1)
            while f"{layer.kind}_{index}" in taken:
                index += 1
            layer.name = f"{layer.kind}_{index}"
            self._next_index[layer.kind] = index + 1
        elif layer.name in taken:
            raise ValueError(f"a layer named {layer.name!r} is already in the model")
        taken.add(layer.name)

    def build(self, input_shape: Sequence[int]) -> None:
        """Create every layer's weights for per-sample ``input_shape`` (e.g. (1, 28, 28))."""
        self.input_shape = tuple(int(s) for s in input_shape)
        self._build_from(0)

    def _build_from(self, start: int) -> None:
        shape = self.input_shape
        for index, layer in enumerate(self.layers):
            if index >= start and not layer.built:
                layer.build(shape, self.rng)
            shape = layer.output_shape(shape)
        for index, layer in enumerate(self.layers):
            layer.skip_input_grad = index == 0

    @property
    def built(self) -> bool:
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def output_shapes(self, input_shape: Sequence[int] | None = None) -> list[tuple[int, ...]]:
        """Per-sample output shape of every layer for ``input_shape`` (default: the model's),
        computed without running or allocating anything."""
        shape = self._shape_or_own(input_shape)
        shapes = []
        for layer in self.layers:
            shape = layer.output_shape(shape)
            shapes.append(shape)
        return shapes

    def weight_shapes(self, input_shape: Sequence[int] | None = None) -> dict[str, tuple]:
        """The shape of every weight, keyed like :meth:`named_params`, for ``input_shape``
        (default: the model's): what :meth:`build` would create, known before it
        allocates anything (so a model file's size can be checked first)."""
        return self._array_shapes(input_shape, lambda layer, shape: layer.param_shapes(shape))

    def state_shapes(self, input_shape: Sequence[int] | None = None) -> dict[str, tuple]:
        """The shape of every non-trained array, keyed like :meth:`named_state`, for
        ``input_shape`` (default: the model's), before anything is allocated."""
        return self._array_shapes(input_shape, lambda layer, shape: layer.state_shapes(shape))

    def _array_shapes(self, input_shape: Sequence[int] | None, of_layer) -> dict[str, tuple]:
        shape = self._shape_or_own(input_shape)
        shapes = {}
        for layer in self.layers:
            for key, array_shape in of_layer(layer, shape).items():
                shapes[f"{layer.name}.{key}"] = array_shape
            shape = layer.output_shape(shape)
        return shapes

    def _shape_or_own(self, input_shape: Sequence[int] | None) -> tuple[int, ...]:
        if input_shape is not None:
            return tuple(input_shape)
        if self.input_shape is None:
            raise ValueError("the model has no input shape yet")
        return self.input_shape

    def compile(self, loss: str | losses.Loss = "categorical_crossentropy",
                optimizer: str | dict | optimizers.Optimizer = "sgd",
                metrics: Sequence[str] = ("accuracy",)) -> None:
        """Choose the loss, the optimizer and the metrics (only "accuracy" is known)."""
        unknown = set(metrics) - {"accuracy", "acc"}
        if unknown:
            raise ValueError(f"unknown metrics {sorted(unknown)}; only 'accuracy' is supported")
        self.loss = losses.get(loss)
        self.optimizer = optimizers.get(optimizer)
        self.metrics = ["accuracy"] if metrics else []

    # -- parameters ----------------------------------------------------------------
    def named_params(self) -> dict[str, np.ndarray]:
        """Every weight array under a stable name ``"<layer>.<key>"`` (the arrays, not copies)."""
        return {f"{layer.name}.{key}": p
                for layer in self.layers for key, p in layer.params.items()}

    def named_state(self) -> dict[str, np.ndarray]:
        """Every non-trained array (BatchNormalization's moving statistics) under
        ``"<layer>.<key>"``: saved with the weights, never given to the optimizer."""
        return {f"{layer.name}.{key}": a
                for layer in self.layers for key, a in layer.state.items()}

    def named_grads(self) -> dict[str, np.ndarray]:
        """The gradients of the last backward pass, keyed like :meth:`named_params`."""
        return {f"{layer.name}.{key}": g
                for layer in self.layers for key, g in layer.grads.items()}

    def count_params(self) -> int:
        return sum(layer.count_params for layer in self.layers)

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weight arrays, in layer order."""
        return [p.copy() for p in self.named_params().values()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy ``weights`` into the existing arrays (shapes must match exactly)."""
        params = list(self.named_params().items())
        if len(weights) != len(params):
            raise ValueError(f"expected {len(params)} weight arrays, got {len(weights)}")
        for (name, p), w in zip(params, weights, strict=True):
            w = np.asarray(w)
            if w.shape != p.shape:
                raise ValueError(f"{name}: expected shape {p.shape}, got {w.shape}")
            if not np.issubdtype(w.dtype, np.floating):
                raise ValueError(f"{name}: expected floating-point weights, got {w.dtype}")
        for (_, p), w in zip(params, weights, strict=True):
            p[...] = w

    def set_regularization(self, l1: float, l2: float) -> None:
        """Give every kernel (the ``W`` of Conv2D and Dense) the penalty l1·Σ|w| + l2·Σw²."""
        l1, l2 = real(l1, "the L1 strength", low=0.0), real(l2, "the L2 strength", low=0.0)
        for layer in self.layers:
            if isinstance(layer, KERNEL_LAYERS):
                reg = layer.regularizers.get("W")
                if reg is None:
                    reg = layer.regularizers["W"] = Regularizer()
                    layer.kernel_regularizer = reg
                reg.l1, reg.l2 = l1, l2

    def regularization_loss(self) -> float:
        """Σ of every layer's weight penalty (the part of the loss that is not data loss)."""
        return float(sum(layer.regularization_loss() for layer in self.layers))

    # -- computation ---------------------------------------------------------------
    def _check_input(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.number):
            raise ValueError(f"inputs must be numeric, got {x.dtype}")
        if self.input_shape is None:
            self.build(x.shape[1:])
        if tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(f"the model expects inputs of shape (N, "
                             f"{', '.join(map(str, self.input_shape))}), got {x.shape}")
        dtype = self.layers[0].dtype
        return x if x.dtype == dtype else x.astype(dtype)

    def _fused_head(self) -> bool:
        """True when softmax + categorical cross-entropy can use the (p - y) gradient."""
        last = self.layers[-1]
        return (isinstance(self.loss, losses.CategoricalCrossentropy)
                and isinstance(last, Activation) and last.activation == "softmax")

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Run every layer; returns the last layer's output."""
        x = self._check_input(x)
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def backward(self, grad_out: np.ndarray, start: int | None = None) -> None:
        """Back-propagate ``grad_out`` from layer ``start`` (default: the last) to the input."""
        start = len(self.layers) - 1 if start is None else start
        for layer in reversed(self.layers[: start + 1]):
            grad_out = layer.backward(grad_out)

    def train_on_batch(self, x: np.ndarray, y: np.ndarray,
                       stop: threading.Event | None = None) -> dict[str, float]:
        """One forward/backward/update step; returns the batch's loss, data loss, penalty
        and accuracy. ``y`` one-hot (N, K) or integer labels (N,).

        The batch is split into shards trained at once on worker threads, and a batch of
        more than ``chunk_size`` samples into chunks computed one after the other (see
        :mod:`core.parallel`); the result is the same as one pass over the whole batch.
        When ``stop`` is set between two chunks, ``parallel.Interrupted`` is raised and
        nothing has changed.
        """
        if self.loss is None or self.optimizer is None:
            raise RuntimeError("compile() the model before training it")
        x = self._check_input(x)
        y = self._targets(y)
        with parallel.single_threaded_blas():
            data_loss, probs = self._parallel.forward_backward(
                self._forward_backward, self.layers, x, y, self.workers, self.chunk_size, stop,
                self.loss.reduction)
            penalty = self.regularization_loss()
            self._update_weights()
        logs = {"loss": data_loss + penalty, "data_loss": data_loss, "penalty": penalty}
        if self.metrics:
            logs["accuracy"] = float(np.mean(probs.argmax(axis=1) == y.argmax(axis=1)))
        return logs

    def _forward_backward(self, layers: list[Layer], x: np.ndarray, y: np.ndarray,
                          scale: float) -> tuple[float, np.ndarray]:
        """Forward and backward through ``layers`` for the loss times ``scale``; leaves the
        gradients in the layers; returns (the data loss of ``x``, outputs)."""
        if self._fused_head():
            h = x
            for layer in layers[:-1]:
                h = layer.forward(h, training=True)
            probs = layers[-1].forward(h, training=True)
            data_loss = self.loss.from_logits(y, h)
            grad = self.loss.gradient_from_logits(y, h)
            start = len(layers) - 2
        else:
            probs = x
            for layer in layers:
                probs = layer.forward(probs, training=True)
            data_loss = self.loss(y, probs)
            grad = self.loss.gradient(y, probs)
            start = len(layers) - 1
        if scale != 1.0:
            grad = grad * scale
        grad = grad.astype(x.dtype, copy=False)
        for layer in reversed(layers[: start + 1]):
            grad = layer.backward(grad)
        return data_loss, probs

    def _update_weights(self) -> None:
        """One optimizer step, with L1-penalised weights clipped at zero.

        A weight whose step would carry it across zero stops at exactly 0 instead
        (Tsuruoka et al., 2009): the L1 subgradient alone makes weights hover around 0
        without ever reaching it; with the clip, L1 gives true zeros, as Lasso does.
        """
        clipped = [(layer.params[key], np.sign(layer.params[key]))
                   for layer in self.layers for key, reg in layer.regularizers.items()
                   if reg.l1 > 0]
        self.optimizer.update(self.named_params(), self.named_grads())
        for p, sign_before in clipped:
            p[sign_before * np.sign(p) < 0] = 0.0

    def _targets(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y)
        if y.ndim == 1:
            return to_categorical(y.astype(np.int64), self.output_shapes()[-1][0])
        return y.astype(self.layers[0].dtype, copy=False)

    def predict(self, x: np.ndarray, batch_size: int = 500) -> np.ndarray:
        """Outputs for ``x`` in inference mode, computed in batches: (N, *output_shape).

        Large inputs (a validation set) are split between the worker threads.
        """
        x = np.asarray(x)
        if len(x) == 0:
            return np.zeros((0, *self.output_shapes()[-1]), dtype=np.float32)
        return self._parallel.predict(self._predict_with, self.layers, x, batch_size,
                                      self.workers)

    def _predict_with(self, layers: list[Layer], x: np.ndarray, batch_size: int) -> np.ndarray:
        out = []
        for i in range(0, len(x), batch_size):
            h = self._check_input(x[i : i + batch_size])
            for layer in layers:
                h = layer.forward(h, training=False)
            out.append(h)
        return out[0] if len(out) == 1 else np.concatenate(out)

    def evaluate(self, x: np.ndarray, y: np.ndarray, batch_size: int = 500) -> dict[str, float]:
        """Loss (data loss + penalty) and accuracy on ``(x, y)`` in inference mode."""
        if self.loss is None:
            raise RuntimeError("compile() the model before evaluating it")
        return self.evaluate_predictions(self.predict(x, batch_size), y)

    def evaluate_predictions(self, probs: np.ndarray, y: np.ndarray) -> dict[str, float]:
        """The metrics of ``evaluate`` for outputs already computed by :meth:`predict`."""
        y = self._targets(y)
        result = {"loss": self.loss(y, probs) + self.regularization_loss()}
        if self.metrics:
            result["accuracy"] = float(np.mean(probs.argmax(axis=1) == y.argmax(axis=1)))
        return result

    def activations(self, x: np.ndarray) -> list[np.ndarray]:
        """The output of every layer for ``x`` (inference mode), as contiguous copies."""
        out, h = [], self._check_input(x)
        for layer in self.layers:
            h = layer.forward(h, training=False)
            out.append(np.ascontiguousarray(h))
        return out

    # -- training loop --------------------------------------------------------------
    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int = 32, epochs: int = 1,
            shuffle: bool = True, validation_split: float = 0.0,
            validation_data: tuple[np.ndarray, np.ndarray] | None = None,
            callbacks: Sequence[Callback] | None = None, verbose: int = 1,
            augment: Callable[[np.ndarray], np.ndarray] | None = None,
            initial_epoch: int = 0, stop: threading.Event | None = None) -> History:
        """Train for ``epochs`` passes over ``(x, y)``, Keras' way.

        ``validation_split`` holds out the *last* fraction of the arrays, before shuffling;
        ``shuffle`` re-orders the training part each epoch; ``augment`` (optional) maps each
        training batch of images to a transformed batch. ``stop``, set from another
        thread, ends training between batches or between the chunks of a large batch
        (that batch then changes nothing). Returns the :class:`History`.
        """
        x = self._check_input(x)
        y = self._targets(y)
        if len(x) != len(y):
            raise ValueError(f"{len(x)} inputs but {len(y)} targets")
        split_at = validation_split_index(len(x), validation_split)
        if validation_data is None and validation_split > 0:
            x, y, validation_data = x[:split_at], y[:split_at], (x[split_at:], y[split_at:])
        if len(x) == 0:
            raise ValueError("no training samples left")
        history = History()
        # History after the user's callbacks, so it records metrics they add (val_...)
        callback_list = CallbackList(
            list(callbacks or []) + [history] + ([ProgbarLogger()] if verbose else []))
        callback_list.set_model(self)
        callback_list.set_params({"epochs": epochs, "batch_size": batch_size,
                                  "samples": len(x), "steps": -(-len(x) // batch_size)})
        self.stop_training = False
        callback_list.on_train_begin({})
        for epoch in range(initial_epoch, epochs):
            callback_list.on_epoch_begin(epoch, {})
            order = self.rng.permutation(len(x)) if shuffle else np.arange(len(x))
            sums: dict[str, float] = {}
            seen = 0
            for batch, start in enumerate(range(0, len(x), batch_size)):
                callback_list.on_batch_begin(batch, {"batch": batch})
                if self.stop_training:
                    break
                index = order[start : start + batch_size]
                xb = x[index]
                if augment is not None:
                    xb = augment(xb)
                try:
                    logs = self.train_on_batch(xb, y[index], stop)
                except parallel.Interrupted:
                    self.stop_training = True
                    break
                self.discard_batch = False
                callback_list.on_batch_end(batch, dict(logs, batch=batch, size=len(index)))
                if not self.discard_batch:  # a callback may have rolled the batch back
                    for key, value in logs.items():
                        sums[key] = sums.get(key, 0.0) + value * len(index)
                    seen += len(index)
                if self.stop_training:
                    break
            epoch_logs = {key: value / max(seen, 1) for key, value in sums.items()}
            if validation_data is not None and len(validation_data[0]) and seen:
                val = self.evaluate(*validation_data)
                epoch_logs.update({f"val_{key}": value for key, value in val.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callback_list.on_train_end({})
        return history

    # -- description and files -----------------------------------------------------------
    def summary(self, print_fn: Callable[[str], None] | None = print) -> str:
        """A Keras-style table of layers, output shapes and parameter counts."""
        rows = [("Layer (type)", "Output shape", "Param #")]
        shapes = self.output_shapes() if self.input_shape is not None else [None] * len(self.layers)
        for layer, shape in zip(self.layers, shapes, strict=True):
            described = "(None, " + ", ".join(map(str, shape)) + ")" if shape else "?"
            rows.append((f"{layer.name} ({type(layer).__name__})", described,
                         f"{layer.count_params:,}"))
        widths = [max(len(r[i]) for r in rows) + 2 for i in range(3)]
        line = "=" * sum(widths)
        text = [line] + ["".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True))
                         for r in rows] + [line, f"Total params: {self.count_params():,}"]
        result = "\n".join(text)
        if print_fn is not None:
            print_fn(result)
        return result

    def get_config(self) -> dict:
        """The architecture as JSON-ready data (no weights)."""
        return {
            "name": self.name,
            "input_shape": list(self.input_shape) if self.input_shape else None,
            "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()}
                       for layer in self.layers],
        }

    @classmethod
    def from_config(cls, config: dict) -> Sequential:
        """Build the untrained model that :meth:`get_config` describes (weights created
        when it names an input shape); a malformed config raises ValueError saying what
        is wrong and where."""
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError("a model config is a dict with a list of layers")
        name = config.get("name", "sequential")
        if not isinstance(name, str):
            raise ValueError(f"the model's name must be a text, got {name!r:.40}")
        input_shape = config.get("input_shape")
        if input_shape is not None and (not isinstance(input_shape, list | tuple)
                                        or not input_shape):
            raise ValueError(f"the input shape must be a list of sizes, got {input_shape!r:.40}")
        input_shape = input_shape and [whole(s, "an input size") for s in input_shape]
        model = cls(name=name)
        for index, spec in enumerate(config["layers"], start=1):
            if not isinstance(spec, dict):
                raise ValueError(f"layer {index} must be a dict with class_name and config")
            try:
                model.add(layer_from_config(spec.get("class_name"), spec.get("config", {})))
            except ValueError as error:
                raise ValueError(f"layer {index}: {error}") from None
        if input_shape:
            model.build(input_shape)
        return model

    def clone(self) -> Sequential:
        """An independent copy: same architecture, copied weights, same loss, no optimizer
        state (for views that must never touch the arrays a trainer is writing)."""
        twin = type(self).from_config(self.get_config())
        twin.set_weights(self.get_weights())
        state = self.named_state()
        for name, a in twin.named_state().items():
            a[...] = state[name]
        if self.loss is not None:
            twin.loss = self.loss
            twin.metrics = list(self.metrics)
        return twin

    def save(self, path: str | Path, metadata: dict | None = None) -> None:
        """Atomically write architecture, weights, compile settings and ``metadata``
        (default: :attr:`metadata`) to ``path``, in the format of :mod:`core.model_file`."""
        model_file.save_model(self, path, metadata)

    @classmethod
    def load(cls, path: str | Path) -> Sequential:
        """Read a model written by :meth:`save`; bad files raise ``ModelFileError``."""
        return model_file.load_model(path, cls)

    def __repr__(self) -> str:
        return f"Sequential({len(self.layers)} layers, {self.count_params():,} params)"
