"""Golden float64 convolution and dtype rules from PyTorch (area "conv_dtype").

- f64_*: F.conv2d and nn.Conv2d(...).double() on float64 tensors (inputs drawn in float64, so they
  are not float32-representable), with PyTorch's float64 output;
- dtype_error: mixed dtypes of input, weight and bias, with PyTorch's message (the bias is checked
  first, then the weight);
- module_to_error: nn.Module.to with a non-floating dtype.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_conv_dtype.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

torch.manual_seed(64)
DT = {"float32": torch.float32, "float64": torch.float64}

with Golden("conv_dtype") as g:
    # (name, x shape, w shape, bias, kwargs)
    for name, xs, ws, bias, kw in [
        ("f64_basic", (2, 3, 7, 6), (4, 3, 3, 3), True, {}),
        ("f64_padded_strided", (1, 2, 9, 8), (3, 2, 3, 2), True, {"stride": (2, 1), "padding": (1, 2)}),
        ("f64_dilated_groups", (2, 4, 9, 9), (6, 2, 3, 3), False, {"dilation": 2, "groups": 2, "padding": 1}),
        ("f64_same_even", (1, 2, 6, 5), (2, 2, 2, 4), True, {"padding": "same"}),
        ("f64_unbatched", (3, 5, 5), (2, 3, 3, 3), True, {"stride": 2}),
    ]:
        x = torch.randn(xs, dtype=torch.float64)
        w = torch.randn(ws, dtype=torch.float64)
        b = torch.randn(ws[0], dtype=torch.float64) if bias else None
        y = F.conv2d(x, w, b, **kw)
        g.case(kind="f64", name=name, x=g.array(name + "_x", x), w=g.array(name + "_w", w),
               b=g.array(name + "_b", b) if bias else None, options={k: list(v) if isinstance(v, tuple) else v
                                                                    for k, v in kw.items()},
               out=g.array(name + "_out", y))

    for mode in ("reflect", "replicate", "circular"):
        torch.manual_seed(3)
        m = nn.Conv2d(2, 3, 3, padding=2, padding_mode=mode).double()
        x = torch.randn(2, 2, 5, 6, dtype=torch.float64)
        y = m(x)
        name = "f64_layer_" + mode
        g.case(kind="f64_layer", name=name, mode=mode, x=g.array(name + "_x", x),
               w=g.array(name + "_w", m.weight.detach()), b=g.array(name + "_b", m.bias.detach()),
               out=g.array(name + "_out", y.detach()))

    for x_dt, w_dt, b_dt in [("float64", "float32", "float32"), ("float32", "float64", "float32"),
                             ("float32", "float32", "float64"), ("float64", "float64", "float32"),
                             ("float64", "float32", None), ("float32", "float64", None),
                             ("float64", "float32", "float64")]:
        x = torch.rand(1, 2, 5, 5, dtype=DT[x_dt])
        w = torch.rand(3, 2, 3, 3, dtype=DT[w_dt])
        b = None if b_dt is None else torch.rand(3, dtype=DT[b_dt])
        msg = error_message(lambda: F.conv2d(x, w, b))
        assert msg is not None
        g.case(kind="dtype_error", name=f"x {x_dt} w {w_dt} b {b_dt}", x_dtype=x_dt, w_dtype=w_dt, b_dtype=b_dt,
               message=msg)

    layer = nn.Conv2d(2, 3, 3)
    g.case(kind="layer_dtype_error", name="float32 layer, float64 input",
           message=error_message(lambda: layer(torch.rand(1, 2, 5, 5, dtype=torch.float64))))
    g.case(kind="module_to_error", name="to int64", message=error_message(lambda: layer.to(torch.int64)))
