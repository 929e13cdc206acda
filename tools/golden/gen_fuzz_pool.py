"""Random pooling layers against PyTorch (area "fuzz_pool"): the output and the input gradient of max,
average, adaptive average, adaptive max and LP pooling with configurations drawn at random (kernels,
strides, paddings, dilations, ceil mode, count_include_pad, divisor_override, unbatched inputs,
inputs rounded to integers so that max windows tie), and PyTorch's message for the configurations it
refuses.

Each case keeps a seed instead of its input: the test draws it again with jconv's generator, which
reproduces PyTorch's (area "rng"), and checks it against the sum kept here: torch.manual_seed(seed);
x = randn(shape), then round() ("round") or abs() + 0.1 ("abs", for LP norms of fractional order); then
gout = randn(output). PyTorch computes in float64 from the float32 input; the output and gradient
are kept as float32.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_pool.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message, pair, pair_or_int  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASES = 240
REFUSED = 40

rng = random.Random(20261127)


def draw():
    op = rng.choice(["max", "max", "avg", "avg", "adaptive_avg", "adaptive_max", "lp"])
    n = rng.choice([None, 1, 2, 3])
    c = rng.randint(1, 5)
    h, w = rng.randint(1, 13), rng.randint(1, 13)
    shape = [c, h, w] if n is None else [n, c, h, w]
    transform = "none"
    if op in ("max", "avg"):
        k = pair_or_int(rng, 1, 5)
        stride = None if rng.random() < 0.3 else pair_or_int(rng, 1, 4)
        # Up to half the kernel, as PyTorch allows; now and then more, which it refuses.
        half = min(pair(k)) // 2
        padding = rng.randint(0, half + (1 if rng.random() < 0.15 else 0))
        a = dict(kernel=k, stride=stride, padding=padding, ceil=rng.random() < 0.4)
        if op == "max":
            a["dilation"] = 1 if rng.random() < 0.6 else pair_or_int(rng, 1, 3)
            if rng.random() < 0.4:
                transform = "round"
        else:
            a["include"] = rng.random() < 0.5
            a["divisor"] = None if rng.random() < 0.7 else rng.randint(1, 5)
    elif op in ("adaptive_avg", "adaptive_max"):
        a = dict(out=[rng.randint(1, h + 3), rng.randint(1, w + 3)])
        if op == "adaptive_max" and rng.random() < 0.4:
            transform = "round"
    else:
        a = dict(norm=rng.choice([1.0, 2.0, 3.0, 1.5]), kernel=pair_or_int(rng, 1, 4),
                 stride=None if rng.random() < 0.4 else pair_or_int(rng, 1, 3), ceil=rng.random() < 0.4)
        transform = "abs"
    return op, shape, transform, a


def run(op, x, a):
    if op == "max":
        stride = a["stride"] if a["stride"] is not None else a["kernel"]
        return F.max_pool2d(x, a["kernel"], stride, a["padding"], a["dilation"], ceil_mode=a["ceil"])
    if op == "avg":
        stride = a["stride"] if a["stride"] is not None else a["kernel"]
        return F.avg_pool2d(x, a["kernel"], stride, a["padding"], ceil_mode=a["ceil"],
                            count_include_pad=a["include"], divisor_override=a["divisor"])
    if op == "adaptive_avg":
        return F.adaptive_avg_pool2d(x, a["out"])
    if op == "adaptive_max":
        return F.adaptive_max_pool2d(x, a["out"])
    return F.lp_pool2d(x, a["norm"], a["kernel"], a["stride"], ceil_mode=a["ceil"])


def draw_input(shape, transform):
    x = torch.randn(shape)
    if transform == "round":
        x = x.round()
    elif transform == "abs":
        x = x.abs() + 0.1
    return x


with Golden("fuzz_pool") as g:
    made = 0
    refused = 0
    while made < CASES:
        op, shape, transform, a = draw()
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        x = draw_input(shape, transform)
        xd = x.double().requires_grad_(True)
        msg = error_message(lambda: run(op, xd, a))
        name = f"p{made}"
        base = dict(name=name, op=op, seed=seed, shape=shape, transform=transform, args=a,
                    x_sum=float(x.double().sum()))
        if msg is not None:
            if refused >= REFUSED:
                continue
            refused += 1
            g.case(**base, error=msg)
            made += 1
            continue
        out = run(op, xd, a)
        gout = torch.randn(out.shape)
        out.backward(gout.double())
        g.case(**base, error=None, gout_sum=float(gout.double().sum()), grad_fn=out.grad_fn.name(),
               out=g.array(f"{name}_out", out.float()), gx=g.array(f"{name}_gx", xd.grad.float()))
        made += 1
