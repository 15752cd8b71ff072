"""Short training runs in a main window, for the window's tests."""

from __future__ import annotations


def small_run(window, epochs=1, batch=100):
    tab = window.train_tab
    tab.epochs_spin.setValue(epochs)
    tab.batch_spin.setValue(batch)
    return tab


def trained(window, qtbot, epochs=1):
    """Train the window's model for a short run (its weights are then unsaved)."""
    tab = small_run(window, epochs=epochs)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    assert window.session.unsaved
    return tab
