"""Random convolutions with infinities and NaN against PyTorch (area "fuzz_nonfinite"): inf, -inf or
NaN put into the input, the weight or the output gradient of random layers (strides, paddings,
dilations, groups of fewer than 8 channels, biases), forward and backward computed by PyTorch in the
dtype itself (float32 runs oneDNN or PyTorch's own kernels as PyTorch picks them, at its default
thread count here, 1; float64 its own): which outputs and gradients are NaN, +inf or -inf, and the
finite values. Not drawn: 'same' padding with an even kernel and groups of 8 or more channels, which
jconv does not model (README).

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_nonfinite.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASES = 200
rng = random.Random(20261214)
SPECIAL = [float("inf"), float("-inf"), float("nan")]

with Golden("fuzz_nonfinite") as g:
    made = 0
    while made < CASES:
        groups = rng.choice([1, 1, 1, 2, 4])
        cin = groups * rng.choice([1, 2, 3]) if groups > 1 else rng.choice([1, 2, 3, 8, 16])
        cout = groups * rng.choice([1, 2]) if groups > 1 else rng.choice([1, 2, 4, 16])
        k = rng.choice([1, 2, 3, 3, 5])
        stride = rng.choice([1, 1, 2])
        dilation = rng.choice([1, 1, 2])
        padding = rng.randint(0, k + 1)
        n = rng.choice([1, 2, 3])
        h, w = rng.randint(3, 9), rng.randint(3, 9)
        oh = (h + 2 * padding - dilation * (k - 1) - 1) // stride + 1
        ow = (w + 2 * padding - dilation * (k - 1) - 1) // stride + 1
        if oh < 1 or ow < 1:
            continue
        dtype = rng.choice([torch.float32, torch.float32, torch.float64])
        seed = rng.randrange(1 << 31)
        torch.manual_seed(seed)
        x = torch.randn(n, cin, h, w, dtype=dtype)
        wt = torch.randn(cout, cin // groups, k, k, dtype=dtype) * 0.3
        b = torch.randn(cout, dtype=dtype) if rng.random() < 0.6 else None
        gout = torch.randn(n, cout, oh, ow, dtype=dtype)
        where = rng.choice(["x", "w", "gout", "gout"])
        t = {"x": x, "w": wt, "gout": gout}[where]
        spots = []
        for _ in range(rng.randint(1, 2)):
            idx = tuple(rng.randrange(s) for s in t.shape)
            v = rng.choice(SPECIAL)
            t[idx] = v
            spots.append([list(idx), v if v == v else "nan"])
        xr = x.clone().requires_grad_(True)
        wr = wt.clone().requires_grad_(True)
        br = None if b is None else b.clone().requires_grad_(True)
        out = F.conv2d(xr, wr, br, stride=stride, padding=padding, dilation=dilation, groups=groups)
        out.backward(gout)
        name = f"f{made}"
        g.case(name=name, n=n, cin=cin, h=h, width=w, cout=cout, k=k, stride=stride, padding=padding, dilation=dilation,
               groups=groups, dtype=str(dtype), where=where,
               x=g.array(f"{name}_x", x), weight=g.array(f"{name}_w", wt), b=None if b is None else g.array(f"{name}_b", b),
               gout=g.array(f"{name}_gout", gout), out=g.array(f"{name}_out", out.detach()),
               gx=g.array(f"{name}_gx", xr.grad), gw=g.array(f"{name}_gw", wr.grad),
               gb=None if b is None else g.array(f"{name}_gb", br.grad))
        made += 1
