"""Random tensor creation against PyTorch (area "fuzz_create"): torch.arange with int and float
arguments (negative, fractional and tiny steps, empty and inconsistent ranges), torch.full with int,
float and bool values (dtype inferred from the value, or given), zeros and ones of every dtype, with
random shapes (negative sizes among them): the dtype and values, or PyTorch's message.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_create.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402

CASES = 300
rng = random.Random(20261210)
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}


def number(kind):
    if kind == "int":
        return rng.randint(-12, 12)
    return rng.choice([0.1, -0.3, 1.5, 2.25, -1.0, 0.0, 1e-3, 7.0, 0.7, -2.5, 3.0])


def run(c):
    a = c["args"]
    if c["fn"] == "arange":
        return torch.arange(*a["params"])
    if c["fn"] == "arange_dtype":
        return torch.arange(a["params"][0], dtype=DTYPES[a["dtype"]])
    if c["fn"] == "full":
        return torch.full(a["shape"], a["value"]) if a["dtype"] is None else torch.full(a["shape"], a["value"],
                                                                                       dtype=DTYPES[a["dtype"]])
    if c["fn"] == "zeros":
        return torch.zeros(a["shape"], dtype=DTYPES[a["dtype"]])
    return torch.ones(a["shape"], dtype=DTYPES[a["dtype"]])


with Golden("fuzz_create") as g:
    for i in range(CASES):
        fn = rng.choice(["arange", "arange", "arange", "arange_dtype", "full", "full", "zeros", "ones"])
        shape = [rng.randint(-1 if rng.random() < 0.05 else 0, 3) for _ in range(rng.randint(0, 3))]
        if fn == "arange":
            kind = rng.choice(["int", "int", "float"])
            n = rng.choice([1, 2, 3])
            params = [number(kind) for _ in range(n)]
            if n == 3 and params[2] == 0 and rng.random() < 0.7:
                params[2] = 1 if kind == "int" else 0.5
            args = dict(params=params, kind=kind)
        elif fn == "arange_dtype":
            args = dict(params=[rng.randint(0, 9)], dtype=rng.choice(list(DTYPES)))
        elif fn == "full":
            kind = rng.choice(["int", "float", "bool"])
            value = rng.choice([True, False]) if kind == "bool" else number(kind)
            args = dict(shape=shape, value=value, kind=kind, dtype=rng.choice([None, None, "float32", "float64", "int64",
                                                                               "bool"]))
        else:
            args = dict(shape=shape, dtype=rng.choice(list(DTYPES)))
        c = dict(fn=fn, args=args)
        out = []
        msg = error_message(lambda: out.append(run(c)))
        g.case(name=f"c{i}", **c, error=msg, out=None if msg else g.array(f"c{i}_out", out[0]),
               dtype=None if msg else str(out[0].dtype), shape=None if msg else list(out[0].shape))
    # Long float ranges by hand: PyTorch's vector loop rounds groups of 8 from a float base.
    for j, params in enumerate([[0.1, 100.0, 0.013], [-5.0, 5.0, 0.01], [3.3, -7.1, -0.37], [0.0, 1.0, 0.001],
                                [1e-3, 2.5, 1e-4]]):
        c = dict(fn="arange", args=dict(params=params, kind="float"))
        out = run(c)
        g.case(name=f"long{j}", **c, error=None, out=g.array(f"long{j}_out", out), dtype=str(out.dtype),
               shape=list(out.shape))
