"""nnviz-train: a short headless run with a progress bar, saving a model."""

from __future__ import annotations

from core.cli import build_parser, main
from core.model import Sequential


def test_defaults_are_the_tutorials():
    args = build_parser().parse_args([])
    assert (args.epochs, args.batch_size, args.validation_split) == (10, 100, 0.2)
    assert args.optimizer == "sgd" and args.lr is None  # None: the tutorial's SGD(lr=0.05)


def test_other_optimizers_get_their_own_learning_rate(monkeypatch):
    from core import cli

    seen = {}
    original = cli.tutorial_cnn

    def spy(**kwargs):
        model = original(**kwargs)
        seen["model"] = model
        return model

    monkeypatch.setattr(cli, "tutorial_cnn", spy)
    assert main(["--sample", "--epochs", "1", "--limit", "200", "--optimizer", "adam"]) == 0
    assert seen["model"].optimizer.get_config()["lr"] == 0.001


def test_short_run_on_the_sample_saves_a_model(tmp_path, capsys):
    path = tmp_path / "m.npz"
    assert main(["--sample", "--epochs", "1", "--limit", "600", "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out and "val_accuracy" in out and "test accuracy" in out
    model = Sequential.load(path)
    assert "test_accuracy" in model.metadata


def test_bad_data_path_is_a_clear_error(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nowhere")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_download_then_train_on_it(mnist_mirror, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NNVIZ_MNIST_MIRROR", mnist_mirror.url("good"))
    assert main(["--download", "--epochs", "1", "--limit", "200"]) == 0
    captured = capsys.readouterr()
    assert "MNIST is ready in" in captured.err
    assert f"mnist: 300 training and 60 test images ({tmp_path}/.cache/nnviz/mnist)" \
        in captured.out and "test accuracy" in captured.out


def test_download_failure_is_one_line_and_no_training(mnist_mirror, tmp_path, monkeypatch,
                                                      capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NNVIZ_FASHION_MNIST_MIRROR", mnist_mirror.dead_url)
    assert main(["--download", "fashion-mnist", "--epochs", "1"]) == 2
    captured = capsys.readouterr()
    assert "nnviz-train: Could not reach any Fashion-MNIST mirror" in captured.err
    assert "Epoch" not in captured.out
