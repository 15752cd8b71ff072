"""Training settings: defaults, dotted paths, JSON round trip, and the earlier flat files."""

from __future__ import annotations

import json

import pytest

from core.augmentation import AugmentationConfig
from core.models import TUTORIAL_OPTIMIZER
from nnviz.settings import RANGES, TrainingSettings


def test_defaults_are_the_tutorials() -> None:
    s = TrainingSettings()
    assert s.optimizer_config() == TUTORIAL_OPTIMIZER
    assert (s.batch_size, s.epochs, s.validation_split) == (100, 10, 0.2)
    assert s.augmentation == AugmentationConfig()
    assert TrainingSettings().augmentation is not s.augmentation  # not shared


def test_other_optimizers_take_only_the_learning_rate() -> None:
    assert TrainingSettings(optimizer="adam", lr=0.002).optimizer_config() == {
        "name": "adam", "lr": 0.002}


def test_the_shift_range_is_both_shift_ranges() -> None:
    s = TrainingSettings()
    s.shift_range = 0.15
    assert s.augmentation.width_shift_range == s.augmentation.height_shift_range == 0.15
    assert s.shift_range == 0.15


def test_fields_by_dotted_path() -> None:
    s = TrainingSettings()
    s.set("lr", 0.01)
    s.set("augmentation.rotation_range", 25.0)
    assert s.get("lr") == 0.01 and s.lr == 0.01
    assert s.get("augmentation.rotation_range") == 25.0 == s.augmentation.rotation_range
    with pytest.raises(AttributeError, match="no training setting"):
        s.set("learning_rate", 0.1)
    with pytest.raises(AttributeError):
        s.get("augmentation.twirl")


def test_json_round_trip_of_every_field() -> None:
    s = TrainingSettings(optimizer="adagrad", lr=0.03, momentum=0.5, nesterov=False,
                         decay=1e-4, batch_size=32, epochs=3, validation_split=0.1, l1=1e-5,
                         l2=2e-4, dropout=0.25, use_personal_digits=True,
                         augmentation=AugmentationConfig(
                             featurewise_center=True, zca_whitening=True, rotation_range=20.0,
                             width_shift_range=0.1, height_shift_range=0.2, zoom_range=0.1,
                             horizontal_flip=True))
    text = s.to_json()
    assert isinstance(json.loads(text)["augmentation"], dict)
    assert TrainingSettings.from_json(text) == s


def test_the_earlier_flat_files_still_load() -> None:
    saved = {"optimizer": "sgd", "lr": 0.02, "epochs": 3, "rotation_range": 20.0,
             "shift_range": 0.2, "horizontal_flip": True, "vertical_flip": False,
             "featurewise_center": True, "featurewise_std_normalization": True,
             "zca_whitening": False, "use_personal_digits": True}
    s = TrainingSettings.from_json(json.dumps(saved))
    assert (s.lr, s.epochs, s.use_personal_digits) == (0.02, 3, True)
    a = s.augmentation
    assert a.rotation_range == 20.0 and a.horizontal_flip and not a.vertical_flip
    assert a.width_shift_range == a.height_shift_range == 0.2
    assert a.featurewise_center and a.featurewise_std_normalization and not a.zca_whitening


@pytest.mark.parametrize("text", [None, "", "not json", "[1, 2]", "42", '"text"'])
def test_unreadable_json_gives_the_defaults(text) -> None:
    assert TrainingSettings.from_json(text) == TrainingSettings()


def test_unknown_keys_and_wrong_types_fall_back_to_the_defaults() -> None:
    saved = {"lr": "fast", "epochs": 2.5, "batch_size": 64, "l2": 1, "nesterov": "yes",
             "colour": "red", "augmentation": {"rotation_range": "wild", "vertical_flip": True,
                                               "swirl": 3}}
    s = TrainingSettings.from_json(json.dumps(saved))
    default = TrainingSettings()
    assert s.lr == default.lr and s.epochs == default.epochs and s.nesterov == default.nesterov
    assert s.batch_size == 64
    assert s.l2 == 1.0 and isinstance(s.l2, float)  # an int is a fine float
    assert s.augmentation.rotation_range == 0.0 and s.augmentation.vertical_flip
    bad_nested = TrainingSettings.from_json(json.dumps({"augmentation": [1, 2]}))
    assert bad_nested.augmentation == AugmentationConfig()




@pytest.mark.parametrize(("saved", "note"), [
    ({"validation_split": 5}, "validation split 5 → 0.2"),
    ({"validation_split": -1}, "validation split -1 → 0.2"),
    ({"validation_split": float("nan")}, "validation split nan → 0.2"),
    ({"l1": -1}, "L1 -1 → 0"),
    ({"l1": float("nan")}, "L1 nan → 0"),
    ({"l2": float("inf")}, "L2 inf → 0"),
    ({"lr": 0}, "learning rate 0 → 0.05"),
    ({"batch_size": 0}, "batch size 0 → 100"),
    ({"epochs": 10**9}, "epochs 1e+09 → 10"),
    ({"dropout": 1.0}, "dropout 1 → 0"),
    ({"augmentation": {"rotation_range": 720}}, "rotation 720 → 0"),
    ({"augmentation": {"zca_epsilon": float("-inf")}}, "ZCA epsilon -inf → 1e-06"),
    ({"shift_range": 3}, "shift 3 → 0"),  # the earlier flat form
    ({"optimizer": "rmsprop"}, "optimizer 'rmsprop' → sgd"),
])
def test_saved_values_out_of_range_fall_back_to_their_defaults_and_say_so(saved, note) -> None:
    settings, notes = TrainingSettings.from_saved(json.dumps(saved))
    assert notes == [note]
    default = TrainingSettings()
    for path in RANGES:
        assert settings.get(path) == default.get(path)
    assert settings.optimizer == "sgd"


def test_values_in_range_are_kept_without_a_note() -> None:
    saved = {"validation_split": 0.9, "l1": 1.0, "lr": 1e-5, "batch_size": 10_000}
    settings, notes = TrainingSettings.from_saved(json.dumps(saved))
    assert notes == [] and settings.validation_split == 0.9 and settings.batch_size == 10_000


def test_the_spin_boxes_have_the_ranges_saved_values_are_checked_against(qtbot) -> None:
    from PyQt6.QtWidgets import QWidget

    from nnviz.tabs.train.controls import FIELDS, build_settings_column

    owner = QWidget()  # the builders put the controls on it, as on the Train tab
    qtbot.addWidget(owner)
    column = build_settings_column(owner)
    qtbot.addWidget(column)
    checked = 0
    for path, (_, low, high) in RANGES.items():
        if path in FIELDS:
            box = getattr(owner, FIELDS[path])
            assert (box.minimum(), box.maximum()) == pytest.approx((low, high)), path
            checked += 1
    assert checked == 11
