"""Golden cases for printing: repr(tensor) and str(tensor.size()) from PyTorch 1.13.

Each case stores the tensor's elements (``x``), the suffixes the caller passes to the formatter
(``requires_grad=True`` or ``grad_fn=<...>``; dtype and size suffixes are the formatter's own job),
the exact ``repr`` and ``size`` strings. A second area, ``print-numbers``, holds Python's own
``'{:.4f}'``, ``'{:.4e}'`` and ``'{:.0f}'`` of many awkward doubles, for the rounding helpers.

    /usr/bin/python3 tools/golden/gen_print.py
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, corr2d  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_printoptions(profile="default")

f32 = torch.float32
f64 = torch.float64
i64 = torch.int64


def caller_suffixes(t):
    """The suffixes _str_intern adds after the dtype: the caller (Tensor.toString) supplies these."""
    if t.grad_fn is not None:
        return ["grad_fn=<{}>".format(type(t.grad_fn).__name__)]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []




def pool2d(X, pool_size, mode="max"):
    """D2L's pooling, as in the book."""
    p_h, p_w = pool_size
    Y = torch.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == "max":
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == "avg":
                Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
    return Y


with Golden("print") as g:
    count = [0]

    def case(name, t):
        i = count[0]
        count[0] += 1
        g.case(name=name, x=g.array("p%d_x" % i, t), dtype=str(t.dtype), shape=list(t.shape),
               suffixes=caller_suffixes(t), repr=repr(t), size=str(t.size()))

    torch.manual_seed(0)

    # --- D2L, chapter "Convolutions for Images" / "Pooling" ---
    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    case("d2l_corr2d", corr2d(X, K))
    edge = torch.ones((6, 8))
    edge[:, 2:6] = 0
    case("d2l_edgeImage", edge)
    Kedge = torch.tensor([[1.0, -1.0]])
    case("d2l_edgeDetected", corr2d(edge, Kedge))
    case("d2l_edgeTransposed", corr2d(edge.t(), Kedge))
    case("d2l_pool_max", pool2d(X, (2, 2)))
    case("d2l_pool_avg", pool2d(X, (2, 2), "avg"))
    P = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4))
    case("d2l_pool_arange", P)
    case("d2l_maxpool3", F.max_pool2d(P, 3))
    case("d2l_maxpool3_pad1_stride2", F.max_pool2d(P, 3, padding=1, stride=2))
    P2 = torch.cat((P, P + 1), 1)
    case("d2l_pool_twoChannels", P2)
    case("d2l_maxpool_twoChannels", F.max_pool2d(P2, 3, padding=1, stride=2))
    conv = torch.nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)
    case("d2l_convOut_gradFn", conv(edge.reshape((1, 1, 6, 8))))
    case("d2l_weight_requiresGrad", conv.weight.detach().clone().requires_grad_())
    seed_x = torch.rand(4, 3, 12, 12)
    case("d2l_rand_4x3x12x12_summarised", seed_x)
    conv64 = torch.nn.Conv2d(3, 64, 3)
    case("d2l_conv_4x64x10x10_gradFn", conv64(seed_x))
    case("d2l_conv_4x64x10x10_detached", conv64(seed_x).detach())
    case("lenet_input_1x1x28x28", torch.rand(1, 1, 28, 28))
    case("avgpool_gradFn", F.avg_pool2d(torch.rand(1, 2, 4, 4, requires_grad=True), 2))

    # --- 0-d ---
    case("scalar_fixed", torch.tensor(3.5))
    case("scalar_int", torch.tensor(3.0))
    case("scalar_sci", torch.tensor(1e-5))
    case("scalar_nan", torch.tensor(float("nan")))
    case("scalar_negZero", torch.tensor(-0.0))
    case("scalar_int64", torch.tensor(-42))
    case("scalar_bool", torch.tensor(True))
    case("scalar_float64", torch.tensor(3.5, dtype=f64))
    case("scalar_requiresGrad", torch.tensor(2.25, requires_grad=True))
    case("scalar_float64_requiresGrad", torch.tensor(2.0, dtype=f64, requires_grad=True))

    # --- empty ---
    case("empty_0", torch.zeros(0))
    case("empty_0x3", torch.zeros(0, 3))
    case("empty_2x0x3", torch.zeros(2, 0, 3))
    case("empty_int64", torch.zeros(0, dtype=i64))
    case("empty_int64_3x0", torch.zeros(3, 0, dtype=i64))
    case("empty_bool", torch.zeros(0, dtype=torch.bool))
    case("empty_float64_0x3", torch.zeros(0, 3, dtype=f64))
    case("empty_requiresGrad", torch.zeros(0, 4, requires_grad=True))

    # --- scientific-mode thresholds ---
    case("ratio1000_int_fixed", torch.tensor([1.0, 1000.0]))
    case("ratio1001_int_sci", torch.tensor([1.0, 1001.0]))
    case("ratio1000_frac_fixed", torch.tensor([0.5, 500.0]))
    case("ratio1000point1_sci", torch.tensor([1.0, 1000.1]))
    case("ratio1000point1_float64_sci", torch.tensor([1.0, 1000.1], dtype=f64))
    case("ratio1000_float64_fixed", torch.tensor([0.25, 250.0], dtype=f64))
    case("max1e8_int_fixed", torch.tensor([1e8, 2e7]))
    case("maxAbove1e8_int_sci", torch.tensor([1.0000001e8, 2e7]))
    case("max1e8_float64_fixed", torch.tensor([1e8, 5e7], dtype=f64))
    case("maxAbove1e8_float64_sci", torch.tensor([1e8 + 2, 5e7], dtype=f64))
    case("maxAbove1e8_frac_sci", torch.tensor([1e8 + 0.5, 1e8 - 0.5], dtype=f64))
    case("min1e-4_float32_sci", torch.tensor([1e-4, 0.05]))
    case("min1e-4_float64_fixed", torch.tensor([1e-4, 0.05], dtype=f64))
    case("minAbove1e-4_float32_fixed", torch.tensor([1.0001e-4, 0.05]))
    case("minBelow1e-4_float64_sci", torch.tensor([0.99999e-4, 0.05], dtype=f64))
    case("sci_negative_mix", torch.tensor([-1.5e-7, 2.0, -3e5, 0.0]))

    # --- huge, tiny, non-finite ---
    case("huge_tiny_float32", torch.tensor([1e30, -1e-30, 3.4e38, 1e-45]))
    case("huge_tiny_float64", torch.tensor([1e300, -1e-300, 5e-324, 1.7e308], dtype=f64))
    case("nan_inf_fixed", torch.tensor([float("nan"), 1.5, float("inf"), -float("inf")]))
    case("nan_inf_only", torch.tensor([float("nan"), float("inf"), -float("inf")]))
    case("nan_in_intMode", torch.tensor([1.0, float("nan"), 2.0]))
    case("negativeNan_zeroDivZero", torch.tensor([0.0, 1.0]) / torch.tensor([0.0, 3.0]))
    case("inf_in_sci", torch.tensor([1e-5, float("inf"), float("nan"), -2.0]))
    case("zero_minusInf", torch.tensor([0.0, -float("inf")]))

    # --- zeros and negative zero ---
    case("allZero_1d", torch.zeros(3))
    case("allZero_float64_2d", torch.zeros(2, 3, dtype=f64))
    case("negZero_intMode", torch.tensor([-0.0, 0.0, 1.0]))
    case("negZero_fixed", torch.tensor([-0.0, 1.5]))
    case("negZero_sci", torch.tensor([-0.0, 1e-5]))
    case("zeros_doNotWiden", torch.tensor([0.0, 12345.0, 0.0, -0.0]))

    # --- rounding: half-to-even on the exact binary value ---
    case("round_halfEven_fixed", torch.tensor([0.03125, 0.09375, 1.00005, 2.5]))
    case("round_halfEven_sci", torch.tensor([12344.5, 12345.5, 0.001]))
    case("round_float64_fixed", torch.tensor([0.03125, 0.123456789, -7.77775], dtype=f64))
    case("round_carry", torch.tensor([9.99995, 0.99995, 99.99996]))
    case("round_carry_sci", torch.tensor([99999.5, 9.99995e-5]))

    # --- summarisation: 1000 vs 1001 elements ---
    case("numel1000_full", torch.arange(1000, dtype=f32))
    case("numel1001_summarised", torch.arange(1001, dtype=f32))
    case("numel1000_2d_full", torch.arange(1000, dtype=f32).reshape(10, 100) / 7)
    case("numel1001_2d_summarised", torch.arange(1001, dtype=f32).reshape(7, 143) / 7)
    case("summarised_6rows_notElided", torch.rand(6, 200))
    case("summarised_7rows_elided", torch.randn(7, 150))
    case("summarised_3d", torch.randn(10, 10, 11))
    case("summarised_4d_smallInnerDims", torch.rand(20, 3, 5, 5))
    case("summarised_5d", torch.randn(2, 7, 3, 4, 8))
    case("summarised_hiddenOutlier", torch.cat([torch.rand(1000), torch.tensor([1e9]), torch.rand(1000)]))
    case("summarised_hiddenNonInteger",
         torch.cat([torch.ones(500), torch.tensor([0.5]), torch.ones(500)]))
    case("summarised_int64_hiddenWide",
         torch.cat([torch.arange(600), torch.tensor([-10 ** 15]), torch.arange(600)]))
    case("summarised_int64_range", torch.arange(-1000, 1000))
    case("summarised_bool", torch.rand(40, 40) > 0.5)
    case("summarised_no_dim_over6", torch.arange(1024, dtype=f32).reshape([2] * 10))
    case("summarised_gradFn", torch.rand(30, 40, requires_grad=True) * 2)

    # --- wrapping at 80 columns ---
    case("wrap_1d_fixed", torch.randn(30))
    case("wrap_2d_fixed", torch.randn(3, 20))
    case("wrap_3d_fixed", torch.randn(2, 2, 15))
    case("wrap_1d_sci", torch.randn(25) * 1e5)
    case("wrap_int64", torch.arange(40))
    case("wrap_int64_wide", torch.arange(3 * 30).reshape(3, 30) * 123456789 - 5000000000)
    case("wrap_float64", torch.randn(4, 12, dtype=f64))
    case("wrap_intMode_4d", torch.arange(2 * 2 * 2 * 30, dtype=f32).reshape(2, 2, 2, 30))

    # --- integers and bools ---
    case("int64_negatives", torch.tensor([-5, 10, -300, 0]))
    case("int64_extremes", torch.tensor([2 ** 62, -(2 ** 63), 2 ** 63 - 1]))
    case("int64_2d", torch.tensor([[1, -22], [333, 4]]))
    case("bool_1d", torch.tensor([True, False]))
    case("bool_2d", torch.rand(3, 4) > 0.5)
    case("bool_allTrue", torch.ones(2, 2, dtype=torch.bool))

    # --- float64 and suffix placement ---
    case("float64_2d", torch.randn(3, 3, dtype=f64))
    case("float64_int", torch.tensor([1.0, 2.0], dtype=f64))
    case("float64_requiresGrad", torch.randn(2, 2, dtype=f64, requires_grad=True))
    case("float64_gradFn", torch.randn(3, dtype=f64, requires_grad=True).exp())
    for n in range(5, 10):
        case("suffixWrap_float64_%d" % n, -torch.rand(n, dtype=f64) - 1)
        case("suffixWrap_gradFn_%d" % n, (-torch.rand(n, requires_grad=True) - 1) * 3)
    case("suffixWrap_long_row", torch.arange(18, dtype=f32).reshape(1, 18).requires_grad_())
    # _add_suffixes counts the last line as two longer than it is: these sit exactly at and just past 80
    case("suffixWrap_exactly80_stays",
         torch.tensor([[1234.0, 2345, 3456, 4567, 5678, 6789, 7890], [1000, 2000, 3000, 4000, 5000, 6000, 7000]],
                      requires_grad=True))
    case("suffixWrap_81_wraps", (torch.rand(2, 5) * 100 - 50).requires_grad_())
    case("suffixWrap_1d_exactly80_stays", (torch.rand(5) * -1 - 1).requires_grad_().clone())
    case("suffixWrap_multiline", torch.randn(2, 9, dtype=f64, requires_grad=True) * 1)

    # --- odd shapes ---
    case("single_element", torch.tensor([5.0]))
    case("column_5x1", torch.randn(5, 1))
    case("row_1x5", torch.randn(1, 5))
    case("ones_1x1x1x1", torch.ones(1, 1, 1, 1))
    case("shape_2x1x2x1x2", torch.randn(2, 1, 2, 1, 2))

