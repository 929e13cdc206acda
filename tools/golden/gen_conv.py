"""Golden files for convolution: /usr/bin/python3 tools/golden/gen_conv.py

Writes jconv-core/src/test/resources/golden/conv/. Every expected value comes from PyTorch.

Case kinds (field "kind"):
  corr2d        the book's corr2d(X, K) (d2l), on float or int64 inputs
  f             F.conv2d(x, weight, bias, stride, padding, dilation, groups); an option that is null
                was not passed (PyTorch's default), an int was passed as one int, a list as a pair
  f_large       as f, but x and weight are the deterministic pattern of pattern() below (too big to
                store) and only a sample of the output is stored, with the output's sum
  module        nn.Conv2d(...) with the stored weight (and bias) copied in, applied to x
  init          torch.manual_seed(seed); nn.Conv2d(...): the default weight and bias, and repr()
  f_error       F.conv2d on tensors of the given shapes (rand) must fail; "message" is PyTorch's,
                "contains" the fragments of it jconv's message must contain too
  module_error  building nn.Conv2d(...) ("stage": "build") or applying it ("stage": "forward") fails
  pad           F.pad(x, [left, right, top, bottom], mode) for the padding modes a Conv2d layer uses
  seeded        the whole seed example from one seed: torch.manual_seed(seed); conv = nn.Conv2d(...);
                x = torch.rand(x_shape); out = conv(x) (needs jconv's generator to match PyTorch's)
"""
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message, corr2d  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402




