"""Random arithmetic against PyTorch (area "fuzz_arith"): add, sub, mul, div, pow, maximum, minimum,
the comparisons, neg and abs between tensors of every dtype (float32, float64, int64, bool) and
broadcastable shapes, or with a Python int or float: the result's dtype and values (type promotion,
integer division and powers, bool arithmetic), or PyTorch's message where it refuses the pair.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_arith.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402

torch.manual_seed(20261205)
rng = random.Random(20261205)
CASES = 600
MISMATCHED = 120
DTYPES = [torch.float32, torch.float64, torch.int64, torch.bool]
BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"]
SCALAR_OPS = {"add": (int, float), "sub": (int, float), "mul": (int, float), "div": (float,), "pow": (int, float),
              "eq": (float,), "gt": (float,), "lt": (float,)}


def values(shape, dtype):
    if dtype == torch.bool:
        return torch.rand(shape) < 0.5
    if dtype == torch.int64:
        return torch.randint(-4, 5, shape)
    x = torch.randn(shape, dtype=dtype) * 3
    if rng.random() < 0.3 and x.numel():
        x.view(-1)[0] = rng.choice([0.0, -0.0, float("inf"), float("nan"), 2.0])
    return x


def shapes():
    a = [rng.randint(1, 3) for _ in range(rng.randint(0, 3))]
    b = [d if rng.random() < 0.6 else 1 for d in a][rng.randint(0, len(a)):]
    if rng.random() < 0.1:
        b = [rng.randint(2, 4)] + b
    if rng.random() < 0.08 and a:
        b = list(a)
        b[-1] += 1  # not broadcastable
    return a, b


def run(c, a, b):
    op = c["op"]
    if op in ("neg", "abs"):
        return getattr(torch, op)(a)
    other = b if c["scalar"] is None else c["scalar"]
    if op in ("maximum", "minimum"):
        return getattr(torch, op)(a, other)
    return getattr(a, op)(other)


with Golden("fuzz_arith") as g:
    for i in range(CASES):
        op = rng.choice(BINARY + ["neg", "abs"])
        sa, sb = shapes()
        da, db = rng.choice(DTYPES), rng.choice(DTYPES)
        scalar = None
        if op in SCALAR_OPS and rng.random() < 0.35:
            kind = rng.choice(SCALAR_OPS[op])
            scalar = rng.choice([0, 1, 2, 3, -2]) if kind is int else rng.choice([0.5, -1.5, 2.0, 0.0, 3.25])
        a = values(sa, da)
        b = values(sb, db)
        c = dict(op=op, scalar=scalar, scalar_int=isinstance(scalar, int))
        out = []
        msg = error_message(lambda: out.append(run(c, a, b)))
        binary = op not in ("neg", "abs") and scalar is None
        g.case(name=f"a{i}", **c, a=g.array(f"a{i}_a", a), b=g.array(f"a{i}_b", b) if binary else None, error=msg,
               out=None if msg else g.array(f"a{i}_out", out[0]), dtype=None if msg else str(out[0].dtype))
    # Then shapes that never broadcast, with every pair of dtypes: which refusal comes first (sub's bool
    # check before the shapes; the shapes before what a kernel refuses for a dtype, such as pow of bools).
    for i in range(MISMATCHED):
        op = rng.choice(BINARY)
        sa = [rng.randint(2, 3) for _ in range(rng.randint(1, 2))]
        sb = list(sa)
        sb[-1] += 1  # neither is 1: never broadcasts
        da, db = rng.choice(DTYPES), rng.choice(DTYPES)
        a = values(sa, da)
        b = values(sb, db)
        c = dict(op=op, scalar=None, scalar_int=False)
        msg = error_message(lambda: run(c, a, b))
        assert msg is not None
        g.case(name=f"m{i}", **c, a=g.array(f"m{i}_a", a), b=g.array(f"m{i}_b", b), error=msg, out=None, dtype=None)
