"""Random in-place programs under autograd against PyTorch (area "fuzz_inplace"): views of computed
tensors and of leaves (slice, select, narrow, transpose, t, unsqueeze, view, expand), in-place
arithmetic, fill, zero and copy on them and on their bases, and out-of-place functions that save
tensors for their backward; then a weighted sum of some registers and backward. Recorded: every
register's grad_fn name and value at the end, the loss, every leaf's gradient; or the step (or the
backward) PyTorch refuses, with its message (a leaf or a view of a leaf changed in place, a tensor
saved for a backward changed afterwards, writes through an expanded view).

A program is a list of steps, each making one register: ["leaf", shape, requires_grad] draws randn;
["view", r, kind, args...] takes a view of register r; ["inplace", r, op, operand] changes register r
in place and makes r itself the new register (operand: a number, or ["reg", i]); ["func", r, op, other]
applies an out-of-place function. The test replays the steps with jconv (leaves drawn with jconv's
generator, checked against the sums kept here) and must match.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_inplace.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402

CASES = 400
rng = random.Random(20261207)


def view(t, kind, args):
    if kind == "slice":
        return torch.ops.aten.slice(t, args[0], args[1], args[2], args[3])
    if kind == "select":
        return t.select(args[0], args[1])
    if kind == "narrow":
        return t.narrow(args[0], args[1], args[2])
    if kind == "transpose":
        return t.transpose(args[0], args[1])
    if kind == "t":
        return t.t()
    if kind == "unsqueeze":
        return t.unsqueeze(args[0])
    if kind == "view":
        return t.view(args[0])
    return t.expand(args[0])


def operand(regs, o):
    return regs[o[1]] if isinstance(o, list) else o


def inplace(t, op, o, regs):
    v = operand(regs, o)
    if op == "add":
        return t.add_(v)
    if op == "sub":
        return t.sub_(v)
    if op == "mul":
        return t.mul_(v)
    if op == "div":
        return t.div_(v)
    if op == "fill":
        return t.fill_(v)
    if op == "zero":
        return t.zero_()
    return t.copy_(v)


def func(t, op, other, regs):
    if op == "sigmoid":
        return t.sigmoid()
    if op == "exp":
        return t.tanh().exp()
    if op == "mul":
        return t * regs[other]
    if op == "pow":
        return t.pow(2)
    return t * 1.5


class Builder:
    def __init__(self):
        self.steps, self.shapes, self.float_ok = [], [], []

    def add(self, step, shape):
        self.steps.append(step)
        self.shapes.append(list(shape))
        return len(self.steps) - 1

    def broadcasting(self, shape):
        """Registers whose shape broadcasts to `shape` (in-place operands must)."""
        out = []
        for i, s in enumerate(self.shapes):
            if len(s) <= len(shape) and all(a in (1, b) for a, b in zip(reversed(s), reversed(shape))):
                out.append(i)
        return out

    def step(self):
        kind = rng.choice(["view", "view", "inplace", "inplace", "inplace", "func"])
        computed = [i for i, st in enumerate(self.steps) if st[0] != "leaf"]
        # Mostly computed tensors (changing a leaf in place is refused at once, a case enough tries reach).
        r = rng.choice(computed) if rng.random() < 0.9 else rng.randrange(len(self.steps))
        shape = self.shapes[r]
        if kind == "view":
            dim = len(shape)
            choices = ["unsqueeze", "view"] + (["slice", "select", "narrow", "expand"] if dim else []) + \
                (["transpose"] if dim >= 2 else []) + (["t"] if dim <= 2 else [])
            v = rng.choice(choices)
            if v == "slice":
                d = rng.randrange(dim)
                start = rng.randint(0, shape[d] - 1)
                end = rng.randint(start + 1, shape[d])
                step = rng.choice([1, 1, 2])
                out = list(shape)
                out[d] = -(-(end - start) // step)
                return self.add(["view", r, v, [d, start, end, step]], out)
            if v == "select":
                d = rng.randrange(dim)
                return self.add(["view", r, v, [d, rng.randrange(shape[d])]], shape[:d] + shape[d + 1:])
            if v == "narrow":
                d = rng.randrange(dim)
                start = rng.randrange(shape[d])
                length = rng.randint(1, shape[d] - start)
                out = list(shape)
                out[d] = length
                return self.add(["view", r, v, [d, start, length]], out)
            if v == "transpose":
                a, b = rng.sample(range(dim), 2)
                out = list(shape)
                out[a], out[b] = out[b], out[a]
                return self.add(["view", r, v, [a, b]], out)
            if v == "t":
                return self.add(["view", r, v, []], list(reversed(shape)))
            if v == "unsqueeze":
                d = rng.randint(0, dim)
                return self.add(["view", r, v, [d]], shape[:d] + [1] + shape[d:])
            if v == "view":
                n = 1
                for s in shape:
                    n *= s
                return self.add(["view", r, v, [[n]]], [n])
            e = [s if s != 1 else rng.randint(1, 3) for s in shape]
            return self.add(["view", r, v, [e]], e)
        if kind == "inplace":
            op = rng.choice(["add", "sub", "mul", "div", "fill", "zero", "copy", "add", "mul"])
            if op == "zero":
                return self.add(["inplace", r, op, None], shape)
            if op == "fill":
                return self.add(["inplace", r, op, rng.choice([0.5, -1.0, 2.0])], shape)
            cands = self.broadcasting(shape)
            if op != "copy" and (rng.random() < 0.4 or not cands):
                return self.add(["inplace", r, op, rng.choice([0.5, -1.5, 2.0])], shape)
            if not cands or rng.random() < 0.3:
                o = self.add(["leaf", list(shape) if rng.random() < 0.7 else shape[-1:], rng.random() < 0.5],
                             shape if rng.random() < 0.7 else shape[-1:])
                cands = [o]
            o = rng.choice(cands)
            if op == "div":
                return self.add(["inplace", r, op, 2.0], shape)
            return self.add(["inplace", r, op, ["reg", o]], shape)
        op = rng.choice(["sigmoid", "exp", "mul", "pow", "scale"])
        other = None
        if op == "mul":
            same = [i for i, s in enumerate(self.shapes) if s == shape]
            other = rng.choice(same)
        return self.add(["func", r, op, other], shape)


def draw():
    b = Builder()
    shape = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
    b.add(["leaf", shape, True], shape)
    b.add(["func", 0, "scale", None], shape)  # a computed tensor: the usual base of in-place steps
    for _ in range(rng.randint(2, 7)):
        b.step()
    return b


with Golden("fuzz_inplace") as g:
    made = 0
    while made < CASES:
        b = draw()
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        regs, sums, failed = [], [], None
        for k, st in enumerate(b.steps):
            try:
                if st[0] == "leaf":
                    x = torch.randn(st[1])
                    sums.append(float(x.double().sum()))
                    regs.append(x.requires_grad_(st[2]))
                elif st[0] == "view":
                    regs.append(view(regs[st[1]], st[2], st[3]))
                elif st[0] == "inplace":
                    regs.append(inplace(regs[st[1]], st[2], st[3], regs))
                else:
                    regs.append(func(regs[st[1]], st[2], st[3], regs))
            except Exception as e:  # noqa: BLE001
                failed = (k, f"{type(e).__name__}: {e}")
                break
        weights = [rng.choice([0.0, 1.0, -2.0, 0.5]) for _ in b.steps]
        case = dict(name=f"p{made}", seed=seed, steps=b.steps, leaf_sums=sums, weights=weights)
        if failed is not None:
            g.case(**case, failed_step=failed[0], error=failed[1])
            made += 1
            continue
        loss = sum(((w * r.double()).sum() for w, r in zip(weights, regs) if w != 0.0 and r.requires_grad),
                   torch.zeros((), dtype=torch.float64))
        # The names PyTorch prints (grad_fn=<CopySlices>), not name()'s namespaced ones.
        names = [None if r.grad_fn is None else type(r.grad_fn).__name__ for r in regs]
        values = [g.array(f"p{made}_r{k}", r.detach()) for k, r in enumerate(regs)]
        leaves = [k for k, st in enumerate(b.steps) if st[0] == "leaf" and st[2]]
        msg = None
        if loss.requires_grad:
            msg = error_message(lambda: loss.backward())
        grads = None if msg else [g.array(f"p{made}_g{k}", regs[k].grad if regs[k].grad is not None
                                          else torch.zeros_like(regs[k])) for k in leaves]
        g.case(**case, failed_step=None, error=None, grad_fns=names, values=values, loss=float(loss),
               backward_error=msg, leaves=leaves, grads=grads)
        made += 1