with Golden("print-numbers") as g:
    rng = np.random.default_rng(1234)
    values = [0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.03125, 0.09375, 12344.5, 12345.5, 99999.5, 9.99995, 0.99995,
              0.00005, 0.00015, -0.00005, 1e-4, 1e8, 1e100, 1e-100, 1e300, 5e-324, 2.2250738585072014e-308,
              1.7976931348623157e308, 123456789.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, math.pi, -math.e]
    values += [float(np.float32(v)) for v in [0.1, 1e-4, 1e-45, 3.4e38, 1.00005, 9.99995, 0.99995]]
    # exact ties at the 4th decimal and at the 5th significant digit
    values += [k / 2 ** 5 for k in range(-40, 41)]
    values += [k * 2.0 ** e + 0.5 * 2.0 ** e for k in (12344, 77777, 99999) for e in (-20, -4, 0, 3, 17)]
    values += list(rng.standard_normal(300) * 10.0 ** rng.integers(-12, 12, 300))
    values += list(np.float64(rng.standard_normal(200).astype(np.float32)))
    values += list(rng.integers(-10 ** 9, 10 ** 9, 50).astype(np.float64))
    values = np.array(values, dtype=np.float64)
    g.case(name="numbers", x=g.array("numbers", values),
           fixed4=["{:.4f}".format(v) for v in values.tolist()],
           sci4=["{:.4e}".format(v) for v in values.tolist()],
           fixed0=["{:.0f}".format(v) for v in values.tolist()],
           sci0=["{:.0e}".format(v) for v in values.tolist()])
    specials = np.array([math.nan, -math.nan, math.inf, -math.inf], dtype=np.float64)
    g.case(name="specials", x=g.array("specials", specials),
           fixed4=["{:.4f}".format(v) for v in specials.tolist()],
           sci4=["{:.4e}".format(v) for v in specials.tolist()],
           fixed0=["{:.0f}".format(v) for v in specials.tolist()],
           sci0=["{:.0e}".format(v) for v in specials.tolist()])
