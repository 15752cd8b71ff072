"""nnviz's desktop application (PyQt6 + pyqtgraph) on the numpy engine in :mod:`core`.

Importing this package loads no Qt; :func:`nnviz.app.main` builds the QApplication.
"""
