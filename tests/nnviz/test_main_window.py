"""The main window end to end, offscreen: opening, training live, control, errors, and
what one tab hands to the others."""

from __future__ import annotations

import numpy as np
import pytest

from core.optimizers import Adam
from nnviz.main_window import TAB_NAMES
from tests.nnviz.window_runs import small_run, trained


def test_opens_with_no_data_folder_on_the_sample_and_a_model(window):
    assert window.session.dataset.is_sample
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Train", "Network", "Inside", "Draw", "Regularization", "Loss"]
    assert window.findChild(type(window.draw_tab.canvas), "drawCanvas") is not None
    for name in ("startButton", "pauseButton", "stepButton", "stopButton", "lrSpin",
                 "datasetCombo", "trainCurves", "confusionMatrix"):
        assert window.findChild(object, name) is not None, name


def test_short_training_run_emits_progress_draws_curves_and_finishes(window, qtbot):
    tab = small_run(window, epochs=1)
    with qtbot.waitSignals([window.controller.batchesReady, window.controller.epochFinished,
                            window.controller.runFinished], timeout=60000):
        tab.start_button.click()
    assert not window.controller.is_running
    assert len(tab.curves.batch_data()["loss"]) >= 1
    assert window.session.report is not None
    assert window.session.report.confusion.sum() == 160  # the 800-digit slice validates on 160
    assert window.session.steps_trained > 0
    assert "batch 7/7" in tab.progress.text()  # the last batch is shown, not a throttled one


def test_pause_resume_step_and_stop_while_running(window, qtbot):
    tab = small_run(window, epochs=20)
    trainer_states = []
    window.controller.stateChanged.connect(lambda s, m: trainer_states.append(s))
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        tab.start_button.click()
    with qtbot.waitSignal(window.controller.stateChanged, timeout=2000,
                          check_params_cb=lambda s, m: s == "paused"):
        tab.pause_button.click()
    assert tab.pause_button.text() == "Resume"
    steps = window.controller.trainer.model.optimizer.iterations
    with qtbot.waitSignal(window.controller.snapshotReady, timeout=2000):
        tab.step_button.click()
    with qtbot.assertNotEmitted(window.controller.batchesReady, wait=100):  # one batch only
        pass
    assert window.controller.trainer.model.optimizer.iterations == steps + 1
    with qtbot.waitSignal(window.controller.stateChanged, timeout=2000,
                          check_params_cb=lambda s, m: s == "running"):
        tab.pause_button.click()
    with qtbot.waitSignal(window.controller.runFinished, timeout=1000):
        tab.stop_button.click()
    assert trainer_states[-1] == "stopped"


