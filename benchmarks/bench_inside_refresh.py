"""How long one refresh of the Inside tab blocks the UI thread while a model trains.

Run: ``python benchmarks/bench_inside_refresh.py [--batches 300] [--every 0.1]``.
A Trainer trains ``tutorial_cnn()`` on the shipped sample in a background thread (as the
app's worker does) and publishes a :func:`core.diagnostics.take_snapshot` every
``--every`` seconds through a queued Qt signal. On the UI thread each snapshot's weights
are copied into the tab's view model (as ``Session.apply_snapshot`` does) and it is shown
with ``InsideTab.show_snapshot``, followed by a synchronous ``repaint()`` of the whole tab
(1280×800, offscreen): that sum is the time the UI thread is blocked per refresh.
Also timed: following the drawn digit live (``set_drawn_input`` + repaint) and a snapshot
reaching the tab while it is hidden. Prints median / p99 / max in milliseconds.
``--screenshot PATH`` also saves the tab after the run, with a conv pixel pinned.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PyQt6.QtCore import QObject, Qt, QTimer, pyqtSignal  # noqa: E402
from PyQt6.QtTest import QTest  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from core.data import as_network_input, load_sample  # noqa: E402
from core.diagnostics import take_snapshot  # noqa: E402
from core.models import tutorial_cnn  # noqa: E402
from core.training import Trainer  # noqa: E402
from nnviz.app import configure_pyqtgraph  # noqa: E402
from nnviz.tabs.inside import InsideTab  # noqa: E402
from nnviz.tabs.inside.stages import StageKind  # noqa: E402

FRAME_MS = 1000.0 / 60.0


class Relay(QObject):
    """Carries snapshots from the training thread to the UI thread."""

    snapshot = pyqtSignal(object)


def summary(name: str, times_ms: list[float]) -> str:
    if not times_ms:
        return f"  {name:<46} no samples"
    ordered = sorted(times_ms)
    p99 = ordered[min(len(ordered) - 1, int(np.ceil(0.99 * len(ordered))) - 1)]
    return (f"  {name:<46} n={len(ordered):4d}  median {statistics.median(ordered):6.2f} ms"
            f"  p99 {p99:6.2f} ms  max {ordered[-1]:6.2f} ms")


def save_screenshot(app: QApplication, tab: InsideTab, path: Path) -> None:
    """Pin a pixel of the third conv layer (its arithmetic shows below) and save the tab."""
    tab.select_input(3)
    view = tab.network_view
    conv = [s.index for s in tab.stages() if s.kind is StageKind.CONV][-1]
    channels, rows, cols = tab.stages()[conv].shape
    point = view.point_of(conv, (channels // 3, rows // 3, cols // 2)).toPoint()
    QTest.mouseMove(view, point)
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    deadline = time.monotonic() + 1.2   # the picker's guesses update at most once a second
    while time.monotonic() < deadline:
        app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    tab.grab().save(str(path))
    print(f"saved {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=300, help="training batches to run")
    parser.add_argument("--every", type=float, default=0.1,
                        help="seconds between snapshots (the app uses ~0.25)")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="sys.setswitchinterval for the run (Python's default: 0.005 s)")
    parser.add_argument("--screenshot", type=Path, default=None,
                        help="save a PNG of the tab after the run")
    args = parser.parse_args()

    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    data = load_sample()
    model = tutorial_cnn(seed=0)
    view = model.clone()  # the tab looks at a view model, never at the one being trained
    names = list(view.named_params())
    tab = InsideTab()
    tab.resize(1280, 800)
    tab.show()
    app.processEvents()
    tab.set_model(view)
    split = int(len(data.x_train) * 0.8)
    tab.set_samples(data.x_train[split:], data.y_train[split:])
    tab.select_input(3)
    drawn = as_network_input(data.x_test[:1])[0, 0]
    tab.set_drawn_input(drawn)
    app.processEvents()

    full, compute, paint, follow = [], [], [], []
    relay = Relay()
    state = {"batches": 0, "last": 0.0, "previous": None, "done": False}

    def on_snapshot(snapshot) -> None:
        start = time.perf_counter()
        view.set_weights([snapshot.weights[name] for name in names])
        tab.show_snapshot(snapshot)
        middle = time.perf_counter()
        tab.repaint()
        end = time.perf_counter()
        compute.append((middle - start) * 1e3)
        paint.append((end - middle) * 1e3)
        full.append((end - start) * 1e3)
        # every few refreshes, also time the drawn digit being followed live
        if len(full) % 4 == 0:
            tab.select_input("drawn")
            start = time.perf_counter()
            tab.set_drawn_input(np.roll(drawn, len(full) % 5 - 2, axis=1))
            tab.network_view.repaint()
            follow.append((time.perf_counter() - start) * 1e3)
            tab.select_input(3)

    relay.snapshot.connect(on_snapshot)

    def on_batch_end(logs: dict) -> None:  # on the training thread
        state["batches"] += 1
        now = time.perf_counter()
        if now - state["last"] >= args.every:
            state["last"] = now
            state["previous"] = take_snapshot(model, logs["epoch"], previous=state["previous"])
            relay.snapshot.emit(state["previous"])
        if state["batches"] >= args.batches:
            trainer.stop()

    x = as_network_input(data.x_train)
    y = data.y_train.astype(np.int64)
    epochs = -(-args.batches // -(-split // 100))
    trainer = Trainer(model, x, y, batch_size=100, epochs=epochs, validation_split=0.2,
                      on_batch_end=on_batch_end)
    worker = threading.Thread(target=trainer.run, name="trainer")
    started = time.perf_counter()
    worker.start()
    timer = QTimer()
    timer.timeout.connect(lambda: None if worker.is_alive() else app.quit())
    timer.start(50)
    app.exec()
    worker.join()
    app.processEvents()
    elapsed = time.perf_counter() - started

    if args.screenshot is not None:
        save_screenshot(app, tab, args.screenshot)
    hidden = []
    tab.hide()
    snapshot = take_snapshot(model, 0)
    for _ in range(50):
        start = time.perf_counter()
        view.set_weights([snapshot.weights[name] for name in names])
        tab.show_snapshot(snapshot)
        hidden.append((time.perf_counter() - start) * 1e3)

    print(f"Inside tab refresh while training tutorial_cnn (batch 100, {state['batches']} "
          f"batches in {elapsed:.1f} s, {os.cpu_count()} cores, "
          f"{os.environ['QT_QPA_PLATFORM']} 1280×800, GIL switch interval "
          f"{sys.getswitchinterval() * 1e3:g} ms)")
    print(summary("full refresh: weights + show_snapshot + repaint", full))
    print(summary("  of which weights + show_snapshot (maps)", compute))
    print(summary("  of which repaint (painting every view)", paint))
    print(summary("drawn digit followed: set_drawn_input + paint", follow))
    print(summary("snapshot while the tab is hidden", hidden))
    print(f"  (one frame at 60 Hz = {FRAME_MS:.1f} ms)")


if __name__ == "__main__":
    main()
