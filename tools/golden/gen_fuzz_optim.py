"""Random optimizer settings against PyTorch (area "fuzz_optim"): SGD (momentum, dampening, nesterov,
weight decay) and Adam (betas, eps, weight decay, amsgrad) with settings drawn at random, on two to
three parameters of random shapes, float32 or float64, for six steps with random gradients (a
parameter without a gradient now and then, skipped by the step); the parameters after every step,
which the test requires bit for bit.

Each case keeps a seed: torch.manual_seed(seed); the initial parameters, then each step's gradients,
are randn draws in order, which the test repeats with jconv's generator.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_optim.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402

CASES = 120
STEPS = 6

rng = random.Random(20261203)


def settings(kind):
    if kind == "sgd":
        s = dict(lr=rng.choice([0.01, 0.1, 0.5, 0.9]))
        if rng.random() < 0.7:
            s["momentum"] = rng.choice([0.5, 0.9, 0.99])
            if rng.random() < 0.4:
                s["nesterov"] = True
            elif rng.random() < 0.5:
                s["dampening"] = rng.choice([0.1, 0.5])
        if rng.random() < 0.5:
            s["weight_decay"] = rng.choice([1e-4, 0.01, 0.1])
        return s
    s = {}
    if rng.random() < 0.7:
        s["lr"] = rng.choice([1e-3, 0.01, 0.1])
    if rng.random() < 0.4:
        s["betas"] = [rng.choice([0.8, 0.9, 0.95]), rng.choice([0.99, 0.999])]
    if rng.random() < 0.3:
        s["eps"] = rng.choice([1e-8, 1e-6, 1e-3])
    if rng.random() < 0.4:
        s["weight_decay"] = rng.choice([1e-4, 0.01, 0.1])
    if rng.random() < 0.4:
        s["amsgrad"] = True
    return s


with Golden("fuzz_optim") as g:
    for i in range(CASES):
        kind = rng.choice(["sgd", "adam"])
        s = settings(kind)
        dtype = rng.choice(["float32", "float32", "float64"])
        dt = torch.float64 if dtype == "float64" else torch.float32
        shapes = [[rng.randint(1, 4) for _ in range(rng.randint(0, 3))] for _ in range(rng.randint(2, 3))]
        skips = [[rng.random() < 0.15 for _ in shapes] for _ in range(STEPS)]
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        params = [torch.randn(sh, dtype=dt).requires_grad_(True) for sh in shapes]
        opt = torch.optim.SGD(params, **s) if kind == "sgd" else torch.optim.Adam(
            params, **{k: tuple(v) if isinstance(v, list) else v for k, v in s.items()})
        after = []
        for step in range(STEPS):
            for p, sh, skip in zip(params, shapes, skips[step]):
                grad = torch.randn(sh, dtype=dt)  # drawn even when skipped: the draws stay in step
                p.grad = None if skip else grad
            opt.step()
            after.append([g.array(f"o{i}_s{step}_p{j}", p.detach()) for j, p in enumerate(params)])
        g.case(name=f"o{i}", kind=kind, settings=s, dtype=dtype, shapes=shapes, skips=skips, seed=seed, after=after)