def test_learning_rate_change_mid_run_reaches_the_engine(window, qtbot):
    tab = small_run(window, epochs=20)
    with qtbot.waitSignal(window.controller.batchesReady, timeout=10000):
        tab.start_button.click()
    tab.lr_spin.setValue(0.0123)
    trainer = window.controller.trainer

    def reached() -> bool:
        return trainer.model.optimizer.lr == pytest.approx(0.0123)

    qtbot.waitUntil(reached, timeout=2000)
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_bad_data_folder_reports_and_keeps_the_previous_data(window, tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    before = window.session.dataset
    assert not window.train_tab.open_dataset(tmp_path)
    assert window.session.dataset is before
    assert window.last_error is not None and "data set" in window.last_error[0]


def test_save_then_load_model_round_trips(window, tmp_path):
    path = tmp_path / "model.npz"
    assert window.save_model(path)
    x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    expected = window.session.view_model.predict(x)
    window.train_tab.reset_weights()
    assert not np.allclose(window.session.view_model.predict(x), expected)
    assert window.load_model(path)
    np.testing.assert_allclose(window.session.view_model.predict(x), expected, rtol=1e-6)


def test_loading_a_bad_model_keeps_the_current_one(window, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    model = window.session.model
    assert not window.load_model(bad)
    assert window.session.model is model
    assert "model" in window.last_error[0]


def test_diverging_run_pauses_itself_and_says_why(window, qtbot):
    tab = small_run(window, epochs=5)
    tab.lr_spin.setValue(10.0)
    with qtbot.waitSignal(window.controller.stateChanged, timeout=20000,
                          check_params_cb=lambda s, m: s == "diverged"):
        tab.start_button.click()
    assert window.last_error is None  # said once, in the banner: no dialog on top
    assert tab.progress.state() == "diverged" and "learning rate" in tab.progress.message()
    assert not tab.progress.message_label.isHidden()
    assert "diverged" in window.statusBar().currentMessage()  # and one short line
    spike = window.controller.trainer.diverged_batch
    loss = tab.curves.batch_data()["loss"]
    assert loss[-1] == spike["loss"] or not np.isfinite(loss[-1])  # the spike is drawn
    assert tab.curves.plots.divergence_marks() == [tab.curves.batch_data()["epoch_position"][-1]]
    if np.isfinite(spike["loss"]):  # the y range takes the spike in, linear and log alike
        top = window.train_tab.curves.plots.loss_plot.vb
        assert top.viewRange()[1][1] >= spike["loss"]
        tab.curves.set_log_y(True)
        qtbot.waitUntil(lambda: top.viewRange()[1][1] >= np.log10(spike["loss"]), timeout=2000)
    model = window.controller.trainer.model
    assert all(np.isfinite(w).all() for w in model.get_weights())
    tab.stop()
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=2000)


def test_clicking_a_confusion_cell_shows_those_digits(window, qtbot):
    tab = small_run(window, epochs=1)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    report = window.session.report
    confusion = report.confusion.copy()
    np.fill_diagonal(confusion, 0)
    true_class, predicted = np.unravel_index(confusion.argmax(), confusion.shape)
    tab.confusion.cellClicked.emit(int(true_class), int(predicted))
    assert tab.gallery.total_count() == confusion[true_class, predicted] > 0
    tab.confusion.cellClicked.emit(3, 3)
    assert tab.gallery.total_count() == report.confusion[3, 3]


def test_personal_drawings_can_be_mixed_into_training(window, qtbot):
    digits = window.draw_tab.personal_digits
    for label in (1, 7, 9):
        digits.add(np.full((28, 28), 0, np.uint8) + np.eye(28, dtype=np.uint8) * 255, label)
    tab = small_run(window, epochs=1)
    tab.personal_check.setChecked(True)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    assert len(window.controller.trainer.x) == 640 + 3  # 640 of the slice, 3 drawings


def test_opening_an_idx_folder_switches_the_data(window, tmp_path):
    from tests.core.test_data import make_idx_folder

    make_idx_folder(tmp_path / "digits", n_train=50, n_test=10)
    assert window.train_tab.open_dataset(tmp_path / "digits")
    assert window.session.dataset.x_train.shape == (50, 28, 28)
    assert "50 train" in window.data_label.text()


def test_window_fits_a_small_laptop_screen(window):
    minimum = window.minimumSizeHint()
    assert minimum.width() <= 1200 and minimum.height() <= 680, minimum


def test_a_data_set_opened_by_hand_shows_in_the_combo(window, tmp_path):
    from tests.core.test_data import make_idx_folder

    make_idx_folder(tmp_path / "mine", n_train=40, n_test=10)
    combo = window.train_tab.dataset_combo
    assert window.train_tab.open_dataset(tmp_path / "mine")
    assert combo.currentData() == "custom" and str(tmp_path / "mine") in combo.currentText()
    assert window.train_tab.open_dataset("sample")
    assert combo.currentData() == "sample" and combo.findData("custom") < 0


def test_restarting_keeps_the_adam_state_and_its_step_count(window, qtbot):
    tab = small_run(window, epochs=1)
    tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("adam"))
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    first = window.session.model.optimizer
    steps = first.iterations
    assert isinstance(first, Adam) and first.lr == pytest.approx(0.001)
    window.session.make_trainer(tab.current_settings())
    assert window.session.model.optimizer is first and first.iterations == steps


