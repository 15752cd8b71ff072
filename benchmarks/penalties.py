"""What no penalty, L1 and L2 do to one default run on the shipped sample: the numbers
behind the runs lesson (three runs ticked together in the app).

Run: ``python benchmarks/penalties.py [--l1 3e-3] [--l2 1e-4 3e-4 1e-3 3e-3] [--epochs 10]``.
One run without a penalty, one per L1 and one per L2 strength, each as the Train tab
starts it from the shipped pre-trained model's first Start: fresh weights of seed 0, the
4,000 training digits (the last 20 % validate), batch 100, the tutorial's SGD. Prints per
run: the best and last validation accuracy, the last training and validation loss, the
sum of the squared kernel weights Σw² and the mean |w|, the share of exact zeros, and
the penalty's share of the loss at the last batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.callbacks import LambdaCallback  # noqa: E402
from core.data import as_network_input, load_sample  # noqa: E402
from core.models import TUTORIAL_TRAINING, tutorial_cnn  # noqa: E402


def run(l1: float, l2: float, epochs: int, seed: int = 0) -> dict:
    data = load_sample()
    x, y = as_network_input(data.x_train), data.y_train
    model = tutorial_cnn(seed=seed)
    model.set_regularization(l1, l2)
    last: dict = {}
    history = model.fit(x, y, batch_size=TUTORIAL_TRAINING["batch_size"], epochs=epochs,
                        validation_split=TUTORIAL_TRAINING["validation_split"], shuffle=True,
                        verbose=0, callbacks=[LambdaCallback(
                            on_batch_end=lambda batch, logs: last.update(logs))])
    kernels = [w for name, w in model.named_params().items() if name.endswith(".W")]
    flat = np.concatenate([w.ravel() for w in kernels]).astype(np.float64)
    h = history.history
    return {"best": max(h["val_accuracy"]), "val": h["val_accuracy"][-1],
            "loss": h["loss"][-1], "val_loss": h["val_loss"][-1],
            "squares": float(np.sum(flat**2)), "mean_abs": float(np.mean(np.abs(flat))),
            "zeros": float(np.mean(flat == 0)),
            "penalty_share": last.get("penalty", 0.0) / max(last.get("loss", 1.0), 1e-12)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l1", type=float, nargs="*", default=[3e-3])
    parser.add_argument("--l2", type=float, nargs="*", default=[1e-4, 3e-4, 1e-3, 3e-3])
    parser.add_argument("--epochs", type=int, default=TUTORIAL_TRAINING["epochs"])
    args = parser.parse_args()
    print(f"shipped sample, {args.epochs} epochs, batch 100, tutorial SGD, fresh weights "
          "(seed 0)")
    cases = [("none", 0.0, 0.0)] + [(f"L1 {v:g}", v, 0.0) for v in args.l1] + [
        (f"L2 {v:g}", 0.0, v) for v in args.l2]
    for name, l1, l2 in cases:
        began = time.perf_counter()
        r = run(l1, l2, args.epochs)
        print(f"{name:>10}: val acc best {r['best']:.1%} last {r['val']:.1%}; loss "
              f"{r['loss']:.3f} train / {r['val_loss']:.3f} val; kernels Σw² "
              f"{r['squares']:.1f}, mean |w| {r['mean_abs']:.4f}, exact zeros "
              f"{r['zeros']:.1%}; penalty {r['penalty_share']:.0%} of the loss "
              f"({time.perf_counter() - began:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
