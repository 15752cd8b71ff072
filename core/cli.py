"""``nnviz-train``: train the tutorial CNN headless, with a progress bar per epoch.

With no arguments it does exactly what the tutorial does: full MNIST when found on disk
(else the shipped sample), pixels / 255, one-hot labels, SGD(lr=0.05, decay=1e-6,
momentum=0.9, nesterov=True), batch 100, 10 epochs, the last 20 % held out for
validation, shuffled every epoch; then it reports the test accuracy. ``--download``
fetches full MNIST (or Fashion-MNIST) into ``~/.cache/nnviz`` first and trains on it.

Every option is checked before anything is loaded or trained: a bad value, an unreadable
data set or a ``--save`` target that cannot be written ends with one line on stderr
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core import regularizers
from core.atomic_file import check_writable, write_problem
from core.augmentation import Augmenter
from core.callbacks import TerminateOnNaN
from core.checks import real, whole
from core.data import DataError, as_network_input, load_dataset, load_sample
from core.download import DATASETS, DownloadError, download_mnist
from core.model import validation_split_index
from core.model_file import save_model
from core.models import TUTORIAL_OPTIMIZER, TUTORIAL_TRAINING, tutorial_cnn
from core.optimizers import get as get_optimizer
from core.optimizers import names as optimizer_names

PROG = "nnviz-train"
USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (argparse prints the whole usage)."""

    def error(self, message: str):
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _number(parse: Callable[[str], object], check: Callable[[object], object]):
    """An argparse type: ``parse`` the text, then ``check`` the value (checks.whole/real)."""
    def convert(text: str):
        try:
            value = parse(text)
        except ValueError:
            kind = "a whole number" if parse is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        try:
            return check(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return convert


def _whole(name: str, low: int):
    return _number(int, lambda v: whole(v, name, low))


def _real(name: str, low: float, high: float | None = None, *, low_open: bool = False,
          high_open: bool = False):
    return _number(float, lambda v: real(v, name, low, high, low_open=low_open,
                                         high_open=high_open))


def build_parser() -> argparse.ArgumentParser:
    t = TUTORIAL_TRAINING
    parser = _Parser(prog=PROG, description="Train the tutorial CNN on MNIST, headless.")
    parser.add_argument("--data", help="IDX folder or Keras mnist.npz (default: find MNIST, "
                        "else the shipped 5,000-digit sample)")
    parser.add_argument("--sample", action="store_true", help="use the shipped sample")
    parser.add_argument("--download", nargs="?", const="mnist", choices=DATASETS,
                        help="first download full MNIST (≈ 11 MB; or fashion-mnist, ≈ 30 MB) "
                        "into ~/.cache/nnviz, checksums checked, then train on it")
    parser.add_argument("--epochs", type=_whole("the number of epochs", 1), default=t["epochs"])
    parser.add_argument("--batch-size", type=_whole("the batch size", 1),
                        default=t["batch_size"])
    parser.add_argument("--validation-split", type=_real("the validation split", 0.0, 1.0,
                                                         high_open=True),
                        default=t["validation_split"], help="fraction held out, in [0, 1)")
    parser.add_argument("--optimizer", default="sgd", choices=optimizer_names(),
                        type=str.lower, help="sgd, adagrad, adadelta or adam")
    parser.add_argument("--lr", type=_real("the learning rate", 0.0, low_open=True),
                        help="learning rate > 0 (default: the tutorial's 0.05 for sgd, else "
                        "the optimizer's own default)")
    parser.add_argument("--l1", type=_real("the L1 strength", 0.0), default=0.0,
                        help="L1 strength on every kernel (>= 0)")
    parser.add_argument("--l2", type=_real("the L2 strength", 0.0), default=0.0,
                        help="L2 strength on every kernel (>= 0)")
    parser.add_argument("--dropout", type=_real("the dropout rate", 0.0, 1.0, high_open=True),
                        default=0.0, help="rate in [0, 1)")
    parser.add_argument("--augment", action="store_true",
                        help="the tutorial's real-time augmentation: rotation 20°, shifts 20 %%")
    parser.add_argument("--limit", type=_whole("the image limit", 1),
                        help="use only the first N training images (N >= 1)")
    parser.add_argument("--seed", type=_whole("the seed", 0), default=0)
    parser.add_argument("--save", type=Path, help="write the trained model to this file")
    return parser


def _fail(message: str, status: int = USAGE_ERROR) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # a usage error (said already) or --help
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    if args.save is not None:
        try:
            check_writable(args.save)
        except OSError as error:
            return _fail(f"cannot save to {args.save}: {write_problem(error)}")
    try:
        if args.download:
            try:
                folder = download_mnist(dataset=args.download, progress=_print_progress)
            finally:
                print(file=sys.stderr)  # ends the progress line
            data = load_dataset(folder, args.download)
        else:
            data = load_sample() if args.sample else load_dataset(args.data)
    except (DataError, DownloadError) as error:
        return _fail(str(error))
    x, y = as_network_input(data.x_train), data.y_train
    if args.limit:
        x, y = x[: args.limit], y[: args.limit]
    if validation_split_index(len(x), args.validation_split) == 0:
        return _fail(f"a validation split of {args.validation_split:g} leaves none of the "
                     f"{len(x):,} images for training")
    print(data.describe())
    reg = (regularizers.l1_l2(args.l1, args.l2) if (args.l1 or args.l2) else None)
    model = tutorial_cnn(seed=args.seed, dropout=args.dropout, kernel_regularizer=reg)
    if args.optimizer != "sgd" or args.lr is not None:
        config = dict(TUTORIAL_OPTIMIZER) if args.optimizer == "sgd" else {"name": args.optimizer}
        if args.lr is not None:
            config["lr"] = args.lr
        model.optimizer = get_optimizer(config)
    augment = None
    if args.augment:
        augment = Augmenter(rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
                            seed=args.seed)
    history = model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs,
                        validation_split=args.validation_split, shuffle=True, augment=augment,
                        verbose=1, callbacks=[TerminateOnNaN()])
    test = model.evaluate(as_network_input(data.x_test), data.y_test)
    losses = [*history.history.get("loss", []), test["loss"]]
    if not (all(math.isfinite(loss) for loss in losses)
            and all(np.isfinite(w).all() for w in model.named_params().values())):
        return _fail("training diverged (the loss is no longer a finite number); try a "
                     "lower --lr. Nothing was saved.", status=1)
    print(f"test loss {test['loss']:.4f} - test accuracy {test['accuracy']:.4f} "
          f"({len(data.y_test):,} images)")
    if args.save:
        try:
            save_model(model, args.save, metadata={"test_accuracy": test["accuracy"],
                                                   "data": data.describe()})
        except OSError as error:
            return _fail(f"cannot save to {args.save}: {write_problem(error)}", status=1)
        print(f"saved {args.save}")
    return 0


def _print_progress(done: int, total: int, message: str) -> None:
    """One status line on stderr, rewritten in place while a download runs."""
    share = f"{done / total:4.0%} of {total / 1e6:.1f} MB" if total else ""
    print(f"\r{share}  {message}"[:100].ljust(100), end="", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
