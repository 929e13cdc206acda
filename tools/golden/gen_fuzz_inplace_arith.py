"""Random in-place arithmetic against PyTorch (area "fuzz_inplace_arith"): add_ (with or without
alpha), sub_, mul_, div_ with a tensor or a Python float, fill_, copy_ and zero_, on a tensor of each
dtype (float32, float64, int64, bool) with an operand of each dtype and a shape that broadcasts to it,
would have to grow it, or does not broadcast; now and then the target is an expanded view (elements
sharing memory). Kept: the target's values afterwards (its dtype stays), or PyTorch's message.
Values are kept in the manifest (small shapes; "inf", "-inf", "nan" as strings).

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_inplace_arith.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message, json_float  # noqa: E402

import torch  # noqa: E402

CASES = 500
rng = random.Random(20261126)
torch.manual_seed(20261126)
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}
OPS = ["add", "add_alpha", "sub", "mul", "div", "add_s", "sub_s", "mul_s", "div_s", "fill", "copy", "zero"]


def values(shape, dtype):
    if dtype == torch.bool:
        return torch.rand(shape) < 0.5
    if dtype == torch.int64:
        return torch.randint(-4, 5, shape)
    return (torch.randn(shape) * 4).round().div(2).to(dtype)  # halves: exact in both float dtypes


def other_shape(shape):
    r = rng.random()
    if r < 0.55:  # broadcasts to the target
        out = list(shape)
        for i in range(len(out)):
            if rng.random() < 0.3:
                out[i] = 1
        while out and rng.random() < 0.3:
            out.pop(0)
        return out
    if r < 0.8:  # the target would have to grow
        return [rng.randint(2, 3)] + list(shape)
    out = list(shape) if shape else [2]
    i = rng.randrange(len(out))
    out[i] = out[i] + 1 if out[i] != 1 else 3
    return out


with Golden("fuzz_inplace_arith") as g:
    for case in range(CASES):
        op = rng.choice(OPS)
        sd, od = rng.choice(list(DTYPES)), rng.choice(list(DTYPES))
        shape = rng.choice([[], [3], [2, 3], [1, 3], [2, 1]])
        expanded = bool(shape) and shape[0] == 1 and rng.random() < 0.3
        oshape = other_shape(shape)
        scalar = rng.choice([2.0, -1.5, 0.5, 0.0, 3.0])
        alpha = rng.choice([2.0, -1.0, 0.5])
        base = values(shape, DTYPES[sd])
        other = values(oshape, DTYPES[od])
        target = base.clone()
        if expanded:
            target = target.expand(3, *shape[1:])

        calls = {
            "add": lambda: target.add_(other), "add_alpha": lambda: target.add_(other, alpha=alpha),
            "sub": lambda: target.sub_(other), "mul": lambda: target.mul_(other), "div": lambda: target.div_(other),
            "add_s": lambda: target.add_(scalar), "sub_s": lambda: target.sub_(scalar),
            "mul_s": lambda: target.mul_(scalar), "div_s": lambda: target.div_(scalar),
            "fill": lambda: target.fill_(scalar), "copy": lambda: target.copy_(other), "zero": lambda: target.zero_(),
        }
        run = calls[op]
        msg = error_message(run)
        g.case(name=f"i{case}", op=op, dtype=sd, shape=shape, expanded=expanded,
               values=[json_float(v) for v in base.reshape(-1).tolist()], other_dtype=od, other_shape=oshape,
               other=[json_float(v) for v in other.reshape(-1).tolist()], scalar=scalar, alpha=alpha, error=msg,
               result=None if msg is not None else [json_float(v) for v in target.reshape(-1).tolist()],
               result_shape=None if msg is not None else list(target.shape))
