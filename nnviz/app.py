"""Start nnviz: ``nnviz [--data PATH] [--model PATH]`` or ``python -m nnviz``.

Before Qt is asked for a window, :func:`nnviz.platform_check.check_platform` makes sure it
can open one: Qt's own failure (a missing system library of its X11 plugin, no display)
is an abort, so nnviz says what is missing instead and exits with status 1.
``nnviz --install-desktop`` adds nnviz to the desktop's application menu.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from core.package_files import package_folder
from nnviz import theme
from nnviz.main_window import MainWindow
from nnviz.platform_check import check_platform

__all__ = ["ASSETS", "MainWindow", "app_icon", "build_parser", "collect_garbage_on_the_ui_thread",
           "configure_pyqtgraph",
           "desktop_entry", "install_desktop_entry", "main", "prepare_application"]

ASSETS = package_folder("nnviz", "assets")  # inside the installed package, wheel or not
ICON_SVG = ASSETS / "nnviz.svg"
ICON_PNG = ASSETS / "nnviz.png"
DESKTOP_TEMPLATE = ASSETS / "nnviz.desktop"
APP_ID = "nnviz"
"""Application name, desktop-file name and X11 window class: all three must agree for the
desktop to match the window to its menu entry and icon."""

_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnviz", description="Watch a neural network learn.")
    parser.add_argument("--data", help="MNIST or Fashion-MNIST: a folder of IDX files or a "
                        "Keras .npz (default: the last one used, else the shipped sample)")
    parser.add_argument("--model", help="a model file saved by nnviz (default: the "
                        "pre-trained tutorial CNN)")
    parser.add_argument("--fresh", action="store_true",
                        help="ignore the settings saved by earlier sessions")
    parser.add_argument("--install-desktop", action="store_true",
                        help="add nnviz to the desktop's application menu (writes nnviz.desktop "
                        "to $XDG_DATA_HOME/applications, default ~/.local/share/applications) "
                        "and exit")
    return parser


def configure_pyqtgraph() -> None:
    """Options every plot relies on, set once before any plot exists (colours: :mod:`theme`)."""
    import pyqtgraph as pg

    colors = theme.plot_colors()
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True,
                        background=colors.background, foreground=colors.text)


def app_icon():
    """nnviz's icon (``assets/nnviz.svg``, with the PNG as a fallback); null if not shipped."""
    from PyQt6.QtGui import QIcon

    icon = QIcon()
    for path in (ICON_SVG, ICON_PNG):
        if path.is_file():
            icon.addFile(str(path))
    return icon


def prepare_application(app) -> None:
    """Everything the QApplication needs before the first widget: names, icon, light or dark
    plots following the system palette, pyqtgraph options."""
    app.setApplicationName(APP_ID)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    theme.apply_theme(app)
    configure_pyqtgraph()
    collect_garbage_on_the_ui_thread(app)


def collect_garbage_on_the_ui_thread(app) -> None:
    """Python's cycle collector runs on whichever thread happens to allocate: on the
    training thread it destroyed closed windows' Qt objects there, racing the UI thread's
    own deletion of them (a double free) or waiting for the GIL under a Qt lock (a
    deadlock). Turn the automatic collector off and collect on a UI-thread timer instead
    (pyqtgraph's GarbageCollector, once per application)."""
    if getattr(app, "_nnviz_garbage_collector", None) is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        app._nnviz_garbage_collector = GarbageCollector(interval=1.0)


# -- the desktop entry --------------------------------------------------------------------
def _exec_quote(arg: str) -> str:
    """One argument of a desktop entry's Exec key, quoted as the Desktop Entry spec says."""
    if arg and not (set(arg) & _EXEC_RESERVED):
        return arg.replace("%", "%%")
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return '"' + inner.replace("%", "%%") + '"'


def _launch_command() -> list[str]:
    """How the desktop starts this very nnviz: its console script when run as one, else
    ``python -m nnviz`` with this interpreter (a virtualenv's bin/ is not on the menu's PATH)."""
    script = Path(sys.argv[0])
    if script.name == APP_ID and script.is_file():
        return [str(script.resolve())]
    return [sys.executable, "-m", APP_ID]


def desktop_entry(template: str, command: list[str], icon: Path) -> str:
    """``template`` (assets/nnviz.desktop) with Exec running ``command`` and Icon = ``icon``."""
    exec_value = " ".join(_exec_quote(a) for a in command).replace("\\", "\\\\")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_value}"
        elif line.startswith("Icon="):
            line = f"Icon={icon}"
        elif line.startswith("TryExec="):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_entry(data_home: Path | None = None) -> Path:
    """Write nnviz.desktop to ``$XDG_DATA_HOME/applications`` (default
    ``~/.local/share/applications``) with this installation's command and icon; returns it."""
    if data_home is None:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        data_home = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    folder = data_home / "applications"
    folder.mkdir(parents=True, exist_ok=True)
    text = desktop_entry(DESKTOP_TEMPLATE.read_text(encoding="utf-8"), _launch_command(),
                         ICON_PNG.resolve())
    target = folder / f"{APP_ID}.desktop"
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o644)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the QApplication and the window; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.install_desktop:
        try:
            path = install_desktop_entry()
        except OSError as error:
            print(f"nnviz: cannot install the desktop entry: {error}", file=sys.stderr)
            return 1
        print(f"Installed {path}: nnviz is now in your desktop's application menu.")
        return 0
    from PyQt6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        problem = check_platform()
        if problem is not None:
            print(problem.message, file=sys.stderr)
            return 1
        app = QApplication([APP_ID])  # argv[0] names the X11 window class
    prepare_application(app)
    window = MainWindow(data=args.data, model=args.model, restore=not args.fresh)
    window.show()
    code = app.exec()
    # The window's signal connections hold it in reference cycles: collected only during
    # interpreter shutdown, after Qt's own teardown has begun, it ends the process in a
    # segmentation fault instead of the exit code. Free it while the application lives.
    del window
    gc.collect()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
