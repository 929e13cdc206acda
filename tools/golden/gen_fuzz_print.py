"""Random tensors printed by PyTorch (area "fuzz_print"): repr() of tensors drawn at random — every
dtype, ranks 0 to 4, empty dimensions, lengths that wrap lines and that summarize (over 1000
elements), integer-valued floats, magnitudes from 1e-12 to 1e12 (fixed and scientific notation), and
infinities, NaN and negative zeros mixed in; some float tensors require grad. The test prints the
same elements with Tensor.toString and must give the same text, character for character.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_print.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402

torch.set_printoptions(profile="default")

CASES = 400

rng = random.Random(20261129)


def draw_shape():
    kind = rng.random()
    if kind < 0.08:
        return []
    if kind < 0.12:
        s = [rng.randint(0, 3) for _ in range(rng.randint(1, 3))]
        s[rng.randrange(len(s))] = 0
        return s
    if kind < 0.22:
        return [rng.randint(995, 1300)]  # summarized past 1000 elements
    if kind < 0.3:
        return [rng.randint(30, 45), rng.randint(25, 40)]  # summarized 2-D
    if kind < 0.55:
        return [rng.randint(1, 30)]
    if kind < 0.8:
        return [rng.randint(1, 7), rng.randint(1, 9)]
    return [rng.randint(1, 3) for _ in range(rng.randint(3, 4))]


def draw_values(shape, dtype):
    n = 1
    for s in shape:
        n *= s
    if dtype == torch.bool:
        return torch.rand(shape) < 0.5
    if dtype == torch.int64:
        mag = rng.choice([10, 1000, 10 ** 6, 10 ** 12, 2 ** 62])
        return torch.randint(-mag, mag, shape, dtype=torch.int64)
    style = rng.choice(["normal", "scaled", "integers", "wide", "tiny", "mixed"])
    if style == "normal":
        x = torch.randn(shape, dtype=torch.float64)
    elif style == "scaled":
        x = torch.randn(shape, dtype=torch.float64) * 10.0 ** rng.randint(-12, 12)
    elif style == "integers":
        x = torch.randint(-10 ** rng.randint(1, 10), 10 ** rng.randint(1, 10), shape).double()
    elif style == "wide":
        x = torch.randn(shape, dtype=torch.float64) * torch.pow(10.0, torch.randint(-6, 7, shape).double())
    elif style == "tiny":
        x = torch.rand(shape, dtype=torch.float64) * 1e-5
    else:
        x = torch.randn(shape, dtype=torch.float64).round() / rng.choice([1, 2, 4, 8, 3])
    if n and rng.random() < 0.3:
        flat = x.view(-1)
        for _ in range(rng.randint(1, 3)):
            flat[rng.randrange(n)] = rng.choice([float("inf"), float("-inf"), float("nan"), -0.0, 0.0])
    return x.to(dtype)


with Golden("fuzz_print") as g:
    for i in range(CASES):
        dtype = rng.choice([torch.float32, torch.float32, torch.float64, torch.int64, torch.bool])
        shape = draw_shape()
        torch.manual_seed(rng.randrange(1 << 31))
        x = draw_values(shape, dtype)
        grad = dtype.is_floating_point and rng.random() < 0.2
        shown = x.clone().requires_grad_(True) if grad else x
        g.case(name=f"t{i}", x=g.array(f"t{i}_x", x), dtype=str(dtype), shape=list(shape), requires_grad=grad,
               repr=repr(shown))
