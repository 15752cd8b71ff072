"""The Draw tab's pictures: files of every kind read and said, bad ones changing nothing,
a picture dropped on the canvas, and a data set's digit shown like a picture."""

from __future__ import annotations

import numpy as np

from core.data import load_sample
from tests.nnviz.tabs.draw.fakes import LinearModel
from tests.nnviz.tabs.draw.pictures import save, seven
from tests.strokes import DIGITS, draw_digit


def test_pictures_of_every_kind_are_read_and_said(tab, tmp_path, shipped_model):
    tab.set_model(shipped_model)
    cases = {
        "dark on light.png": (0.95 - 0.9 * seven(), "dark ink on light paper (inverted)"),
        "light on dark.bmp": (seven(), "light ink on a dark ground"),
        "huge.png": (0.9 - 0.8 * np.kron(seven(), np.ones((20, 20), np.float32)), "read at"),
        "tiny.png": (seven(14, 12), "light ink"),
    }
    for name, (gray, said) in cases.items():
        assert tab.open_picture(save(tmp_path / name, gray)), tab.picture_message()
        assert tab.canvas.has_picture() and said in tab.picture_status.text()
        assert tab.current_prediction()[0] == 7, name
        assert "picture" in tab.preprocess_panel.raw_detail.text()
    draw_digit(tab.canvas, DIGITS[1]["plain"])  # drawing goes back to the canvas
    assert not tab.canvas.has_picture() and tab.picture_status.text() == ""


def test_a_bad_picture_changes_nothing(tab, tmp_path):
    tab.set_model(LinearModel())
    draw_digit(tab.canvas, DIGITS[3]["round"])
    before = tab.current_input()
    blank = save(tmp_path / "blank.png", np.full((60, 80), 0.8, np.float32))
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    for path, said in ((blank, "No digit-like ink"), (corrupt, "cannot be read"),
                       (tmp_path / "missing.png", "no such file")):
        assert not tab.open_picture(path)
        assert said in tab.picture_message() and "unchanged" in tab.picture_message()
        assert not tab.canvas.has_picture() and tab.canvas.stroke_count() == 1
        np.testing.assert_array_equal(tab.current_input(), before)


def test_a_picture_dropped_on_the_canvas_is_classified(tab, tmp_path, qtbot):
    tab.set_model(LinearModel())
    path = save(tmp_path / "seven.png", seven())
    with qtbot.waitSignal(tab.predictionChanged):
        tab.canvas.pictureDropped.emit(str(path))
    assert tab.canvas.has_picture() and tab.current_input() is not None


def test_a_data_set_digit_is_shown_and_read_like_a_picture(tab, shipped_model):
    tab.set_model(shipped_model)
    data = load_sample()
    for k in range(5):
        assert tab.show_digit(data.x_test[k], int(data.y_test[k])), tab.picture_message()
        assert tab.canvas.has_picture() and f"a {data.y_test[k]}" in tab.picture_message()
        assert tab.current_prediction()[0] == data.y_test[k]
    before = tab.current_input()
    assert not tab.show_digit(np.zeros((28, 28), np.uint8), 3)  # no ink: said, unchanged
    assert "No digit-like ink" in tab.picture_message()
    np.testing.assert_array_equal(tab.current_input(), before)
