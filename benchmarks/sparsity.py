"""How many kernel weights L1 drives to exactly zero in one default run on the shipped sample.

Run: ``python benchmarks/sparsity.py [--l1 1e-4 1e-3 3e-3] [--seed 0] [--pretrained]``.
One run per L1 strength, as the Train tab's Start does by default: the 4,000 training
digits of the shipped sample (the last 20 % held out for validation), batch 100, 10
epochs, the tutorial's SGD (lr 0.05, decay 1e-6, Nesterov momentum 0.9), from fresh
weights (``--pretrained``: from the shipped pre-trained model). Prints, per strength, the
share of exact zeros over all kernels and per layer, the first epoch at which the total
passes 10 %, the penalty and data loss at the first batch, and the validation accuracy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.callbacks import LambdaCallback  # noqa: E402
from core.data import ASSETS, as_network_input, load_sample  # noqa: E402
from core.model import Sequential  # noqa: E402
from core.models import TUTORIAL_OPTIMIZER, TUTORIAL_TRAINING, tutorial_cnn  # noqa: E402


def zero_shares(model: Sequential) -> tuple[float, dict[str, float]]:
    """The share of exact zeros over every kernel ``W``, and per layer."""
    kernels = {name.rsplit(".", 1)[0]: w for name, w in model.named_params().items()
               if name.endswith(".W")}
    total = sum(int((w == 0).sum()) for w in kernels.values())
    size = sum(w.size for w in kernels.values())
    return total / size, {name: float(np.mean(w == 0)) for name, w in kernels.items()}


def run(l1: float, seed: int, pretrained: bool, epochs: int) -> dict:
    data = load_sample()
    x, y = as_network_input(data.x_train), data.y_train
    if pretrained:
        model = Sequential.load(ASSETS / "tutorial_cnn.npz")
        model.compile("categorical_crossentropy", dict(TUTORIAL_OPTIMIZER))
    else:
        model = tutorial_cnn(seed=seed)
    model.set_regularization(l1, 0.0)
    first: dict = {}
    passed: list[int] = []

    def on_batch_end(batch, logs):
        if not first:
            first.update(logs)

    def on_epoch_end(epoch, logs):
        if not passed and zero_shares(model)[0] >= 0.10:
            passed.append(epoch + 1)

    history = model.fit(x, y, batch_size=TUTORIAL_TRAINING["batch_size"], epochs=epochs,
                        validation_split=TUTORIAL_TRAINING["validation_split"], shuffle=True,
                        verbose=0, callbacks=[LambdaCallback(on_batch_end=on_batch_end,
                                                             on_epoch_end=on_epoch_end)])
    total, per_layer = zero_shares(model)
    return {"total": total, "layers": per_layer, "passed": passed[0] if passed else None,
            "penalty0": first.get("penalty", float("nan")),
            "data0": first.get("data_loss", float("nan")),
            "val": history.history["val_accuracy"][-1],
            "data_end": history.history["data_loss"][-1]
            if "data_loss" in history.history else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l1", type=float, nargs="+",
                        default=[1e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=TUTORIAL_TRAINING["epochs"])
    parser.add_argument("--pretrained", action="store_true",
                        help="start from the shipped pre-trained model, not fresh weights")
    args = parser.parse_args()
    start = "the pre-trained model" if args.pretrained else f"fresh weights (seed {args.seed})"
    print(f"shipped sample, {args.epochs} epochs, batch 100, tutorial SGD, from {start}")
    for l1 in args.l1:
        began = time.perf_counter()
        r = run(l1, args.seed, args.pretrained, args.epochs)
        layers = ", ".join(f"{name} {share:.1%}" for name, share in r["layers"].items())
        passed = f"epoch {r['passed']}" if r["passed"] else "never"
        print(f"l1={l1:g}: exact zeros {r['total']:.1%} ({layers}); >= 10 % from {passed}; "
              f"first batch penalty {r['penalty0']:.3g} vs data loss {r['data0']:.3g}; "
              f"val acc {r['val']:.1%} ({time.perf_counter() - began:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