def test_featurewise_standardisation_reaches_every_view(window, qtbot):
    from nnviz.session import StandardizedModel

    tab = small_run(window, epochs=1)
    tab.center_check.setChecked(True)
    tab.std_check.setChecked(True)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
    view = window.session.model_for_views()
    assert isinstance(view, StandardizedModel)
    assert isinstance(view.clone(), StandardizedModel)
    x = np.random.default_rng(0).random((1, 1, 28, 28), dtype=np.float32)
    expected = window.session.view_model.predict(window.session.augmenter.standardize(x))
    np.testing.assert_allclose(view.predict(x), expected)
    inside_model = window.inside_tab.model()
    np.testing.assert_allclose(inside_model.predict(x), expected, rtol=1e-5)


def test_a_failed_start_changes_nothing(window, tmp_path):
    from tests.core.test_data import make_idx_folder

    make_idx_folder(tmp_path / "one", n_train=1, n_test=1)
    assert window.train_tab.open_dataset(tmp_path / "one")
    model = window.session.model
    optimizer = model.optimizer
    window.train_tab.l2_spin.setValue(0.5)
    window.train_tab.start()
    assert not window.controller.is_running
    assert "no training digits" in window.last_error[1]
    assert window.session.model is model and model.optimizer is optimizer
    assert model.regularization_loss() == 0


# -- bad input from the File menu: a message, never a crash ------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02\x03", "not an .npz file"),
    (np.lib.format.MAGIC_PREFIX + b"\x01\x00", "a single .npy array"),
    (b"PK\x05\x06" + bytes(18), "lacks the array '__nnviz__'|not an nnviz model"),
])
def test_file_load_model_with_a_bad_file_says_why_in_a_dialog(window, tmp_path, content,
                                                              message):
    import re

    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    origin = window.session.model_origin
    assert not window.load_model(bad)
    assert window.last_error[0] == "Cannot load this model"
    assert re.search(message, window.last_error[1])
    assert window.session.model_origin == origin
    assert window.findChild(object, "errorBox") is not None


def test_file_open_data_set_with_a_bad_file_says_why_in_a_dialog(window, tmp_path):
    from tests.core.hostile import npy_bytes, raw_zip, stored

    bad = tmp_path / "locked.npz"
    member = npy_bytes(np.zeros(3, np.uint8))
    bad.write_bytes(raw_zip([stored(f"{k}.npy", member, flags=1)
                             for k in ("x_train", "y_train", "x_test", "y_test")]))
    assert not window.train_tab.open_dataset(bad)
    assert window.last_error == ("Cannot open this data set", window.last_error[1])
    assert "locked.npz is encrypted" in window.last_error[1]
    assert window.session.dataset.is_sample


def test_reset_weights_shows_an_undo_that_brings_the_model_back(window, qtbot):
    model = window.session.model
    assert window.undo_button.isHidden() and not window.undo_action.isEnabled()
    window.train_tab.reset_weights()
    assert not window.undo_button.isHidden() and window.undo_action.isEnabled()
    window.undo_button.click()
    assert window.session.model is model and window.undo_button.isHidden()
    assert window.session.is_pretrained()


def test_a_digit_clicked_on_the_train_tab_becomes_the_inside_tabs_input(window, qtbot):
    tab = trained(window, qtbot)
    window.tabs.setCurrentIndex(0)
    results = tab.results
    assert results.gallery.shown_count() > 0
    report, (images, labels) = window.session.report, window.session.validation_digits
    results.choose_digit(0)
    assert window.tabs.currentIndex() == TAB_NAMES.index("Inside")
    np.testing.assert_allclose(window.inside_tab.current_input()[0],
                               images[report.misclassified[0]] / 255.0, atol=1e-6)
    assert str(labels[report.misclassified[0]]) in window.statusBar().currentMessage()
    assert window.draw_tab.canvas.has_picture()  # and on the Draw tab, classified there
    drawn, raw = window.draw_tab.current_input(), window.inside_tab.current_input()[0]
    assert np.corrcoef(drawn.ravel(), raw.ravel())[0, 1] > 0.8  # the same digit, re-framed
    assert window.draw_tab.current_prediction()[0] is not None


