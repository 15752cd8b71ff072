"""Start nnviz: ``nnviz [--data PATH] [--model PATH]`` or ``python -m nnviz``."""

from __future__ import annotations

import argparse
import sys

from nnviz.main_window import MainWindow

__all__ = ["MainWindow", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnviz", description="Watch a neural network learn.")
    parser.add_argument("--data", help="MNIST or Fashion-MNIST: a folder of IDX files or a "
                        "Keras .npz (default: the last one used, else the shipped sample)")
    parser.add_argument("--model", help="a model file saved by nnviz (default: the "
                        "pre-trained tutorial CNN)")
    parser.add_argument("--fresh", action="store_true",
                        help="ignore the settings saved by earlier sessions")
    return parser


def configure_pyqtgraph() -> None:
    """Options every plot relies on, set once before any plot exists."""
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="w",
                        foreground="k")


def main(argv: list[str] | None = None) -> int:
    """Build the QApplication and the window; returns the exit code."""
    args = build_parser().parse_args(argv)
    from PyQt6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    configure_pyqtgraph()
    window = MainWindow(data=args.data, model=args.model, restore=not args.fresh)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
