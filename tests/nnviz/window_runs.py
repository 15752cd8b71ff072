"""Short training runs in a main window, for the window's tests."""

from __future__ import annotations

from tests.nnviz.small_data import small_sample


def small_run(window, epochs=1, batch=100):
    """Set the window up for a short run: 800 training digits of the sample (640 train,
    160 validate), ``epochs`` epochs of batches of ``batch``."""
    window.session.use_dataset(small_sample(800, 200))
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