def test_at_1366_by_768_the_train_tab_fits_and_its_plots_stay_readable(window, qtbot):
    window.resize(1366, 768)
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.train_tab.isVisible())
    scroll = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: not scroll.verticalScrollBar().isVisible(), timeout=3000)
    assert window.train_tab.minimumSizeHint().height() <= scroll.viewport().height()
    plots = window.train_tab.curves.plots
    for plot in plots.plot_items:
        assert plot.vb.height() >= 55, plot.titleLabel.text
    assert plots.loss_plot.vb.height() >= 90
    assert not plots.loss_plot.legend  # the legend is a line of text above, not a box on top


def test_messages_and_the_undo_button_never_move_the_tabs(window, qtbot):
    window.resize(1366, 768)
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.train_tab.isVisible())
    height = window.tabs.height()
    window.statusBar().showMessage("A long status line " * 20)
    window.train_tab.reset_weights()  # shows the Undo button
    qtbot.waitUntil(lambda: window.undo_button.isVisible())
    qtbot.wait(20)
    assert window.tabs.height() == height


# -- the Draw tab's Teach, pictures and credits -------------------------------------------
def test_a_taught_model_reaches_every_view_and_undo_brings_the_old_one(window, qtbot):
    from core.data import load_sample
    from core.teach import ReplayData, TeachConfig

    tab = window.draw_tab
    data = load_sample()
    tab.teach_runner.set_replay(ReplayData(data.x_train, data.y_train, data.x_test[:100],
                                           data.y_test[:100], "sample test"))
    tab.teach_runner.config = TeachConfig(steps=6, final_steps=2)
    for k in range(20):
        tab.personal_digits.add(data.x_test[k], int(data.y_test[k]))
    before = window.session.model.get_weights()
    with qtbot.waitSignal(window.session.modelChanged, timeout=60000):
        tab.teach_button.click()
    assert "taught" in window.session.model_origin
    taught = window.session.model.get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(taught, before, strict=True))
    for view in (window.inside_tab.model(), tab.state.model):
        np.testing.assert_array_equal(view.get_weights()[0], taught[0])
    with qtbot.waitSignal(window.session.modelChanged):
        tab.undo_teach_button.click()
    for w, w0 in zip(window.session.model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(w, w0)


def test_teaching_waits_while_training_runs(window, qtbot):
    tab = small_run(window, epochs=1)
    with qtbot.waitSignal(window.controller.runFinished, timeout=60000):
        tab.start_button.click()
        qtbot.waitUntil(lambda: not window.draw_tab.teach_button.isEnabled())
        assert "training is running" in window.draw_tab.teach_button.toolTip()
    qtbot.waitUntil(window.draw_tab.teach_button.isEnabled)


def test_classify_an_image_opens_it_on_the_draw_tab(window, tmp_path):
    from tests.nnviz.tabs.draw.pictures import save, seven

    assert window.classify_image(save(tmp_path / "seven.png", 1.0 - seven()))
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Draw"
    assert window.draw_tab.canvas.has_picture()
    assert window.draw_tab.current_prediction()[0] == 7
    blank = save(tmp_path / "blank.png", np.ones((40, 40), np.float32))
    assert not window.classify_image(blank)
    assert window.last_error[0] == "Cannot classify this picture"
    assert "No digit-like ink" in window.last_error[1]


def test_the_data_help_credits_both_data_sets(window):
    from nnviz.main_window import data_help

    text = data_help()
    for credit in ("LeCun", "Cortes", "Burges", "CC BY-SA 3.0", "pendigits", "Alpaydin",
                   "Alimoglu", "UCI Machine Learning Repository", "CC BY 4.0"):
        assert credit in text, credit
