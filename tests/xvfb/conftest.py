"""The real-X11 layer: nnviz on Qt's xcb platform, under an X server (Xvfb in CI).

Run it apart from the offscreen suite, in its own pytest process::

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m pytest -q tests/xvfb -m xvfb

The root conftest defaults ``QT_QPA_PLATFORM`` to offscreen for every other test, and
pyproject's ``-m "not xvfb"`` leaves these tests out of the ordinary run. When this layer
is selected with ``-m xvfb``, :func:`pytest_configure` switches Qt to xcb before any
QApplication exists, and if Qt could not open a window (no X server, a missing xcb
library) it stops with nnviz's own platform message instead of letting Qt abort pytest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nnviz.platform_check import check_platform


def _selects_xvfb(markexpr: str) -> bool:
    expression = " ".join(markexpr.split())
    return "xvfb" in expression and "not xvfb" not in expression


def pytest_configure(config: pytest.Config) -> None:
    if not _selects_xvfb(config.option.markexpr or ""):
        return
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    problem = check_platform()
    if problem is not None:
        raise pytest.UsageError("the xvfb layer needs an X server and Qt's xcb plugin:\n"
                                + problem.message)


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """Start the QApplication as ``nnviz`` does: argv[0] names the X11 window class."""
    from nnviz.app import APP_ID

    return [APP_ID]


@pytest.fixture
def xserver():
    """A connection to the X server for real (XTEST) mouse and keyboard input."""
    from tests.xvfb.xlib import x_server

    with x_server() as server:
        yield server


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where screenshots of the X screen go: ``$NNVIZ_XVFB_SCREENSHOTS`` if set, else tmp."""
    folder = Path(os.environ.get("NNVIZ_XVFB_SCREENSHOTS") or tmp_path / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
