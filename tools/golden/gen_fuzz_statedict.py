"""Random state dicts against PyTorch (area "fuzz_statedict"): a network's state dict with keys removed,
keys added (at the top, in a layer, in a layer that has no parameters, in one that does not exist),
and shapes changed, at random places of its order, loaded with load_state_dict(strict=True or False):
PyTorch's message, which lists the missing and unexpected keys and the size mismatches in its order,
or success.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_statedict.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402

CASES = 150
rng = random.Random(20261213)


def net():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Sequential(nn.Conv2d(2, 2, 1, bias=False), nn.Sigmoid()),
                         nn.Flatten(), nn.Linear(8, 3))


with Golden("fuzz_statedict") as g:
    keys = list(net().state_dict().keys())
    shapes = {k: list(v.shape) for k, v in net().state_dict().items()}
    for i in range(CASES):
        entries = [(k, list(shapes[k])) for k in keys if rng.random() > 0.2]
        for _ in range(rng.randint(0, 3)):
            extra = rng.choice(["x", "0.z", "1.weight", "2.0.bias", "2.1.weight", "7.weight", "4.weight.extra",
                                "2.z", "bias"])
            entries.insert(rng.randint(0, len(entries)), (extra, [rng.randint(1, 3)]))
        for j, (k, s) in enumerate(entries):
            if k in shapes and rng.random() < 0.15:
                s = list(s)
                s[rng.randrange(len(s))] += 1
                entries[j] = (k, s)
        seen = set()
        entries = [e for e in entries if not (e[0] in seen or seen.add(e[0]))]
        strict = rng.random() < 0.7
        state = {k: torch.zeros(s) for k, s in entries}
        m = net()
        msg = error_message(lambda: m.load_state_dict(state, strict=strict))
        g.case(name=f"s{i}", entries=[[k, s] for k, s in entries], strict=strict, error=msg)
