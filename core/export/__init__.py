"""Export a network to the engines that scale: ONNX, and a standalone PyTorch script.

* :func:`to_onnx` writes an ``.onnx`` file that onnxruntime (or any ONNX runtime) runs;
  it needs the optional ``onnx`` package (``pip install "nnviz[export]"``).
* :func:`to_pytorch` writes a readable ``.py`` that rebuilds the network in ``torch.nn``,
  loads the trained weights from the nnviz model file written beside it, and trains and
  evaluates it on MNIST with the same settings (on a GPU when there is one).

Each layer type is one entry in each exporter's table; a type with no entry is refused
with a message naming it, before anything is written.
"""

from core.export.onnx_graph import OnnxMissing, to_onnx
from core.export.pytorch_script import to_pytorch

__all__ = ["OnnxMissing", "to_onnx", "to_pytorch"]
