"""The app's process ends with its exit code, not a crash in Qt's teardown.

A window freed only at interpreter shutdown (its signal connections keep it in reference
cycles) used to end ``nnviz`` in a segmentation fault after the user closed it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication
    import nnviz.app

    app = QApplication(["nnviz"])

    def close_every_window():
        for widget in app.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        QTimer.singleShot(200, app.quit)

    QTimer.singleShot(500, close_every_window)
    raise SystemExit(nnviz.app.main(["--fresh"]))
""")


def test_closing_the_app_ends_the_process_with_status_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
