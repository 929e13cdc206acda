"""Golden convolution gradients from PyTorch (area "grad_conv"): for each configuration, the input,
weight, bias, an upstream gradient, and PyTorch's output and gradients of input, weight and bias.
Inputs are float32 (jconv convolves in float32); PyTorch computes from them in float64, so the
expected values carry no float32 rounding of their own.

Covers stride, explicit/'valid'/'same' padding (even kernels: the extra pad goes right/bottom),
dilation, groups (incl. depthwise), 1x1, stride larger than the kernel, unbatched inputs, no bias,
inputs that do not require grad, and every padding_mode of nn.Conv2d.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_grad_conv.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

torch.manual_seed(1234)

# (n, cin, h, w, cout, kh, kw, stride, padding, dilation, groups, bias, mode, x_grad)
CONFIGS = [
    (1, 1, 5, 5, 1, 3, 3, 1, 0, 1, 1, True, "zeros", True),
    (2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, True, "zeros", True),
    (2, 3, 7, 6, 4, 3, 3, 2, 1, 1, 1, True, "zeros", True),
    (2, 2, 9, 9, 3, 3, 3, 3, 0, 1, 1, False, "zeros", True),
    (1, 2, 8, 7, 2, 2, 2, 3, 0, 1, 1, True, "zeros", True),      # stride > kernel
    (2, 3, 6, 6, 4, 1, 1, 1, 0, 1, 1, True, "zeros", True),      # 1x1 pointwise
    (2, 3, 6, 6, 4, 1, 1, 2, 0, 1, 1, True, "zeros", True),      # 1x1 strided
    (1, 2, 5, 5, 3, 1, 1, 1, 2, 1, 1, True, "zeros", True),      # 1x1 padded
    (2, 2, 9, 8, 3, 3, 3, 1, 2, 2, 1, True, "zeros", True),      # dilation
    (1, 2, 11, 10, 2, 3, 2, 1, 0, (3, 2), 1, True, "zeros", True),
    (2, 4, 6, 6, 6, 3, 3, 1, 1, 1, 2, True, "zeros", True),      # groups
    (1, 6, 7, 7, 3, 3, 3, 1, 1, 1, 3, True, "zeros", True),
    (2, 4, 8, 8, 4, 3, 3, 1, 1, 1, 4, True, "zeros", True),      # depthwise
    (1, 4, 8, 8, 8, 3, 3, 2, 1, 1, 4, False, "zeros", True),     # depthwise multiplier 2
    (2, 3, 6, 7, 2, 2, 4, 1, "same", 1, 1, True, "zeros", True),  # even kernel 'same'
    (1, 2, 5, 5, 3, 4, 4, 1, "same", 1, 1, True, "zeros", True),
    (1, 2, 7, 7, 2, 2, 2, 1, "same", 2, 1, True, "zeros", True),  # same + dilation
    (2, 2, 6, 6, 2, 3, 3, 1, "same", 1, 2, True, "zeros", True),
    (1, 3, 6, 5, 2, 3, 3, 1, "valid", 1, 1, True, "zeros", True),
    (2, 2, 5, 6, 3, (3, 2), (3, 2), (2, 1), (1, 0), 1, 1, True, "zeros", True),
    (1, 1, 3, 3, 2, 5, 5, 1, 2, 1, 1, True, "zeros", True),     # kernel larger than input, padded
    (3, 2, 4, 4, 2, 3, 3, 1, 4, 1, 1, True, "zeros", True),     # padding larger than kernel
    (2, 3, 7, 7, 4, 3, 3, 1, 1, 1, 1, True, "zeros", False),    # input without grad
    (0, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1, True, "zeros", True),     # empty batch
    (None, 2, 6, 5, 3, 3, 3, 1, 1, 1, 1, True, "zeros", True),  # unbatched
    (None, 4, 5, 5, 2, 3, 3, 2, 0, 1, 2, False, "zeros", True),
    (1, 1, 28, 28, 6, 5, 5, 1, 2, 1, 1, True, "zeros", True),   # LeNet conv1 shape
    (2, 6, 14, 14, 16, 5, 5, 1, 0, 1, 1, True, "zeros", True),  # LeNet conv2 shape
    (2, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, True, "reflect", True),
    (1, 2, 7, 5, 3, 3, 3, 2, 2, 1, 1, True, "reflect", True),
    (2, 2, 6, 6, 2, 4, 4, 1, "same", 1, 1, True, "reflect", True),
    (2, 4, 6, 6, 4, 3, 3, 1, 1, 1, 2, True, "reflect", True),
    (2, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, True, "replicate", True),
    (1, 2, 5, 7, 3, 3, 3, 1, 3, 1, 1, True, "replicate", True),  # pad beyond the size
    (1, 2, 6, 6, 2, 2, 3, 1, "same", 2, 1, False, "replicate", True),
    (2, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, True, "circular", True),
    (1, 2, 5, 5, 2, 3, 3, 2, 5, 1, 1, True, "circular", True),   # pad == size
    (1, 2, 6, 7, 3, 2, 4, 1, "same", 1, 1, True, "circular", True),
    (None, 3, 6, 6, 2, 3, 3, 1, 1, 1, 1, True, "reflect", True),
    (None, 3, 6, 6, 2, 3, 3, 1, 2, 1, 1, True, "replicate", True),
    (2, 4, 9, 9, 4, 3, 3, 2, 1, 2, 2, True, "zeros", True),      # everything at once
    (4, 8, 10, 10, 8, 3, 3, 1, 1, 1, 1, True, "zeros", True),    # enough tasks for the parallel path
    # jconv's fast backward forms: channels in whole vectors take both gradients in the Winograd domain
    # (partial tiles here), dilated ones on their stacked phases, strided ones with gOut packed per image.
    (2, 32, 10, 11, 32, 3, 3, 1, 1, 1, 1, True, "zeros", True),
    (1, 32, 12, 13, 32, 3, 3, 1, 2, 2, 1, False, "zeros", True),
    (1, 16, 11, 10, 16, 3, 3, 2, 1, 1, 1, True, "zeros", True),
]


def pair(v):
    return list(v) if isinstance(v, tuple) else [v, v]


with Golden("grad_conv") as g:
    for i, (n, cin, h, w, cout, kh, kw, stride, padding, dilation, groups, bias, mode, x_grad) in enumerate(CONFIGS):
        shape = (cin, h, w) if n is None else (n, cin, h, w)
        x = torch.randn(shape)
        wt = torch.randn(cout, cin // groups, kh if not isinstance(kh, tuple) else kh[0],
                         kw if not isinstance(kw, tuple) else kw[1]) * 0.5
        b = torch.randn(cout) if bias else None
        xd = x.double().requires_grad_(x_grad)
        wd = wt.double().requires_grad_(True)
        bd = b.double().requires_grad_(True) if bias else None
        if mode == "zeros":
            out = F.conv2d(xd, wd, bd, stride=stride, padding=padding, dilation=dilation, groups=groups)
        else:
            conv = nn.Conv2d(cin, cout, (wt.shape[2], wt.shape[3]), stride=stride, padding=padding,
                             dilation=dilation, groups=groups, bias=bias, padding_mode=mode).double()
            with torch.no_grad():
                conv.weight.copy_(wd)
                if bias:
                    conv.bias.copy_(bd)
            conv.weight.grad = None
            out = F.conv2d(F.pad(xd, conv._reversed_padding_repeated_twice, mode=mode), wd, bd, stride=stride,
                           padding=0, dilation=dilation, groups=groups)
            check = conv(xd)
            assert torch.allclose(check, out)
        gout = torch.randn(out.shape)
        out.backward(gout.double())
        pad = padding if isinstance(padding, str) else pair(padding)
        g.case(name=f"conv{i}_{mode}", n=n, cin=cin, cout=cout, kernel=[wt.shape[2], wt.shape[3]], stride=pair(stride),
               padding=pad, dilation=pair(dilation), groups=groups, bias=bias, mode=mode, x_grad=x_grad,
               x=g.array(f"c{i}_x", x), w=g.array(f"c{i}_w", wt), b=g.array(f"c{i}_b", b) if bias else None,
               out=g.array(f"c{i}_out", out), gout=g.array(f"c{i}_gout", gout),
               gx=g.array(f"c{i}_gx", xd.grad) if x_grad else None, gw=g.array(f"c{i}_gw", wd.grad),
               gb=g.array(f"c{i}_gb", bd.grad) if bias else None,
               grad_fn=out.grad_fn.name())


# ---- infinities and NaN in the backward (area "grad_conv_nonfinite") ----
# Computed in the input's own dtype, as PyTorch runs it: float32 through convolution_backward with
# oneDNN enabled (the default), which PyTorch uses or not by the shapes (ConvParams::use_mkldnn);
# float64 always through its own im2col kernels. The two differ where a non-finite gOut meets the
# padding's zeros in the weight gradient, or a non-finite weight meets them in the forward: oneDNN
# skips the padding, im2col multiplies (0 * inf = NaN). Cases with a non-finite input or weight also
# have the forward's output.
# (n, cin, h, w, cout, k, stride, padding, dilation, [groups,]
#  what: gout_inf | gout_nan | gout_pm (+inf and -inf) | gout_corner (at an output reading padding only) | x_inf | w_inf)
NONFINITE = [
    (2, 1, 14, 14, 6, 5, 1, 2, 1, "gout_inf"),     # LeNet conv1-like: oneDNN
    (2, 16, 8, 9, 16, 3, 1, 1, 1, "gout_inf"),     # padded 3x3: oneDNN
    (1, 8, 8, 8, 8, 3, 1, 1, 1, "gout_inf"),       # small single image: PyTorch's im2col
    (2, 16, 8, 8, 16, 3, 1, 1, 1, "gout_nan"),
    (2, 16, 8, 8, 16, 3, 1, 1, 1, "gout_pm"),      # +inf and -inf in one channel: NaN either way
    (2, 16, 9, 9, 16, 3, 2, 1, 1, "gout_inf"),     # strided (jconv's phase form)
    (2, 32, 10, 10, 32, 3, 1, 2, 2, "gout_inf"),   # dilated (jconv's stacked phases)
    (2, 32, 8, 9, 32, 3, 1, 1, 1, "gout_inf"),     # channels in whole vectors (jconv's Winograd forms)
    (2, 6, 14, 14, 16, 5, 1, 0, 1, "gout_inf"),    # unpadded: no difference
    (2, 16, 8, 8, 16, 3, 1, 1, 1, "x_inf"),
    (2, 1, 14, 14, 6, 5, 1, 2, 1, "w_inf"),
    (1, 2, 2, 2, 2, 3, 1, 3, 1, "gout_corner"),    # an output that reads padding only: im2col
    (2, 2, 2, 2, 2, 3, 1, 3, 1, "gout_corner"),    # the same with two images: oneDNN, multiplying the padding
    # oneDNN multiplies the padding as PyTorch's im2col does beyond some padding (its direct kernels
    # refuse it): in the weight gradient from padding >= k (undilated) or > extent / 2 (dilated), in
    # the forward where an output reads padding only.
    (2, 16, 8, 8, 16, 3, 1, 3, 1, "gout_inf"),
    (2, 16, 8, 8, 16, 3, 1, 2, 1, "gout_inf"),
    (2, 16, 10, 10, 16, 3, 1, 3, 2, "gout_inf"),
    (2, 16, 10, 10, 16, 3, 1, 3, 3, "gout_inf"),
    (2, 16, 8, 8, 16, 3, 1, 3, 1, "w_inf"),
    (2, 16, 10, 10, 16, 3, 1, 3, 2, "w_inf"),
    (2, 16, 10, 10, 16, 3, 1, 5, 2, "w_inf"),
    (2, 16, 8, 8, 16, 5, 1, 2, 1, "gout_inf", 16),  # depthwise 5x5: oneDNN multiplies from padding 2
    (2, 16, 8, 8, 16, 3, 1, 1, 1, "gout_inf", 16),  # depthwise 3x3, padding 1: skipped
    (2, 16, 8, 8, 16, 3, 1, 2, 1, "gout_inf", 4),   # 4 channels per group, padding 2
]

torch.manual_seed(99)
with Golden("grad_conv_nonfinite") as g:
    for i, (n, cin, h, w, cout, k, stride, padding, dilation, what, *rest) in enumerate(NONFINITE):
        groups = rest[0] if rest else 1
        x = torch.randn(n, cin, h, w)
        wt = torch.randn(cout, cin // groups, k, k) * 0.3
        oh = (h + 2 * padding - dilation * (k - 1) - 1) // stride + 1
        ow = (w + 2 * padding - dilation * (k - 1) - 1) // stride + 1
        gout = torch.randn(n, cout, oh, ow)
        if what == "gout_inf":
            gout[0, 1 % cout, 0, 0] = float("inf")
            gout[n - 1, 0, oh - 1, ow // 2] = float("-inf")
        elif what == "gout_nan":
            gout[0, 2, 0, ow - 1] = float("nan")
        elif what == "gout_pm":
            gout[0, 3, 0, 0] = float("inf")
            gout[1, 3, oh - 1, ow - 1] = float("-inf")
        elif what == "gout_corner":
            gout[0, 1, 0, 0] = float("inf")
        elif what == "x_inf":
            x[0, 0, 0, 0] = float("inf")
            x[1, 5, 3, 4] = float("-inf")
        elif what == "w_inf":
            wt[0, 0, 0, 0] = float("inf")
        grads = {}
        for dtype in (torch.float32, torch.float64):
            gi, gw, gb = torch.ops.aten.convolution_backward(
                gout.to(dtype), x.to(dtype), wt.to(dtype), [cout], [stride, stride], [padding, padding],
                [dilation, dilation], False, [0, 0], groups, [True, True, True])
            tag = "32" if dtype == torch.float32 else "64"
            if what in ("x_inf", "w_inf"):
                grads["out" + tag] = g.array(f"n{i}_out{tag}", F.conv2d(
                    x.to(dtype), wt.to(dtype), stride=stride, padding=padding, dilation=dilation, groups=groups))
            grads["gx" + tag] = g.array(f"n{i}_gx{tag}", gi)
            grads["gw" + tag] = g.array(f"n{i}_gw{tag}", gw)
            grads["gb" + tag] = g.array(f"n{i}_gb{tag}", gb)
        g.case(name=f"nonfinite{i}_{what}", kernel=k, stride=stride, padding=padding, dilation=dilation, groups=groups,
               x=g.array(f"n{i}_x", x), w=g.array(f"n{i}_w", wt), gout=g.array(f"n{i}_gout", gout),
               threads=torch.get_num_threads(), **grads)
