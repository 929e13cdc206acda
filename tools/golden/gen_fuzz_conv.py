"""Random convolutions against PyTorch (area "fuzz_conv"): forward and all three gradients of
configurations drawn at random, many of them with the channel counts that reach jconv's fast forms
(Winograd with channels in vector lanes, strided and dilated phase forms, depthwise, pointwise,
grouped), which the hand-picked cases of gen_grad_conv.py reach only a few times.

Each case keeps a seed instead of its inputs: the test draws them again with jconv's generator,
which reproduces PyTorch's (area "rng"), and checks them against the sums kept here before it uses
them: torch.manual_seed(seed); x = randn(input); w = randn(weight) * 0.5; b = randn(cout) when the
layer has a bias; gout = randn(output). PyTorch computes in float64 from those float32 inputs; the
output and the gradients are kept as float32 (the float32 path is held to 1e-4, so the rounding of the
kept values does not matter). Configurations PyTorch refuses keep its message instead.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_conv.py
"""
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

CASES = 200
# Cases whose output and gradients together exceed this many elements are drawn again (repository size);
# layers of many channels (the fast forms) may have more.
MAX_ELEMENTS = 9000
MAX_ELEMENTS_FAST = 30000

rng = random.Random(20261126)


def divisors(v):
    return [d for d in range(1, v + 1) if v % d == 0]


def draw():
    """One random configuration (a dict), valid or not for PyTorch."""
    kind = rng.choice(["small", "small", "small", "fast", "depthwise", "grouped"])
    if kind == "small":
        cin, cout = rng.randint(1, 6), rng.randint(1, 6)
        groups = rng.choice(divisors(math.gcd(cin, cout)))
    elif kind == "fast":
        cin, cout = rng.choice([16, 32, 32, 48]), rng.choice([16, 32, 32, 48])
        groups = 1
    elif kind == "depthwise":
        cin = rng.choice([3, 8, 16, 32])
        cout = cin * rng.choice([1, 1, 2])
        groups = cin
    else:
        groups = rng.choice([2, 4])
        cin, cout = groups * rng.choice([2, 4, 8, 16]), groups * rng.choice([2, 4, 8, 16])
    kh = rng.choice([1, 2, 3, 3, 3, 4, 5, 7])
    kw = kh if rng.random() < 0.8 else rng.choice([1, 2, 3, 5])
    sh = rng.choice([1, 1, 1, 2, 2, 3])
    sw = sh if rng.random() < 0.8 else rng.choice([1, 2, 3])
    dh = rng.choice([1, 1, 1, 1, 2, 3])
    dw = dh if rng.random() < 0.8 else rng.choice([1, 2])
    if kind == "fast" and rng.random() < 0.4:
        kh, kw, sh, sw, dh, dw = 3, 3, 1, 1, 1, 1  # the Winograd forms' layers
    h = rng.randint(3, 9) if kind == "fast" else rng.randint(1, 14)
    w = rng.randint(3, 9) if kind == "fast" else rng.randint(1, 14)
    r = rng.random()
    if r < 0.1 and sh == 1 and sw == 1:
        padding = "same"
    elif r < 0.15:
        padding = "valid"
    elif r < 0.3:
        padding = [rng.randint(0, kh), rng.randint(0, kw)]
    else:
        p = rng.choice([0, 1, 1, 2, 3])
        padding = [p, p]
    mode = "zeros" if rng.random() < 0.75 else rng.choice(["reflect", "replicate", "circular"])
    n = rng.choice([None, 1, 1, 2, 2, 3])
    return kind, dict(n=n, cin=cin, h=h, w=w, cout=cout, kernel=[kh, kw], stride=[sh, sw], padding=padding, dilation=[dh, dw],
                groups=groups, bias=rng.random() < 0.7, mode=mode, x_grad=rng.random() < 0.9)


def layer(c):
    return nn.Conv2d(c["cin"], c["cout"], tuple(c["kernel"]), stride=tuple(c["stride"]),
                     padding=c["padding"] if isinstance(c["padding"], str) else tuple(c["padding"]),
                     dilation=tuple(c["dilation"]), groups=c["groups"], bias=c["bias"], padding_mode=c["mode"])


