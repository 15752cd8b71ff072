"""Smoke test of an installed nnviz: a wheel in a fresh virtual environment, not a checkout.

Run it with that environment's interpreter from a folder outside the source tree
(``.ci/run`` does)::

    python -m venv /tmp/v && /tmp/v/bin/pip install dist/nnviz-*.whl
    cd "$(mktemp -d)" && /tmp/v/bin/python /path/to/smoke_installed.py

It checks what a new user meets first: the packages come from site-packages, their data
files are there (the shipped sample, the pre-trained model, the icons, the desktop entry),
the model reads a digit, the main window opens offscreen on them and closes, and both
console scripts run. Each check prints one line; the first failure prints what went wrong
and exits with status 1. Nothing outside a temporary folder is touched.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="nnviz-smoke-"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)
# the user's own folders stay out of it: settings, personal digits, found data sets
os.environ.update({"HOME": str(SCRATCH / "home"), "NNVIZ_CONFIG_DIR": str(SCRATCH / "config"),
                   "NNVIZ_USER_DIR": str(SCRATCH / "user"), "QT_QPA_PLATFORM": "offscreen",
                   "XDG_RUNTIME_DIR": str(SCRATCH / "runtime")})
os.environ.pop("NNVIZ_DATA", None)
(SCRATCH / "runtime").mkdir(mode=0o700)
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"]).resolve()
SCRIPTS = Path(sysconfig.get_paths()["scripts"])


class SmokeFailure(Exception):
    """A check that failed; the message says what the user would have met."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def installed(path: Path, what: str) -> Path:
    """``path`` must be a file inside site-packages (not in a source checkout)."""
    check(path.is_file(), f"{what} is missing from the installed package: {path}")
    check(path.resolve().is_relative_to(SITE_PACKAGES),
          f"{what} was found outside site-packages ({path}): not an installed copy")
    return path


def packages_come_from_site_packages() -> str:
    import core
    import nnviz

    for package in (core, nnviz):
        installed(Path(package.__file__), f"the package {package.__name__}")
    return f"core and nnviz imported from {SITE_PACKAGES}"


def data_files_are_installed() -> str:
    from core.data import SAMPLE_PATH
    from nnviz.app import DESKTOP_TEMPLATE, ICON_PNG, ICON_SVG
    from nnviz.session import PRETRAINED_PATH

    for path, what in ((SAMPLE_PATH, "the shipped sample"), (PRETRAINED_PATH, "the pre-trained "
                       "model"), (ICON_SVG, "the SVG icon"), (ICON_PNG, "the PNG icon"),
                       (DESKTOP_TEMPLATE, "the desktop entry")):
        installed(path, what)
    return "sample, pre-trained model, icons and desktop entry are in site-packages"


def sample_loads() -> str:
    from core.data import load_sample

    data = load_sample()
    check((len(data.y_train), len(data.y_test)) == (4000, 1000),
          f"the shipped sample has {len(data.y_train)} + {len(data.y_test)} digits")
    return data.describe()


def pretrained_model_reads_digits() -> str:
    from core.data import as_network_input, load_sample
    from core.model import Sequential
    from nnviz.session import PRETRAINED_PATH

    model = Sequential.load(PRETRAINED_PATH)
    data = load_sample()
    probs = model.predict(as_network_input(data.x_test[:200]))
    accuracy = float((probs.argmax(axis=1) == data.y_test[:200]).mean())
    check(accuracy > 0.9, f"the pre-trained model reads only {accuracy:.1%} of 200 digits")
    first = int(probs[0].argmax())
    return f"pre-trained model: first test digit read as {first} (label {data.y_test[0]}), " \
           f"{accuracy:.1%} of 200 right"


def main_window_opens_and_closes() -> str:
    from PyQt6.QtWidgets import QApplication

    from nnviz.app import APP_ID, MainWindow, prepare_application

    app = QApplication.instance() or QApplication([APP_ID])
    prepare_application(app)
    check(not app.windowIcon().isNull(), "the application icon was not found")
    window = MainWindow(restore=False)
    window.show()
    app.processEvents()
    origin = window.session.model_origin
    description = window.session.model_description()
    check(origin.startswith("pre-trained"), f"the window opened with an {origin!r}")
    check(window.session.dataset.is_sample, "the window did not open on the shipped sample")
    window.close()
    app.processEvents()
    check(not window.controller.is_running, "training still runs after the window closed")
    del window  # as nnviz.app.main does: freed while the QApplication lives, not at exit
    gc.collect()
    return f"main window opened offscreen on the sample with {description}, and closed"


def run_script(name: str, *args: str, expect: str) -> str:
    script = SCRIPTS / name
    check(script.is_file(), f"the console script {name} is not installed in {SCRIPTS}")
    done = subprocess.run([str(script), *args], capture_output=True, text=True,
                          timeout=600, cwd=SCRATCH)
    output = done.stdout + done.stderr
    check(done.returncode == 0 and expect in output,
          f"{name} {' '.join(args)} exited with {done.returncode}:\n{output[-2000:]}")
    line = next(line for line in output.splitlines() if expect in line)
    return f"{name} {' '.join(args)}: {line.strip()}"


def desktop_entry_points_at_the_icon() -> str:
    from nnviz.app import install_desktop_entry

    entry = install_desktop_entry(SCRATCH / "share")
    icon = next(line[5:] for line in entry.read_text().splitlines() if line.startswith("Icon="))
    installed(Path(icon), "the desktop entry's icon")
    return f"desktop entry written with Icon={icon}"


CHECKS: list[Callable[[], str]] = [
    packages_come_from_site_packages,
    data_files_are_installed,
    sample_loads,
    pretrained_model_reads_digits,
    main_window_opens_and_closes,
    desktop_entry_points_at_the_icon,
    lambda: run_script("nnviz", "--help", expect="usage: nnviz"),
    lambda: run_script("nnviz-train", "--sample", "--epochs", "1", "--limit", "500",
                       expect="test accuracy"),
]


def main() -> int:
    for number, run in enumerate(CHECKS, 1):
        try:
            result = run()
        except Exception as error:  # any failure, our own or nnviz's, stops the smoke test
            kind = "" if isinstance(error, SmokeFailure) else f"{type(error).__name__}: "
            print(f"SMOKE FAILED at check {number}/{len(CHECKS)}: {kind}{error}", file=sys.stderr)
            return 1
        print(f"ok {number}/{len(CHECKS)} {result}")
    print(f"the installed nnviz passed all {len(CHECKS)} smoke checks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
