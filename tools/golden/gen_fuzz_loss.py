"""Random losses against PyTorch (area "fuzz_loss"): F.cross_entropy (class indices with ignored
entries, class probabilities, class weights, every reduction, unbatched and K-dimensional inputs),
F.nll_loss and F.mse_loss (every reduction, and shapes that do not match, which PyTorch broadcasts
with a warning or refuses): the loss and the input's gradient, or PyTorch's message where it refuses
the arguments. The arrays are kept as they are (small); PyTorch computes in float64 from the float32
input, and the results are kept in float64.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_loss.py
"""
import os
import random
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

warnings.simplefilter("ignore")
torch.manual_seed(20261204)
rng = random.Random(20261204)
CASES = 300


def draw():
    op = rng.choice(["ce", "ce", "ce", "nll", "mse"])
    reduction = rng.choice(["mean", "mean", "sum", "none"])
    if op == "mse":
        shape = [rng.randint(1, 4) for _ in range(rng.randint(0, 3))]
        tshape = list(shape) if rng.random() < 0.75 else [rng.randint(1, 4) for _ in range(rng.randint(0, 3))]
        return dict(op=op, reduction=reduction, x=torch.randn(shape), target=torch.randn(tshape), weight=None,
                    ignore=None)
    c = rng.randint(1, 5)
    kind = rng.choice(["batched", "batched", "unbatched", "kdim"])
    if kind == "unbatched":
        shape, tshape = [c], []
    elif kind == "batched":
        n = rng.randint(0 if rng.random() < 0.05 else 1, 4)
        shape, tshape = [n, c], [n]
    else:
        n, d1, d2 = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
        shape, tshape = [n, c, d1, d2], [n, d1, d2]
    x = torch.randn(shape)
    if op == "nll":
        x = F.log_softmax(x, 1 if len(shape) > 1 else 0) if rng.random() < 0.7 else x
    ignore = rng.choice([-100, -100, 0, 1, 2])
    if op == "ce" and rng.random() < 0.25:
        target = F.softmax(torch.randn(shape), 1 if len(shape) > 1 else 0)  # class probabilities
    else:
        target = torch.randint(0, c, tshape) if tshape else torch.tensor(rng.randrange(c))
        if target.dim() and rng.random() < 0.4:
            target.view(-1)[rng.randrange(target.numel())] = ignore if ignore >= 0 else -100
        if rng.random() < 0.06 and target.numel():
            target.view(-1)[0] = rng.choice([c, -1, c + 3])  # out of bounds
        if rng.random() < 0.05:
            target = target.float()  # a float index target: refused
    weight = torch.rand(c) + 0.1 if rng.random() < 0.35 else None
    if weight is not None and rng.random() < 0.08:
        weight = torch.rand(c + 1)  # the wrong length
    return dict(op=op, reduction=reduction, x=x, target=target, weight=weight, ignore=ignore)


def run(c, x):
    if c["op"] == "mse":
        return F.mse_loss(x, c["target"].double(), reduction=c["reduction"])
    t = c["target"].double() if c["target"].is_floating_point() else c["target"]
    w = None if c["weight"] is None else c["weight"].double()
    fn = F.cross_entropy if c["op"] == "ce" else F.nll_loss
    return fn(x, t, weight=w, ignore_index=c["ignore"], reduction=c["reduction"])


with Golden("fuzz_loss") as g:
    for i in range(CASES):
        c = draw()
        xd = c["x"].double().requires_grad_(True)
        out = []
        msg = error_message(lambda: out.append(run(c, xd)))
        fields = dict(name=f"l{i}", op=c["op"], reduction=c["reduction"], ignore=c["ignore"],
                      x=g.array(f"l{i}_x", c["x"]), target=g.array(f"l{i}_t", c["target"]),
                      weight=None if c["weight"] is None else g.array(f"l{i}_w", c["weight"]), error=msg)
        if msg is None:
            loss = out[0]
            gout = torch.randn(loss.shape, dtype=torch.float64)
            bw = error_message(lambda: loss.backward(gout))
            fields.update(loss=g.array(f"l{i}_loss", loss.detach()), gout=g.array(f"l{i}_gout", gout),
                          grad=None if bw else g.array(f"l{i}_grad", xd.grad if xd.grad is not None else torch.zeros_like(xd)),
                          backward_error=bw)
        g.case(**fields)

    # By hand: the shape and weight rules of nll_loss by the input's rank (1-D/2-D, 4-D, others), and
    # cross-entropy's choice of class probabilities by shape, whatever the target's dtype.
    L = torch.long
    edges = [("nll", [3, 4], ([3], torch.float32), 5, -100), ("nll", [3, 4], ([2], L), None, -100),
             ("nll", [3, 4], ([2], L), 5, -100), ("nll", [2, 4, 3, 3], ([2, 3, 4], L), None, -100),
             ("nll", [2, 4, 3, 3], ([2, 3, 4], torch.float32), None, -100), ("nll", [2, 4, 3, 3], ([3, 3, 3], L), None, -100),
             ("nll", [2, 4, 3], ([2, 4], L), None, -100), ("nll", [2, 4, 3], ([3, 3], L), None, -100),
             ("nll", [2, 4, 3], ([2, 3], L), 5, -100), ("nll", [2, 4, 3], ([2, 4], L), 5, -100),
             ("nll", [2, 4, 3, 3], ([3, 3, 3], L), 5, -100), ("nll", [2, 4, 3, 3, 2], ([2, 3, 3, 2], L), 5, -100),
             ("nll", [2, 4, 3, 3, 2], ([2, 3, 3, 3], L), None, -100), ("nll", [4], ([1], L), None, -100),
             ("nll", [3, 4], ([3, 1], L), None, -100), ("nll", [2, 4, 3, 3], ([2, 3], L), None, -100),
             ("nll", [3, 4], ([], L), None, -100), ("ce", [3, 4], ([3, 4], L), None, -100),
             ("ce", [3, 4], ([3, 4], torch.float32), None, -1), ("ce", [3, 4], ([3, 4], torch.float32), None, 0),
             ("ce", [3, 4], ([3, 4], torch.float32), 5, -100), ("ce", [3, 4], ([3, 4], torch.float32), 5, 0),
             ("ce", [3, 4], ([3], torch.float32), None, -100), ("ce", [2, 4, 3, 3], ([2, 3, 3], L), 5, -100),
             ("ce", [4], ([4], torch.float32), None, 3), ("ce", [2, 4, 3], ([2, 3], L), 5, -100)]
    for j, (op, xs, (ts, tdt), wlen, ignore) in enumerate(edges):
        x = torch.randn(xs)
        target = torch.rand(ts).to(tdt) if tdt != L else torch.randint(0, 3, ts)
        weight = None if wlen is None else torch.rand(wlen)
        c = dict(op=op, reduction="mean", x=x, target=target, weight=weight, ignore=ignore)
        xd = x.double().requires_grad_(True)
        out = []
        msg = error_message(lambda: out.append(run(c, xd)))
        fields = dict(name=f"edge{j}", op=op, reduction="mean", ignore=ignore, x=g.array(f"e{j}_x", x),
                      target=g.array(f"e{j}_t", target), weight=None if weight is None else g.array(f"e{j}_w", weight),
                      error=msg)
        if msg is None:
            loss = out[0]
            gout = torch.randn(loss.shape, dtype=torch.float64)
            loss.backward(gout)
            fields.update(loss=g.array(f"e{j}_loss", loss.detach()), gout=g.array(f"e{j}_gout", gout),
                          grad=g.array(f"e{j}_grad", xd.grad), backward_error=None)
        g.case(**fields)
