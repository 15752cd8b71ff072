"""Which saliency map explains the network's hard choices best: gradient × input or
occlusion?

Run: ``python benchmarks/saliency.py [--model core/assets/tutorial_cnn.npz] [--count 3000]``
(about a minute).

Real pen digits (pendigits) are replayed on the canvas; those whose two best classes are
1/7, 4/9 or 3/5 are kept. For each, both maps of the margin m = z_top − z_second are
made, then the k pixels a map ranks as most in favour of the answer are wiped (set to
background): a map that explains the choice makes m fall fast and flips the answer to
the runner-up. Wiping the k pixels most in favour of the runner-up should raise m.
Printed per method and k: median fall of m (as a share of m), share of answers flipped,
median rise of m, against wiping k random ink pixels.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.data import ASSETS  # noqa: E402
from core.model import Sequential  # noqa: E402
from core.pendigits import read_pendigits  # noqa: E402
from core.replay import LARGE, Variation, replay  # noqa: E402
from core.saliency import gradient_times_input, logits, occlusion, top_two  # noqa: E402
from scripts.train_pretrained import default_pendigits  # noqa: E402

PAIRS = ({1, 7}, {4, 9}, {3, 5})


def wiped(x: np.ndarray, order: np.ndarray, k: int) -> np.ndarray:
    out = x.copy().reshape(-1)
    out[order[:k]] = 0.0
    return out.reshape(x.shape)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ASSETS / "tutorial_cnn.npz"))
    parser.add_argument("--pendigits", default=default_pendigits())
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    model = Sequential.load(args.model)
    pen = read_pendigits(args.pendigits)
    rng = np.random.default_rng(0)
    chosen = [pen[i] for i in rng.choice(len(pen), min(args.count, len(pen)), replace=False)]
    x, y = replay(chosen, np.random.default_rng(1), Variation(sizes=LARGE))
    scores = logits(model, x[:, None])
    keep = [i for i in range(len(x)) if set(top_two(scores[i])) in PAIRS]
    print(f"{len(keep)} digits whose two best classes are 1/7, 4/9 or 3/5 "
          f"({sum(int(np.argmax(scores[i]) != y[i]) for i in keep)} of them misread)")
    methods = {
        "gradient × input": gradient_times_input,
        "occlusion 3x3 stride 1": lambda m, x, t, s: occlusion(m, x, t, s, patch=3, stride=1),
        "occlusion 3x3 stride 2": lambda m, x, t, s: occlusion(m, x, t, s, patch=3, stride=2),
        "occlusion 2x2 stride 2": lambda m, x, t, s: occlusion(m, x, t, s, patch=2, stride=2),
        "occlusion 4x4 stride 2": lambda m, x, t, s: occlusion(m, x, t, s, patch=4, stride=2),
    }
    ks = (5, 10, 20, 40)
    table = {name: {k: [[], [], []] for k in ks} for name in [*methods, "random ink"]}
    seconds = dict.fromkeys(methods, 0.0)
    for i in keep:
        x28 = x[i]
        top, second = top_two(scores[i])
        margin = scores[i, top] - scores[i, second]
        maps = {}
        for name, method in methods.items():
            start = time.perf_counter()
            maps[name] = method(model, x28, top, second).values.reshape(-1)
            seconds[name] += time.perf_counter() - start
        ink = np.flatnonzero(x28.reshape(-1) > 0)
        maps["random ink"] = np.zeros(784)
        maps["random ink"][ink] = rng.random(len(ink)) * 2 - 1
        for name, values in maps.items():
            for_answer = np.argsort(-values)
            for_second = np.argsort(values)
            batch = []
            for k in ks:
                batch.append(wiped(x28, for_answer, k))
                batch.append(wiped(x28, for_second, k))
            s = logits(model, np.stack(batch)[:, None])
            for j, k in enumerate(ks):
                down, up = s[2 * j], s[2 * j + 1]
                m_down = down[top] - down[second]
                m_up = up[top] - up[second]
                table[name][k][0].append((margin - m_down) / margin)
                table[name][k][1].append(float(np.argmax(down) == second))
                table[name][k][2].append((m_up - margin) / margin)
    for name, rows in table.items():
        cost = f" ({1000 * seconds[name] / len(keep):.1f} ms a map)" if name in seconds else ""
        print(f"{name}{cost}")
        for k, (fall, flip, rise) in rows.items():
            print(f"  wipe {k:2d} px: margin falls {np.median(fall):6.1%} (median), answer "
                  f"flips to the runner-up {np.mean(flip):5.1%}; wiping the runner-up's "
                  f"{k:2d} px raises it {np.median(rise):6.1%}")


if __name__ == "__main__":
    main()
