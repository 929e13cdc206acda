"""Golden values for dev.jconv.Generator: PyTorch's CPU generator after torch.manual_seed.

/usr/bin/python3 tools/golden/gen_rng.py

Case kinds (field "kind"):
  fill      - for each n in "sizes": manual_seed(seed), then one call (op, dtype, args) of n elements;
              "out" holds the results of all sizes concatenated in that order.
  sequence  - one manual_seed(seed), then the "steps" one after another (the state and the cached
              normal sample carry over); "out" holds every step's result concatenated.
  randperm  - manual_seed(seed), torch.randperm(n).
  conv_init - manual_seed(seed), nn.Conv2d(cin, cout, k, groups) as PyTorch initialises it, with the
              bounds kaiming_uniform_ and the bias init computed (doubles).
  state     - manual_seed(seed), the steps, then torch.get_rng_state() (bytes as int64), and the
              values drawn right after (to check set_state from PyTorch's bytes).
  seed      - manual_seed(seed) then initial_seed() (as an unsigned decimal string).
  error     - what PyTorch raises for a bad argument.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402

SEEDS = [0, 1, 42, 2**32 + 5, -1, -(2**63)]
SIZES = [1, 2, 3, 7, 15, 16, 17, 31, 32, 100, 1000]
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64}


def draw(op, dtype, n, args):
    """One PyTorch call that draws n values from the default generator."""
    dt = DTYPES[dtype]
    if op == "rand":
        return torch.rand(n, dtype=dt)
    if op == "randn":
        return torch.randn(n, dtype=dt)
    if op == "uniform":
        return torch.empty(n, dtype=dt).uniform_(args["from"], args["to"])
    if op == "normal":
        return torch.normal(args["mean"], args["std"], size=(n,), dtype=dt)
    if op == "normal_":
        return torch.empty(n, dtype=dt).normal_(args["mean"], args["std"])
    if op == "randint":
        return torch.randint(args["low"], args["high"], (n,), dtype=dt)
    if op == "random":
        return torch.empty(n, dtype=dt).random_()
    raise ValueError(op)


def json_args(args):
    """Non-finite numbers as strings ("nan", "inf", "-inf"): the manifest must stay strict JSON."""
    return {k: (repr(v) if isinstance(v, float) and not math.isfinite(v) else v) for k, v in args.items()}


def conv_bounds(cin, cout, k, groups):
    """The bounds nn.Conv2d.reset_parameters uses, computed the way torch.nn.init computes them."""
    fan_in = cin // groups * k * k
    a = math.sqrt(5)
    gain = math.sqrt(2.0 / (1 + a ** 2))  # calculate_gain('leaky_relu', sqrt(5))
    std = gain / math.sqrt(fan_in)
    weight_bound = math.sqrt(3.0) * std
    bias_bound = 1 / math.sqrt(fan_in)
    return fan_in, weight_bound, bias_bound


FILLS = [
    ("rand", "float32", {}),
    ("rand", "float64", {}),
    ("randn", "float32", {}),
    ("randn", "float64", {}),
    ("uniform", "float32", {"from": -0.37, "to": 1.91}),
    ("uniform", "float64", {"from": -0.37, "to": 1.91}),
    ("normal", "float32", {"mean": 0.3, "std": 1.7}),
    ("normal", "float64", {"mean": 0.3, "std": 1.7}),
    ("normal_", "float32", {"mean": -2.0, "std": 0.5}),
    ("randint", "int64", {"low": 0, "high": 10}),
    ("randint", "int64", {"low": -3, "high": 2**40}),
    ("random", "int64", {}),
    ("random", "float32", {}),
    ("random", "float64", {}),
]

SEQUENCE_STEPS = [
    {"op": "randn", "dtype": "float64", "n": 1, "args": {}},   # caches the pair's second value
    {"op": "randn", "dtype": "float32", "n": 3, "args": {}},   # cached value first, then one new pair
    {"op": "rand", "dtype": "float32", "n": 2, "args": {}},
    {"op": "randn", "dtype": "float32", "n": 20, "args": {}},  # block path: cache untouched
    {"op": "normal", "dtype": "float32", "n": 1, "args": {"mean": 1.0, "std": 2.0}},  # the cache
    {"op": "rand", "dtype": "float64", "n": 3, "args": {}},
    {"op": "uniform", "dtype": "float32", "n": 5, "args": {"from": -1.0, "to": 1.0}},
    {"op": "randn", "dtype": "float64", "n": 17, "args": {}},
    {"op": "randint", "dtype": "int64", "n": 4, "args": {"low": 5, "high": 9}},
    {"op": "randn", "dtype": "float32", "n": 700, "args": {}},  # crosses the 624-draw state refresh
    {"op": "randn", "dtype": "float32", "n": 2, "args": {}},
]


def main():
    with Golden("rng") as g:
        idx = 0
        for seed in SEEDS:
            for op, dtype, args in FILLS:
                parts = []
                for n in SIZES:
                    torch.manual_seed(seed)
                    parts.append(draw(op, dtype, n, args))
                g.case(kind="fill", seed=seed, op=op, dtype=dtype, args=args, sizes=SIZES,
                       out=g.array(f"fill{idx}", torch.cat(parts)))
                idx += 1

            torch.manual_seed(seed)
            parts = [draw(s["op"], s["dtype"], s["n"], s["args"]).to(torch.float64)
                     for s in SEQUENCE_STEPS]
            g.case(kind="sequence", seed=seed, steps=SEQUENCE_STEPS,
                   out=g.array(f"seq{idx}", torch.cat(parts)))
            idx += 1

            torch.manual_seed(seed)
            g.case(kind="seed", seed=seed, initial_seed=str(torch.initial_seed()))

            for n in [0, 1, 2, 3, 5, 10, 100, 1000]:
                torch.manual_seed(seed)
                g.case(kind="randperm", seed=seed, n=n, out=g.array(f"perm{idx}", torch.randperm(n)))
                idx += 1

        for seed, (cin, cout, k, groups) in [(0, (1, 6, 5, 1)), (1, (6, 16, 5, 1)),
                                             (42, (3, 64, 3, 1)), (7, (32, 32, 3, 32))]:
            torch.manual_seed(seed)
            conv = torch.nn.Conv2d(cin, cout, k, groups=groups)
            fan_in, wb, bb = conv_bounds(cin, cout, k, groups)
            g.case(kind="conv_init", seed=seed, cin=cin, cout=cout, k=k, groups=groups, fan_in=fan_in,
                   weight_bound=wb, bias_bound=bb,
                   weight=g.array(f"convw{idx}", conv.weight.detach().reshape(-1)),
                   bias=g.array(f"convb{idx}", conv.bias.detach()))
            idx += 1

        # get_rng_state after draws that leave a cached normal sample and a part-used state
        for seed, steps in [(5, [("randn", "float64", 1), ("rand", "float32", 3)]),
                            (9, [("rand", "float32", 1000)]),
                            (11, [])]:
            torch.manual_seed(seed)
            for op, dtype, n in steps:
                draw(op, dtype, n, {})
            state = torch.get_rng_state().to(torch.int64)
            after = torch.cat([torch.randn(1, dtype=torch.float64), torch.rand(5, dtype=torch.float64)])
            g.case(kind="state", seed=seed, steps=[{"op": o, "dtype": d, "n": n, "args": {}}
                                                   for o, d, n in steps],
                   state=g.array(f"state{idx}", state), after=g.array(f"after{idx}", after))
            idx += 1

        errors = [
            ("uniform", "float32", {"from": 1.0, "to": 0.0},
             lambda: torch.empty(3).uniform_(1, 0)),
            ("uniform", "float32", {"from": -1e39, "to": 0.0},
             lambda: torch.empty(3).uniform_(-1e39, 0)),
            ("uniform", "float32", {"from": 0.0, "to": float("inf")},
             lambda: torch.empty(3).uniform_(0, float("inf"))),
            ("uniform", "float32", {"from": float("nan"), "to": 1.0},
             lambda: torch.empty(3).uniform_(float("nan"), 1)),
            ("uniform", "float32", {"from": -3e38, "to": 3e38},
             lambda: torch.empty(3).uniform_(-3e38, 3e38)),
            ("uniform", "float64", {"from": -1.7e308, "to": 1.7e308},
             lambda: torch.empty(3, dtype=torch.float64).uniform_(-1.7e308, 1.7e308)),
            ("uniform", "float64", {"from": 2.5, "to": 0.125},
             lambda: torch.empty(3, dtype=torch.float64).uniform_(2.5, 0.125)),
            ("normal", "float32", {"mean": 0.0, "std": -1.0},
             lambda: torch.empty(3).normal_(0, -1)),
            ("normal", "float64", {"mean": 0.0, "std": -0.25},
             lambda: torch.empty(3, dtype=torch.float64).normal_(0, -0.25)),
            ("normal", "float32", {"mean": 0.0, "std": float("nan")},
             lambda: torch.empty(3).normal_(0, float("nan"))),
            ("randint", "int64", {"low": 5, "high": 3},
             lambda: torch.randint(5, 3, (2,))),
            ("randint", "int64", {"low": 4, "high": 4},
             lambda: torch.randint(4, 4, (2,))),
            ("randperm", "int64", {"n": -1},
             lambda: torch.randperm(-1)),
        ]
        for op, dtype, args, fn in errors:
            msg = error_message(fn)
            assert msg is not None, (op, args)
            g.case(kind="error", op=op, dtype=dtype, args=json_args(args), message=msg)


if __name__ == "__main__":
    main()
