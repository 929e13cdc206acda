"""Golden optimizer trajectories from PyTorch (area "optim"): SGD and Adam in their settings, three
steps each on fixed parameters with fixed gradients per step; the parameters after every step.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_optim.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402

torch.manual_seed(11)
STEPS = 4

SGD_SETTINGS = [
    dict(lr=0.1),
    dict(lr=0.9),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.3),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.02, weight_decay=0.1),
    dict(lr=0.02, momentum=0.5, weight_decay=0.01, nesterov=True),
]
ADAM_SETTINGS = [
    dict(),
    dict(lr=0.01),
    dict(lr=0.01, betas=(0.8, 0.99)),
    dict(lr=0.003, eps=1e-4, weight_decay=0.05),
    dict(lr=0.01, amsgrad=True),
]

with Golden("optim") as g:
    idx = 0
    for kind, settings in (("sgd", SGD_SETTINGS), ("adam", ADAM_SETTINGS)):
        for s in settings:
            for dtype in (torch.float32, torch.float64):
                p0 = torch.randn(3, 4, dtype=dtype)
                p1 = torch.randn(5, dtype=dtype)
                params = [p0.clone().requires_grad_(True), p1.clone().requires_grad_(True)]
                opt = torch.optim.SGD(params, **s) if kind == "sgd" else torch.optim.Adam(params, **s)
                grads = []
                after = []
                for step in range(STEPS):
                    gr = [torch.randn(3, 4, dtype=dtype), torch.randn(5, dtype=dtype)]
                    # the second parameter gets no gradient in step 2: it must be skipped
                    skip = step == 2
                    params[0].grad = gr[0].clone()
                    params[1].grad = None if skip else gr[1].clone()
                    opt.step()
                    grads.append([g.array(f"o{idx}_g{step}_0", gr[0]),
                                  None if skip else g.array(f"o{idx}_g{step}_1", gr[1])])
                    after.append([g.array(f"o{idx}_p{step}_0", params[0]), g.array(f"o{idx}_p{step}_1", params[1])])
                js = {k: (list(v) if isinstance(v, tuple) else v) for k, v in s.items()}
                g.case(name=f"{kind}_{idx}", kind=kind, settings=js, dtype=str(dtype).replace("torch.", ""),
                       p0=[g.array(f"o{idx}_init_0", p0), g.array(f"o{idx}_init_1", p1)],
                       grads=grads, after=after)
                idx += 1
    p = [torch.zeros(2, requires_grad=True)]
    errors = {
        "sgd_negativeLr": lambda: torch.optim.SGD(p, lr=-0.1),
        "sgd_negativeMomentum": lambda: torch.optim.SGD(p, lr=0.1, momentum=-0.5),
        "sgd_negativeWeightDecay": lambda: torch.optim.SGD(p, lr=0.1, weight_decay=-1e-3),
        "sgd_nesterovWithoutMomentum": lambda: torch.optim.SGD(p, lr=0.1, nesterov=True),
        "sgd_nesterovWithDampening": lambda: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        "adam_negativeLr": lambda: torch.optim.Adam(p, lr=-1e-3),
        "adam_negativeEps": lambda: torch.optim.Adam(p, eps=-1e-8),
        "adam_beta1": lambda: torch.optim.Adam(p, betas=(1.0, 0.999)),
        "adam_beta2": lambda: torch.optim.Adam(p, betas=(0.9, -0.1)),
        "adam_negativeWeightDecay": lambda: torch.optim.Adam(p, weight_decay=-0.1),
        "optimizer_emptyParams": lambda: torch.optim.SGD([], lr=0.1),
        "optimizer_nonLeaf": lambda: torch.optim.SGD([torch.zeros(2, requires_grad=True) * 2], lr=0.1),
    }
    for name, fn in errors.items():
        msg = error_message(fn)
        assert msg is not None, name
        g.case(name=name, kind="error", error=msg)
