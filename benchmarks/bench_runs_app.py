"""The runs in the window: how long the runs panel takes to open and fill with many kept
runs, to draw ticked runs, and how long a step of the timeline takes to show.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_runs_app.py [--runs 100]``.

1. Writes ``--runs`` realistic runs of the tutorial CNN into a temporary user folder with
   ``bench_runs.write_runs`` (10 epochs of 500 batches, 19 checkpoints each).
2. Opens the runs panel over them, the way the app does at start (a new
   :class:`core.runs.RunHistory`: every ``run.json`` read from the warm file cache), and
   times the panel's construction and filling; then a reload on the same store (as after
   each run); then the whole main window's construction.
3. Ticks three runs (their curves read from disk and drawn) and times it.
4. Scrubs the newest run's timeline over every checkpoint, with the Inside, Draw and Train
   tab shown in turn: the time from moving the scrubber until the views have repainted
   (every view's update and the paint of the window), and the link's own share.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
USER_DIR = tempfile.mkdtemp(prefix="nnviz-bench-runs-app-")
os.environ["NNVIZ_USER_DIR"] = USER_DIR
os.environ["NNVIZ_CONFIG_DIR"] = os.path.join(USER_DIR, "config")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_runs import write_runs  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from core.runs import RunHistory  # noqa: E402
from tests.strokes import DIGITS, draw_digit  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args(argv)
    try:
        run(args.runs)
    finally:
        shutil.rmtree(USER_DIR, ignore_errors=True)


def run(count: int) -> None:
    start = time.perf_counter()
    write_runs(RunHistory(), count)
    print(f"wrote {count} runs in {time.perf_counter() - start:.0f} s")

    app = QApplication.instance() or QApplication([])
    from nnviz.app import MainWindow, configure_pyqtgraph
    from nnviz.tabs.train.runs_panel import RunsPanel

    configure_pyqtgraph()
    opened = []
    for _ in range(5):
        start = time.perf_counter()
        panel = RunsPanel(RunHistory())
        panel.resize(1000, 300)
        panel.show()
        app.processEvents()
        opened.append(time.perf_counter() - start)
        panel.close()
        panel.deleteLater()
        app.processEvents()
    reloads = []
    for _ in range(5):
        start = time.perf_counter()
        panel.reload()
        reloads.append(time.perf_counter() - start)
    print(f"runs panel with {count} runs: opened, listed, filled and shown in "
          f"{_ms(statistics.median(opened))} (median of 5, each with a new RunHistory); "
          f"reload on the same store {_ms(statistics.median(reloads))}")

    start = time.perf_counter()
    window = MainWindow(restore=False)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    print(f"main window over {count} kept runs: built and shown in "
          f"{_ms(time.perf_counter() - start)}")
    tab = window.train_tab
    tab.show_runs()
    app.processEvents()
    ids = tab.runs_panel.run_ids()
    start = time.perf_counter()
    for run_id in ids[:3]:
        tab.runs_panel.set_ticked(run_id)
    app.processEvents()
    print(f"ticking 3 runs (curves of 5,000 batches read and drawn, differences shown): "
          f"{_ms(time.perf_counter() - start)}")

    link = window.timeline
    link.show_run(ids[0])
    window.tabs.setCurrentIndex(2)
    app.processEvents()
    draw_digit(window.draw_tab.canvas, DIGITS[3]["round"])  # the Draw tab classifies it
    for name, index in (("Inside", 1), ("Draw", 2), ("Train", 0)):
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        totals, own = [], []
        checkpoints = link.timeline.checkpoints
        for position in (*range(len(checkpoints)), *reversed(range(len(checkpoints)))):
            start = time.perf_counter()
            window.timeline_bar.slider.setValue(position)
            app.processEvents()
            totals.append(time.perf_counter() - start)
            own.append(link.last_redraw_seconds)
        link.back_to_now()
        app.processEvents()
        print(f"timeline step with the {name} tab shown ({len(totals)} steps over "
              f"{len(checkpoints)} checkpoints): until repainted median "
              f"{_ms(statistics.median(totals))}, max {_ms(max(totals))}; the views' "
              f"updates alone median {_ms(statistics.median(own))}")
    window.close()


if __name__ == "__main__":
    main()
