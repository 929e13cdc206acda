"""Random arguments to F.conv2d and the pooling functions (area "fuzz_args"), valid or not: PyTorch's
output shape, or its message where it refuses them. Shapes and numbers are drawn small and near
their edges (zero and negative sizes, strides, paddings and dilations; kernels larger than the
input; channels the groups do not divide; weights and biases of the wrong rank or size; ceil mode
windows that start in the padding). The test makes the same call with jconv on zeros of the same
shapes (float32, or float64 for a quarter of them: PyTorch words some refusals by the kernel it picks
for the dtype) and must get the same shape or the same message (IllegalArgumentException).

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_args.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASES = 600

rng = random.Random(20261130)


def small(lo=-1, hi=4):
    return rng.randint(lo, hi) if rng.random() < 0.15 else rng.randint(1, 3)


def pair(lo=-1, hi=4):
    a = small(lo, hi)
    return [a, small(lo, hi)] if rng.random() < 0.3 else [a, a]


def input_shape():
    rank = rng.choice([4, 4, 4, 4, 4, 3, 3, 3, 2, 5])
    dims = [rng.randint(0, 3) if rng.random() < 0.1 else rng.randint(1, 4)]
    dims += [rng.randint(0, 8) if rng.random() < 0.1 else rng.randint(1, 8) for _ in range(rank - 1)]
    return dims


def conv_case():
    x = input_shape()
    cin = x[-3] if len(x) >= 3 else 2
    groups = rng.choice([1, 1, 1, 1, 1, 2, 2, 3, 3, 0, -1])
    cout = rng.choice([1, 2, 3, 4, 6])
    k = pair(0, 4)
    wc = cin // groups if groups > 0 and rng.random() < 0.8 else rng.randint(1, 3)
    w = [cout, wc] + k
    if rng.random() < 0.1:
        w = w[:rng.randint(1, 3)]
    bias = None if rng.random() < 0.4 else [cout if rng.random() < 0.85 else cout + 1]
    args = dict(stride=pair(-1, 3), padding=pair(-1, 3) if rng.random() < 0.85 else rng.choice(["same", "valid"]),
                dilation=pair(-1, 3), groups=groups)
    return dict(op="conv", x=x, w=w, bias=bias, args=args)


def pool_case():
    op = rng.choice(["max", "avg", "lp", "adaptive_avg", "adaptive_max"])
    x = input_shape()
    if op in ("adaptive_avg", "adaptive_max"):
        return dict(op=op, x=x, args=dict(out=pair(-1, 5)))
    args = dict(kernel=pair(-1, 4), stride=pair(-1, 3) if rng.random() < 0.8 else None, ceil=rng.random() < 0.4)
    if op != "lp":
        args["padding"] = pair(-1, 3) if rng.random() < 0.3 else [0, 0]
    if op == "max":
        args["dilation"] = pair(-1, 3)
    if op == "avg":
        args["include"] = rng.random() < 0.5
        args["divisor"] = None if rng.random() < 0.7 else rng.randint(-1, 3)
    if op == "lp":
        args["norm"] = rng.choice([1.0, 2.0, 3.0])
    return dict(op=op, x=x, args=args)


def run(c):
    dt = torch.float64 if c["dtype"] == "float64" else torch.float32
    x = torch.zeros(c["x"], dtype=dt)
    a = c["args"]
    op = c["op"]
    if op == "conv":
        w = torch.zeros(c["w"], dtype=dt)
        b = None if c["bias"] is None else torch.zeros(c["bias"], dtype=dt)
        return F.conv2d(x, w, b, stride=a["stride"], padding=a["padding"], dilation=a["dilation"], groups=a["groups"])
    if op == "max":
        return F.max_pool2d(x, a["kernel"], a["stride"], a["padding"], a["dilation"], ceil_mode=a["ceil"])
    if op == "avg":
        return F.avg_pool2d(x, a["kernel"], a["stride"], a["padding"], ceil_mode=a["ceil"],
                            count_include_pad=a["include"], divisor_override=a["divisor"])
    if op == "lp":
        return F.lp_pool2d(x, a["norm"], a["kernel"], a["stride"], ceil_mode=a["ceil"])
    if op == "adaptive_avg":
        return F.adaptive_avg_pool2d(x, a["out"])
    return F.adaptive_max_pool2d(x, a["out"])


with Golden("fuzz_args") as g:
    for i in range(CASES):
        c = conv_case() if rng.random() < 0.5 else pool_case()
        c["dtype"] = "float64" if rng.random() < 0.25 else "float32"
        out = []
        msg = error_message(lambda: out.append(tuple(run(c).shape)))
        g.case(name=f"a{i}", **c, error=msg, out=None if msg else list(out[0]))

    # Edges of the backends' checks, by hand: empty batches and channels (no backend runs), a zero-size
    # kernel, a non-positive dilation, for each dtype.
    edges = [([0, 3, 5, 5], [4, 3, 3, 3], [1, 1], [0, 0], 1), ([0, 3, 5, 5], [4, 3, 3, 3], [1, 1], [-1, -1], 1),
             ([2, 0, 5, 5], [4, 0, 3, 3], [1, 1], [0, 0], 1), ([0, 3, 5, 5], [4, 3, 1, 0], [1, 1], [1, 1], 1),
             ([2, 0, 5, 5], [4, 0, 1, 0], [1, 1], [1, 1], 1), ([0, 0, 5, 5], [4, 0, 1, 0], [1, 1], [1, 1], 1),
             ([0, 4, 5, 5], [4, 2, 0, 0], [1, 1], [1, 1], 2), ([0, 3, 5, 5], [4, 3, 3, 3], [2, 2], [0, 0], 1),
             ([1, 3, 5, 5], [4, 3, 1, 0], [1, 1], [0, 0], 1), ([2, 3, 5, 5], [4, 3, 1, 0], [1, 1], [0, 0], 1),
             ([1, 3, 5, 5], [4, 3, 3, 3], [1, 1], [0, 0], 1), ([2, 3, 5, 5], [4, 3, 3, 3], [1, 1], [-1, 1], 1),
             ([1, 3, 5, 5], [4, 3, 1, 0], [1, 1], [2, 2], 1), ([1, 3, 100, 100], [4, 3, 1, 0], [1, 1], [1, 1], 1)]
    for j, (xs, ws, st, dil, groups) in enumerate(edges):
        for dtype in ("float32", "float64"):
            c = dict(op="conv", x=xs, w=ws, bias=None, args=dict(stride=st, padding=[0, 0], dilation=dil, groups=groups),
                     dtype=dtype)
            out = []
            msg = error_message(lambda: out.append(tuple(run(c).shape)))
            g.case(name=f"edge{j}_{dtype}", **c, error=msg, out=None if msg else list(out[0]))
