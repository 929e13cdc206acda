"""Random max unpooling against PyTorch (area "fuzz_unpool"): F.max_unpool2d of what F.max_pool2d
returned (values and indices) for pooling layers drawn at random, unpooled with the same or other
kernel, stride and padding, with or without an output_size (valid, out of range, or of a wrong
length), and now and then with some indices changed (repeated, out of range, negative). Kept: the
output and the gradient of the pooled values, or PyTorch's message where it refuses the call (or,
for an empty output, which takes any index, the message of the backward's gather).

Each case keeps a seed instead of its input: the test draws it again with jconv's generator, which
reproduces PyTorch's (area "rng"), and checks it against the sum kept here: torch.manual_seed(seed);
x = randn(shape) (rounded to integers for some cases, so that windows tie), pooled by max_pool2d
with return_indices=True; then gout = randn(unpooled output) when the call succeeds. The changed
indices are listed as [flat position, new value]. PyTorch computes in float64 from the float32 input.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_unpool.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message, pair, pair_or_int  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASES = 220
REFUSED = 70

rng = random.Random(20261126)


def draw_pool():
    n = rng.choice([None, 1, 2])
    c = rng.randint(1, 3)
    h, w = rng.randint(1, 11), rng.randint(1, 11)
    shape = [c, h, w] if n is None else [n, c, h, w]
    k = pair_or_int(rng, 1, 4)
    stride = None if rng.random() < 0.4 else pair_or_int(rng, 1, 3)
    padding = rng.randint(0, min(pair(k)) // 2)
    dilation = 1 if rng.random() < 0.7 else pair_or_int(rng, 1, 2)
    return shape, dict(kernel=k, stride=stride, padding=padding, dilation=dilation, ceil=rng.random() < 0.3)


def pool(x, a):
    stride = a["stride"] if a["stride"] is not None else a["kernel"]
    return F.max_pool2d(x, a["kernel"], stride, a["padding"], a["dilation"], ceil_mode=a["ceil"],
                        return_indices=True)


def draw_unpool(shape, a):
    """The unpooling's arguments: usually the pooling's, sometimes others; an output_size or none."""
    if rng.random() < 0.6:
        u = dict(kernel=a["kernel"], stride=a["stride"], padding=a["padding"])
    else:
        k = pair_or_int(rng, 1, 4)
        u = dict(kernel=k, stride=None if rng.random() < 0.4 else pair_or_int(rng, 1, 3),
                 padding=rng.randint(0, 2))
    h, w = shape[-2], shape[-1]
    r = rng.random()
    if r < 0.45:
        size = None
    elif r < 0.75:
        size = [h, w] if rng.random() < 0.7 else shape[:-2] + [h, w] if len(shape) == 4 else [h, w]
    elif r < 0.92:
        size = [max(0, h + rng.randint(-3, 3)), max(0, w + rng.randint(-3, 3))]
    else:
        size = [h, w, 1] if rng.random() < 0.5 else [h]
    u["output_size"] = size
    return u


def unpool(y, idx, u):
    # A tuple, as a PyTorch user writes it (PyTorch's message prints the sequence as given).
    size = None if u["output_size"] is None else tuple(u["output_size"])
    return F.max_unpool2d(y, idx, u["kernel"], u["stride"], u["padding"], size)


def draw_changes(idx, limit):
    """Some indices replaced: [flat position, new value] pairs."""
    n = idx.numel()
    if n == 0 or rng.random() < 0.8:
        return []
    changes = []
    for _ in range(rng.randint(1, min(3, n))):
        pos = rng.randrange(n)
        kind = rng.random()
        if kind < 0.4:
            value = int(idx.reshape(-1)[rng.randrange(n)])  # a repeated index
        elif kind < 0.7:
            value = rng.randint(0, max(0, limit - 1))
        elif kind < 0.9:
            value = limit + rng.randint(0, 5)
        else:
            value = -rng.randint(1, 3)
        changes.append([pos, value])
    return changes


with Golden("fuzz_unpool") as g:
    made = 0
    refused = 0
    while made < CASES:
        shape, a = draw_pool()
        seed = rng.randrange(1 << 31)
        rounded = rng.random() < 0.3
        torch.manual_seed(seed)
        x = torch.randn(shape)
        if rounded:
            x = x.round()
        if error_message(lambda: pool(x, a)) is not None:
            continue  # the pooling must run; its refusals are fuzz_pool's
        y, idx = pool(x.double(), a)
        u = draw_unpool(shape, a)
        changes = draw_changes(idx, shape[-2] * shape[-1])
        flat = idx.reshape(-1).clone()
        for pos, value in changes:
            flat[pos] = value
        idx = flat.reshape(idx.shape)
        yd = y.detach().clone().requires_grad_(True)
        msg = error_message(lambda: unpool(yd, idx, u))
        name = f"u{made}"
        base = dict(name=name, seed=seed, shape=shape, rounded=rounded, pool=a, unpool=u, changes=changes,
                    x_sum=float(x.double().sum()))
        if msg is not None:
            if refused >= REFUSED:
                continue
            refused += 1
            g.case(**base, error=msg)
            made += 1
            continue
        out = unpool(yd, idx, u)
        gout = torch.randn(out.shape)
        # An empty output takes any index; its backward (a gather) then refuses them.
        bmsg = error_message(lambda: out.backward(gout.double()))
        g.case(**base, error=None, gout_sum=float(gout.double().sum()), grad_fn=out.grad_fn.name(),
               out=g.array(f"{name}_out", out.float()), backward_error=bmsg,
               gy=None if bmsg is not None else g.array(f"{name}_gy", yd.grad.float()))
        made += 1
