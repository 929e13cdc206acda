"""Random small networks against PyTorch (area "fuzz_nets"): an nn.Sequential of Conv2d (padding,
stride, groups, padding modes), activations, max/average/adaptive pooling, Flatten and Linear layers,
built right after torch.manual_seed(seed) (so PyTorch's default initialization draws the weights), then
a forward on a drawn batch, cross-entropy against drawn labels, and backward. Recorded: each
parameter's sum (the weights must be drawn alike), the logits, the loss and each parameter's gradient,
by PyTorch's parameter names (0.weight, ...). Every fourth network also gets its parameters moved by a
further draw and saved as safetensors (n<k>.safetensors, PyTorch's names and shapes), with the logits
of that changed network: jconv must load the file into its own network and give them.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_nets.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, safetensors_write  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

CASES = 120
rng = random.Random(20261209)


def build(layers):
    mods = []
    for l in layers:
        k, a = l["kind"], l["args"]
        if k == "conv":
            mods.append(nn.Conv2d(a["cin"], a["cout"], a["k"], stride=a["s"], padding=a["p"], groups=a["g"],
                                  bias=a["bias"], padding_mode=a["mode"]))
        elif k == "linear":
            mods.append(nn.Linear(a["fin"], a["fout"], bias=a["bias"]))
        elif k == "max":
            mods.append(nn.MaxPool2d(a["k"], a["s"]))
        elif k == "avg":
            mods.append(nn.AvgPool2d(a["k"], a["s"]))
        elif k == "aavg":
            mods.append(nn.AdaptiveAvgPool2d(a["out"]))
        elif k == "flatten":
            mods.append(nn.Flatten())
        else:
            mods.append({"relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh()}[k])
    return nn.Sequential(*mods)


def draw():
    """Layers and the input they were drawn for: (layers, channels, size, classes)."""
    c0, h0 = rng.randint(1, 3), rng.randint(6, 12)
    c, h = c0, h0
    layers = []
    for _ in range(rng.randint(1, 3)):
        g = rng.choice([1, 1, 1, c]) if c > 1 else 1
        cout = rng.choice([1, 2]) * g if g > 1 else rng.randint(2, 6)
        k = rng.choice([1, 3, 3, 5])
        p = rng.choice([0, k // 2])
        s = rng.choice([1, 1, 2])
        if (h + 2 * p - k) // s + 1 < 2:
            break
        mode = rng.choice(["zeros", "zeros", "zeros", "reflect", "replicate", "circular"]) if 0 < p < h else "zeros"
        layers.append(dict(kind="conv", args=dict(cin=c, cout=cout, k=k, s=s, p=p, g=g, bias=rng.random() < 0.8,
                                                  mode=mode)))
        c, h = cout, (h + 2 * p - k) // s + 1
        layers.append(dict(kind=rng.choice(["relu", "sigmoid", "tanh"]), args={}))
        if h >= 4 and rng.random() < 0.5:
            layers.append(dict(kind=rng.choice(["max", "avg"]), args=dict(k=2, s=2)))
            h //= 2
    if not layers:
        return None
    if rng.random() < 0.3:
        o = rng.randint(1, min(3, h))
        layers.append(dict(kind="aavg", args=dict(out=o)))
        h = o
    layers.append(dict(kind="flatten", args={}))
    fin = c * h * h
    if rng.random() < 0.5:
        mid = rng.randint(3, 10)
        layers.append(dict(kind="linear", args=dict(fin=fin, fout=mid, bias=True)))
        layers.append(dict(kind=rng.choice(["relu", "sigmoid"]), args={}))
        fin = mid
    classes = rng.randint(2, 5)
    layers.append(dict(kind="linear", args=dict(fin=fin, fout=classes, bias=rng.random() < 0.9)))
    return layers, c0, h0, classes


with Golden("fuzz_nets") as g:
    made = 0
    while made < CASES:
        drawn = draw()
        if drawn is None:
            continue
        layers, c0, h0, classes = drawn
        n = rng.randint(1, 4)
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        net = build(layers)
        x = torch.randn(n, c0, h0, h0)
        y = torch.randint(0, classes, (n,))
        params = dict(net.named_parameters())
        sums = {k: float(v.detach().double().sum()) for k, v in params.items()}
        net64 = build(layers).double()
        net64.load_state_dict({k: v.double() for k, v in net.state_dict().items()})
        logits = net64(x.double())
        loss = F.cross_entropy(logits, y)
        loss.backward()
        name = f"n{made}"
        saved = {}
        if made % 4 == 0:
            with torch.no_grad():
                for p in net.parameters():
                    p.add_(torch.randn(p.shape) * 0.1)
            file = f"{name}.safetensors"
            safetensors_write(os.path.join(g.dir, file), dict(net.state_dict()))
            moved = build(layers).double()
            moved.load_state_dict({k: v.double() for k, v in net.state_dict().items()})
            saved = dict(safetensors=file, loaded_logits=g.array(f"{name}_loaded", moved(x.double()).detach()))
        g.case(name=name, layers=layers, channels=c0, size=h0, batch=n, classes=classes, seed=seed,
               param_sums=sums, y_sum=int(y.sum()), logits=g.array(f"{name}_logits", logits.detach()),
               loss=float(loss),
               grads={k: g.array(f"{name}_g_{k.replace('.', '_')}", p.grad) for k, p in net64.named_parameters()},
               **saved)
        made += 1
