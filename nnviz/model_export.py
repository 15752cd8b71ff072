"""File → Export: the trained network as ONNX or as a standalone PyTorch script. Qt-free.

The window asks for a path and shows the sentence these functions return; the work is
:mod:`core.export`'s. ONNX needs the optional ``onnx`` package: :func:`onnx_available`
tells the menu whether to offer it or to say how to get it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from nnviz.settings import TrainingSettings

if TYPE_CHECKING:  # the session is a QObject; this module itself needs no Qt
    from nnviz.session import Session

__all__ = ["ONNX_INSTALL", "export_onnx", "export_pytorch", "onnx_available"]

ONNX_INSTALL = 'pip install "nnviz[export]"'
"""The command that adds what the ONNX export needs."""


def onnx_available() -> bool:
    """Whether the ``onnx`` package can be imported."""
    return importlib.util.find_spec("onnx") is not None


def export_onnx(session: Session, path: str | Path) -> str:
    """Write the session's latest weights to ``path`` (``.onnx`` added when missing) as
    ONNX; returns what to tell the user. Raises core.export.OnnxMissing (an ImportError)
    without the onnx package, ValueError for a layer with no ONNX form, OSError."""
    from core.export import to_onnx

    path = Path(path)
    if path.suffix != ".onnx":
        path = path.with_name(path.name + ".onnx")
    written = to_onnx(session.model_copy(), path)
    return (f"Exported the network to {written} (input: float32 N×1×28×28, pixels / 255; "
            "output: the 10 class probabilities).")


def export_pytorch(session: Session, settings: TrainingSettings, path: str | Path) -> str:
    """Write a PyTorch script for the session's network to ``path`` (``.py``) and the
    weights it loads beside it; returns which files were written. Raises ValueError for
    a layer with no PyTorch form, OSError."""
    from core.export import to_pytorch

    training = {"batch_size": settings.batch_size, "epochs": settings.epochs,
                "validation_split": settings.validation_split}
    script, weights = to_pytorch(session.model_copy(), path, training)
    return (f"Wrote {script.name} (the network in torch.nn, with training and evaluation) "
            f"and {weights.name} (the weights it loads) in {script.parent}.")