def shapes(c):
    x = (c["cin"], c["h"], c["w"]) if c["n"] is None else (c["n"], c["cin"], c["h"], c["w"])
    return x, (c["cout"], c["cin"] // c["groups"], c["kernel"][0], c["kernel"][1])


def apply(conv, x, c):
    """The layer on x; an unbatched circular layer as a batch of one, as gen_conv.py's cases: PyTorch 1.13
    refuses it ("Invalid padding size, expected 2 but got 4", a bug later versions fixed), jconv computes it."""
    if c["mode"] == "circular" and x.dim() == 3:
        return conv(x.unsqueeze(0)).squeeze(0)
    return conv(x)


with Golden("fuzz_conv") as g:
    made = 0
    refused = 0
    while made < CASES:
        kind, c = draw()
        seed = rng.randrange(1 << 31)
        msg = error_message(lambda: layer(c))
        if msg is not None:
            continue  # a constructor refusal ('same' with a stride...): the hand-picked cases cover those
        xs, ws = shapes(c)
        torch.manual_seed(seed)
        x = torch.randn(xs)
        wt = torch.randn(ws) * 0.5
        b = torch.randn(c["cout"]) if c["bias"] else None
        conv = layer(c).double()
        with torch.no_grad():
            conv.weight.copy_(wt.double())
            if c["bias"]:
                conv.bias.copy_(b.double())
        xd = x.double().requires_grad_(c["x_grad"])
        msg = error_message(lambda: apply(conv, xd, c))
        name = f"f{made}"
        if msg is not None:
            if refused >= CASES // 8:
                continue  # enough refusals: draw a layer that runs
            refused += 1
            g.case(name=name, seed=seed, **c, x_shape=list(xs), error=msg, x_sum=float(x.double().sum()))
            made += 1
            continue
        out = apply(conv, xd, c)
        gout = torch.randn(out.shape)
        elements = out.numel() * 2 + x.numel() + wt.numel()
        if elements > (MAX_ELEMENTS_FAST if kind == "fast" else MAX_ELEMENTS):
            continue
        out.backward(gout.double())
        g.case(name=name, seed=seed, **c, x_shape=list(xs), error=None,
               x_sum=float(x.double().sum()), w_sum=float(wt.double().sum()),
               b_sum=float(b.double().sum()) if c["bias"] else None, gout_sum=float(gout.double().sum()),
               out=g.array(f"{name}_out", out.float()),
               gx=g.array(f"{name}_gx", xd.grad.float()) if c["x_grad"] else None,
               gw=g.array(f"{name}_gw", conv.weight.grad.float()),
               gb=g.array(f"{name}_gb", conv.bias.grad.float()) if c["bias"] else None)
        made += 1

    # Inputs a padding mode refuses by their rank or an empty dimension, where PyTorch 1.13's F.pad
    # words the refusal (and refuses every unbatched circular layer).
    for mode in ["reflect", "replicate", "circular"]:
        for i, xs in enumerate([(), (0,), (5,), (3, 5), (2, 4, 4), (1, 2, 4, 5, 5), (1, 1, 2, 4, 5, 5),
                                (2, 0, 3, 3), (0, 2, 3, 3), (2, 0, 3), (2, 3, 0), (1, 2, 0, 3), (0, 2, 3)]):
            c = dict(n=None, cin=2, h=0, w=0, cout=3, kernel=[3, 3], stride=[1, 1], padding=[1, 1], dilation=[1, 1],
                     groups=1, bias=True, mode=mode, x_grad=False)
            seed = rng.randrange(1 << 31)
            torch.manual_seed(seed)
            x = torch.randn(xs)
            msg = error_message(lambda: apply(layer(c), x, c))
            if msg is None:
                continue
            g.case(name=f"rank_{mode}_{i}", seed=seed, **c, x_shape=list(xs), error=msg,
                   x_sum=float(x.double().sum()))
