"""What the editor lets the user set on each type of layer, in one table (Qt-free).

:data:`LAYER_FIELDS` maps a layer class name to its editable settings, each a
:class:`Field` that says which control suits it (a whole number, a number, a choice),
its range and what it means; the editor's rows are built from this table, so a new
setting is one entry here. :data:`NEW_LAYERS` are the settings a freshly added layer
starts with.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACTIVATION_CHOICES", "LAYER_FIELDS", "LAYER_HELP", "NEW_LAYERS", "Field"]


@dataclass(frozen=True)
class Field:
    """One setting: ``key`` in the layer's config, the ``label`` beside its control and the
    control's ``kind``: "int" and "float" (a spin box from ``low`` to ``high``, "size" a
    whole number for both sides of a square), "choice" (a combo box of ``choices``,
    (value, text) pairs; the value None leaves the key out of the config)."""

    key: str
    label: str
    kind: str
    tip: str
    low: float = 0
    high: float = 0
    step: float = 1
    decimals: int = 0
    choices: tuple[tuple[object, str], ...] = ()
    special: str = ""  # what the spin box shows at ``low`` ("= pool"), when it means more


ACTIVATION_CHOICES: tuple[tuple[object, str], ...] = (
    (None, "none"), ("relu", "relu"), ("tanh", "tanh"), ("sigmoid", "sigmoid"),
    ("leaky_relu", "leaky relu"), ("elu", "elu"), ("softmax", "softmax"))
_PADDING = (("valid", "valid"), ("same", "same"))
_ACTIVATION_TIP = ("The function applied to every output: relu max(0, z), tanh, sigmoid "
                   "1/(1+e^-z), leaky relu (0.3·z below 0), elu, or softmax (the last layer: "
                   "turns 10 scores into probabilities).")
_POOL = (
    Field("pool_size", "size", "size", "Side of the square window pooled into one value.",
          1, 8),
    Field("strides", "stride", "int", "How far the window moves; '= pool' moves it by its "
          "own size, so windows do not overlap (the usual choice).", 0, 8, special="= pool"),
    Field("padding", "padding", "choice", "valid: only whole windows (9×9 pooled by 2 gives "
          "4×4); same: pad so that the size becomes ceil(size / stride).", choices=_PADDING),
)

LAYER_FIELDS: dict[str, tuple[Field, ...]] = {
    "Conv2D": (
        Field("filters", "filters", "int", "How many kernels slide over the input: each "
              "makes one feature map.", 1, 128),
        Field("kernel_size", "kernel", "size", "Side of each square kernel (3 gives 3×3).",
              1, 11),
        Field("stride", "stride", "int", "How far the kernel moves between outputs (2 "
              "halves the map).", 1, 4),
        Field("padding", "padding", "choice", "valid: the kernel stays inside the image (a "
              "5×5 kernel turns 28×28 into 24×24); same: zeros around it keep 28×28 (odd "
              "kernels only).", choices=_PADDING),
        Field("activation", "activation", "choice", _ACTIVATION_TIP,
              choices=ACTIVATION_CHOICES),
    ),
    "Dense": (
        Field("units", "units", "int", "How many outputs: every one is a weighted sum of "
              "all the inputs plus a bias. The last layer needs 10, one per digit.", 1, 2048),
        Field("activation", "activation", "choice", _ACTIVATION_TIP,
              choices=ACTIVATION_CHOICES),
    ),
    "MaxPooling2D": _POOL,
    "AveragePooling2D": _POOL,
    "Flatten": (),
    "Dropout": (
        Field("rate", "rate", "float", "Share of the values zeroed at random while training "
              "(none when classifying). The Train tab's Dropout setting sets the rate of "
              "every Dropout layer when a run starts.", 0.0, 0.9, 0.05, 2),
    ),
    "BatchNormalization": (
        Field("momentum", "momentum", "float", "How slowly the running mean and variance "
              "(used when classifying) follow each batch's: moving = momentum·moving + "
              "(1 - momentum)·batch.", 0.0, 0.999, 0.01, 3),
        Field("epsilon", "epsilon", "float", "Added to the variance before the square root, "
              "so that a constant feature does not divide by 0.", 1e-5, 0.1, 1e-3, 5),
    ),
    "Activation": (
        Field("activation", "function", "choice", _ACTIVATION_TIP,
              choices=ACTIVATION_CHOICES[1:]),
    ),
    "LeakyReLU": (
        Field("alpha", "slope", "float", "y = x above 0 and alpha·x below: the slope that "
              "keeps negative inputs alive.", 0.0, 1.0, 0.05, 2),
    ),
    "ELU": (
        Field("alpha", "alpha", "float", "y = x above 0 and alpha·(e^x − 1) below: how far "
              "negative outputs may go.", 0.0, 5.0, 0.1, 2),
    ),
}
"""Layer class name -> the settings its row shows, in order."""

NEW_LAYERS: dict[str, dict] = {
    "Conv2D": {"filters": 8, "kernel_size": 3, "stride": 1, "padding": "valid",
               "activation": "relu"},
    "MaxPooling2D": {"pool_size": 2, "padding": "valid"},
    "AveragePooling2D": {"pool_size": 2, "padding": "valid"},
    "Flatten": {},
    "Dense": {"units": 64, "activation": "relu"},
    "Dropout": {"rate": 0.25},
    "BatchNormalization": {"momentum": 0.9, "epsilon": 1e-3},
    "Activation": {"activation": "relu"},
    "LeakyReLU": {"alpha": 0.3},
    "ELU": {"alpha": 1.0},
}
"""Layer class name -> the config a newly added layer of that type starts with (the
layers the editor offers, in the order of its "Add" menu)."""

LAYER_HELP: dict[str, str] = {
    "Conv2D": "Convolution: slides small kernels over the maps; each kernel makes one map.",
    "MaxPooling2D": "Max pooling: keeps the largest value of each window (shrinks the maps).",
    "AveragePooling2D": "Average pooling: the mean of each window (LeNet's subsampling).",
    "Flatten": "Flatten: lines the maps up into one vector, for the dense layers after it.",
    "Dense": "Dense: every output is a weighted sum of all the inputs plus a bias.",
    "Dropout": "Dropout: zeroes a random share of values while training, against "
               "overfitting.",
    "BatchNormalization": "Batch normalization: rescales each channel to mean 0, variance 1 "
                          "over the batch, then by a learned scale and shift.",
    "Activation": "Activation: a function applied to every value.",
    "LeakyReLU": "Leaky ReLU: x above 0, a small slope times x below.",
    "ELU": "ELU: x above 0, alpha·(e^x − 1) below.",
    "PReLU": "PReLU: a relu whose negative slope is learned for every value.",
}
"""What each layer type does, in one line (the Add menu's and the rows' tooltips)."""
