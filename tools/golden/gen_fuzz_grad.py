"""Random autograd programs against PyTorch (area "fuzz_grad"): chains of element-wise operations with
broadcasting, reductions, views, matmul, softmax and losses, drawn at random; the final value and
the gradient of every leaf after backward with a random output gradient, and every register's
grad_fn name (taken after the backward).

A program is a list of steps; each step makes one register: ["leaf", shape] draws randn(shape)
(float32, requiring grad), the others apply an operation to earlier registers (see apply()). The
test replays the steps with jconv in the same order, drawing the leaves with jconv's generator
(which reproduces PyTorch's, area "rng"), then the output gradient; it checks the drawn values
against the sums kept here. PyTorch computes in float64 from the float32 leaves; the results are
kept in float64. Operands of log, sqrt, division and negative powers are made positive by the
program itself (abs, then + 0.5), and exp reads tanh's output, so that values stay finite.
Same-register operands (maximum(a, a)) and maxima over expanded dimensions make ties on purpose.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_grad.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

PROGRAMS = 400
MAX_NUMEL = 200

rng = random.Random(20261128)


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def apply(step, regs):
    """Runs one step on the registers (torch tensors); returns the new register."""
    op, args = step[0], step[1:]
    r = lambda i: regs[i]  # noqa: E731
    if op == "add":
        return r(args[0]) + r(args[1])
    if op == "sub":
        return r(args[0]) - r(args[1])
    if op == "mul":
        return r(args[0]) * r(args[1])
    if op == "div":
        return r(args[0]) / r(args[1])
    if op == "maximum":
        return torch.maximum(r(args[0]), r(args[1]))
    if op == "minimum":
        return torch.minimum(r(args[0]), r(args[1]))
    if op == "adds":
        return r(args[0]) + args[1]
    if op == "muls":
        return r(args[0]) * args[1]
    if op == "pows":
        return r(args[0]).pow(args[1])
    if op in ("exp", "log", "sqrt", "sigmoid", "tanh", "relu", "abs", "neg"):
        return getattr(torch, op)(r(args[0]))
    if op == "sum":
        return r(args[0]).sum(args[1], keepdim=args[2])
    if op == "sumall":
        return r(args[0]).sum()
    if op == "mean":
        return r(args[0]).mean(args[1], keepdim=args[2])
    if op == "meanall":
        return r(args[0]).mean()
    if op == "maxdim":
        return r(args[0]).max(args[1], keepdim=args[2]).values
    if op == "maxall":
        return r(args[0]).max()
    if op == "transpose":
        return r(args[0]).transpose(args[1], args[2])
    if op == "permute":
        return r(args[0]).permute(*args[1])
    if op == "reshape":
        return r(args[0]).reshape(args[1])
    if op == "unsqueeze":
        return r(args[0]).unsqueeze(args[1])
    if op == "squeeze":
        return r(args[0]).squeeze(args[1])
    if op == "expand":
        return r(args[0]).expand(args[1])
    if op == "slice":
        dim, start, end, step_ = args[1:]
        return torch.ops.aten.slice(r(args[0]), dim, start, end, step_)  # what x[..., start:end:step] runs
    if op == "select":
        return r(args[0]).select(args[1], args[2])
    if op == "flatten":
        return r(args[0]).flatten()
    if op == "matmul":
        return r(args[0]).matmul(r(args[1]))
    if op == "softmax":
        return F.softmax(r(args[0]), args[1])
    if op == "logsoftmax":
        return F.log_softmax(r(args[0]), args[1])
    if op == "mse":
        return F.mse_loss(r(args[0]), r(args[1]))
    if op == "cat":
        return torch.cat((r(args[0]), r(args[1])), args[2])
    if op == "stack":
        return torch.stack((r(args[0]), r(args[1])), args[2])
    if op == "mindim":
        return r(args[0]).min(args[1], keepdim=args[2]).values
    if op == "sumdims":
        return r(args[0]).sum(args[1], keepdim=args[2])
    if op == "narrow":
        return r(args[0]).narrow(args[1], args[2], args[3])
    if op == "linear":
        return F.linear(r(args[0]), r(args[1]), None if args[2] is None else r(args[2]))
    if op == "conv":
        return F.conv2d(r(args[0]), r(args[1]), None if args[2] is None else r(args[2]), stride=args[3],
                        padding=args[4], dilation=args[5])
    if op == "maxpool":
        return F.max_pool2d(r(args[0]), args[1], args[2], args[3])
    if op == "avgpool":
        return F.avg_pool2d(r(args[0]), args[1], args[2], args[3], ceil_mode=args[4], count_include_pad=args[5])
    if op == "ce":
        return F.cross_entropy(r(args[0]), r(args[1]))
    raise ValueError(op)


class Builder:
    """Draws one program, tracking every register's shape."""

    def __init__(self):
        self.steps = []
        self.shapes = []

    def add(self, step, shape):
        self.steps.append(step)
        self.shapes.append(list(shape))
        return len(self.steps) - 1

    def leaf(self, shape):
        return self.add(["leaf", list(shape)], shape)

    def partner(self, a):
        """An earlier register that broadcasts with a (fan-out: its gradient sums two paths), or None."""
        shape = self.shapes[a]
        fits = [i for i, s in enumerate(self.shapes) if i != a and self.steps[i][0] != "intleaf"
                and len(s) <= len(shape) and all(x in (1, y) for x, y in zip(reversed(s), reversed(shape)))]
        return rng.choice(fits) if fits else None

    def positive(self, a):
        """abs(a) + 0.5: an operand for log, sqrt, a divisor or a negative power."""
        b = self.add(["abs", a], self.shapes[a])
        return self.add(["adds", b, 0.5], self.shapes[a])

    def broadcast_partner(self, shape):
        """A new leaf whose shape broadcasts with `shape`: some dims set to 1, maybe fewer leading dims."""
        s = [d if rng.random() < 0.6 else 1 for d in shape]
        if s and rng.random() < 0.3:
            s = s[rng.randint(1, len(s)):]
        return self.leaf(s)

    def step(self, a):
        """Applies one random operation to register a; returns the new register."""
        shape = self.shapes[a]
        dim = len(shape)
        choices = ["add", "sub", "mul", "div", "maximum", "minimum", "adds", "muls", "pows", "exp", "log", "sqrt",
                   "sigmoid", "tanh", "relu", "abs", "neg", "unsqueeze", "softmax", "logsoftmax", "self"]
        if dim >= 1:
            choices += ["sum", "mean", "maxdim", "mindim", "slice", "select", "flatten", "reshape", "matmul", "cat",
                        "narrow", "linear"]
        if dim <= 3:
            choices += ["stack"]
        if dim >= 2:
            choices += ["transpose", "permute", "matmul", "sumdims"]
        if dim == 2 and shape[0] >= 1 and shape[1] >= 2:
            choices += ["ce", "ce"]
        if dim in (3, 4) and min(shape[-2:]) >= 2:
            choices += ["conv", "conv", "conv", "maxpool", "avgpool"]
        if 1 in shape:
            choices += ["squeeze", "expand"]
        op = rng.choice(choices)
        if op in ("add", "sub", "mul", "div", "maximum", "minimum"):
            r = rng.random()
            b = self.broadcast_partner(shape) if r < 0.55 else a if r < 0.7 else self.partner(a)
            if b is None:
                b = self.broadcast_partner(shape)
            if op == "div":
                b = self.positive(b)
            out = list(torch.broadcast_shapes(tuple(shape), tuple(self.shapes[b])))
            return self.add([op, a, b], out)
        if op == "self":
            return self.add([rng.choice(["add", "mul", "maximum", "minimum", "sub"]), a, a], shape)
        if op == "adds":
            return self.add([op, a, rng.choice([-1.5, 0.25, 2.0])], shape)
        if op == "muls":
            return self.add([op, a, rng.choice([-2.0, 0.5, 3.0])], shape)
        if op == "pows":
            e = rng.choice([2.0, 3.0, 0.5, -1.0, 1.5])
            base = self.positive(a) if e in (0.5, -1.0, 1.5) else a
            return self.add([op, base, e], shape)
        if op == "exp":
            t = self.add(["tanh", a], shape)
            return self.add(["exp", t], shape)
        if op in ("log", "sqrt"):
            return self.add([op, self.positive(a)], shape)
        if op in ("sigmoid", "tanh", "relu", "abs", "neg"):
            return self.add([op, a], shape)
        if op == "mindim":
            d = rng.randrange(dim)
            keep = rng.random() < 0.5
            return self.add([op, a, d, keep], shape[:d] + ([1] if keep else []) + shape[d + 1:])
        if op == "sumdims":
            ds = rng.sample(range(dim), 2)
            keep = rng.random() < 0.5
            out = [1 if i in ds else s for i, s in enumerate(shape)] if keep else \
                [s for i, s in enumerate(shape) if i not in ds]
            return self.add([op, a, ds, keep], out)
        if op == "cat":
            d = rng.randrange(dim)
            other = list(shape)
            other[d] = rng.randint(1, 3)
            b = self.leaf(other)
            out = list(shape)
            out[d] += other[d]
            return self.add([op, a, b, d], out)
        if op == "stack":
            d = rng.randint(0, dim)
            b = self.leaf(shape) if rng.random() < 0.7 else a
            return self.add([op, a, b, d], shape[:d] + [2] + shape[d:])
        if op == "narrow":
            d = rng.randrange(dim)
            start = rng.randrange(shape[d])
            length = rng.randint(1, shape[d] - start)
            out = list(shape)
            out[d] = length
            return self.add([op, a, d, start, length], out)
        if op == "linear":
            n = rng.randint(1, 4)
            w = self.leaf([n, shape[-1]])
            bias = self.leaf([n]) if rng.random() < 0.6 else None
            return self.add([op, a, w, bias], shape[:-1] + [n])
        if op == "conv":
            cin = shape[-3]
            cout = rng.randint(1, 3)
            k = rng.randint(1, 3)
            stride, padding, dilation = rng.choice([1, 1, 2]), rng.randint(0, 1), rng.choice([1, 1, 2])
            outs = [(x + 2 * padding - dilation * (k - 1) - 1) // stride + 1 for x in shape[-2:]]
            if min(outs) < 1:
                return a
            w = self.leaf([cout, cin, k, k])
            bias = self.leaf([cout]) if rng.random() < 0.6 else None
            return self.add([op, a, w, bias, stride, padding, dilation], shape[:-3] + [cout] + outs)
        if op in ("maxpool", "avgpool"):
            k = rng.randint(1, 3)
            stride = rng.randint(1, 2)
            padding = rng.randint(0, k // 2)
            ceil = rng.random() < 0.3
            outs = []
            for x in shape[-2:]:
                o = (x + 2 * padding - k + (stride - 1 if ceil and op == "avgpool" else 0)) // stride + 1
                if ceil and op == "avgpool" and (o - 1) * stride >= x + padding:
                    o -= 1
                outs.append(o)
            if min(outs) < 1:
                return a
            if op == "maxpool":
                return self.add([op, a, k, stride, padding], shape[:-2] + outs)
            return self.add([op, a, k, stride, padding, ceil, rng.random() < 0.5], shape[:-2] + outs)
        if op == "ce":
            t = self.add(["intleaf", [shape[0]], shape[1]], [shape[0]])
            return self.add([op, a, t], [])
        if op in ("sum", "mean", "maxdim"):
            if rng.random() < 0.2:
                return self.add([{"sum": "sumall", "mean": "meanall", "maxdim": "maxall"}[op], a], [])
            d = rng.randrange(dim)
            keep = rng.random() < 0.5
            out = shape[:d] + ([1] if keep else []) + shape[d + 1:]
            return self.add([op, a, d - dim if rng.random() < 0.3 else d, keep], out)
        if op == "transpose":
            d0, d1 = rng.randrange(dim), rng.randrange(dim)
            out = list(shape)
            out[d0], out[d1] = out[d1], out[d0]
            return self.add([op, a, d0, d1], out)
        if op == "permute":
            perm = list(range(dim))
            rng.shuffle(perm)
            return self.add([op, a, perm], [shape[p] for p in perm])
        if op == "reshape":
            n = numel(shape)
            factors = [f for f in range(1, n + 1) if n % f == 0]
            f = rng.choice(factors)
            out = [f, n // f] if rng.random() < 0.7 else [n]
            if rng.random() < 0.3:
                out = [-1] + out[1:]
            return self.add([op, a, out], [n // numel(out[1:]) if out[0] == -1 else out[0]] + out[1:])
        if op == "unsqueeze":
            d = rng.randint(0, dim)
            return self.add([op, a, d], shape[:d] + [1] + shape[d:])
        if op == "squeeze":
            d = rng.choice([i for i, s in enumerate(shape) if s == 1])
            return self.add([op, a, d], shape[:d] + shape[d + 1:])
        if op == "expand":
            out = [s if s != 1 or rng.random() < 0.4 else rng.randint(2, 4) for s in shape]
            if numel(out) > MAX_NUMEL:
                return a
            return self.add([op, a, out], out)
        if op == "slice":
            d = rng.randrange(dim)
            size = shape[d]
            start = rng.randint(0, max(0, size - 1))
            end = rng.randint(start, size)
            st = rng.choice([1, 1, 2, 3])
            length = max(0, -(-(end - start) // st))
            out = list(shape)
            out[d] = length
            if length == 0:
                return a
            return self.add([op, a, d, start, end, st], out)
        if op == "select":
            d = rng.randrange(dim)
            return self.add([op, a, d, rng.randrange(shape[d])], shape[:d] + shape[d + 1:])
        if op == "flatten":
            return self.add([op, a], [numel(shape)])
        if op == "matmul":
            k = shape[-1]
            n = rng.randint(1, 4)
            r = rng.random()
            if dim >= 2 and r < 0.25:
                # a batched right operand: its batch dimensions broadcast against the left's
                batch = [d if rng.random() < 0.7 else 1 for d in shape[:-2]][rng.randint(0, dim - 2):]
                if rng.random() < 0.3:
                    batch = [rng.randint(1, 2)] + batch
                b = self.leaf(batch + [k, n])
                out = list(torch.broadcast_shapes(tuple(shape[:-2]), tuple(batch))) + [shape[-2], n]
                return self.add([op, a, b], out)
            if dim == 1 and r < 0.15:
                b = self.leaf([rng.randint(1, 2), k, n])  # a vector times a batch of matrices
                return self.add([op, a, b], [self.shapes[b][0], n])
            b = self.leaf([k, n] if rng.random() < 0.8 else [k])
            bshape = self.shapes[b]
            if dim == 1:
                out = [n] if len(bshape) == 2 else []
            else:
                out = shape[:-1] + ([n] if len(bshape) == 2 else [])
            return self.add([op, a, b], out)
        if op in ("softmax", "logsoftmax"):
            if dim == 0:
                return self.add([op, a, 0], shape)
            return self.add([op, a, rng.randrange(-dim, dim)], shape)
        raise ValueError(op)


def draw_program():
    b = Builder()
    rank = rng.randint(0, 4)
    shape = [rng.randint(1, 4) for _ in range(rank)]
    if rng.random() < 0.3:
        shape = [rng.randint(1, 2), rng.randint(1, 3), rng.randint(3, 6), rng.randint(3, 6)]
    a = b.leaf(shape)
    for _ in range(rng.randint(1, 8)):
        a = b.step(a)
        if numel(b.shapes[a]) > MAX_NUMEL:
            return None
    if rng.random() < 0.15:
        t = b.leaf(b.shapes[a])
        a = b.add(["mse", a, t], [])
    return b


with Golden("fuzz_grad") as g:
    made = 0
    while made < PROGRAMS:
        b = draw_program()
        if b is None:
            continue
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        regs, leaves, sums = [], [], []
        for step in b.steps:
            if step[0] == "intleaf":
                t = torch.randint(0, step[2], step[1])
                sums.append(float(t.double().sum()))
                regs.append(t)
            elif step[0] == "leaf":
                x = torch.randn(step[1])
                sums.append(float(x.double().sum()))
                x = x.double().requires_grad_(True)
                leaves.append(x)
                regs.append(x)
            else:
                regs.append(apply(step, regs))
        out = regs[-1]
        assert list(out.shape) == b.shapes[-1], (b.steps, list(out.shape), b.shapes[-1])
        if not out.requires_grad:
            continue
        gout = torch.randn(out.shape)
        out.backward(gout.double())
        name = f"g{made}"
        names = [None if not isinstance(r, torch.Tensor) or r.grad_fn is None else type(r.grad_fn).__name__
                 for r in regs]
        g.case(name=name, seed=seed, steps=b.steps, leaf_sums=sums, gout_sum=float(gout.double().sum()), grad_fns=names,
               out=g.array(f"{name}_out", out.detach()),
               grads=[g.array(f"{name}_grad{i}", x.grad if x.grad is not None else torch.zeros_like(x))
                      for i, x in enumerate(leaves)])
        made += 1
