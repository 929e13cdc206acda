"""Random initializations against PyTorch (area "fuzz_init"): torch.nn.init's uniform_, normal_,
constant_, xavier_uniform_, xavier_normal_, kaiming_uniform_ and kaiming_normal_ (every mode and
nonlinearity, leaky slopes, gains) and calculate_gain, on float32 and float64 tensors of random shapes
(0 to 5 dimensions, empty ones too), drawn from a seed: the values, bit for bit, or PyTorch's message.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_init.py
"""
import os
import random
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
from torch.nn import init  # noqa: E402

warnings.simplefilter("ignore")
CASES = 300
rng = random.Random(20261208)
NONLIN = ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]


def run(c, t):
    f, a = c["fn"], c["args"]
    if f == "uniform":
        return init.uniform_(t, a["a"], a["b"])
    if f == "normal":
        return init.normal_(t, a["mean"], a["std"])
    if f == "constant":
        return init.constant_(t, a["value"])
    if f == "xavier_uniform":
        return init.xavier_uniform_(t, gain=a["gain"])
    if f == "xavier_normal":
        return init.xavier_normal_(t, gain=a["gain"])
    if f == "kaiming_uniform":
        return init.kaiming_uniform_(t, a=a["a"], mode=a["mode"], nonlinearity=a["nonlinearity"])
    return init.kaiming_normal_(t, a=a["a"], mode=a["mode"], nonlinearity=a["nonlinearity"])


with Golden("fuzz_init") as g:
    for i in range(CASES):
        fn = rng.choice(["uniform", "normal", "constant", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                         "kaiming_normal", "kaiming_uniform", "xavier_uniform"])
        shape = [rng.randint(0 if rng.random() < 0.05 else 1, 5) for _ in range(rng.randint(0, 5))]
        dtype = rng.choice(["float32", "float64"])
        args = {}
        if fn == "uniform":
            args = dict(a=rng.choice([-1.0, 0.0, -0.5]), b=rng.choice([1.0, 0.5, 2.0]))
        elif fn == "normal":
            args = dict(mean=rng.choice([0.0, 1.0, -2.0]), std=rng.choice([1.0, 0.01, 0.5]))
        elif fn == "constant":
            args = dict(value=rng.choice([0.0, 1.5, -3.0]))
        elif fn.startswith("xavier"):
            args = dict(gain=rng.choice([1.0, init.calculate_gain("relu"), 0.5]))
        else:
            nl = rng.choice(["leaky_relu", "leaky_relu", "relu", "linear", "tanh", "sigmoid", "selu", "conv2d"])
            args = dict(a=rng.choice([0.0, 0.01, 0.2, 5 ** 0.5]), mode=rng.choice(["fan_in", "fan_out"]), nonlinearity=nl)
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        t = torch.empty(shape, dtype=torch.float64 if dtype == "float64" else torch.float32)
        c = dict(fn=fn, args=args)
        msg = error_message(lambda: run(c, t))
        g.case(name=f"i{i}", fn=fn, args=args, shape=shape, dtype=dtype, seed=seed, error=msg,
               out=None if msg else g.array(f"i{i}_out", t))
    gains = []
    for nl in NONLIN:
        for p in (None, 0.01, 0.3):
            if p is not None and nl != "leaky_relu":
                continue
            gains.append(dict(nonlinearity=nl, param=p, gain=init.calculate_gain(nl, p)))
    g.case(name="gains", fn="gains", gains=gains)