def pattern(shape, seed):
    """Deterministic float32 values in [-1, 1) that Java recomputes exactly:
    v[i] = float((i * 7919 + seed) % 2003) / 1001.5f - 1f, with i the C-order index."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    v = ((i * 7919 + seed) % 2003).astype(np.float32) / np.float32(1001.5) - np.float32(1.0)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def pair(v):
    return list(v) if isinstance(v, (list, tuple)) else [v, v]


def torch_arg(v):
    return tuple(v) if isinstance(v, list) else v


def main():
    torch.manual_seed(1234)
    rng = random.Random(1234)
    with Golden("conv") as g:
        counter = [0]

        def name():
            counter[0] += 1
            return "c%03d" % counter[0]

        # ---- corr2d (book, section 7.2) ----
        def add_corr2d(label, X, K):
            n = name()
            Y = corr2d(X, K)
            g.case(kind="corr2d", name=label, x=g.array(n + "_x", X), k=g.array(n + "_k", K),
                   out=g.array(n + "_out", Y), printed=str(Y))

        add_corr2d("book 3x3 by 2x2", torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]),
                   torch.tensor([[0.0, 1.0], [2.0, 3.0]]))
        add_corr2d("book int64", torch.arange(9).reshape(3, 3), torch.arange(4).reshape(2, 2))
        Xe = torch.ones((6, 8))
        Xe[:, 2:6] = 0
        Ke = torch.tensor([[1.0, -1.0]])
        add_corr2d("book edge", Xe, Ke)
        add_corr2d("book edge transposed", Xe.t().contiguous(), Ke)
        add_corr2d("kernel one larger than input", torch.rand(3, 3), torch.rand(4, 2))
        add_corr2d("random 7x5 by 3x2", torch.rand(7, 5), torch.rand(3, 2))
        add_corr2d("same size", torch.rand(4, 4), torch.rand(4, 4))

        # ---- F.conv2d ----
        def add_f(label, x, w, bias=None, stride=None, padding=None, dilation=None, groups=None):
            kwargs = {}
            if stride is not None:
                kwargs["stride"] = torch_arg(stride)
            if padding is not None:
                kwargs["padding"] = torch_arg(padding)
            if dilation is not None:
                kwargs["dilation"] = torch_arg(dilation)
            if groups is not None:
                kwargs["groups"] = groups
            y = F.conv2d(x, w, bias, **kwargs)
            n = name()
            g.case(kind="f", name=label, x=g.array(n + "_x", x), weight=g.array(n + "_w", w),
                   bias=None if bias is None else g.array(n + "_b", bias),
                   stride=stride, padding=padding, dilation=dilation, groups=groups,
                   out=g.array(n + "_out", y))

        R = torch.rand

        def randn(*s):
            return torch.randn(*s)

        # The seed example and its channel count variants.
        add_f("seed example", R(4, 3, 12, 12), randn(64, 3, 3, 3) * 0.2, randn(64))
        # Stride: int and pair.
        add_f("stride int 2", R(2, 3, 9, 9), randn(4, 3, 3, 3), randn(4), stride=2)
        add_f("stride pair (2,1)", R(2, 3, 9, 8), randn(4, 3, 3, 3), randn(4), stride=[2, 1])
        add_f("stride pair (1,3)", R(1, 2, 7, 10), randn(3, 2, 2, 3), stride=[1, 3])
        add_f("stride larger than kernel", R(2, 2, 11, 11), randn(3, 2, 2, 2), stride=4)
        add_f("stride pair larger than kernel", R(1, 3, 13, 9), randn(2, 3, 2, 1), stride=[5, 3])
        # Padding: int, pair, same, valid.
        add_f("padding int 1", R(2, 3, 6, 6), randn(5, 3, 3, 3), randn(5), padding=1)
        add_f("padding int 3 > kernel", R(1, 2, 4, 5), randn(2, 2, 3, 3), padding=3)
        add_f("padding pair (1,2)", R(2, 3, 6, 7), randn(4, 3, 3, 3), padding=[1, 2])
        add_f("padding pair (0,2)", R(1, 1, 5, 3), randn(2, 1, 3, 5), padding=[0, 2])
        add_f("padding valid", R(2, 3, 7, 6), randn(4, 3, 3, 2), randn(4), padding="valid")
        add_f("padding same odd kernel", R(2, 3, 7, 6), randn(4, 3, 3, 3), randn(4), padding="same")
        add_f("padding same even kernel 2x2", R(1, 2, 5, 5), randn(3, 2, 2, 2), padding="same")
        add_f("padding same even kernel 4x2", R(2, 2, 6, 5), randn(3, 2, 4, 2), randn(3), padding="same")
        add_f("padding same 1x4", R(1, 3, 4, 7), randn(2, 3, 1, 4), padding="same")
        add_f("padding same dilation 2", R(1, 2, 9, 9), randn(3, 2, 3, 3), padding="same", dilation=2)
        add_f("padding same even kernel dilation 3", R(1, 2, 9, 10), randn(3, 2, 2, 4), padding="same",
              dilation=3)
        add_f("padding same even kernel dilation (1,2)", R(2, 1, 6, 8), randn(2, 1, 4, 2), randn(2),
              padding="same", dilation=[1, 2])
        add_f("padding same explicit stride 1", R(1, 2, 5, 6), randn(2, 2, 3, 2), padding="same", stride=1)
        add_f("padding same with groups", R(1, 4, 6, 6), randn(6, 2, 2, 3), padding="same", groups=2)
        # Dilation.
        add_f("dilation int 2", R(2, 3, 9, 9), randn(4, 3, 3, 3), randn(4), dilation=2)
        add_f("dilation pair (1,3)", R(1, 2, 7, 11), randn(3, 2, 3, 3), dilation=[1, 3])
        add_f("dilation 2 stride 2 padding 2", R(2, 2, 12, 12), randn(3, 2, 3, 3), stride=2, padding=2,
              dilation=2)
        add_f("dilation with padding pair", R(1, 3, 8, 6), randn(2, 3, 2, 3), padding=[3, 1], dilation=[3, 2])
        # Groups.
        add_f("groups 2", R(2, 4, 7, 7), randn(6, 2, 3, 3), randn(6), groups=2)
        add_f("groups 3", R(1, 6, 6, 5), randn(3, 2, 2, 2), groups=3)
        add_f("groups 4 stride 2", R(2, 8, 9, 9), randn(8, 2, 3, 3), randn(8), stride=2, padding=1, groups=4)
        add_f("depthwise", R(2, 5, 8, 8), randn(5, 1, 3, 3), randn(5), padding=1, groups=5)
        add_f("depthwise multiplier 2", R(1, 4, 7, 7), randn(8, 1, 3, 3), randn(8), groups=4)
        add_f("depthwise multiplier 3 dilated", R(2, 3, 9, 9), randn(9, 1, 3, 3), dilation=2, groups=3)
        add_f("depthwise stride 2 5x5", R(1, 6, 11, 11), randn(6, 1, 5, 5), stride=2, padding=2, groups=6)
        # Shapes: non-square, output 1x1, kernel equal to padded input, unbatched, N=0, Cin 1..32.
        add_f("non-square input and kernel", R(2, 3, 5, 11), randn(4, 3, 2, 5), randn(4))
        add_f("non-square 3x1 kernel", R(1, 2, 8, 4), randn(3, 2, 3, 1))
        add_f("non-square 1x3 kernel", R(1, 2, 4, 8), randn(3, 2, 1, 3), padding=[0, 1])
        add_f("output 1x1", R(3, 2, 4, 4), randn(5, 2, 4, 4), randn(5))
        add_f("output 1x1 by stride", R(2, 2, 5, 5), randn(3, 2, 3, 3), stride=3)
        add_f("kernel equals padded input", R(2, 3, 3, 4), randn(4, 3, 5, 6), randn(4), padding=1)
        add_f("kernel equals dilated padded input", R(1, 2, 3, 3), randn(2, 2, 3, 3), padding=1, dilation=2)
        add_f("unbatched", R(3, 6, 6), randn(4, 3, 3, 3), randn(4))
        add_f("unbatched padding same groups", R(4, 5, 5), randn(4, 2, 2, 2), padding="same", groups=2)
        add_f("unbatched stride pair", R(2, 7, 9), randn(3, 2, 3, 3), stride=[2, 3], padding=[1, 0])
        add_f("N=0", R(0, 3, 6, 6), randn(4, 3, 3, 3), randn(4))
        add_f("N=0 with padding and stride", R(0, 2, 5, 7), randn(4, 2, 3, 3), stride=2, padding=1)
        add_f("Cin=0 (PyTorch gives 0 output channels)", R(2, 0, 5, 5), randn(4, 0, 3, 3))
        add_f("Cin 1", R(2, 1, 8, 8), randn(3, 1, 3, 3), randn(3))
        add_f("Cin 16", R(1, 16, 6, 6), randn(8, 16, 3, 3), randn(8), padding=1)
        add_f("Cin 32", R(2, 32, 5, 5), randn(4, 32, 3, 3) * 0.2, randn(4))
        add_f("Cin 32 1x1", R(1, 32, 4, 5), randn(16, 32, 1, 1), randn(16))
        add_f("1x1 kernel", R(2, 6, 5, 4), randn(7, 6, 1, 1), randn(7))
        add_f("1x1 kernel stride 2", R(1, 4, 7, 7), randn(3, 4, 1, 1), stride=2)
        add_f("1x1 kernel padding 1", R(1, 3, 3, 3), randn(2, 3, 1, 1), randn(2), padding=1)
        add_f("1x1 kernel groups 2", R(2, 4, 3, 5), randn(6, 2, 1, 1), groups=2)
        add_f("batch 5", R(5, 2, 6, 6), randn(3, 2, 3, 3), randn(3))
        add_f("input 1x1 kernel 1x1", R(2, 3, 1, 1), randn(2, 3, 1, 1), randn(2))
        add_f("input 1xW", R(1, 2, 1, 9), randn(3, 2, 1, 3), stride=[1, 2])
        add_f("input Hx1 padded", R(1, 2, 9, 1), randn(3, 2, 3, 3), padding=1)
        add_f("bias none explicit", R(1, 2, 5, 5), randn(3, 2, 2, 2), None, stride=1, padding=0, dilation=1,
              groups=1)
        add_f("all defaults given as pairs", R(1, 2, 5, 5), randn(3, 2, 2, 2), randn(3), stride=[1, 1],
              padding=[0, 0], dilation=[1, 1], groups=1)
        add_f("large values", R(1, 3, 6, 6) * 1000, randn(2, 3, 3, 3) * 100, randn(2) * 1000)
        add_f("medium 13x13 Cin 7", R(2, 7, 13, 13), randn(5, 7, 3, 3) * 0.3, randn(5), padding=1)
        add_f("lenet1-like", R(2, 1, 28, 28), randn(6, 1, 5, 5) * 0.2, randn(6), padding=2)
        add_f("lenet2-like", R(2, 6, 14, 14), randn(16, 6, 5, 5) * 0.1, randn(16))

        # Random valid configurations, to reach every combination above in ones and twos.
        made = 0
        while made < 110:
            groups = rng.choice([1, 1, 1, 2, 3])
            cin = groups * rng.randint(1, 4)
            cout = groups * rng.randint(1, 3)
            kh, kw = rng.randint(1, 4), rng.randint(1, 4)
            dil = rng.choice([1, 1, 2, [1, 2], [2, 1]])
            pad_kind = rng.choice(["int", "pair", "same", "valid", None])
            stride = rng.choice([None, 1, 2, 3, [1, 2], [3, 1]]) if pad_kind != "same" else rng.choice([None, 1])
            pad = {"int": rng.randint(0, 2), "pair": [rng.randint(0, 2), rng.randint(0, 3)], "same": "same",
                   "valid": "valid", None: None}[pad_kind]
            d = pair(dil)
            if pad in ("same", "valid") or pad is None:
                p = [0, 0]
            else:
                p = pair(pad)
            min_h = max(1, d[0] * (kh - 1) + 1 - 2 * p[0])
            min_w = max(1, d[1] * (kw - 1) + 1 - 2 * p[1])
            h = rng.randint(min_h, min_h + 6)
            w = rng.randint(min_w, min_w + 6)
            n = rng.choice([1, 1, 2, 3])
            bias = randn(cout) if rng.random() < 0.6 else None
            x = R(n, cin, h, w) if rng.random() < 0.85 else R(cin, h, w)
            add_f("random %d" % made, x, randn(cout, cin // groups, kh, kw), bias, stride=stride, padding=pad,
                  dilation=dil if rng.random() < 0.7 else None, groups=groups if groups > 1 or rng.random() < 0.5
                  else None)
            made += 1

        # ---- larger cases: pattern inputs, sampled outputs ----
        def add_large(label, xs, ws, bs=None, stride=1, padding=0, dilation=1, groups=1):
            x = pattern(xs, 3)
            w = pattern(ws, 5) * np.float32(0.1)
            b = pattern([bs], 7) if bs else None
            y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
            flat = y.flatten()
            idx = torch.from_numpy(np.sort(np.random.RandomState(len(label)).choice(flat.numel(),
                                   size=min(1000, flat.numel()), replace=False)).astype(np.int64))
            n = name()
            g.case(kind="f_large", name=label, x_shape=list(xs), x_seed=3, w_shape=list(ws), w_seed=5,
                   w_scale=0.1, bias_len=bs, bias_seed=7, stride=stride, padding=padding, dilation=dilation,
                   groups=groups, out_shape=list(y.shape), out_sum=float(y.double().sum()),
                   out_abs_sum=float(y.double().abs().sum()),
                   sample_index=g.array(n + "_idx", idx), sample=g.array(n + "_sample", flat[idx]))

        add_large("N8 C64 28x28 k3", [8, 64, 28, 28], [64, 64, 3, 3], 64, padding=1)
        add_large("N2 C32 30x30 k5 s2", [2, 32, 30, 30], [48, 32, 5, 5], 48, stride=2, padding=2)
        add_large("N4 C16 33x31 depthwise", [4, 16, 33, 31], [16, 1, 3, 3], 16, padding=1, groups=16)
        add_large("N2 C64 17x17 1x1", [2, 64, 17, 17], [96, 64, 1, 1], None)
        add_large("N1 C3 64x64 k7 s2 p3", [1, 3, 64, 64], [16, 3, 7, 7], 16, stride=2, padding=3)
        add_large("N2 C48 20x20 dilated", [2, 48, 20, 20], [32, 48, 3, 3], 32, padding=2, dilation=2)
        add_large("N1 C20 207x13 groups 4", [1, 20, 207, 13], [12, 5, 3, 2], 12, stride=[2, 1], padding=[1, 1],
                  groups=4)

        # ---- nn.Conv2d forward with the padding modes ----
        def add_module(label, x, cin, cout, k, bias=True, stride=None, padding=None, dilation=None, groups=None,
                       padding_mode=None):
            kwargs = {}
            for key, val in (("stride", stride), ("padding", padding), ("dilation", dilation),
                             ("groups", groups), ("padding_mode", padding_mode)):
                if val is not None:
                    kwargs[key] = torch_arg(val)
            m = nn.Conv2d(cin, cout, torch_arg(k), bias=bias, **kwargs)
            with torch.no_grad():
                m.weight.copy_(torch.randn(m.weight.shape))
                if bias:
                    m.bias.copy_(torch.randn(m.bias.shape))
            note = None
            if x.dim() == 3 and padding_mode == "circular":
                # PyTorch 1.13's circular F.pad refuses unbatched input (a bug later versions fixed:
                # "Invalid padding size, expected 2 but got 4"); jconv accepts it, as newer PyTorch does,
                # so the expected value is the batched result of the same input.
                note = error_message(lambda: m(x))
                y = m(x.unsqueeze(0)).squeeze(0)
            else:
                y = m(x)
            n = name()
            g.case(kind="module", name=label, torch_1_13_refuses=note, in_channels=cin, out_channels=cout, kernel_size=k, bias=bias,
                   stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=padding_mode,
                   repr=repr(m), x=g.array(n + "_x", x), weight=g.array(n + "_w", m.weight),
                   bias_value=g.array(n + "_b", m.bias) if bias else None, out=g.array(n + "_out", y))

        for mode in ["zeros", "reflect", "replicate", "circular"]:
            add_module(mode + " padding 1", R(2, 3, 6, 6), 3, 4, 3, padding=1, padding_mode=mode)
            add_module(mode + " padding pair (2,1)", R(1, 2, 5, 7), 2, 3, [3, 2], padding=[2, 1], padding_mode=mode)
            add_module(mode + " padding same even kernel", R(1, 2, 5, 6), 2, 2, [2, 4], padding="same",
                       padding_mode=mode)
            add_module(mode + " padding same dilated", R(1, 2, 6, 6), 2, 3, 3, padding="same", dilation=2,
                       bias=False, padding_mode=mode)
            add_module(mode + " stride 2 groups 2", R(2, 4, 7, 7), 4, 6, 3, stride=2, padding=2, groups=2,
                       padding_mode=mode)
            add_module(mode + " unbatched", R(3, 4, 5), 3, 2, 3, padding=[1, 2], padding_mode=mode)
            add_module(mode + " valid", R(1, 2, 4, 4), 2, 2, 2, padding="valid", padding_mode=mode)
            add_module(mode + " no bias", R(1, 3, 5, 5), 3, 2, 3, bias=False, padding=1, padding_mode=mode)
        add_module("reflect pad = size - 1", R(1, 1, 3, 3), 1, 2, 3, padding=2, padding_mode="reflect")
        add_module("circular pad = size", R(1, 1, 3, 4), 1, 2, 3, padding=[3, 4], padding_mode="circular")
        add_module("replicate pad larger than size", R(1, 1, 2, 2), 1, 1, 3, padding=4, padding_mode="replicate")
        add_module("defaults", R(4, 3, 12, 12), 3, 64, 3)
        add_module("depthwise module", R(2, 4, 6, 6), 4, 8, 3, padding=1, groups=4)

        # ---- the padding kernel on its own ----
        def add_pad(label, x, left, right, top, bottom, mode):
            n = name()
            y = F.pad(x, (left, right, top, bottom), mode=mode)
            g.case(kind="pad", name=label, x=g.array(n + "_x", x), left=left, right=right, top=top,
                   bottom=bottom, mode=mode, out=g.array(n + "_out", y))

        for mode in ["reflect", "replicate", "circular"]:
            add_pad(mode + " 1 all sides", R(1, 2, 4, 5), 1, 1, 1, 1, mode)
            add_pad(mode + " asymmetric", R(2, 1, 5, 4), 0, 3, 2, 1, mode)
            add_pad(mode + " 1x1 plane, width only", R(1, 3, 1, 4), 2, 1, 0, 0, mode)
        add_pad("reflect size - 1", R(1, 1, 3, 3), 2, 2, 2, 2, "reflect")
        add_pad("circular = size", R(1, 1, 2, 3), 3, 3, 2, 2, "circular")
        add_pad("replicate beyond size", R(1, 1, 2, 2), 5, 4, 3, 6, "replicate")
        add_pad("replicate 1x1 input", R(1, 2, 1, 1), 2, 2, 2, 2, "replicate")

        # ---- default initialisation ----
        def add_init(label, seed, cin, cout, k, **kwargs):
            torch.manual_seed(seed)
            m = nn.Conv2d(cin, cout, torch_arg(k), **{a: torch_arg(b) for a, b in kwargs.items()})
            n = name()
            g.case(kind="init", name=label, seed=seed, in_channels=cin, out_channels=cout, kernel_size=k,
                   options=kwargs, repr=repr(m), weight=g.array(n + "_w", m.weight),
                   bias_value=None if m.bias is None else g.array(n + "_b", m.bias))

        add_init("seed example", 0, 3, 64, 3)
        add_init("lenet conv1", 42, 1, 6, 5, padding=2)
        add_init("lenet conv2", 42, 6, 16, 5)
        add_init("grouped non-square", 7, 4, 8, [3, 5], stride=2, padding=[1, 2], dilation=2, groups=2)
        add_init("no bias", 1, 3, 4, 1, bias=False)
        add_init("depthwise", 123, 16, 16, 3, padding="same", groups=16)
        add_init("reflect", 5, 2, 3, 2, padding="valid", padding_mode="reflect")
        add_init("seed 2^32+3 wraps", 2 ** 32 + 3, 2, 2, 3)
        add_init("circular stride pair", 9, 3, 5, [1, 3], stride=[2, 1], padding=[0, 1], padding_mode="circular")

        # ---- the seed example end to end: init and input from one seed ----
        def add_seeded(label, seed, cin, cout, k, x_shape, **kwargs):
            torch.manual_seed(seed)
            m = nn.Conv2d(cin, cout, torch_arg(k), **{a: torch_arg(b) for a, b in kwargs.items()})
            x = torch.rand(x_shape)
            y = m(x)
            n = name()
            g.case(kind="seeded", name=label, seed=seed, in_channels=cin, out_channels=cout, kernel_size=k,
                   options=kwargs, x_shape=list(x_shape), out=g.array(n + "_out", y), printed_shape=str(y.shape))

        add_seeded("seed example", 0, 3, 64, 3, [4, 3, 12, 12])
        add_seeded("lenet conv1 on a batch", 42, 1, 6, 5, [2, 1, 28, 28], padding=2)
        add_seeded("reflect same", 7, 2, 4, 4, [2, 2, 9, 9], padding="same", padding_mode="reflect")

        # ---- errors from F.conv2d ----
        def add_f_error(label, xs, ws, bs=None, contains=(), stride=None, padding=None, dilation=None,
                        groups=None, java_contains=()):
            kwargs = {}
            for key, val in (("stride", stride), ("padding", padding), ("dilation", dilation),
                             ("groups", groups)):
                if val is not None:
                    kwargs[key] = torch_arg(val)
            msg = error_message(lambda: F.conv2d(torch.rand(xs), torch.rand(ws),
                                                 None if bs is None else torch.rand(bs), **kwargs))
            assert msg is not None, label
            for frag in contains:
                assert frag in msg, (label, frag, msg)
            g.case(kind="f_error", name=label, x_shape=list(xs), w_shape=list(ws),
                   bias_shape=None if bs is None else list(bs), stride=stride, padding=padding,
                   dilation=dilation, groups=groups, message=msg, contains=list(contains),
                   java_contains=list(java_contains))

        add_f_error("wrong channels", [4, 5, 12, 12], [64, 3, 3, 3], contains=[
            "Given groups=1, weight of size [64, 3, 3, 3], expected input[4, 5, 12, 12] to have 3 channels, "
            "but got 5 channels instead"])
        add_f_error("wrong channels unbatched", [5, 12, 12], [64, 3, 3, 3], contains=[
            "expected input[1, 5, 12, 12] to have 3 channels, but got 5 channels instead"])
        add_f_error("wrong channels grouped", [1, 4, 12, 12], [6, 2, 3, 3], groups=3, contains=[
            "Given groups=3, weight of size [6, 2, 3, 3], expected input[1, 4, 12, 12] to have 6 channels, "
            "but got 4 channels instead"])
        add_f_error("input rank 2", [12, 12], [64, 3, 3, 3], contains=[
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [12, 12]"])
        add_f_error("input rank 5", [1, 1, 3, 12, 12], [64, 3, 3, 3], contains=[
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [1, 1, 3, 12, 12]"])
        # PyTorch words a weight of the wrong rank as a stride mismatch ("expected stride to be a single
        # integer value or a list of 1 values"), which means nothing to a Java caller: jconv names the
        # weight and its shape instead ("java_contains").
        add_f_error("weight rank 3", [1, 3, 5, 5], [6, 3, 3], java_contains=["4-dimensional weight", "[6, 3, 3]"])
        add_f_error("weight rank 5", [1, 3, 5, 5], [6, 3, 3, 3, 3],
                    java_contains=["4-dimensional weight", "[6, 3, 3, 3, 3]"])
        add_f_error("out channels not divisible by groups", [1, 6, 12, 12], [4, 2, 3, 3], groups=3, contains=[
            "Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size "])
        add_f_error("out channels fewer than groups", [1, 8, 6, 6], [2, 2, 3, 3], groups=4, contains=[
            "Given groups=4, expected weight to be at least 4 at dimension 0, but got weight of size [2, 2, 3, 3]"])
        add_f_error("zero out channels", [1, 3, 6, 6], [0, 3, 3, 3], contains=[
            "expected weight to be at least 1 at dimension 0, but got weight of size [0, 3, 3, 3] instead"])
        add_f_error("groups 0", [1, 6, 12, 12], [6, 2, 3, 3], groups=0, contains=["non-positive groups is not supported"])
        add_f_error("groups -1", [1, 6, 12, 12], [6, 2, 3, 3], groups=-1, contains=["non-positive groups is not supported"])
        add_f_error("stride 0", [1, 3, 12, 12], [6, 3, 3, 3], stride=0, contains=["non-positive stride is not supported"])
        add_f_error("stride negative in pair", [1, 3, 12, 12], [6, 3, 3, 3], stride=[1, -1],
                    contains=["non-positive stride is not supported"])
        add_f_error("dilation 0", [1, 3, 12, 12], [6, 3, 3, 3], dilation=0,
                    contains=["dilation should be greater than zero, but got [0, 0]"])
        add_f_error("dilation pair (2,0)", [1, 3, 5, 5], [6, 3, 3, 3], dilation=[2, 0],
                    contains=["dilation should be greater than zero, but got [2, 0]"])
        add_f_error("negative padding", [1, 3, 12, 12], [6, 3, 3, 3], padding=-1,
                    contains=["negative padding is not supported"])
        add_f_error("negative padding in pair", [1, 3, 5, 5], [6, 3, 3, 3], padding=[1, -2],
                    contains=["negative padding is not supported"])
        add_f_error("kernel larger than input", [1, 3, 2, 2], [6, 3, 3, 3], contains=[
            "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). "
            "Kernel size can't be greater than actual input size"])
        add_f_error("kernel larger than padded input", [1, 3, 2, 5], [6, 3, 3, 3], padding=[0, 1], contains=[
            "Calculated padded input size per channel: (2 x 7). Kernel size: (3 x 3)."])
        add_f_error("dilated kernel larger than input", [1, 3, 5, 5], [6, 3, 3, 3], dilation=3, contains=[
            "Calculated padded input size per channel: (5 x 5). Kernel size: (7 x 7)."])
        add_f_error("valid kernel larger than input", [1, 3, 5, 5], [6, 3, 7, 7], padding="valid", contains=[
            "Kernel size can't be greater than actual input size"])
        add_f_error("kernel larger than input N=0", [0, 3, 2, 2], [6, 3, 3, 3], contains=[
            "Kernel size can't be greater than actual input size"])
        add_f_error("same with stride 2", [1, 3, 5, 5], [6, 3, 3, 3], padding="same", stride=2,
                    contains=["padding='same' is not supported for strided convolutions"])
        add_f_error("same with stride pair (1,2)", [1, 3, 5, 5], [6, 3, 3, 3], padding="same", stride=[1, 2],
                    contains=["padding='same' is not supported for strided convolutions"])
        add_f_error("bias wrong length", [1, 3, 5, 5], [6, 3, 3, 3], bs=[5], contains=[
            "Given weight of size [6, 3, 3, 3], expected bias to be 1-dimensional with 6 elements, "
            "but got bias of size [5] instead"])
        add_f_error("bias wrong rank", [1, 3, 5, 5], [6, 3, 3, 3], bs=[6, 1], contains=[
            "expected bias to be 1-dimensional with 6 elements, but got bias of size [6, 1] instead"])
        add_f_error("bias wrong length grouped", [2, 4, 5, 5], [6, 2, 3, 3], bs=[3], groups=2, contains=[
            "Given weight of size [6, 2, 3, 3], expected bias to be 1-dimensional with 6 elements"])
        add_f_error("zero height input", [1, 3, 0, 5], [6, 3, 3, 3], padding=2, contains=[
            "Only zero batch or zero channel inputs are supported, but got input shape: [1, 3, 0, 5]"])
        add_f_error("zero kernel", [1, 3, 5, 5], [6, 3, 0, 3], contains=["kernel size should be greater than zero"])
        add_f_error("negative padding before channels", [1, 5, 5, 5], [6, 3, 3, 3], padding=-1,
                    contains=["negative padding is not supported"])
        add_f_error("stride before channels", [1, 5, 5, 5], [6, 3, 3, 3], stride=0,
                    contains=["non-positive stride is not supported"])
        add_f_error("channels before kernel size", [1, 3, 2, 2], [6, 5, 3, 3], contains=[
            "expected input[1, 3, 2, 2] to have 5 channels, but got 3 channels instead"])
        add_f_error("channels before dilation", [1, 5, 5, 5], [6, 3, 3, 3], dilation=0, contains=[
            "expected input[1, 5, 5, 5] to have 3 channels"])
        add_f_error("kernel size before dilation", [1, 3, 0, 5], [6, 3, 3, 3], dilation=0, contains=[
            "Kernel size can't be greater than actual input size"])
        add_f_error("same before groups", [1, 3, 5, 5], [6, 3, 3, 3], padding="same", groups=0, stride=2,
                    contains=["padding='same' is not supported for strided convolutions"])

        # ---- errors from nn.Conv2d ----
        def add_module_error(label, stage, cin, cout, k, contains, xs=None, **kwargs):
            kw = {a: torch_arg(b) for a, b in kwargs.items()}
            if stage == "build":
                msg = error_message(lambda: nn.Conv2d(cin, cout, torch_arg(k), **kw))
            else:
                m = nn.Conv2d(cin, cout, torch_arg(k), **kw)
                msg = error_message(lambda: m(torch.rand(xs)))
            assert msg is not None, label
            for frag in contains:
                assert frag in msg, (label, frag, msg)
            g.case(kind="module_error", name=label, stage=stage, in_channels=cin, out_channels=cout,
                   kernel_size=k, options=kwargs, x_shape=xs, message=msg, contains=list(contains))

        add_module_error("groups 0", "build", 3, 6, 3, ["groups must be a positive integer"], groups=0)
        add_module_error("in channels not divisible", "build", 4, 6, 3, ["in_channels must be divisible by groups"],
                         groups=3)
        add_module_error("out channels not divisible", "build", 6, 4, 3,
                         ["out_channels must be divisible by groups"], groups=3)
        add_module_error("same with stride", "build", 3, 6, 3,
                         ["padding='same' is not supported for strided convolutions"], padding="same", stride=2)
        add_module_error("reflect padding equals size", "forward", 3, 6, 3, [
            "Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at "
            "dimension 3 of input 4"], xs=[1, 3, 3, 3], padding=3, padding_mode="reflect")
        add_module_error("reflect height too large", "forward", 3, 6, 3, [
            "Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at "
            "dimension 2 of input 4"], xs=[1, 3, 3, 5], padding=3, padding_mode="reflect")
        add_module_error("reflect unbatched", "forward", 3, 6, 3, [
            "Padding size should be less than the corresponding input dimension, but got: padding (4, 4) at "
            "dimension 2 of input 3"], xs=[3, 5, 4], padding=4, padding_mode="reflect")
        add_module_error("circular wraps twice", "forward", 3, 6, 3,
                         ["Padding value causes wrapping around more than once."], xs=[1, 3, 3, 3], padding=4,
                         padding_mode="circular")
        add_module_error("wrong channels", "forward", 3, 6, 3, [
            "Given groups=1, weight of size [6, 3, 3, 3], expected input[2, 4, 8, 8] to have 3 channels, "
            "but got 4 channels instead"], xs=[2, 4, 8, 8])
        add_module_error("wrong channels after reflect padding", "forward", 3, 6, 3, [
            "expected input[1, 5, 7, 7] to have 3 channels, but got 5 channels instead"], xs=[1, 5, 5, 5],
                         padding=1, padding_mode="reflect")
        add_module_error("input too small", "forward", 3, 6, 5, [
            "Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5)."], xs=[1, 3, 4, 4])
        add_module_error("input rank 2", "forward", 3, 6, 3, [
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]"], xs=[5, 5])
        add_module_error("stride 0", "forward", 3, 6, 3, ["non-positive stride is not supported"], xs=[1, 3, 5, 5],
                         stride=0)

        # ---- infinities and NaN (layers jconv would run with Winograd, which mixes whole tiles) ----
        torch.manual_seed(4321)
        x = R(2, 16, 8, 9)
        x[0, 0, 3, 4] = float("inf")
        add_f("non-finite: inf input, 16-channel 3x3", x, randn(16, 16, 3, 3) * 0.1, randn(16), padding=1)
        x = R(2, 16, 8, 9)
        x[0, 0, 3, 4] = float("inf")
        x[0, 1, 3, 4] = float("-inf")
        add_f("non-finite: +inf and -inf inputs, 16-channel 3x3", x, randn(16, 16, 3, 3) * 0.1, padding=1)
        x = R(1, 16, 8, 8)
        x[0, 5, 0, 7] = float("nan")
        add_f("non-finite: NaN input, 16-channel 3x3", x, randn(16, 16, 3, 3) * 0.1, padding=1)
        x = R(1, 16, 12, 13)
        x[0, 3, 6, 6] = float("inf")
        add_f("non-finite: inf input, dilated 3x3", x, randn(16, 16, 3, 3) * 0.1, padding=2, dilation=2)
        w = randn(6, 1, 5, 5) * 0.2
        w[0, 0, 0, 0] = float("inf")
        add_f("non-finite: inf weight, lenet1-like padded", R(2, 1, 28, 28), w, randn(6), padding=2)
        w = randn(16, 16, 3, 3) * 0.1
        w[3, 4, 1, 2] = float("-inf")
        add_f("non-finite: -inf weight, 16-channel 3x3 padded", R(1, 16, 8, 8), w, padding=1)


if __name__ == "__main__":
    main()
