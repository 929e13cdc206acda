"""Random layers run on random inputs against PyTorch (area "fuzz_forward"): nn.Conv2d (every
padding mode, groups, 'same' and 'valid'), MaxPool2d, AvgPool2d, LPPool2d, AdaptiveAvgPool2d,
AdaptiveMaxPool2d, Linear, Flatten, ReLU, Sigmoid and Tanh, built with random valid arguments, then
called on an input of random rank (0 to 5), sizes (zeros among them), channels or features (right
or not) and dtype (float32, float64, int64): the output's shape, or PyTorch's message where the
forward refuses the input. The layers are drawn as in gen_fuzz_modules.py; only ones the constructor
accepts are kept.

The test builds the same layer with jconv, runs it on zeros of the input's shape and dtype (the
values play no part in the shape or the refusal), and must give the same shape or the same words.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_forward.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, build_layer, error_message, pool_layer  # noqa: E402

import torch  # noqa: E402

CASES = 600

rng = random.Random(20261126)


def num(lo=1, hi=4):
    return rng.randint(lo, hi)


def arg(lo=1, hi=4):
    """An int, or a pair (as a list: JSON has no tuples)."""
    return [num(lo, hi), num(lo, hi)] if rng.random() < 0.35 else num(lo, hi)


def layer():
    kind = rng.choice(["conv", "conv", "conv", "max", "avg", "lp", "aavg", "amax", "linear", "linear", "flatten",
                       "relu", "sigmoid", "tanh"])
    if kind == "conv":
        g = rng.choice([1, 1, 1, 2, 3])
        a = dict(in_channels=num(1, 4) * g, out_channels=num(1, 4) * g, kernel_size=arg(1, 4), stride=arg(1, 3),
                 dilation=arg(1, 2), groups=g, bias=rng.random() < 0.7,
                 padding_mode=rng.choice(["zeros", "zeros", "zeros", "reflect", "replicate", "circular"]))
        r = rng.random()
        a["padding"] = rng.choice(["same", "valid"]) if r < 0.25 else arg(0, 2)
        return "conv", a
    if kind in ("max", "avg", "lp"):
        return pool_layer(rng, kind, arg)
    if kind in ("aavg", "amax"):
        r = rng.random()
        out = rng.randint(1, 5) if r < 0.5 else [rng.choice([None, rng.randint(1, 5)]),
                                                 rng.choice([None, rng.randint(1, 5)])]
        return kind, dict(output_size=out)
    if kind == "linear":
        return "linear", dict(in_features=num(0, 6), out_features=num(0, 6), bias=rng.random() < 0.7)
    if kind == "flatten":
        return "flatten", dict(start_dim=rng.randint(-3, 2), end_dim=rng.randint(-3, 2))
    return kind, {}


def draw_input(kind, a):
    """A shape near what the layer takes (its rank, channels or features), often off in one way."""
    if kind == "conv" or kind in ("max", "avg", "lp", "aavg", "amax"):
        rank = rng.choice([4, 4, 4, 3, 3, 2, 5, 1])
    elif kind == "linear":
        rank = rng.choice([2, 2, 1, 3, 0])
    else:
        rank = rng.randint(0, 4)
    shape = [rng.choice([0] + [rng.randint(1, 7)] * 9) for _ in range(rank)]
    if kind == "conv" and rank >= 3 and rng.random() < 0.8:
        shape[-3] = a["in_channels"]
    if kind == "conv" and rank >= 2 and rng.random() < 0.7:
        shape[-1] = max(shape[-1], rng.randint(4, 9))
        shape[-2] = max(shape[-2], rng.randint(4, 9))
    if kind == "linear" and rank >= 1 and rng.random() < 0.8:
        shape[-1] = a["in_features"]
    dtype = rng.choice(["float32"] * 8 + ["float64", "int64"])
    return shape, dtype


def make(shape, dtype):
    if dtype == "int64":
        return torch.zeros(shape, dtype=torch.int64)
    return torch.zeros(shape, dtype=torch.float64 if dtype == "float64" else torch.float32)


with Golden("fuzz_forward") as g:
    made = 0
    while made < CASES:
        kind, a = layer()
        built = []
        if error_message(lambda: built.append(build_layer(kind, a))) is not None:
            continue
        shape, dtype = draw_input(kind, a)
        x = make(shape, dtype)
        with torch.no_grad():
            msg = error_message(lambda: built[0](x))
            out = None if msg is not None else list(built[0](x).shape)
        g.case(name=f"f{made}", layers=[dict(kind=kind, args=a)], shape=shape, dtype=dtype, error=msg, out=out)
        made += 1
