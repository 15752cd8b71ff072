"""The window's keys, offscreen: Space and Esc wherever the focus is, the shortcut list,
and the mouse wheel over a setting."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QScrollArea

from tests.nnviz.window_runs import small_run


def test_space_toggles_pause(window, qtbot):
    tab = small_run(window, epochs=20)
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        tab.start_button.click()
    with qtbot.waitSignal(window.controller.stateChanged, timeout=2000,
                          check_params_cb=lambda s, m: s == "paused"):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_space_still_toggles_a_focused_check_box(window, qtbot):
    check = window.train_tab.personal_check
    window.tabs.setCurrentIndex(0)
    check.setFocus()
    before = check.isChecked()
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.isChecked() != before
    assert not window.controller.is_running


def test_space_in_a_number_field_starts_pauses_and_resumes(window, qtbot):
    tab = small_run(window, epochs=20)
    window.tabs.setCurrentIndex(0)
    lr = tab.lr_spin
    lr.setFocus()
    lr.lineEdit().selectAll()
    qtbot.keyClicks(lr.lineEdit(), "0.02")  # typed, not yet committed
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        qtbot.keyClick(lr, Qt.Key.Key_Space)  # stopped: Space starts
    assert window.controller.is_running and tab.settings.lr == pytest.approx(0.02)
    assert lr.text() == "0.02"  # the field kept its number, no space typed into it
    with qtbot.waitSignal(window.controller.stateChanged, timeout=3000,
                          check_params_cb=lambda s, m: s == "paused"):
        qtbot.keyClick(lr, Qt.Key.Key_Space)
    with qtbot.waitSignal(window.controller.stateChanged, timeout=3000,
                          check_params_cb=lambda s, m: s == "running"):
        qtbot.keyClick(lr, Qt.Key.Key_Space)
    with qtbot.waitSignal(window.controller.stateChanged, timeout=3000,
                          check_params_cb=lambda s, m: s == "paused"):
        qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc pauses ...
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # ... and never resumes
    assert window.controller.is_paused
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_the_shortcut_list_names_every_training_key():
    from nnviz.main_window import SHORTCUTS_HELP

    for key in ("Space", "Esc", "Ctrl+Return", "Ctrl+.", "F1", "Ctrl+Q"):
        assert f"<b>{key}</b>" in SHORTCUTS_HELP, key


def test_the_wheel_over_a_setting_does_not_change_it(window, qtbot):
    from tests.nnviz.widgets.test_wheel_guard import wheel

    window.resize(1366, 768)
    window.tabs.setCurrentIndex(0)
    window.tabs.setFocus()
    epochs = window.train_tab.epochs_spin
    scroll = epochs.parentWidget()
    while not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    wheel(epochs)
    wheel(window.train_tab.optimizer_combo)
    assert epochs.value() == 10 and window.train_tab.optimizer_combo.currentData() == "sgd"
    assert scroll.verticalScrollBar().value() > 0  # the settings column scrolled instead
