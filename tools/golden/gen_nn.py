"""Golden values for jconv's layers and init helpers from PyTorch (area "nn"): Linear's default
initialisation after a seed, every torch.nn.init function after a seed, calculate_gain, module reprs,
parameter names, outputs of small networks, and PyTorch's errors.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_nn.py
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402

with Golden("nn") as g:
    # Linear default init (kaiming_uniform a=sqrt(5), then bias) and forward
    for i, (fin, fout, bias, seed) in enumerate([(400, 120, True, 0), (3, 2, True, 42), (5, 7, False, 1),
                                                  (120, 84, True, 3)]):
        torch.manual_seed(seed)
        lin = nn.Linear(fin, fout, bias=bias)
        x = torch.randn(4, fin)
        g.case(name=f"linear_init_{i}", kind="linear", seed=seed, in_features=fin, out_features=fout, bias=bias,
               weight=g.array(f"lin{i}_w", lin.weight), b=g.array(f"lin{i}_b", lin.bias) if bias else None,
               x=g.array(f"lin{i}_x", x), out=g.array(f"lin{i}_out", lin(x)), repr=repr(lin))
    # init functions
    inits = [
        ("xavier_uniform", lambda t: nn.init.xavier_uniform_(t), [6, 4]),
        ("xavier_uniform_gain", lambda t: nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain("relu")), [16, 6, 5, 5]),
        ("xavier_normal", lambda t: nn.init.xavier_normal_(t), [20, 10]),
        ("kaiming_uniform", lambda t: nn.init.kaiming_uniform_(t), [8, 3, 3, 3]),
        ("kaiming_uniform_fanout_relu", lambda t: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"), [8, 3, 3, 3]),
        ("kaiming_uniform_a", lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)), [6, 1, 5, 5]),
        ("kaiming_normal", lambda t: nn.init.kaiming_normal_(t), [30, 7]),
        ("kaiming_normal_fanout", lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"), [3, 5]),
        ("uniform", lambda t: nn.init.uniform_(t, -0.5, 2.0), [7]),
        ("normal", lambda t: nn.init.normal_(t, 1.0, 0.01), [33]),
        ("constant", lambda t: nn.init.constant_(t, 0.25), [2, 3]),
    ]
    for i, (name, fn, shape) in enumerate(inits):
        for dtype in (torch.float32, torch.float64):
            torch.manual_seed(100 + i)
            t = torch.empty(shape, dtype=dtype)
            fn(t)
            g.case(name=f"init_{name}_{dtype}".replace("torch.", ""), kind="init", init=name, seed=100 + i,
                   shape=shape, dtype=str(dtype).replace("torch.", ""), out=g.array(f"init{i}_{dtype}".replace("torch.", ""), t))
    gains = {}
    for nl, p in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
                  ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None), ("conv2d", None)]:
        gains[f"{nl}:{p}"] = nn.init.calculate_gain(nl, p)
    g.case(name="calculate_gain", kind="gains", gains=gains)

    # reprs and parameter names of small networks, and their outputs
    torch.manual_seed(5)
    net = nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.Sigmoid(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 3),
                        nn.Tanh())
    x = torch.randn(2, 3, 4)
    g.case(name="sequential_mlp", kind="sequential", seed=5, repr=repr(net),
           names=[n for n, _ in net.named_parameters()], x=g.array("seq_x", x), out=g.array("seq_out", net(x)))
    g.case(name="flatten_repr", kind="repr", repr=repr(nn.Flatten(0, 2)), module="flatten_0_2")
    g.case(name="loss_repr", kind="repr", repr=repr(nn.CrossEntropyLoss()) + "|" + repr(nn.MSELoss()), module="losses")

    # Lazy layers, as the book's LeNet: no draws until the first forward, then each layer's weight and
    # bias drawn in forward order, as Conv2d and Linear draw them. The inputs come from a generator of
    # their own, so that the default one serves the layers only.
    data = torch.Generator().manual_seed(99)
    torch.manual_seed(11)
    lenet = nn.Sequential(nn.LazyConv2d(6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
                          nn.LazyConv2d(16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
                          nn.Flatten(), nn.LazyLinear(120), nn.Sigmoid(), nn.LazyLinear(84), nn.Sigmoid(),
                          nn.LazyLinear(10))
    before = repr(lenet)
    x = torch.rand(2, 1, 28, 28, generator=data)
    out = lenet(x)
    g.case(name="lazy_lenet", kind="lazy", seed=11, repr_before=before, repr_after=repr(lenet),
           x=g.array("lazy_lenet_x", x), out=g.array("lazy_lenet_out", out),
           params={n: g.array("lazy_lenet_" + n, p) for n, p in lenet.named_parameters()})
    torch.manual_seed(12)
    odd = nn.Sequential(nn.LazyConv2d(4, kernel_size=(3, 2), stride=2, padding=1, groups=2, bias=False),
                        nn.LazyLinear(5, bias=False), nn.LazyLinear(3))
    before = repr(odd)
    x = torch.rand(6, 7, 7, generator=data)  # unbatched: channels are the first dimension
    out = odd(x)
    g.case(name="lazy_options", kind="lazy", seed=12, repr_before=before, repr_after=repr(odd),
           x=g.array("lazy_options_x", x), out=g.array("lazy_options_out", out),
           params={n: g.array("lazy_options_" + n, p) for n, p in odd.named_parameters()})

    # The book's layer_summary: iterating over the (initialized) lazy LeNet, each layer's name and output shape.
    X = torch.randn(1, 1, 28, 28, generator=data)
    summary = []
    for layer in lenet:
        X = layer(X)
        summary.append(f"{layer.__class__.__name__} output shape:\t{X.shape}")
    g.case(name="layer_summary", kind="summary", lines=summary)

    # Tied weights (the book's shared layer): named_parameters and named_modules list the layer once,
    # state_dict under both names, and SGD with momentum updates it once per step.
    torch.manual_seed(13)
    shared = nn.Linear(3, 3)
    tied = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(3, 1))
    names = [n for n, _ in tied.named_parameters()]
    keys = list(tied.state_dict().keys())
    modules = [n for n, _ in tied.named_modules()]
    x = torch.rand(4, 2, generator=data)
    opt = torch.optim.SGD(tied.parameters(), lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        tied(x).sum().backward()
        opt.step()
    g.case(name="tied_sgd", kind="tied", seed=13, names=names, keys=keys, modules=modules, x=g.array("tied_x", x),
           params={n: g.array("tied_" + n, p) for n, p in tied.named_parameters()})

    # Parameters print as nn.Parameter does; what is computed from them, or their .data, does not.
    torch.manual_seed(0)
    lin = nn.Linear(3, 2)
    prints = [str(lin.bias), str(lin.weight), str(lin.bias.data), str(lin.bias * 1), str(lin.double().bias),
              str(lin.state_dict()), str(nn.Sequential().state_dict())]
    g.case(name="parameter_print", kind="prints", seed=0, prints=prints)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(3, 2)
            self.fc2 = nn.Linear(2, 1)

    def load(sd):
        Net().load_state_dict(sd)

    good = Net().state_dict()
    errors = {
        "init_fanOneDim": lambda: nn.init.xavier_uniform_(torch.empty(3)),
        "init_badNonlinearity": lambda: nn.init.calculate_gain("swish"),
        "loadStateDict_missing": lambda: load({k: v for k, v in good.items() if k != "fc2.bias"}),
        "loadStateDict_unexpected": lambda: load(dict(good, extra=torch.zeros(1))),
        "loadStateDict_sizeMismatch": lambda: load(dict(good, **{"fc1.weight": torch.zeros(2, 4)})),
        "linear_negative": lambda: nn.Linear(-1, 3),
        "lazyConv2d_rank": lambda: nn.LazyConv2d(6, 3)(torch.rand(8, 8)),
        "lazyConv2d_groups": lambda: nn.LazyConv2d(6, 3, groups=2)(torch.rand(1, 3, 8, 8)),
    }
    for name, fn in errors.items():
        msg = error_message(fn)
        assert msg is not None, name
        g.case(name=name, kind="error", error=msg)
