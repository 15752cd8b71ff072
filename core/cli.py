"""``nnviz-train``: train the tutorial CNN headless, with a progress bar per epoch.

With no arguments it does exactly what the tutorial does: full MNIST when found on disk
(else the shipped sample), pixels / 255, one-hot labels, SGD(lr=0.05, decay=1e-6,
momentum=0.9, nesterov=True), batch 100, 10 epochs, the last 20 % held out for
validation, shuffled every epoch; then it reports the test accuracy. ``--download``
fetches full MNIST (or Fashion-MNIST) into ``~/.cache/nnviz`` first and trains on it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import regularizers
from core.augmentation import Augmenter
from core.data import DataError, as_network_input, load_dataset, load_sample
from core.download import DATASETS, DownloadError, download_mnist
from core.model_file import save_model
from core.models import TUTORIAL_OPTIMIZER, TUTORIAL_TRAINING, tutorial_cnn
from core.optimizers import get as get_optimizer


def build_parser() -> argparse.ArgumentParser:
    t = TUTORIAL_TRAINING
    parser = argparse.ArgumentParser(
        prog="nnviz-train", description="Train the tutorial CNN on MNIST, headless.")
    parser.add_argument("--data", help="IDX folder or Keras mnist.npz (default: find MNIST, "
                        "else the shipped 5,000-digit sample)")
    parser.add_argument("--sample", action="store_true", help="use the shipped sample")
    parser.add_argument("--download", nargs="?", const="mnist", choices=DATASETS,
                        help="first download full MNIST (≈ 11 MB; or fashion-mnist, ≈ 30 MB) "
                        "into ~/.cache/nnviz, checksums checked, then train on it")
    parser.add_argument("--epochs", type=int, default=t["epochs"])
    parser.add_argument("--batch-size", type=int, default=t["batch_size"])
    parser.add_argument("--validation-split", type=float, default=t["validation_split"])
    parser.add_argument("--optimizer", default="sgd", help="sgd, adagrad, adadelta or adam")
    parser.add_argument("--lr", type=float, help="learning rate (default: the tutorial's 0.05 "
                        "for sgd, else the optimizer's own default)")
    parser.add_argument("--l1", type=float, default=0.0, help="L1 strength on every kernel")
    parser.add_argument("--l2", type=float, default=0.0, help="L2 strength on every kernel")
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--augment", action="store_true",
                        help="the tutorial's real-time augmentation: rotation 20°, shifts 20 %%")
    parser.add_argument("--limit", type=int, help="use only the first N training images")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, help="write the trained model to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
        print(f"nnviz-train: {error}", file=sys.stderr)
        return 2
    print(data.describe())
    x, y = as_network_input(data.x_train), data.y_train
    if args.limit:
        x, y = x[: args.limit], y[: args.limit]
    reg = (regularizers.l1_l2(args.l1, args.l2) if (args.l1 or args.l2) else None)
    model = tutorial_cnn(seed=args.seed, dropout=args.dropout, kernel_regularizer=reg)
    if args.optimizer != "sgd" or args.lr is not None:
        config = dict(TUTORIAL_OPTIMIZER) if args.optimizer == "sgd" else {"name": args.optimizer}
        if args.lr is not None:
            config["lr"] = args.lr
        try:
            model.optimizer = get_optimizer(config)
        except ValueError as error:
            print(f"nnviz-train: {error}", file=sys.stderr)
            return 2
    augment = None
    if args.augment:
        augment = Augmenter(rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
                            seed=args.seed)
    model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs,
              validation_split=args.validation_split, shuffle=True, augment=augment, verbose=1)
    test = model.evaluate(as_network_input(data.x_test), data.y_test)
    print(f"test loss {test['loss']:.4f} - test accuracy {test['accuracy']:.4f} "
          f"({len(data.y_test):,} images)")
    if args.save:
        save_model(model, args.save, metadata={"test_accuracy": test["accuracy"],
                                               "data": data.describe()})
        print(f"saved {args.save}")
    return 0


def _print_progress(done: int, total: int, message: str) -> None:
    """One status line on stderr, rewritten in place while a download runs."""
    share = f"{done / total:4.0%} of {total / 1e6:.1f} MB" if total else ""
    print(f"\r{share}  {message}"[:100].ljust(100), end="", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
