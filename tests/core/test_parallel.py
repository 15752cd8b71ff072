"""Data parallelism: shards cover the batch, replicas share the weights and follow the
layers, and sharded training and prediction give the numbers of a single pass."""

from __future__ import annotations

import numpy as np
import pytest

from core import regularizers
from core.layers import BatchNormalization, Dropout
from core.models import tutorial_cnn
from core.parallel import DataParallel, mixes_samples, shard_slices, single_threaded_blas
from tests.core.networks import batch, bn_cnn


def test_shards_cover_everything_once():
    for n in (1, 15, 32, 100, 101):
        slices = shard_slices(n, 3)
        covered = np.concatenate([np.arange(n)[s] for s in slices])
        np.testing.assert_array_equal(covered, np.arange(n))
        assert all(s.stop - s.start >= 16 for s in slices) or len(slices) == 1


def test_two_workers_train_like_one():
    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 64)
    reg = regularizers.l1_l2(1e-4, 1e-3)
    one = tutorial_cnn(seed=3, kernel_regularizer=reg, dropout=0.0)
    two = tutorial_cnn(seed=3, kernel_regularizer=reg, dropout=0.0)
    one.workers, two.workers = 1, 2
    for _ in range(3):
        logs_one = one.train_on_batch(x, y)
        logs_two = two.train_on_batch(x, y)
        assert abs(logs_two["loss"] - logs_one["loss"]) < 1e-5
        assert logs_two["accuracy"] == logs_one["accuracy"]
    for a, b in zip(one.get_weights(), two.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("loss", ["sum_squared_error", "mean_squared_error"])
def test_shards_and_chunks_add_up_for_a_summed_loss_as_for_a_mean(loss):
    """A sum over samples is not a mean: each shard (and chunk) counts whole, not by its
    share of the batch, so two workers and small chunks train exactly like one pass."""
    rng = np.random.default_rng(1)
    x = rng.random((96, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 96)
    models = [tutorial_cnn(seed=4, compile=False) for _ in range(3)]
    for model in models:
        model.compile(loss, {"name": "sgd", "lr": 0.01})
    models[0].workers = 1
    models[1].workers = 2
    models[2].workers, models[2].chunk_size = 2, 32
    logs = [model.train_on_batch(x, y) for model in models]
    for other in logs[1:]:
        assert other["loss"] == pytest.approx(logs[0]["loss"], rel=1e-5)
    for model in models[1:]:
        for a, b in zip(models[0].get_weights(), model.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def _bn_cnn_trained():
    model = bn_cnn(seed=1)
    model.train_on_batch(*batch(64))  # moving statistics away from their start
    return model


@pytest.mark.parametrize("build", [lambda: tutorial_cnn(seed=1), _bn_cnn_trained],
                         ids=["tutorial_cnn", "batch_normalization"])
def test_sharded_predict_equals_single_pass(build):
    model = build()
    x = np.random.default_rng(2).random((1500, 1, 28, 28), dtype=np.float32)
    model.workers = 1
    single = model.predict(x)
    model.workers = 2
    np.testing.assert_allclose(model.predict(x), single, rtol=1e-5, atol=1e-7)


def test_replicas_share_the_weights_but_not_gradients_or_penalties():
    model = tutorial_cnn(kernel_regularizer=regularizers.l2(1e-3))
    replicas = DataParallel(np.random.default_rng(0)).replicas(model.layers, 2)
    assert len(replicas) == 2
    for replica in replicas:
        for twin, layer in zip(replica, model.layers, strict=True):
            assert all(twin.params[k] is p for k, p in layer.params.items())
            assert all(twin.grads[k] is not g for k, g in layer.grads.items())
            assert twin.regularizers == {} and twin.rng is not layer.rng


def test_replicas_follow_the_layers_and_their_settings():
    model = tutorial_cnn(dropout=0.5)
    parallel = DataParallel(np.random.default_rng(0))
    first = parallel.replicas(model.layers, 2)
    dropout = next(i for i, layer in enumerate(model.layers) if isinstance(layer, Dropout))
    model.layers[dropout].rate = 0.1                  # changed between batches, e.g. by the GUI
    again = parallel.replicas(model.layers, 2)
    assert again[0][dropout] is first[0][dropout] and again[1][dropout].rate == 0.1
    model.layers.pop()                                # another stack: new replicas
    rebuilt = parallel.replicas(model.layers, 2)
    assert len(rebuilt[0]) == len(model.layers) and rebuilt[0][0] is not first[0][0]


def test_a_large_batch_in_chunks_has_the_gradient_of_one_pass():
    rng = np.random.default_rng(4)
    x = rng.random((1100, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 1100)
    reg = regularizers.l1_l2(1e-4, 1e-3)
    whole, chunked = (tutorial_cnn(seed=2, kernel_regularizer=reg) for _ in range(2))
    whole.chunk_size, chunked.chunk_size = 10**9, 256  # 256 + 256 + 256 + 256 + 76
    for _ in range(2):
        logs_whole = whole.train_on_batch(x, y)
        logs_chunked = chunked.train_on_batch(x, y)
        assert abs(logs_chunked["loss"] - logs_whole["loss"]) < 1e-5
        assert logs_chunked["accuracy"] == logs_whole["accuracy"]
    for name, g in whole.named_grads().items():
        np.testing.assert_allclose(chunked.named_grads()[name], g, rtol=1e-4, atol=1e-6,
                                   err_msg=name)
    for a, b in zip(whole.get_weights(), chunked.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-6)


def test_a_stop_between_chunks_abandons_the_batch(chunk_calls):
    from core import parallel

    model = tutorial_cnn(seed=0)
    model.chunk_size = 64
    before = model.get_weights()
    stop = chunk_calls.reached(2)  # requested while the second chunk is computed
    x = np.zeros((640, 1, 28, 28), np.float32)
    with pytest.raises(parallel.Interrupted):
        model.train_on_batch(x, np.zeros(640, np.int64), stop)
    assert chunk_calls.count == 2  # chunks 3..10 never ran
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert model.optimizer.iterations == 0


def test_batch_normalization_trains_sharded_as_in_one_pass():
    """BN normalises by the whole batch's statistics: a network with it is not split, so
    two workers give the single pass's numbers, moving statistics included."""
    x, y = batch(64)
    one, two = bn_cnn(seed=2), bn_cnn(seed=2)
    one.workers, two.workers = 1, 2
    for _ in range(3):
        logs_one, logs_two = one.train_on_batch(x, y), two.train_on_batch(x, y)
        assert logs_two["loss"] == pytest.approx(logs_one["loss"], abs=1e-6)
    for a, b in zip(one.get_weights(), two.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    for name, a in one.named_state().items():
        np.testing.assert_allclose(two.named_state()[name], a, rtol=1e-5, atol=1e-7)
    assert mixes_samples(two.layers) and not mixes_samples(tutorial_cnn().layers)


def test_shard_statistics_are_not_the_batch_statistics():
    """Why BN is kept whole: the mean of each half differs from the whole batch's."""
    x, _ = batch(64)
    x[:32] += 0.5
    whole, halves = BatchNormalization(), [BatchNormalization(), BatchNormalization()]
    y = whole.forward(x, training=True)
    sharded = np.concatenate([bn.forward(x[s], training=True)
                              for bn, s in zip(halves, shard_slices(64, 2), strict=True)])
    assert np.abs(sharded - y).max() > 0.1


def test_blas_stays_single_threaded_until_the_last_holder_leaves():
    """A GUI thread predicting while a worker trains: both hold BLAS to one thread, and
    the original count comes back only when both have left, whatever the order."""
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads() -> list[int]:
        return [info["num_threads"] for info in threadpoolctl.threadpool_info()
                if info["user_api"] == "blas"]

    before = blas_threads()
    first, second = single_threaded_blas(), single_threaded_blas()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first holder leaves before the second
    assert all(n == 1 for n in blas_threads())
    second.__exit__(None, None, None)
    assert blas_threads() == before
