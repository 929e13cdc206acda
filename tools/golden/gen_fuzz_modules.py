"""Random layers against PyTorch (area "fuzz_modules"): nn.Conv2d, MaxPool2d, AvgPool2d, LPPool2d,
AdaptiveAvgPool2d, AdaptiveMaxPool2d, Linear and Flatten built with random arguments (ints or pairs,
padding strings, groups, biases, padding modes, now and then invalid), alone or in a Sequential: the
printed module (repr), or PyTorch's message where the constructor refuses.

The test builds the same layers with jconv (a pair where PyTorch got a tuple) and must print the same
text, or refuse with the same message (IllegalArgumentException).

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_modules.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, build_layer, error_message, pool_layer  # noqa: E402

from torch import nn  # noqa: E402

CASES = 500

rng = random.Random(20261202)


def num(lo=1, hi=4, bad=0.08):
    return rng.randint(-1, 0) if rng.random() < bad else rng.randint(lo, hi)


def arg(lo=1, hi=4, bad=0.08):
    """An int, or a pair (as a list: JSON has no tuples)."""
    return [num(lo, hi, bad), num(lo, hi, bad)] if rng.random() < 0.35 else num(lo, hi, bad)


def layer():
    kind = rng.choice(["conv", "conv", "max", "avg", "lp", "aavg", "amax", "linear", "flatten"])
    if kind == "conv":
        g = rng.choice([1, 1, 1, 2, 3, 0])
        a = dict(in_channels=num(1, 6) * (g if g > 0 else 1), out_channels=num(1, 6) * (g if g > 0 else 1),
                 kernel_size=arg(1, 5), stride=arg(1, 3), dilation=arg(1, 3), groups=g, bias=rng.random() < 0.7,
                 padding_mode=rng.choice(["zeros", "zeros", "reflect", "replicate", "circular"]))
        if rng.random() < 0.2:
            a["in_channels"] += 1
        r = rng.random()
        a["padding"] = rng.choice(["same", "valid"]) if r < 0.25 else arg(0, 3)
        return "conv", a
    if kind in ("max", "avg", "lp"):
        return pool_layer(rng, kind, arg)
    if kind in ("aavg", "amax"):
        r = rng.random()
        out = rng.randint(1, 7) if r < 0.5 else [rng.choice([None, rng.randint(1, 7)]), rng.choice([None, rng.randint(1, 7)])]
        return kind, dict(output_size=out)
    if kind == "linear":
        return "linear", dict(in_features=num(0, 8), out_features=num(0, 8), bias=rng.random() < 0.7)
    return "flatten", dict(start_dim=rng.randint(-3, 2), end_dim=rng.randint(-3, 2))


with Golden("fuzz_modules") as g:
    for i in range(CASES):
        layers = [layer() for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 4))]
        built = []
        msg = error_message(lambda: built.extend(build_layer(k, a) for k, a in layers))
        text = None
        if msg is None:
            text = repr(built[0] if len(layers) == 1 else nn.Sequential(*built))
        g.case(name=f"m{i}", layers=[dict(kind=k, args=a) for k, a in layers], sequential=len(layers) > 1,
               error=msg, repr=text)
