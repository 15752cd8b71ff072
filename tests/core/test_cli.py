"""nnviz-train: a short headless run with a progress bar, saving a model."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import build_parser, main
from core.model import Sequential

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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


# -- bad invocations: one line on stderr, exit status 2, nothing trained ----------------------
def bad_files(folder: Path) -> None:
    """The damaged data files some invocations below point at."""
    import zipfile

    import numpy as np

    from tests.core.hostile import npy_bytes, raw_zip, stored

    (folder / "junk.npz").write_bytes(b"\x00\x01\x02\x03")
    np.save(folder / "array.npy", np.zeros(3))
    (folder / "array.npy").rename(folder / "renamed.npz")
    member = npy_bytes(np.zeros(3, np.uint8))
    others = [stored(f"{name}.npy", member) for name in ("y_train", "x_test", "y_test")]
    for name, x_train in [
        ("encrypted", stored("x_train.npy", member, flags=1)),
        ("lzma", stored("x_train.npy", member, method=zipfile.ZIP_LZMA)),
        ("brace", stored("x_train.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': '|u1', ")),
    ]:
        (folder / f"{name}.npz").write_bytes(raw_zip([x_train, *others]))
    (folder / "empty").mkdir()
    (folder / "a_file").write_text("not a folder")
    (folder / "unwritable").mkdir()


BAD_INVOCATIONS = [
    ("--batch-size 0", "the batch size must be >= 1, got 0"),
    ("--batch-size -10", "the batch size must be >= 1, got -10"),
    ("--batch-size 1.5", "expected a whole number, got '1.5'"),
    ("--batch-size ten", "expected a whole number, got 'ten'"),
    ("--epochs 0", "the number of epochs must be >= 1, got 0"),
    ("--epochs -1", "the number of epochs must be >= 1, got -1"),
    ("--validation-split 1", r"the validation split must be in \[0, 1\), got 1"),
    ("--validation-split -0.1", r"the validation split must be in \[0, 1\), got -0.1"),
    ("--validation-split 5", r"the validation split must be in \[0, 1\), got 5"),
    ("--validation-split nan", "the validation split must be a finite number, got nan"),
    ("--dropout 1", r"the dropout rate must be in \[0, 1\), got 1"),
    ("--dropout 1.5", r"the dropout rate must be in \[0, 1\), got 1.5"),
    ("--dropout -0.5", r"the dropout rate must be in \[0, 1\)"),
    ("--l1 -1", "the L1 strength must be >= 0, got -1"),
    ("--l1 nan", "the L1 strength must be a finite number, got nan"),
    ("--l1 inf", "the L1 strength must be a finite number, got inf"),
    ("--l2 -1", "the L2 strength must be >= 0, got -1"),
    ("--l2 nan", "the L2 strength must be a finite number, got nan"),
    ("--lr 0", "the learning rate must be > 0, got 0"),
    ("--lr -0.1", "the learning rate must be > 0, got -0.1"),
    ("--lr inf", "the learning rate must be a finite number, got inf"),
    ("--lr nan", "the learning rate must be a finite number, got nan"),
    ("--seed -1", "the seed must be >= 0, got -1"),
    ("--seed 0.5", "expected a whole number, got '0.5'"),
    ("--limit 0", "the image limit must be >= 1, got 0"),
    ("--limit -5", "the image limit must be >= 1, got -5"),
    ("--optimizer rmsprop", "invalid choice: 'rmsprop'"),
    ("--unknown", "unrecognized arguments: --unknown"),
    ("--save {tmp}", "cannot save to {tmp}: it is a folder"),
    ("--save {tmp}/a_file/m.npz", "cannot save to {tmp}/a_file/m.npz: {tmp}/a_file is not a "
     "folder"),
    ("--save {tmp}/unwritable/m.npz", "cannot save to {tmp}/unwritable/m.npz: permission denied"),
    ("--data {tmp}/missing", "{tmp}/missing: no such file or folder"),
    ("--data {tmp}/junk.npz", r"junk.npz is not an .npz file \(it is not a zip archive\)"),
    ("--data {tmp}/renamed.npz", "renamed.npz is a single .npy array, not an .npz archive"),
    ("--data {tmp}/encrypted.npz", r"encrypted.npz is encrypted \(x_train needs a password\)"),
    ("--data {tmp}/lzma.npz", "lzma.npz stores x_train with a zip compression nnviz does not "
     "read"),
    ("--data {tmp}/brace.npz", r"brace.npz is corrupt: x_train has no valid .npy header \(EOF "
     r"in multi-line statement\)"),
    ("--data {tmp}/empty", "lacks the IDX files train-images, train-labels, t10k-images"),
    ("--sample --limit 1 --validation-split 0.5", "a validation split of 0.5 leaves none of "
     "the 1 images for training"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_INVOCATIONS,
                         ids=[argv for argv, _ in BAD_INVOCATIONS])
def test_bad_invocations_end_in_one_line_and_status_2(tmp_path, capsys, monkeypatch, argv,
                                                      message):
    from core import atomic_file as atomic

    bad_files(tmp_path)
    real_mkstemp = atomic.tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):  # root may write anywhere: deny this one folder
        if dir is not None and Path(dir).name == "unwritable":
            raise PermissionError(13, "Permission denied", dir)
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr("core.cli.tutorial_cnn", lambda **k: pytest.fail("trained anyway"))
    argv = argv.replace("{tmp}", str(tmp_path)).split()
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("nnviz-train: ") and err.count("\n") == 1, err
    assert re.search(message.replace("{tmp}", re.escape(str(tmp_path))), err), err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["--batch-size", "0"], ["--data", "/nonexistent/x.npz"]])
def test_bad_invocations_through_the_console_script(argv):
    result = subprocess.run([sys.executable, "-m", "core.cli", *argv], capture_output=True,
                            text=True, cwd=PROJECT_ROOT, timeout=60)
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith("nnviz-train: ") and "Traceback" not in result.stderr


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid:RuntimeWarning")
def test_a_diverged_run_is_not_saved(tmp_path, capsys):
    path = tmp_path / "m.npz"
    assert main(["--sample", "--epochs", "1", "--limit", "300", "--lr", "1e38",
                 "--save", str(path)]) == 1
    assert "training diverged" in capsys.readouterr().err and not path.exists()


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
