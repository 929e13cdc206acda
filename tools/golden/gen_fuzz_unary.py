"""Random unary functions and reductions against PyTorch (area "fuzz_unary"): exp, log, sqrt, sigmoid,
tanh, relu, neg, abs, softmax and log-softmax, and sum, mean, max, min, argmax over the whole tensor or
one dimension, on float32 and float64 tensors of random shapes (empty ones too) holding ordinary
values, large and tiny ones, zeros of both signs, infinities and NaN; int64 and bool inputs where
PyTorch takes or refuses them. The result's dtype and values (within 4 units in the last place for the
transcendental functions, exactly otherwise, NaN as NaN), or PyTorch's message.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_unary.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.manual_seed(20261206)
rng = random.Random(20261206)
CASES = 500
UNARY = ["exp", "log", "sqrt", "sigmoid", "tanh", "relu", "neg", "abs", "softmax", "log_softmax"]
REDUCE = ["sum", "mean", "max", "min", "argmax", "sum_dim", "mean_dim", "max_dim", "min_dim", "argmax_dim"]
SPECIALS = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e30, -1e30, 1e-30, 88.7, -88.7, 710.0, -745.0,
            20.0, -20.0, 1.0]


def values(shape, dtype):
    if dtype == torch.int64:
        return torch.randint(-5, 6, shape)
    if dtype == torch.bool:
        return torch.rand(shape) < 0.5
    x = torch.randn(shape, dtype=torch.float64) * 10.0 ** rng.randint(-3, 3)
    n = x.numel()
    for _ in range(rng.randint(0, 3) if n else 0):
        x.view(-1)[rng.randrange(n)] = rng.choice(SPECIALS)
    return x.to(dtype)


def run(op, x, dim):
    if op in ("softmax", "log_softmax"):
        return getattr(F, op)(x, dim)
    if op in UNARY:
        return getattr(torch, op)(x)
    if op.endswith("_dim"):
        base = op[:-4]
        r = getattr(x, base)(dim)
        return r.values if base in ("max", "min") else r
    return getattr(x, op)()


with Golden("fuzz_unary") as g:
    for i in range(CASES):
        op = rng.choice(UNARY + REDUCE)
        shape = [rng.randint(0 if rng.random() < 0.1 else 1, 5) for _ in range(rng.randint(0, 3))]
        dtype = rng.choice([torch.float32, torch.float32, torch.float64, torch.float64, torch.int64, torch.bool])
        x = values(shape, dtype)
        dim = rng.randint(-len(shape), len(shape) - 1) if shape else rng.choice([0, -1])
        out = []
        msg = error_message(lambda: out.append(run(op, x, dim)))
        g.case(name=f"u{i}", op=op, dim=dim, x=g.array(f"u{i}_x", x), error=msg,
               out=None if msg else g.array(f"u{i}_out", out[0]), dtype=None if msg else str(out[0].dtype),
               shape=None if msg else list(out[0].shape))
