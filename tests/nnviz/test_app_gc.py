"""Cycles are collected on the UI thread only (never on a training thread, where freeing
Qt objects raced the UI thread's own deletion of them)."""

from __future__ import annotations

import gc
import weakref

from nnviz.app import collect_garbage_on_the_ui_thread


def test_the_automatic_collector_is_off_and_a_ui_timer_collects_instead(qapp, qtbot):
    collect_garbage_on_the_ui_thread(qapp)
    collector = qapp._nnviz_garbage_collector
    collect_garbage_on_the_ui_thread(qapp)  # once per application
    assert qapp._nnviz_garbage_collector is collector
    assert not gc.isenabled() and collector.timer.isActive()

    class Cycle:
        pass

    freed = []
    probe = Cycle()
    probe.self = probe
    ref = weakref.ref(probe, lambda _: freed.append(True))
    del probe
    for _ in range(collector.threshold[0] + 10):  # enough new objects for a collection
        a, b = Cycle(), Cycle()
        a.b, b.a = b, a
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)  # the timer's collection freed it
    assert freed
