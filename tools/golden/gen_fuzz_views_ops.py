"""Operations on non-contiguous inputs against PyTorch (area "fuzz_views_ops"): conv2d, the poolings,
linear, matmul, softmax, sum, and element-wise functions applied to transposed, permuted, strided and
sliced views of a drawn leaf, then backward to the leaf: the output and the leaf's gradient (float64
from float32 draws).

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_views_ops.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASES = 200
rng = random.Random(20261211)


def view(x, v):
    kind, args = v[0], v[1:]
    if kind == "transpose":
        return x.transpose(args[0], args[1])
    if kind == "permute":
        return x.permute(args[0])
    if kind == "step":
        return torch.ops.aten.slice(x, args[0], args[1], x.shape[args[0]], args[2])
    return torch.ops.aten.slice(x, args[0], args[1], args[2], 1)


def op(name, x, w):
    if name == "conv":
        return F.conv2d(x, w, padding=1)
    if name == "max":
        return F.max_pool2d(x, 2, 1)
    if name == "avg":
        return F.avg_pool2d(x, 2, 1, 1)
    if name == "aavg":
        return F.adaptive_avg_pool2d(x, (2, 3))
    if name == "amax":
        return F.adaptive_max_pool2d(x, 2)
    if name == "linear":
        return F.linear(x, w)
    if name == "matmul":
        return x.matmul(w)
    if name == "softmax":
        return F.softmax(x, -1)
    if name == "sum":
        return x.sum(1)
    return torch.sigmoid(x) * x.exp()


with Golden("fuzz_views_ops") as g:
    made = 0
    while made < CASES:
        name = rng.choice(["conv", "max", "avg", "aavg", "amax", "linear", "matmul", "softmax", "sum", "pointwise"])
        shape = [rng.randint(1, 3), rng.randint(1, 4), rng.randint(3, 7), rng.randint(3, 7)]
        views = []
        dims = 4
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice(["transpose", "permute", "step", "slice"])
            if kind == "transpose":
                a, b = rng.sample(range(dims), 2) if name not in ("conv", "max", "avg", "aavg", "amax") else \
                    rng.sample([2, 3], 2)
                views.append(["transpose", a, b])
            elif kind == "permute":
                p = list(range(dims)) if name in ("conv", "max", "avg", "aavg", "amax") else rng.sample(range(dims), dims)
                if name in ("conv", "max", "avg", "aavg", "amax"):
                    p = [0, 1, 3, 2] if rng.random() < 0.5 else [0, 1, 2, 3]
                views.append(["permute", p])
            elif kind == "step":
                views.append(["step", rng.choice([2, 3]), rng.randint(0, 1), 2])
            else:
                views.append(["slice", rng.choice([1, 2, 3]), 1, 3])
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        x = torch.randn(shape)
        xd = x.double().requires_grad_(True)
        v = xd
        try:
            for vw in views:
                v = view(v, vw)
            if min(v.shape) == 0:
                continue
            wshape = None
            if name == "conv":
                wshape = [2, v.shape[1], 3, 3]
            elif name == "linear":
                wshape = [3, v.shape[-1]]
            elif name == "matmul":
                wshape = [v.shape[-1], 2]
            w = torch.randn(wshape) if wshape else None
            out = op(name, v, None if w is None else w.double())
        except RuntimeError:
            continue
        gout = torch.randn(out.shape)
        out.backward(gout.double())
        g.case(name=f"v{made}", op=name, shape=shape, views=views, seed=seed, wshape=wshape,
               out=g.array(f"v{made}_out", out.detach()), grad=g.array(f"v{made}_grad", xd.grad))
        made += 1
