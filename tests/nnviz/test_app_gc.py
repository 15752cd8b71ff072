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

    probe = Cycle()
    probe.self = probe
    ref = weakref.ref(probe)
    del probe
    for _ in range(20):  # new objects until the collector's check finds it worth collecting
        for _ in range(collector.threshold[0] + 10):
            a, b = Cycle(), Cycle()
            a.b, b.a = b, a
        collector.check()  # what its timer calls every second on the UI thread
        if ref() is None:
            break
    assert ref() is None
