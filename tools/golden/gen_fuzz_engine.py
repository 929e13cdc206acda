"""Random uses of the autograd engine against PyTorch (area "fuzz_engine"): two outputs built over
shared leaves from element-wise operations (some of which save tensors for their backward, some not),
detach and scalars, then a few engine calls in a row: backward of either output with or without
retain_graph, with or without a gradient argument (of the right shape, or not), gradients reset to
None or zeroed in place, and backward of a tensor that has no grad_fn. After each call: every
leaf's .grad (None or its values, in the manifest) or PyTorch's message. This is where a graph freed by a backward
(its saved tensors gone, its other nodes still usable), gradient accumulation over calls and the
engine's refusals show.

Each case keeps a seed instead of its leaves: the test draws them again with jconv's generator
(area "rng") and checks their sums: torch.manual_seed(seed); a leaf = randn(shape) per leaf, in
order; a call's gradient argument = randn(its shape), drawn when the call is made. float64 throughout.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_engine.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message, json_float  # noqa: E402

import torch  # noqa: E402

CASES = 300

rng = random.Random(20261126)

UNARY = ["exp", "tanh", "sigmoid", "relu", "neg", "abs", "pow2", "pow3", "mul_s", "add_s", "div_s", "detach",
         "sum", "mean"]
BINARY = ["add", "sub", "mul", "div"]


def apply(op, x, y=None, s=None):
    if op == "exp":
        return x.exp()
    if op == "tanh":
        return x.tanh()
    if op == "sigmoid":
        return x.sigmoid()
    if op == "relu":
        return x.relu()
    if op == "neg":
        return x.neg()
    if op == "abs":
        return x.abs()
    if op == "pow2":
        return x.pow(2)
    if op == "pow3":
        return x.pow(3)
    if op == "mul_s":
        return x.mul(s)
    if op == "add_s":
        return x.add(s)
    if op == "div_s":
        return x.div(s)
    if op == "detach":
        return x.detach()
    if op == "sum":
        return x.sum()
    if op == "mean":
        return x.mean()
    if op == "add":
        return x.add(y)
    if op == "sub":
        return x.sub(y)
    if op == "mul":
        return x.mul(y)
    if op == "div":
        return x.div(y)
    raise ValueError(op)


def draw_program(n_leaves):
    """Steps [op, i, j, scalar] over registers 0..n_leaves-1 (the leaves); two of them are outputs."""
    steps = []
    regs = n_leaves
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.45:
            op = rng.choice(BINARY)
            steps.append([op, rng.randrange(regs), rng.randrange(regs), None])
        else:
            op = rng.choice(UNARY)
            s = rng.choice([2.0, -0.5, 3.0]) if op.endswith("_s") else None
            steps.append([op, rng.randrange(regs), None, s])
        regs += 1
    # Two outputs: the last register and another one that is not a leaf when there is one.
    others = list(range(n_leaves, regs - 1)) or list(range(regs))
    return steps, [regs - 1, rng.choice(others)]


def draw_calls():
    calls = []
    for _ in range(rng.randint(2, 5)):
        r = rng.random()
        if r < 0.6:
            calls.append(dict(call="backward", output=rng.randrange(2), retain=rng.random() < 0.4,
                              gradient=rng.choice(["none", "none", "shape", "wrong"])))
        elif r < 0.75:
            calls.append(dict(call="none_grads"))
        elif r < 0.9:
            calls.append(dict(call="zero_grads"))
        else:
            calls.append(dict(call="backward_leaf", leaf=0))
    return calls


def grads(leaves):
    return [None if t.grad is None else t.grad.detach().clone() for t in leaves]


with Golden("fuzz_engine") as g:
    for case in range(CASES):
        n_leaves = rng.randint(1, 3)
        shape = rng.choice([[], [3], [2, 3], [1]])
        # A leaf that does not require grad now and then.
        requires = [True] + [rng.random() < 0.8 for _ in range(n_leaves - 1)]
        steps, outputs = draw_program(n_leaves)
        calls = draw_calls()
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        leaves = [torch.randn(shape, dtype=torch.float64).requires_grad_(req) for req in requires]
        sums = [float(t.detach().sum()) for t in leaves]
        regs = list(leaves)
        for op, i, j, s in steps:
            regs.append(apply(op, regs[i], None if j is None else regs[j], s))
        outs = [regs[k] for k in outputs]
        name = f"e{case}"
        results = []
        for k, c in enumerate(calls):
            rec = dict(error=None)
            if c["call"] == "backward":
                out = outs[c["output"]]
                grad_arg = None
                if c["gradient"] != "none":
                    gshape = list(out.shape) if c["gradient"] == "shape" else list(out.shape) + [2]
                    grad_arg = torch.randn(gshape, dtype=torch.float64)
                    rec["grad_sum"] = float(grad_arg.sum())
                    rec["grad_shape"] = gshape
                rec["error"] = error_message(lambda: out.backward(grad_arg, retain_graph=c["retain"]))
            elif c["call"] == "none_grads":
                for t in leaves:
                    t.grad = None
            elif c["call"] == "zero_grads":
                for t in leaves:
                    if t.grad is not None:
                        t.grad.zero_()
            else:
                rec["error"] = error_message(lambda: leaves[c["leaf"]].detach().backward())
            # Few values: kept in the manifest (JSON keeps a float64 exactly).
            rec["grads"] = [None if t is None else [json_float(v) for v in t.reshape(-1)] for t in grads(leaves)]
            results.append(rec)
        g.case(name=name, seed=seed, shape=shape, requires=requires, leaf_sums=sums, steps=steps, outputs=outputs,
               out_shapes=[list(o.shape) for o in outs], out_requires=[o.requires_grad for o in outs],
               calls=calls, results=results)
