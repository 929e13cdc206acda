"""Random shape operations against PyTorch (area "fuzz_views"): view, reshape, permute, transpose, t,
squeeze, unsqueeze, narrow, select (as Python's X[..., i]), slicing, expand, flatten, reductions over a dimension, cat, stack
and broadcasting arithmetic, on tensors of random shapes (empty dimensions included, and transposed,
non-contiguous ones), with random arguments, often invalid (dimensions out of range, sizes that do
not match, -1 twice). The output shape, or PyTorch's message where it refuses.

The test makes the same call with jconv on a tensor of the same shape (transposed the same way) and
must get the same shape or the same message (IllegalArgumentException).

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_views.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402

CASES = 800

rng = random.Random(20261201)


def shape():
    rank = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
    return [rng.randint(0, 1) if rng.random() < 0.08 else rng.randint(1, 4) for _ in range(rank)]


def dim(rank, slack=1):
    """A dimension for a tensor of `rank`, sometimes out of range."""
    lo, hi = -max(rank, 1) - slack, max(rank, 1) - 1 + slack
    return rng.randint(lo, hi) if rng.random() < 0.15 else rng.randint(-max(rank, 1), max(rank, 1) - 1)


def numel(s):
    n = 1
    for v in s:
        n *= v
    return n


def some_shape(n):
    """A shape holding n elements (or not, now and then), with a -1 sometimes (twice, rarely)."""
    if rng.random() < 0.15:
        return [rng.randint(0, 5) for _ in range(rng.randint(0, 3))]
    out = []
    rest = n
    for _ in range(rng.randint(0, 3)):
        divs = [d for d in range(1, rest + 1) if rest % d == 0] if rest > 0 else [0, 1, 2]
        d = rng.choice(divs)
        out.append(d)
        rest = rest // d if d else rest
    out.append(rest)
    rng.shuffle(out)
    if rng.random() < 0.3:
        out[rng.randrange(len(out))] = -1
    if rng.random() < 0.05 and len(out) > 1:
        out[0] = out[1] = -1
    return out


def draw():
    s = shape()
    rank = len(s)
    transposed = rank >= 2 and rng.random() < 0.25
    op = rng.choice(["view", "reshape", "permute", "transpose", "t", "squeeze", "unsqueeze", "narrow", "select",
                     "slice", "expand", "flatten", "sum", "mean", "max", "cat", "stack", "add", "unflatten_view"])
    if op in ("view", "reshape", "unflatten_view"):
        args = [some_shape(numel(s))]
        op = "view" if op == "unflatten_view" else op
    elif op == "permute":
        p = list(range(rank))
        rng.shuffle(p)
        r = rng.random()
        if r < 0.1 and p:
            p[0] = p[-1]
        elif r < 0.2:
            p.append(rank)
        elif r < 0.3 and p:
            p[0] -= rank
        args = [p]
    elif op == "transpose":
        args = [dim(rank), dim(rank)]
    elif op in ("t", "squeeze"):
        args = [] if op == "t" or rng.random() < 0.3 else [dim(rank)]
    elif op == "unsqueeze":
        args = [rng.randint(-rank - 2, rank + 1)]
    elif op == "narrow":
        d = dim(rank)
        size = s[d] if -rank <= d < rank else 3
        args = [d, rng.randint(-size - 1, size + 1), rng.randint(-1, size + 1)]
    elif op == "select":
        d = dim(rank)
        size = s[d] if -rank <= d < rank else 3
        args = [d, rng.randint(-size - 1, size)]
    elif op == "slice":
        d = dim(rank)
        size = s[d] if -rank <= d < rank else 3
        args = [d, rng.randint(-size - 2, size + 2), rng.randint(-size - 2, size + 2), rng.choice([1, 1, 2, 3, 0])]
    elif op == "expand":
        e = [v if rng.random() < 0.5 else (rng.randint(2, 3) if v == 1 else rng.choice([-1, v, v + 1])) for v in s]
        if rng.random() < 0.3:
            e = [rng.randint(1, 3)] + e
        if rng.random() < 0.1 and e:
            e = e[1:]
        args = [e]
    elif op == "flatten":
        args = [dim(rank), dim(rank)]
    elif op in ("sum", "mean", "max"):
        args = [dim(rank), rng.random() < 0.5]
    elif op in ("cat", "stack"):
        other = list(s)
        if other and rng.random() < 0.6:
            i = rng.randrange(len(other))
            other[i] = rng.randint(0, 4)
        if rng.random() < 0.1:
            other = other[1:]
        args = [other, dim(rank + (1 if op == "stack" else 0))]
    else:
        other = [v if rng.random() < 0.6 else rng.choice([1, v + 1]) for v in s][rng.randint(0, rank):]
        if rng.random() < 0.3:
            other = [rng.randint(1, 3)] + other
        args = [other]
    return dict(op=op, shape=s, transposed=transposed, args=args)


def make(c):
    s = c["shape"]
    if c["transposed"]:
        # the tensor of shape s, stored transposed: torch.zeros(s with the last two swapped).transpose(-1, -2)
        t = list(s)
        t[-1], t[-2] = t[-2], t[-1]
        return torch.zeros(t).transpose(-1, -2)
    return torch.zeros(s)


def run(c):
    x = make(c)
    a = c["args"]
    op = c["op"]
    if op == "view":
        return x.view(a[0])
    if op == "reshape":
        return x.reshape(a[0])
    if op == "permute":
        return x.permute(a[0])
    if op == "transpose":
        return x.transpose(a[0], a[1])
    if op == "t":
        return x.t()
    if op == "squeeze":
        return x.squeeze(*a)
    if op == "unsqueeze":
        return x.unsqueeze(a[0])
    if op == "narrow":
        return x.narrow(a[0], a[1], a[2])
    if op == "select":
        # jconv's select is Python's X[..., i] (the book's indexing), whose words differ from
        # torch.select's for an index out of range; a dimension out of range is select's to refuse.
        if x.dim() > 0 and -x.dim() <= a[0] < x.dim():
            return x[(slice(None),) * (a[0] % x.dim()) + (a[1],)]
        return x.select(a[0], a[1])
    if op == "slice":
        return torch.ops.aten.slice(x, a[0], a[1], a[2], a[3])  # what X[..., start:end:step] runs
    if op == "expand":
        return x.expand(a[0])
    if op == "flatten":
        return x.flatten(a[0], a[1])
    if op == "sum":
        return x.sum(a[0], keepdim=a[1])
    if op == "mean":
        return x.mean(a[0], keepdim=a[1])
    if op == "max":
        return x.max(a[0], keepdim=a[1]).values
    if op == "cat":
        return torch.cat((x, torch.zeros(a[0])), a[1])
    if op == "stack":
        return torch.stack((x, torch.zeros(a[0])), a[1])
    return x + torch.zeros(a[0])


with Golden("fuzz_views") as g:
    made = 0
    while made < CASES:
        c = draw()
        if c["op"] == "slice" and c["args"][3] == 0 and rng.random() < 0.7:
            continue  # a few zero steps are enough
        out = []
        msg = error_message(lambda: out.append(list(run(c).shape)))
        g.case(name=f"v{made}", **c, error=msg, out=None if msg else out[0])
        made += 1

    # Joins by hand: PyTorch's legacy rule skips 1-D empty tensors in cat, and the 0-d refusals.
    joins = [("cat", [2, 3], [0], 0), ("cat", [2, 3], [0], 1), ("cat", [0], [2, 3], 1), ("cat", [0], [0], 0),
             ("cat", [2, 3], [0, 3], 0), ("cat", [2, 3], [2, 0], 1), ("cat", [2, 3], [0, 4], 0), ("cat", [0], [2, 3], 5),
             ("stack", [0], [0], 0), ("stack", [2, 3], [2, 3], -3), ("stack", [], [], 0), ("cat", [3], [], 0)]
    for j, (op, a_shape, b_shape, d) in enumerate(joins):
        c = dict(op=op, shape=a_shape, transposed=False, args=[b_shape, d])
        out = []
        msg = error_message(lambda: out.append(list(run(c).shape)))
        g.case(name=f"join{j}", **c, error=msg, out=None if msg else out[0])
