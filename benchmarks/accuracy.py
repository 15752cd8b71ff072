"""The tutorial protocol on full MNIST: test accuracy after each epoch.

Run: ``python benchmarks/accuracy.py [--epochs 10] [--seeds 0 1 2] [--data PATH]``.
Exactly the tutorial's training (pixels / 255, batch 100, SGD lr 0.05 decay 1e-6 Nesterov
momentum 0.9, the last 20 % of the training set held out for validation, shuffled every
epoch); the 10,000 test digits are evaluated after every epoch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.callbacks import LambdaCallback  # noqa: E402
from core.data import as_network_input, load_dataset  # noqa: E402
from core.models import TUTORIAL_TRAINING, tutorial_cnn  # noqa: E402


def default_data() -> str | None:
    """The team's full MNIST beside the checkout, when it is there."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    return str(shared) if shared.is_dir() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=TUTORIAL_TRAINING["epochs"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--data", default=default_data(),
                        help="MNIST folder or mnist.npz (default: ../shared/data/mnist beside "
                        "the checkout when present, else the usual places)")
    args = parser.parse_args()
    data = load_dataset(args.data)
    if data.is_sample:
        sys.exit("full MNIST not found: pass --data or set NNVIZ_DATA")
    x, y = as_network_input(data.x_train), data.y_train
    x_test, y_test = as_network_input(data.x_test), data.y_test
    for seed in args.seeds:
        model = tutorial_cnn(seed=seed)
        start = time.perf_counter()

        def report(epoch, logs, model=model, start=start, seed=seed):
            test = model.evaluate(x_test, y_test)
            print(f"seed {seed} epoch {epoch + 1}: val acc {logs['val_accuracy']:.4f}, "
                  f"test acc {test['accuracy']:.4f} ({time.perf_counter() - start:.0f} s)",
                  flush=True)

        model.fit(x, y, batch_size=TUTORIAL_TRAINING["batch_size"], epochs=args.epochs,
                  validation_split=TUTORIAL_TRAINING["validation_split"], shuffle=True,
                  verbose=0, callbacks=[LambdaCallback(on_epoch_end=report)])


if __name__ == "__main__":
    main()
