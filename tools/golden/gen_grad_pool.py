"""Golden pooling gradients from PyTorch (area "grad_pool"): max (ties, NaN, padding, dilation,
ceil_mode), average (count_include_pad, divisor_override, ceil_mode), adaptive average and max, LP,
and max unpooling; batched and unbatched. Inputs are stored as float32 (or float64 for the float64
cases); the expected values are PyTorch's, computed in float64 from those inputs.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_grad_pool.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.manual_seed(77)


def ties(*shape):
    return torch.randint(0, 3, shape).float()


def with_nan(*shape):
    x = torch.randn(shape)
    flat = x.view(-1)
    flat[1] = float("nan")
    flat[min(5, flat.numel() - 1)] = float("nan")
    return x


# (op, input, args, dtype)
CASES = [
    ("max", torch.randn(2, 3, 6, 6), dict(kernel=2, stride=2, padding=0, dilation=1, ceil=False), "float32"),
    ("max", torch.randn(1, 2, 7, 7), dict(kernel=3, stride=2, padding=1, dilation=1, ceil=False), "float32"),
    ("max", torch.randn(1, 2, 5, 5), dict(kernel=2, stride=2, padding=1, dilation=1, ceil=True), "float32"),
    ("max", torch.randn(2, 1, 9, 8), dict(kernel=3, stride=1, padding=1, dilation=2, ceil=False), "float32"),
    ("max", torch.randn(1, 1, 7, 9), dict(kernel=(2, 3), stride=(3, 2), padding=(1, 1), dilation=1, ceil=True), "float32"),
    ("max", ties(2, 2, 6, 6), dict(kernel=3, stride=1, padding=0, dilation=1, ceil=False), "float32"),
    ("max", ties(1, 3, 5, 5), dict(kernel=2, stride=1, padding=1, dilation=1, ceil=False), "float32"),
    ("max", with_nan(1, 2, 6, 6), dict(kernel=3, stride=2, padding=1, dilation=1, ceil=False), "float32"),
    ("max", torch.randn(3, 6, 6), dict(kernel=2, stride=2, padding=0, dilation=1, ceil=False), "float32"),
    ("max", torch.randn(2, 2, 6, 6), dict(kernel=2, stride=2, padding=0, dilation=1, ceil=False), "float64"),
    ("max", -torch.rand(1, 1, 4, 4) - 1, dict(kernel=3, stride=2, padding=1, dilation=1, ceil=True), "float32"),
    ("avg", torch.randn(2, 3, 6, 6), dict(kernel=2, stride=2, padding=0, ceil=False, include=True, divisor=None), "float32"),
    ("avg", torch.randn(1, 2, 5, 5), dict(kernel=3, stride=2, padding=1, ceil=False, include=True, divisor=None), "float32"),
    ("avg", torch.randn(1, 2, 5, 5), dict(kernel=3, stride=2, padding=1, ceil=False, include=False, divisor=None), "float32"),
    ("avg", torch.randn(1, 2, 5, 5), dict(kernel=2, stride=2, padding=0, ceil=True, include=True, divisor=None), "float32"),
    ("avg", torch.randn(1, 2, 5, 5), dict(kernel=2, stride=2, padding=1, ceil=True, include=True, divisor=None), "float32"),
    ("avg", torch.randn(1, 2, 5, 5), dict(kernel=2, stride=2, padding=1, ceil=True, include=False, divisor=None), "float32"),
    ("avg", torch.randn(1, 2, 6, 7), dict(kernel=(3, 2), stride=(1, 2), padding=(1, 0), ceil=False, include=True, divisor=5), "float32"),
    ("avg", torch.randn(2, 4, 7), dict(kernel=3, stride=3, padding=1, ceil=True, include=False, divisor=None), "float32"),
    ("avg", torch.randn(2, 2, 6, 6), dict(kernel=3, stride=2, padding=1, ceil=True, include=True, divisor=None), "float64"),
    ("avg", torch.randn(2, 6, 28, 28), dict(kernel=2, stride=2, padding=0, ceil=False, include=True, divisor=None), "float32"),
    ("adaptive_avg", torch.randn(2, 3, 7, 7), dict(out=(3, 3)), "float32"),
    ("adaptive_avg", torch.randn(1, 2, 5, 9), dict(out=(2, 4)), "float32"),
    ("adaptive_avg", torch.randn(2, 3, 6, 6), dict(out=(1, 1)), "float32"),
    ("adaptive_avg", torch.randn(3, 4, 4), dict(out=(6, 5)), "float32"),
    ("adaptive_avg", torch.randn(1, 2, 7, 5), dict(out=(3, 2)), "float64"),
    ("adaptive_max", torch.randn(2, 3, 7, 7), dict(out=(3, 3)), "float32"),
    ("adaptive_max", ties(1, 2, 6, 5), dict(out=(4, 2)), "float32"),
    ("adaptive_max", with_nan(1, 1, 5, 5), dict(out=(2, 2)), "float32"),
    ("adaptive_max", torch.randn(2, 5, 5), dict(out=(5, 7)), "float64"),
    ("lp", torch.rand(1, 2, 6, 6) + 0.1, dict(norm=2.0, kernel=2, stride=2, ceil=False), "float32"),
    ("lp", torch.randn(1, 2, 6, 6), dict(norm=1.0, kernel=3, stride=1, ceil=False), "float32"),
    ("lp", torch.rand(2, 1, 5, 5) + 0.1, dict(norm=3.0, kernel=2, stride=2, ceil=True), "float32"),
    ("lp", torch.rand(1, 2, 7, 6) + 0.1, dict(norm=1.5, kernel=(2, 3), stride=None, ceil=False), "float64"),
    ("unpool", torch.randn(1, 2, 6, 6), dict(kernel=2, stride=2, padding=0), "float32"),
    ("unpool", torch.randn(2, 2, 7, 7), dict(kernel=3, stride=2, padding=1), "float64"),
]


def run(op, x, a):
    if op == "max":
        return F.max_pool2d(x, a["kernel"], a["stride"], a["padding"], a["dilation"], ceil_mode=a["ceil"])
    if op == "avg":
        return F.avg_pool2d(x, a["kernel"], a["stride"], a["padding"], ceil_mode=a["ceil"],
                            count_include_pad=a["include"], divisor_override=a["divisor"])
    if op == "adaptive_avg":
        return F.adaptive_avg_pool2d(x, a["out"])
    if op == "adaptive_max":
        return F.adaptive_max_pool2d(x, a["out"])
    if op == "lp":
        return F.lp_pool2d(x, a["norm"], a["kernel"], a["stride"], ceil_mode=a["ceil"])
    if op == "unpool":
        v, i = F.max_pool2d(x.detach(), a["kernel"], a["stride"], a["padding"], return_indices=True)
        return F.max_unpool2d(v.requires_grad_(True), i, a["kernel"], a["stride"], a["padding"])
    raise ValueError(op)


def jsonable(a):
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in a.items()}


with Golden("grad_pool") as g:
    for i, (op, x, a, dtype) in enumerate(CASES):
        dt = torch.float64 if dtype == "float64" else torch.float32
        x = x.to(dt)
        fields = {}
        if op == "unpool":
            v, idx = F.max_pool2d(x.double(), a["kernel"], a["stride"], a["padding"], return_indices=True)
            vin = v.to(dt)
            vd = vin.double().requires_grad_(True)
            out = F.max_unpool2d(vd, idx, a["kernel"], a["stride"], a["padding"])
            gout = torch.randn(out.shape).to(dt)
            out.backward(gout.double())
            fields = dict(x=g.array(f"p{i}_x", vin), indices=g.array(f"p{i}_idx", idx), gx=g.array(f"p{i}_gx", vd.grad))
        else:
            xd = x.double().requires_grad_(True)
            out = run(op, xd, a)
            gout = torch.randn(out.shape).to(dt)
            out.backward(gout.double())
            fields = dict(x=g.array(f"p{i}_x", x), gx=g.array(f"p{i}_gx", xd.grad))
        g.case(name=f"{op}_{i}", op=op, dtype=dtype, args=jsonable(a), out=g.array(f"p{i}_out", out),
               gout=g.array(f"p{i}_gout", gout), grad_fn=out.grad_fn.name(), **fields)
