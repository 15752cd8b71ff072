"""UI responsiveness while the window trains, against training headless in the same run.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui_stall.py [--seconds 15]
[--recording both|on|off]``. A 5 ms QTimer on the UI thread records how late each tick
comes (the event-loop stall) while the main window trains the tutorial CNN on the
shipped sample with every view live, switching tabs now and then (the Inside tab's
refresh included): with the run kept (as the app always does), without, or both one
after the other (the default). Then the same training runs headless (core Trainer on a
plain thread, no Qt) for the same time. Prints the median / p99 / max stall and every
throughput. The runs are kept in a temporary folder ($NNVIZ_USER_DIR), never the user's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
USER_DIR = tempfile.mkdtemp(prefix="nnviz-bench-ui-")
os.environ["NNVIZ_USER_DIR"] = USER_DIR  # the runs kept go here, not to the user's folder
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PyQt6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from core.data import as_network_input, load_sample  # noqa: E402
from core.models import tutorial_cnn  # noqa: E402
from core.training import Trainer  # noqa: E402

TICK_MS = 5


class RecorderClock:
    """Adds up the seconds the training thread spends in a run recorder's calls."""

    CALLS = ("on_batch_end", "on_epoch_end", "on_state_change", "finish")

    def __init__(self) -> None:
        from core.runs import RunRecorder

        self.seconds = 0.0
        self.calls = 0
        self._originals = {name: getattr(RunRecorder, name) for name in self.CALLS}
        for name, original in self._originals.items():
            setattr(RunRecorder, name, self._timed(original))

    def _timed(self, original):
        def call(recorder, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(recorder, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1
        return call

    def remove(self) -> None:
        from core.runs import RunRecorder

        for name, original in self._originals.items():
            setattr(RunRecorder, name, original)


def in_app(seconds: float, tab: int | None = None,
           recording: bool = True) -> tuple[list[float], float]:
    from nnviz.app import MainWindow, configure_pyqtgraph

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    window = MainWindow(restore=False)
    window.resize(1400, 900)
    window.show()
    window.train_tab.reset_weights()
    window.train_tab.recording_enabled = recording
    window.train_tab.epochs_spin.setValue(1000)
    stalls: list[float] = []
    clock = QElapsedTimer()
    seen: list[tuple[float, int]] = []
    window.controller.batchesReady.connect(
        lambda p: seen.append((time.perf_counter(), len(p["loss"]))))

    def tick() -> None:
        elapsed = clock.nsecsElapsed() / 1e6
        clock.restart()
        stalls.append(max(elapsed - TICK_MS, 0.0))

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    tabs = QTimer()
    tabs.setInterval(1500)
    tabs.timeout.connect(lambda: window.tabs.setCurrentIndex(
        (window.tabs.currentIndex() + 1) % window.tabs.count()))
    if tab is None:
        tabs.start()
    else:
        window.tabs.setCurrentIndex(tab)
    recorder_clock = RecorderClock() if recording else None
    window.train_tab.start()
    clock.start()
    timer.start()
    deadline = time.perf_counter() + seconds
    ui_cpu = time.thread_time()
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    ui_cpu = time.thread_time() - ui_cpu
    timer.stop()
    tabs.stop()
    window.controller.shutdown(3000)
    kept = "run not kept"
    if recorder_clock is not None:
        recorder_clock.remove()
        kept = (f"run kept: the training thread spent {recorder_clock.seconds * 1e3:.0f} ms in "
                f"{recorder_clock.calls:,} recorder calls, {recorder_clock.seconds / seconds:.2%}"
                " of the time")
    print(f"UI thread busy {ui_cpu / seconds:.0%} of one core ({kept})")
    window.session.unsaved = False  # no question about saving the model
    window.close()
    batches = [b for t, b in seen if t > seen[0][0] + 1.0]  # skip the first second
    span = seen[-1][0] - (seen[0][0] + 1.0) if seen else 0.0
    rate = sum(batches) * 100 / span if span > 0 else 0.0
    return stalls[50:], rate


def headless(seconds: float) -> float:
    data = load_sample()
    x, y = as_network_input(data.x_train), data.y_train.astype(np.int64)
    seen: list[tuple[float, int]] = []
    trainer = Trainer(tutorial_cnn(seed=1), x, y, epochs=1000,
                      on_batch_end=lambda logs: seen.append((time.perf_counter(),
                                                             logs["size"])))
    thread = threading.Thread(target=trainer.run)
    thread.start()
    time.sleep(seconds)
    trainer.stop()
    thread.join()
    later = [(t, n) for t, n in seen if t > seen[0][0] + 1.0]
    return sum(n for _, n in later) / (later[-1][0] - later[0][0]) if len(later) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--tab", type=int, help="stay on this tab (0 = Train ... 4 = Loss) "
                        "instead of switching every 1.5 s")
    parser.add_argument("--recording", choices=("both", "on", "off"), default="both",
                        help="keep the run (as the app does), not, or measure both")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat (each mode in the app, then headless) this often: on a "
                        "shared machine compare the ratios of the same round")
    args = parser.parse_args()
    modes = {"both": (True, False), "on": (True,), "off": (False,)}[args.recording]
    ratios: dict[bool, list[float]] = {mode: [] for mode in modes}
    try:
        for round_ in range(1, args.rounds + 1):
            order = modes if round_ % 2 else modes[::-1]  # neither always goes first
            results = {mode: in_app(args.seconds, args.tab, mode) for mode in order}
            head_rate = headless(args.seconds)
            for mode, (stalls, app_rate) in results.items():
                ratios[mode].append(app_rate / head_rate)
                report(round_, mode, stalls, app_rate, head_rate)
    finally:
        shutil.rmtree(USER_DIR, ignore_errors=True)
    if args.rounds > 1:
        print("median of the rounds: " + ", ".join(
            f"{'run kept' if mode else 'run not kept'} {statistics.median(r):.0%} of headless"
            for mode, r in ratios.items()))


def report(round_: int, mode: bool, stalls: list[float], app_rate: float,
           head_rate: float) -> None:
    stalls_sorted = sorted(stalls)
    p99 = stalls_sorted[int(0.99 * (len(stalls_sorted) - 1))]
    what = f"round {round_}, {'run kept' if mode else 'run not kept'}"
    print(f"{what}: UI thread, {len(stalls)} ticks of {TICK_MS} ms while training in the "
          f"window: stall median {statistics.median(stalls):.1f} ms, p99 {p99:.1f} ms, "
          f"max {stalls_sorted[-1]:.1f} ms")
    print(f"{what}: training throughput in the app {app_rate:,.0f} samples/s, headless "
          f"{head_rate:,.0f} samples/s -> {app_rate / head_rate:.0%} of headless", flush=True)

if __name__ == "__main__":
    main()
