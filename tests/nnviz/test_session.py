"""The session: models in and out, what a run is prepared with, and what it keeps of a run."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz.settings
from core.data import Dataset
from core.diagnostics import take_snapshot
from core.layers import Activation, Dense, Dropout, Flatten
from core.model import Sequential
from core.model_file import ModelFileError
from core.models import tutorial_cnn
from core.training import validation_report
from nnviz.session import (
    Session,
    StandardizedModel,
    TrainingSettings,
    is_tutorial_cnn,
    kernel_zero_fractions,
)
from tests.nnviz.small_data import small_sample


@pytest.fixture
def small() -> Dataset:
    """300 training and 50 test digits of the shipped sample."""
    return small_sample(300, 50)


def dense_model() -> Sequential:
    """A model that is not the tutorial CNN: flatten, one dense softmax layer."""
    model = Sequential(input_shape=(1, 28, 28), seed=0)
    model.add(Flatten())
    model.add(Dense(10))
    model.add(Activation("softmax"))
    model.compile("categorical_crossentropy", {"name": "sgd", "lr": 0.1})
    return model


@pytest.fixture
def session(qtbot, small) -> Session:
    return Session(small, tutorial_cnn(seed=0))


def test_training_settings_are_still_importable_from_the_session() -> None:
    assert TrainingSettings is nnviz.settings.TrainingSettings


def test_the_view_model_is_a_copy_with_the_same_weights(session) -> None:
    assert session.view_model is not session.model
    for a, b in zip(session.view_model.get_weights(), session.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
        assert not np.shares_memory(a, b)


def test_has_dropout_asks_the_layers_types(small) -> None:
    assert not Session(small, tutorial_cnn()).has_dropout()
    assert Session(small, tutorial_cnn(dropout=0.3)).has_dropout()


def test_the_tutorial_cnn_is_recognised_by_its_layers_not_its_name() -> None:
    renamed = tutorial_cnn()
    renamed.name = "my_own_name"
    assert is_tutorial_cnn(renamed)
    assert is_tutorial_cnn(tutorial_cnn(dropout=0.25))
    assert not is_tutorial_cnn(dense_model())


def test_zero_fractions_without_a_snapshot_are_the_view_models(session) -> None:
    session.view_model.named_params()["dense_1.W"][:64] = 0.0  # 64 of 256 rows
    fractions = session.zero_fractions()
    assert fractions == kernel_zero_fractions(session.view_model)
    assert fractions["dense_1"] == pytest.approx(0.25)
    assert set(fractions) == {"conv2d_1", "conv2d_2", "conv2d_3", "dense_1", "dense_2"}


def test_zero_fractions_with_a_snapshot_are_the_snapshots(session, qtbot) -> None:
    trained = tutorial_cnn(seed=5)
    trained.named_params()["conv2d_1.W"][...] = 0.0
    snapshot = take_snapshot(trained)
    with qtbot.waitSignal(session.weightsChanged):
        session.apply_snapshot(snapshot)
    assert session.zero_fractions() == snapshot.zero_fractions()
    assert session.zero_fractions()["conv2d_1"] == 1.0


def test_apply_snapshot_copies_the_weights_into_the_view_model(session) -> None:
    snapshot = take_snapshot(tutorial_cnn(seed=9))
    session.apply_snapshot(snapshot)
    params = session.view_model.named_params()
    for name, w in snapshot.weights.items():
        np.testing.assert_array_equal(params[name], w)
        assert not np.shares_memory(params[name], w)
    assert session.snapshot is snapshot and session.steps_trained == snapshot.step


def test_a_report_is_recorded_and_announced_and_none_is_not(session, qtbot) -> None:
    probs = np.eye(10)[np.arange(20) % 10]
    report = validation_report(0, probs, np.arange(20) % 10)
    with qtbot.waitSignal(session.reportChanged):
        session.record_epoch({"epoch": 0, "loss": 0.1}, report)
    assert session.report is report
    with qtbot.assertNotEmitted(session.reportChanged):
        session.record_epoch({"epoch": 1, "loss": 0.1}, None)
    assert session.report is report


def test_a_run_holds_out_the_last_share_and_keeps_those_digits(session, small) -> None:
    trainer = session.make_trainer(TrainingSettings(validation_split=0.2, epochs=1))
    assert len(trainer.x) == 240
    images, labels = session.validation_digits
    np.testing.assert_array_equal(images, small.x_train[240:])
    np.testing.assert_array_equal(labels, small.y_train[240:])


@pytest.mark.parametrize(("change", "message"), [
    ({"batch_size": 0}, "positive"), ({"optimizer": "nonsense"}, "unknown optimizer"),
])
def test_bad_settings_are_refused_and_change_nothing(session, change, message) -> None:
    model, optimizer = session.model, session.model.optimizer
    with pytest.raises(ValueError, match=message):
        session.make_trainer(TrainingSettings(l2=0.5, **change))
    assert session.model is model and model.optimizer is optimizer
    assert model.regularization_loss() == 0 and session.validation_digits is None


def test_dropout_rebuilds_the_tutorial_cnn_with_its_weights(session, qtbot) -> None:
    session.model.name = "renamed"  # recognised by its layers
    before = session.model.get_weights()
    with qtbot.waitSignal(session.modelChanged):
        session.make_trainer(TrainingSettings(dropout=0.3, epochs=1))
    assert session.has_dropout()
    assert [layer.rate for layer in session.model.layers if isinstance(layer, Dropout)] == [
        0.3, 0.3]
    for a, b in zip(session.model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_dropout_goes_before_each_dense_layer_of_any_network(small, qtbot) -> None:
    """The dropout setting is the rate of every Dropout layer; a network without one (here
    neither the tutorial CNN nor a preset) gets one before each Dense layer, weights kept."""
    session = Session(small, dense_model())
    before = session.model.get_weights()
    with qtbot.waitSignal(session.modelChanged):
        session.make_trainer(TrainingSettings(dropout=0.3, epochs=1))
    assert [type(layer) for layer in session.model.layers] == [Flatten, Dropout, Dense,
                                                              Activation]
    assert session.model.layers[1].rate == 0.3
    for a, b in zip(session.model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
    with qtbot.assertNotEmitted(session.modelChanged):  # it has Dropout now: only the rate
        session.make_trainer(TrainingSettings(dropout=0.5, epochs=1))
    assert session.model.layers[1].rate == 0.5


def test_a_restart_keeps_the_optimizer_and_its_step_count(session) -> None:
    settings = TrainingSettings(optimizer="adam", lr=0.001, epochs=1)
    session.make_trainer(settings)
    adam = session.model.optimizer
    adam.iterations = 17
    session.make_trainer(settings)
    assert session.model.optimizer is adam and adam.iterations == 17


def test_featurewise_standardisation_wraps_the_view_model(session, qtbot) -> None:
    settings = TrainingSettings(epochs=1)
    settings.augmentation.featurewise_center = True
    with qtbot.waitSignal(session.modelChanged):  # the views feed the model differently
        session.make_trainer(settings)
    view = session.model_for_views()
    assert isinstance(view, StandardizedModel)
    x = np.random.default_rng(0).random((2, 1, 28, 28), dtype=np.float32)
    np.testing.assert_allclose(
        view.predict(x), session.view_model.predict(session.augmenter.standardize(x)))


def test_reset_builds_an_untrained_model_with_the_settings(session, qtbot) -> None:
    session.apply_snapshot(take_snapshot(session.model))
    with qtbot.waitSignal(session.modelChanged):
        session.reset_model(TrainingSettings(dropout=0.2, l2=1e-3), seed=3)
    assert session.has_dropout() and "seed 3" in session.model_origin
    assert session.model.regularization_loss() > 0
    assert session.snapshot is None and session.report is None and session.steps_trained == 0


def test_a_saved_model_loads_back(session, tmp_path) -> None:
    path = tmp_path / "model.npz"
    session.save_model(path)
    other = Session(session.dataset, tutorial_cnn(seed=4))
    other.load_model(path)
    for a, b in zip(other.model.get_weights(), session.view_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_model_for_other_inputs_is_refused_and_the_current_one_kept(session, tmp_path) -> None:
    wrong = Sequential(input_shape=(1, 14, 14), seed=0)
    wrong.add(Flatten())
    wrong.add(Dense(10))
    wrong.compile("categorical_crossentropy", {"name": "sgd", "lr": 0.1})
    path = tmp_path / "wrong.npz"
    wrong.save(path)
    model = session.model
    with pytest.raises(ModelFileError, match="1×28×28"):
        session.load_model(path)
    assert session.model is model


def _session_state(session: Session) -> tuple:
    return (session.model, session.view_model, session.model_origin, session.model.optimizer,
            session.snapshot, session.report, session.steps_trained)


@pytest.mark.parametrize("dtype", ["int8", "object", "U5", "complex64"])
def test_a_non_float_layer_dtype_is_refused_and_nothing_changes(session, tmp_path, qtbot,
                                                                 dtype) -> None:
    import json

    path = tmp_path / "m.npz"
    tutorial_cnn(seed=1).save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    header = json.loads(str(arrays.pop("__nnviz__")))
    header["model"]["layers"][0]["config"]["dtype"] = dtype
    np.savez(path, __nnviz__=np.array(json.dumps(header)), **arrays)
    before = _session_state(session)
    with qtbot.assertNotEmitted(session.modelChanged):
        with pytest.raises(ModelFileError, match="dtype must be one of float32, float64"):
            session.load_model(path)
    assert _session_state(session) == before


def test_a_load_that_fails_after_reading_leaves_everything_as_it_was(session, tmp_path, qtbot,
                                                                      monkeypatch) -> None:
    """The copy for the views is made before anything is swapped in: when making it fails,
    the model, the view model, the origin and the optimizer are the old ones."""
    path = tmp_path / "m.npz"
    tutorial_cnn(seed=1).save(path)
    before = _session_state(session)

    def failing_clone(self):
        raise ValueError("the copy for the views could not be made")

    monkeypatch.setattr(Sequential, "clone", failing_clone)
    with qtbot.assertNotEmitted(session.modelChanged):
        with pytest.raises(ModelFileError, match="m.npz cannot be used: the copy for the views"):
            session.load_model(path)
    assert _session_state(session) == before


def test_places_the_data_search_cannot_look_into_are_listed(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NNVIZ_DATA", "x" * 5000)
    problems = Session.unreachable_data_places()
    assert len(problems) == 1 and "File name too long" in problems[0]  # once, not per data set
    assert Session.available_datasets()["sample"] is None


def test_a_data_set_already_loaded_can_be_used_and_the_views_hear_of_it(qtbot):
    from tests.nnviz.small_data import small_sample

    session = Session(small_sample(300, 50))
    data = small_sample(800, 200)
    with qtbot.waitSignal(session.datasetChanged, timeout=1000):
        session.use_dataset(data)
    assert session.dataset is data
