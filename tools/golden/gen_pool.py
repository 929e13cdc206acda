"""Golden files for pooling: max (values and indices), average, adaptive average/max, global average,
LP, max unpool, the layers' printed forms, and the calls PyTorch refuses.

Run: /usr/bin/python3 tools/golden/gen_pool.py  (Debian's python3-torch). Every expected value and
message here comes from PyTorch; a case records the arguments exactly as they were passed (an int or
a pair, None for "default") so that the Java side can rebuild the same call.

Case fields: name, op, x (input .npy), out (.npy), indices (.npy, max ops), the op's arguments, and
for errors: error (PyTorch's full message) and expect (the parts jconv's message must contain; they
are pieces of PyTorch's message except where a comment says why not).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.manual_seed(20240604)
NAN = float("nan")
INF = float("inf")

counter = [0]


def tag():
    counter[0] += 1
    return "c%03d" % counter[0]


def rand(*shape, dtype=torch.float32):
    return (torch.rand(*shape, dtype=torch.float64) * 10 - 5).to(dtype)


def ints(*shape, lo=-3, hi=4, dtype=torch.float32):
    """Small integers: many ties."""
    return torch.randint(lo, hi, shape).to(dtype)


def js(v):
    """Arguments as passed to PyTorch, JSON-ready (tuples become lists)."""
    if isinstance(v, tuple):
        return [js(e) for e in v]
    return v


def sprinkle(x, value, fraction, gen_seed):
    g = torch.Generator().manual_seed(gen_seed)
    mask = torch.rand(x.shape, generator=g) < fraction
    y = x.clone()
    y[mask] = value
    return y


with Golden("pool") as g:

    # ------------------------------------------------------------------ max_pool2d
    def max_case(name, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        t = tag()
        y, i = F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)
        y2 = F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)
        assert torch.equal(torch.nan_to_num(y), torch.nan_to_num(y2))
        g.case(name=name, op="max_pool2d", x=g.array(t + "_x", x), out=g.array(t + "_out", y),
               indices=g.array(t + "_idx", i), kernel_size=js(kernel_size), stride=js(stride),
               padding=js(padding), dilation=js(dilation), ceil_mode=ceil_mode)

    max_case("max_k2_basic", rand(2, 3, 6, 6), 2)
    max_case("max_k3_s2_p1", rand(2, 2, 9, 9), 3, 2, 1)
    max_case("max_k3_s1_p1", rand(1, 3, 7, 7), 3, 1, 1)
    max_case("max_k3_s2_p1_even", rand(1, 2, 8, 8), 3, 2, 1)
    max_case("max_k2_s1", rand(1, 2, 5, 5), 2, 1)
    max_case("max_k1_s1", rand(1, 2, 3, 4), 1, 1)
    max_case("max_k1_s2", rand(1, 1, 5, 5), 1, 2)
    max_case("max_stride_gt_kernel", rand(1, 2, 11, 11), 2, 3)
    max_case("max_stride_gt_kernel_ceil", rand(1, 2, 11, 10), 2, 4, 1, 1, True)
    max_case("max_rect_kernel", rand(2, 2, 7, 9), (2, 3))
    max_case("max_rect_kernel_stride", rand(1, 2, 7, 9), (3, 1), (1, 2), (1, 0))
    max_case("max_rect_input", rand(1, 3, 4, 13), 3, 2, 1)
    max_case("max_whole_plane", rand(2, 2, 5, 5), 5)
    max_case("max_1x1_input", rand(2, 3, 1, 1), 1)
    max_case("max_1x1_input_pad", rand(1, 2, 1, 1), 2, 1, 1)
    max_case("max_1x1_input_pad_ceil", rand(1, 2, 1, 1), 2, 2, 1, 1, True)
    max_case("max_dilation2", rand(1, 2, 9, 9), 3, 1, 0, 2)
    max_case("max_dilation2_pad1", rand(1, 2, 9, 9), 3, 2, 1, 2)
    max_case("max_dilation_rect", rand(1, 2, 8, 10), (2, 3), (1, 2), (1, 1), (3, 2))
    max_case("max_dilation_ceil", rand(1, 1, 10, 10), 3, 2, 1, 2, True)
    max_case("max_ceil_5x5_k2s2p1", rand(1, 1, 5, 5), 2, 2, 1, 1, True)
    max_case("max_ceil_4x4_k1s2", rand(1, 1, 4, 4), 1, 2, 0, 1, True)
    max_case("max_ceil_3x3_k2s2p1", rand(1, 1, 3, 3), 2, 2, 1, 1, True)
    max_case("max_ceil_5x5_k2", rand(1, 2, 5, 5), 2, None, 0, 1, True)
    max_case("max_ceil_6x6_k3s2", rand(1, 2, 6, 6), 3, 2, 0, 1, True)
    max_case("max_ceil_7x7_k3s2p1", rand(1, 2, 7, 7), 3, 2, 1, 1, True)
    # ceil mode lets a kernel overhang even an input smaller than itself
    max_case("max_ceil_kernel_larger_than_input", torch.arange(6.0).reshape(1, 2, 1, 3), 2, 2, 0, 1, True)
    max_case("max_ceil_noop", rand(1, 2, 8, 8), 2, 2, 0, 1, True)
    max_case("max_floor_drops_tail", rand(1, 2, 7, 7), 2, 2)
    max_case("max_unbatched", rand(3, 6, 6), 2)
    max_case("max_unbatched_pad_ceil", rand(2, 5, 7), 3, 2, 1, 1, True)
    max_case("max_empty_batch", rand(0, 2, 6, 6), 2)
    max_case("max_float64", rand(2, 2, 7, 7, dtype=torch.float64), 3, 2, 1)
    max_case("max_float64_ceil", rand(1, 2, 5, 5, dtype=torch.float64), 2, 2, 1, 1, True)
    max_case("max_mnist_like", rand(2, 6, 28, 28), 2)
    max_case("max_odd_size_13", rand(1, 3, 13, 13), 3, 2, 1)
    # ties: the first maximum in row-major order wins
    max_case("max_ties_small_ints", ints(2, 3, 8, 8), 3, 1, 1)
    max_case("max_ties_constant", torch.full((1, 2, 4, 4), 2.0), 2, 1)
    max_case("max_ties_with_padding_pos", torch.full((1, 1, 4, 4), 0.0), 3, 1, 1)
    max_case("max_signed_zero_first", torch.tensor([[[[-0.0, 0.0], [0.0, -0.0]]]]), 2)
    max_case("max_signed_zero_pos_first", torch.tensor([[[[0.0, -0.0], [-0.0, -0.0]]]]), 2)
    # NaN wins, and the reported index is the last NaN in the window
    max_case("max_nan_sprinkled", sprinkle(rand(2, 2, 8, 8), NAN, 0.15, 1), 3, 1, 1)
    max_case("max_nan_two_in_window", torch.tensor([[[[1.0, NAN, 3.0], [NAN, 2.0, 5.0], [7.0, 8.0, 9.0]]]]), 2, 1)
    max_case("max_nan_first_then_bigger", torch.tensor([[[[NAN, 9.0], [8.0, 7.0]]]]), 2)
    max_case("max_nan_all", torch.full((1, 1, 3, 3), NAN), 2, 1, 1)
    max_case("max_nan_and_inf", torch.tensor([[[[INF, NAN], [NAN, -INF]]]]), 2)
    # -inf: a window of only -inf gives -inf and its first in-bounds index; padding never wins
    max_case("max_all_neginf_pad", torch.full((1, 1, 4, 4), -INF), 2, 1, 1)
    max_case("max_neginf_sprinkled", sprinkle(rand(1, 2, 6, 6), -INF, 0.5, 2), 3, 2, 1, 1, True)
    max_case("max_all_negative_pad", -torch.rand(1, 2, 5, 5) - 1, 3, 1, 1)
    max_case("max_pos_inf", sprinkle(rand(1, 1, 6, 6), INF, 0.1, 3), 2)
    # dilation can make a window miss the input entirely: ATen reports -inf and a position past it
    max_case("max_all_padding_window", rand(1, 1, 2, 2), 2, 1, 1, 3)
    max_case("max_all_padding_window_w", rand(1, 2, 3, 2), (1, 2), 1, (0, 1), (1, 3))
    max_case("max_big_kernel_dilation", rand(1, 1, 12, 12), (4, 2), (3, 1), (2, 1), (2, 5), True)

    # ------------------------------------------------------------------ avg_pool2d
    def avg_case(name, x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        t = tag()
        y = F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
        g.case(name=name, op="avg_pool2d", x=g.array(t + "_x", x), out=g.array(t + "_out", y),
               kernel_size=js(kernel_size), stride=js(stride), padding=js(padding), ceil_mode=ceil_mode,
               count_include_pad=count_include_pad, divisor_override=divisor_override)

    avg_case("avg_k2_basic", rand(2, 3, 6, 6), 2)
    avg_case("avg_k3_s1_p1", rand(1, 2, 7, 7), 3, 1, 1)
    avg_case("avg_k3_s1_p1_nopad", rand(1, 2, 7, 7), 3, 1, 1, False, False)
    avg_case("avg_k3_s2_p1", rand(2, 2, 9, 9), 3, 2, 1)
    avg_case("avg_k3_s2_p1_nopad", rand(2, 2, 9, 9), 3, 2, 1, False, False)
    avg_case("avg_ceil_5x5_k2_edges", torch.arange(25.0).reshape(1, 1, 5, 5), 2, None, 0, True)
    avg_case("avg_ceil_5x5_k2_edges_nopad", torch.arange(25.0).reshape(1, 1, 5, 5), 2, None, 0, True, False)
    avg_case("avg_ceil_5x5_k2s2p1", torch.arange(25.0).reshape(1, 1, 5, 5), 2, 2, 1, True)
    avg_case("avg_ceil_5x5_k2s2p1_nopad", torch.arange(25.0).reshape(1, 1, 5, 5), 2, 2, 1, True, False)
    avg_case("avg_ceil_overhang_past_padding", rand(1, 2, 6, 6), 3, 2, 1, True)
    avg_case("avg_ceil_overhang_past_padding_nopad", rand(1, 2, 6, 6), 3, 2, 1, True, False)
    avg_case("avg_ceil_kernel_larger_than_input", rand(1, 2, 1, 3), 2, 2, 0, True)
    avg_case("avg_ceil_kernel_larger_than_input_nopad", rand(1, 2, 3, 1), 2, 2, 0, True, False)
    avg_case("avg_ceil_4x4_k1s2", rand(1, 1, 4, 4), 1, 2, 0, True)
    avg_case("avg_ceil_3x3_k2s2p1", rand(1, 1, 3, 3), 2, 2, 1, True)
    avg_case("avg_ceil_7x7_k3s2", rand(1, 2, 7, 8), 3, 2, 0, True)
    avg_case("avg_divisor_override", rand(1, 2, 6, 6), 2, None, 0, False, True, 3)
    avg_case("avg_divisor_override_pad", rand(1, 2, 5, 5), 3, 2, 1, True, True, 9)
    avg_case("avg_divisor_override_negative", rand(1, 2, 4, 4), 2, None, 0, False, True, -2)
    avg_case("avg_divisor_override_nopad", rand(1, 2, 5, 5), 3, 1, 1, False, False, 1)
    avg_case("avg_rect_kernel", rand(2, 2, 7, 9), (2, 3), (1, 2), (1, 1))
    avg_case("avg_rect_kernel_nopad", rand(2, 2, 7, 9), (2, 3), (1, 2), (1, 1), True, False)
    avg_case("avg_stride_gt_kernel", rand(1, 2, 10, 10), 2, 3)
    avg_case("avg_whole_plane", rand(2, 3, 5, 5), 5)
    avg_case("avg_1x1", rand(2, 2, 1, 1), 1)
    avg_case("avg_1x1_pad", rand(1, 2, 1, 1), 3, 1, 1)
    avg_case("avg_unbatched", rand(3, 6, 6), 2)
    avg_case("avg_unbatched_pad", rand(2, 5, 5), 3, 2, 1, True, False)
    avg_case("avg_empty_batch", rand(0, 2, 4, 4), 2)
    avg_case("avg_float64", rand(2, 2, 7, 7, dtype=torch.float64), 3, 2, 1)
    avg_case("avg_float64_nopad_ceil", rand(1, 2, 5, 5, dtype=torch.float64), 2, 2, 1, True, False)
    avg_case("avg_int64_truncates", torch.randint(-20, 21, (2, 2, 6, 6)), 3, 1, 1)
    avg_case("avg_int64_ceil_nopad", torch.randint(-9, 10, (1, 2, 5, 5)), 2, 2, 1, True, False)
    avg_case("avg_int64_divisor", torch.randint(-9, 10, (1, 2, 4, 4)), 2, None, 0, False, True, 3)
    avg_case("avg_int64_negative_exact", torch.tensor([[[[-7, -1], [-1, -1]]]]), 2)
    avg_case("avg_lenet_like", rand(2, 6, 28, 28), 2)
    avg_case("avg_nan_inf", sprinkle(sprinkle(rand(1, 2, 6, 6), NAN, 0.05, 4), INF, 0.05, 5), 2)
    avg_case("avg_odd_13", rand(1, 3, 13, 13), 3, 2, 1, True)

    # ------------------------------------------------------------------ adaptive
    def aavg_case(name, x, output_size, op="adaptive_avg_pool2d"):
        t = tag()
        y = F.adaptive_avg_pool2d(x, output_size)
        g.case(name=name, op=op, x=g.array(t + "_x", x), out=g.array(t + "_out", y), output_size=js(output_size))

    def amax_case(name, x, output_size):
        t = tag()
        y, i = F.adaptive_max_pool2d(x, output_size, return_indices=True)
        g.case(name=name, op="adaptive_max_pool2d", x=g.array(t + "_x", x), out=g.array(t + "_out", y),
               indices=g.array(t + "_idx", i), output_size=js(output_size))

    aavg_case("aavg_gap_7x7", rand(2, 8, 7, 7), 1)
    aavg_case("aavg_gap_pair", rand(2, 4, 5, 6), (1, 1))
    aavg_case("global_avg_book", rand(1, 3, 4, 4), (1, 1), "global_avg_pool2d")
    aavg_case("global_avg_unbatched", rand(5, 3, 7), (1, 1), "global_avg_pool2d")
    aavg_case("global_avg_large_plane", rand(2, 2, 31, 29), (1, 1), "global_avg_pool2d")
    aavg_case("aavg_divides", rand(2, 2, 6, 6), 3)
    aavg_case("aavg_not_divides_5_to_3", rand(2, 2, 5, 5), 3)
    aavg_case("aavg_not_divides_7_to_3", rand(1, 3, 7, 7), 3)
    aavg_case("aavg_not_divides_10_to_4", rand(1, 2, 10, 10), 4)
    aavg_case("aavg_rect", rand(1, 2, 9, 11), (2, 3))
    aavg_case("aavg_rect_2", rand(2, 2, 13, 6), (5, 4))
    aavg_case("aavg_none_h", rand(1, 2, 5, 6), (None, 3))
    aavg_case("aavg_none_w", rand(1, 2, 5, 6), (2, None))
    aavg_case("aavg_none_both", rand(1, 2, 5, 6), (None, None))
    aavg_case("aavg_larger_than_input", rand(1, 2, 3, 3), 5)
    aavg_case("aavg_larger_than_input_rect", rand(1, 2, 2, 5), (7, 8))
    aavg_case("aavg_same_as_input", rand(1, 2, 4, 4), 4)
    aavg_case("aavg_to_zero", rand(1, 2, 4, 4), (0, 2))
    aavg_case("aavg_unbatched", rand(3, 7, 7), 2)
    aavg_case("aavg_float64", rand(2, 2, 7, 5, dtype=torch.float64), (3, 2))
    aavg_case("aavg_empty_batch", rand(0, 2, 4, 4), 2)
    aavg_case("aavg_empty_channels", rand(1, 0, 4, 4), 2)
    aavg_case("aavg_1x1_input", rand(1, 2, 1, 1), 3)

    amax_case("amax_gap", rand(2, 4, 7, 7), 1)
    amax_case("amax_divides", rand(2, 2, 6, 6), 3)
    amax_case("amax_not_divides_5_to_3", rand(2, 2, 5, 5), 3)
    amax_case("amax_not_divides_7_to_3", rand(1, 3, 7, 7), 3)
    amax_case("amax_rect", rand(1, 2, 9, 11), (2, 3))
    amax_case("amax_none_h", rand(1, 2, 5, 6), (None, 3))
    amax_case("amax_none_w", rand(1, 2, 5, 6), (4, None))
    amax_case("amax_larger_than_input", rand(1, 2, 3, 3), 5)
    amax_case("amax_larger_than_input_rect", rand(1, 1, 2, 5), (3, 7))
    amax_case("amax_ties", ints(2, 2, 7, 7), 3)
    amax_case("amax_nan", sprinkle(rand(1, 2, 7, 7), NAN, 0.15, 6), 3)
    amax_case("amax_nan_two_in_bin", torch.tensor([[[[1.0, NAN, 3.0], [NAN, 2.0, 5.0]]]]), 1)
    amax_case("amax_neginf", torch.full((1, 1, 4, 4), -INF), 2)
    amax_case("amax_neginf_mixed", sprinkle(rand(1, 2, 6, 6), -INF, 0.6, 7), 4)
    amax_case("amax_unbatched", rand(3, 7, 7), 2)
    amax_case("amax_float64", rand(2, 2, 7, 5, dtype=torch.float64), (3, 2))
    amax_case("amax_empty_batch", rand(0, 2, 4, 4), 2)
    amax_case("amax_to_zero", rand(2, 1, 5, 5), (0, 2))
    amax_case("amax_signed_zero", torch.tensor([[[[-0.0, 0.0, 0.0, -0.0]]]]), (1, 2))

    # ------------------------------------------------------------------ lp_pool2d
    def lp_case(name, x, norm_type, kernel_size, stride=None, ceil_mode=False):
        t = tag()
        y = F.lp_pool2d(x, norm_type, kernel_size, stride, ceil_mode)
        g.case(name=name, op="lp_pool2d", x=g.array(t + "_x", x), out=g.array(t + "_out", y),
               # JSON has no infinity: a non-finite norm is written as Python spells it
               norm_type=norm_type if math.isfinite(norm_type) else repr(norm_type),
               norm_is_int=isinstance(norm_type, int), kernel_size=js(kernel_size),
               stride=js(stride), ceil_mode=ceil_mode)

    pos = lambda *s: torch.rand(*s) * 3 + 0.1  # noqa: E731
    lp_case("lp_norm2_k2", rand(2, 2, 6, 6), 2, 2)
    lp_case("lp_norm2_float_k2", rand(1, 2, 4, 4), 2.0, 2)
    lp_case("lp_norm2_k3_s2", rand(1, 2, 7, 7), 2, 3, 2)
    lp_case("lp_norm1_signed_sum", rand(1, 2, 6, 6), 1, 2)
    lp_case("lp_norm3_negative_nan", rand(1, 2, 6, 6), 3, 2)
    lp_case("lp_norm3_positive", pos(1, 2, 6, 6), 3, 2)
    lp_case("lp_norm1_5_positive", pos(1, 2, 6, 6), 1.5, 2, 1)
    lp_case("lp_norm1_5_negative_nan", rand(1, 2, 4, 4), 1.5, 2)
    lp_case("lp_norm_half", pos(1, 2, 6, 6), 0.5, 2)
    lp_case("lp_norm_inf", pos(1, 2, 4, 4), INF, 2)
    lp_case("lp_norm_negative", pos(1, 2, 4, 4), -1, 2)
    lp_case("lp_norm4", rand(1, 2, 6, 6), 4, 3, 1)
    lp_case("lp_ceil_partial_scaled_as_full", pos(1, 1, 5, 5), 2, 2, 2, True)
    lp_case("lp_ceil_3x3", torch.tensor([[[[-1.0, -2.0, 3.0], [-4.0, 5.0, -6.0], [1.0, 2.0, 3.0]]]]), 2, 2, 2, True)
    lp_case("lp_ceil_rect", pos(1, 2, 7, 5), 2, (2, 3), (2, 2), True)
    lp_case("lp_ceil_kernel_larger_than_input", pos(1, 2, 1, 3), 2, 2, 2, True)
    lp_case("lp_rect_kernel", rand(1, 2, 7, 9), 2, (2, 3))
    lp_case("lp_rect_stride", rand(1, 2, 7, 9), 2, 3, (1, 2))
    lp_case("lp_unbatched", rand(3, 6, 6), 2, 2)
    lp_case("lp_float64", rand(1, 2, 6, 6, dtype=torch.float64), 2, 3, 1)
    lp_case("lp_float64_norm3", rand(1, 2, 6, 6, dtype=torch.float64), 3, 2, 1, True)
    lp_case("lp_int64_norm2", torch.randint(-5, 6, (1, 2, 6, 6)), 2, 2)
    lp_case("lp_int64_norm1_truncates", torch.randint(-5, 6, (1, 2, 6, 6)), 1, 2)
    lp_case("lp_int64_norm3", torch.randint(-5, 6, (1, 2, 6, 6)), 3, 2, 1)
    lp_case("lp_int64_norm_fractional", torch.randint(0, 6, (1, 2, 6, 6)), 1.5, 2)
    lp_case("lp_bool_norm2", torch.rand(1, 2, 4, 4) > 0.3, 2, 2)
    lp_case("lp_zero_window", torch.zeros(1, 1, 4, 4), 2, 2)

    # ------------------------------------------------------------------ max_unpool2d
    def unpool_case(name, x, indices, kernel_size, stride=None, padding=0, output_size=None):
        t = tag()
        y = F.max_unpool2d(x, indices, kernel_size, stride, padding, output_size)
        g.case(name=name, op="max_unpool2d", x=g.array(t + "_x", x), indices=g.array(t + "_idx", indices),
               out=g.array(t + "_out", y), kernel_size=js(kernel_size), stride=js(stride), padding=js(padding),
               output_size=js(output_size))

    def pooled(x, *args, **kw):
        return F.max_pool2d(x, *args, return_indices=True, **kw)

    unpool_case("unpool_k2", *pooled(rand(2, 2, 6, 6), 2), 2)
    unpool_case("unpool_k2_odd_input_output_size", *pooled(rand(1, 2, 5, 5), 2), 2, None, 0, (5, 5))
    unpool_case("unpool_k2_output_size_4", *pooled(rand(1, 2, 5, 5), 2), 2, None, 0, (1, 2, 5, 5))
    unpool_case("unpool_k3_s2_p1", *pooled(rand(1, 2, 7, 7), 3, 2, 1), 3, 2, 1)
    unpool_case("unpool_k3_s2_p1_size", *pooled(rand(1, 2, 8, 8), 3, 2, 1), 3, 2, 1, (8, 8))
    unpool_case("unpool_overlap_last_wins", *pooled(ints(1, 2, 5, 5), 2, 1), 2, 1)
    unpool_case("unpool_rect", *pooled(rand(1, 2, 6, 9), (2, 3)), (2, 3))
    unpool_case("unpool_unbatched", *pooled(rand(3, 6, 6), 2), 2)
    unpool_case("unpool_float64", *pooled(rand(1, 2, 6, 6, dtype=torch.float64), 2), 2)
    unpool_case("unpool_empty_batch", *pooled(rand(0, 2, 6, 6), 2), 2)
    unpool_case("unpool_negative_padding_bigger", *pooled(rand(1, 1, 4, 4), 2), 2, 2, -1)
    unpool_case("unpool_repeated_index_by_hand", torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]]),
                torch.tensor([[[[3, 3], [0, 3]]]]), 2)

    # ------------------------------------------------------------------ printed layers
    def repr_case(module, **args):
        m = getattr(nn, module)(**args)
        g.case(name="repr_" + module, op="repr", module=module, args={k: js(v) for k, v in args.items()}, repr=repr(m))

    repr_case("MaxPool2d", kernel_size=2)
    repr_case("MaxPool2d", kernel_size=(2, 3))
    repr_case("MaxPool2d", kernel_size=3, stride=2, padding=1)
    repr_case("MaxPool2d", kernel_size=3, stride=(1, 2), padding=(1, 0), ceil_mode=True)
    repr_case("MaxPool2d", kernel_size=3, dilation=(2, 1))
    repr_case("AvgPool2d", kernel_size=2)
    repr_case("AvgPool2d", kernel_size=(2, 3), count_include_pad=False, divisor_override=3)
    repr_case("AvgPool2d", kernel_size=3, stride=1, padding=1, ceil_mode=True)
    repr_case("AdaptiveAvgPool2d", output_size=1)
    repr_case("AdaptiveAvgPool2d", output_size=(2, 3))
    repr_case("AdaptiveAvgPool2d", output_size=(None, 3))
    repr_case("AdaptiveMaxPool2d", output_size=5)
    repr_case("AdaptiveMaxPool2d", output_size=(None, None))
    repr_case("LPPool2d", norm_type=2, kernel_size=3)
    repr_case("LPPool2d", norm_type=1.5, kernel_size=(2, 3), stride=1, ceil_mode=True)
    repr_case("LPPool2d", norm_type=2, kernel_size=3, stride=(1, 2))
    repr_case("MaxUnpool2d", kernel_size=2)
    repr_case("MaxUnpool2d", kernel_size=(2, 3), stride=1, padding=(0, 1))
    repr_case("MaxUnpool2d", kernel_size=3, stride=2, padding=1)

    # ------------------------------------------------------------------ the book, as printed
    # "Dive into Deep Learning" 7.5 (pooling) and the NiN head, line by line: the printed results.
    def book_case(name, y):
        g.case(name=name, op="book", repr=repr(y))

    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    book_case("book_pool2d_max", F.max_pool2d(X.unsqueeze(0), 2, 1).squeeze(0))
    book_case("book_pool2d_avg", F.avg_pool2d(X.unsqueeze(0), 2, 1).squeeze(0))
    X = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4))
    book_case("book_maxpool_3", nn.MaxPool2d(3)(X))
    book_case("book_maxpool_3_p1_s2", nn.MaxPool2d(3, padding=1, stride=2)(X))
    book_case("book_maxpool_23_s23_p01", nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))(X))
    X = torch.cat((X, X + 1), 1)
    book_case("book_channels_maxpool_3_p1_s2", nn.MaxPool2d(3, padding=1, stride=2)(X))
    book_case("book_nin_global_avg", nn.AdaptiveAvgPool2d((1, 1))(X))
    book_case("book_lenet_avgpool", nn.AvgPool2d(kernel_size=2, stride=2)(X))

    # ------------------------------------------------------------------ errors
    def err_case(name, op, fn, expect, x, **args):
        msg = error_message(fn)
        assert msg is not None, name
        body = msg.split(": ", 1)[1] if ": " in msg else msg
        for e in expect:
            assert e in body or name.startswith("dev_"), (name, e, msg)
        t = tag()
        fields = dict(name=name, op=op, error=msg, expect=expect, x=g.array(t + "_x", x))
        for k, v in args.items():
            fields[k] = g.array(t + "_" + k, v) if isinstance(v, torch.Tensor) else js(v)
        g.case(**fields)

    x4 = rand(1, 1, 5, 5)
    E = err_case
    # max_pool2d
    E("err_max_pad_gt_half", "max_pool2d", lambda: F.max_pool2d(x4, 3, 1, 2),
      ["pad should be at most half of kernel size, but got pad=2 and kernel_size=3"], x4, kernel_size=3, stride=1, padding=2)
    E("err_max_pad_gt_half_rect", "max_pool2d", lambda: F.max_pool2d(x4, (2, 3), padding=(0, 2)),
      ["pad should be at most half of kernel size, but got pad=2 and kernel_size=3"], x4, kernel_size=[2, 3], padding=[0, 2])
    E("err_max_pad_gt_half_dilated", "max_pool2d", lambda: F.max_pool2d(x4, 3, 1, 2, 2),
      ["pad should be at most half of kernel size, but got pad=2 and kernel_size=3"], x4, kernel_size=3, stride=1, padding=2, dilation=2)
    E("err_max_negative_pad", "max_pool2d", lambda: F.max_pool2d(x4, 2, padding=-1),
      ["pad must be non-negative, but got pad: -1"], x4, kernel_size=2, padding=-1)
    E("err_max_kernel_zero_default_stride", "max_pool2d", lambda: F.max_pool2d(x4, 0),
      ["stride should not be zero"], x4, kernel_size=0)
    E("err_max_kernel_zero", "max_pool2d", lambda: F.max_pool2d(x4, (2, 0), 1),
      ["kernel size should be greater than zero, but got kH: 2 kW: 0"], x4, kernel_size=[2, 0], stride=1)
    E("err_max_kernel_negative", "max_pool2d", lambda: F.max_pool2d(x4, -3, 1),
      ["pad should be at most half of kernel size, but got pad=0 and kernel_size=-3"], x4, kernel_size=-3, stride=1)
    E("err_max_stride_zero", "max_pool2d", lambda: F.max_pool2d(x4, 2, 0),
      ["stride should not be zero"], x4, kernel_size=2, stride=0)
    E("err_max_stride_negative", "max_pool2d", lambda: F.max_pool2d(x4, 2, (1, -1)),
      ["stride should be greater than zero, but got dH: 1 dW: -1"], x4, kernel_size=2, stride=[1, -1])
    E("err_max_dilation_zero", "max_pool2d", lambda: F.max_pool2d(x4, 2, dilation=0),
      ["dilation should be greater than zero, but got dilationH: 0 dilationW: 0"], x4, kernel_size=2, dilation=0)
    E("err_max_output_too_small", "max_pool2d", lambda: F.max_pool2d(x4, 6),
      ["Given input size: (1x5x5). Calculated output size: (1x0x0). Output size is too small"], x4, kernel_size=6)
    E("err_max_output_too_small_dilation", "max_pool2d", lambda: F.max_pool2d(x4, 3, 1, 1, 100),
      ["Given input size: (1x5x5). Calculated output size: (1x-193x-193). Output size is too small"], x4,
      kernel_size=3, stride=1, padding=1, dilation=100)
    x2 = rand(5, 5)
    # PyTorch's message has no shape; jconv's adds it
    E("err_max_rank2", "max_pool2d", lambda: F.max_pool2d(x2, 2),
      ["non-empty 3D or 4D (batch mode) tensor expected for input"], x2, kernel_size=2)
    x5 = rand(1, 1, 1, 5, 5)
    E("err_max_rank5", "max_pool2d", lambda: F.max_pool2d(x5, 2),
      ["non-empty 3D or 4D (batch mode) tensor expected for input"], x5, kernel_size=2)
    xe = rand(1, 0, 5, 5)
    E("err_max_empty_channels", "max_pool2d", lambda: F.max_pool2d(xe, 2),
      ["Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 0, 5, 5]"], xe, kernel_size=2)
    xe3 = rand(0, 5, 5)
    E("err_max_unbatched_empty", "max_pool2d", lambda: F.max_pool2d(xe3, 2),
      ["Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[0, 5, 5]"], xe3, kernel_size=2)
    xl = torch.randint(0, 5, (1, 1, 4, 4))
    E("err_max_int64", "max_pool2d", lambda: F.max_pool2d(xl, 2),
      ["\"max_pool2d\" not implemented for 'Long'"], xl, kernel_size=2)
    xb = torch.rand(1, 1, 4, 4) > 0.5
    E("err_max_bool", "max_pool2d", lambda: F.max_pool2d(xb, 2),
      ["\"max_pool2d\" not implemented for 'Bool'"], xb, kernel_size=2)
    E("err_max_with_indices_pad", "max_pool2d_with_indices", lambda: F.max_pool2d(x4, 2, 1, 2, return_indices=True),
      ["pad should be at most half of kernel size, but got pad=2 and kernel_size=2"], x4, kernel_size=2, stride=1, padding=2)
    # avg_pool2d
    E("err_avg_pad_gt_half", "avg_pool2d", lambda: F.avg_pool2d(x4, 2, 1, 2),
      ["pad should be at most half of kernel size, but got pad=2 and kernel_size=2"], x4, kernel_size=2, stride=1, padding=2)
    E("err_avg_output_too_small", "avg_pool2d", lambda: F.avg_pool2d(x4, 6),
      ["Given input size: (1x5x5). Calculated output size: (1x0x0). Output size is too small"], x4, kernel_size=6)
    E("err_avg_kernel_zero", "avg_pool2d", lambda: F.avg_pool2d(x4, 0, 1),
      ["kernel size should be greater than zero, but got kH: 0 kW: 0"], x4, kernel_size=0, stride=1)
    E("err_avg_stride_negative", "avg_pool2d", lambda: F.avg_pool2d(x4, 2, -1),
      ["stride should be greater than zero, but got dH: -1 dW: -1"], x4, kernel_size=2, stride=-1)
    E("err_avg_stride_zero", "avg_pool2d", lambda: F.avg_pool2d(x4, 2, 0),
      ["stride should not be zero"], x4, kernel_size=2, stride=0)
    E("err_avg_negative_pad", "avg_pool2d", lambda: F.avg_pool2d(x4, 2, 1, -1),
      ["pad must be non-negative, but got pad: -1"], x4, kernel_size=2, stride=1, padding=-1)
    E("err_avg_divisor_zero_before_rank", "avg_pool2d", lambda: F.avg_pool2d(x2, 2, divisor_override=0),
      ["divisor must be not zero"], x2, kernel_size=2, divisor_override=0)
    E("err_avg_divisor_zero", "avg_pool2d", lambda: F.avg_pool2d(x4, 2, divisor_override=0),
      ["divisor must be not zero"], x4, kernel_size=2, divisor_override=0)
    # PyTorch fails here with an IndexError about dimension -3 (avg_pool2d reads size(-3) first)
    E("err_avg_rank2", "avg_pool2d", lambda: F.avg_pool2d(x2, 2),
      ["Dimension out of range (expected to be in range of [-2, 1], but got -3)"], x2, kernel_size=2)
    E("err_avg_rank5", "avg_pool2d", lambda: F.avg_pool2d(x5, 2),
      ["Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 1, 1, 5, 5]"], x5, kernel_size=2)
    E("err_avg_empty_channels", "avg_pool2d", lambda: F.avg_pool2d(xe, 2),
      ["Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 0, 5, 5]"], xe, kernel_size=2)
    E("err_avg_bool", "avg_pool2d", lambda: F.avg_pool2d(xb, 2),
      ["\"avg_pool2d\" not implemented for 'Bool'"], xb, kernel_size=2)
    # adaptive
    E("err_aavg_negative", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(x4, -1),
      ["adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, -1}"], x4, output_size=-1)
    E("err_aavg_negative_w", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(x4, (2, -3)),
      ["adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {2, -3}"], x4, output_size=[2, -3])
    E("err_aavg_rank2", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(x2, 2),
      ["adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [5, 5]"], x2, output_size=2)
    E("err_aavg_rank5", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(x5, 2),
      ["adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [1, 1, 1, 5, 5]"], x5, output_size=2)
    xeh = rand(1, 2, 0, 5)
    E("err_aavg_empty_height", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(xeh, 2),
      ["adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes"
       " [1, 2, 0, 5] with dimension 2 being empty"], xeh, output_size=2)
    E("err_aavg_int64", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(xl, 2),
      ["\"adaptive_avg_pool2d\" not implemented for 'Long'"], xl, output_size=2)
    E("err_amax_negative", "adaptive_max_pool2d", lambda: F.adaptive_max_pool2d(x4, -1),
      ["Trying to create tensor with negative dimension -1: [1, 1, -1, -1]"], x4, output_size=-1)
    E("err_amax_negative_none", "adaptive_max_pool2d", lambda: F.adaptive_max_pool2d(x4[0], (None, -2)),
      ["Trying to create tensor with negative dimension -2: [1, 5, -2]"], x4[0].contiguous(), output_size=[None, -2])
    E("err_aavg_negative_none", "adaptive_avg_pool2d", lambda: F.adaptive_avg_pool2d(x4, (-2, None)),
      ["adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-2, 5}"], x4,
      output_size=[-2, None])
    E("err_amax_rank2", "adaptive_max_pool2d", lambda: F.adaptive_max_pool2d(x2, 2),
      ["adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [5, 5]"], x2, output_size=2)
    E("err_amax_empty_channels", "adaptive_max_pool2d", lambda: F.adaptive_max_pool2d(xe, 2),
      ["adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes"
       " [1, 0, 5, 5] with dimension 1 being empty"], xe, output_size=2)
    E("err_amax_empty_height", "adaptive_max_pool2d", lambda: F.adaptive_max_pool2d(xeh, 2),
      ["adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes"
       " [1, 2, 0, 5] with dimension 2 being empty"], xeh, output_size=2)
    E("err_amax_int64", "adaptive_max_pool2d", lambda: F.adaptive_max_pool2d(xl, 2),
      ["\"adaptive_max_pool2d\" not implemented for 'Long'"], xl, output_size=2)
    # lp
    E("err_lp_kernel_zero", "lp_pool2d", lambda: F.lp_pool2d(x4, 2, 0),
      ["stride should not be zero"], x4, norm_type=2, norm_is_int=True, kernel_size=0)
    E("err_lp_output_too_small", "lp_pool2d", lambda: F.lp_pool2d(x4, 2, 6),
      ["Given input size: (1x5x5). Calculated output size: (1x0x0). Output size is too small"], x4,
      norm_type=2, norm_is_int=True, kernel_size=6)
    E("dev_err_lp_norm_zero", "lp_pool2d", lambda: F.lp_pool2d(x4, 0, 2),
      ["float division by zero"], x4, norm_type=0, norm_is_int=True, kernel_size=2)
    E("err_lp_stride_negative", "lp_pool2d", lambda: F.lp_pool2d(x4, 2, 2, (2, -1)),
      ["stride should be greater than zero, but got dH: 2 dW: -1"], x4, norm_type=2, norm_is_int=True, kernel_size=2,
      stride=[2, -1])
    E("err_lp_int64_negative_norm", "lp_pool2d", lambda: F.lp_pool2d(xl, -1, 2),
      ["Integers to negative integer powers are not allowed."], xl, norm_type=-1, norm_is_int=True, kernel_size=2)
    E("err_lp_empty_channels", "lp_pool2d", lambda: F.lp_pool2d(xe, 2, 2),
      ["Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[1, 0, 5, 5]"], xe,
      norm_type=2, norm_is_int=True, kernel_size=2)
    # unpool
    # arange puts every max at its window's bottom-right corner: indices 5, 7, 13, 15 per plane
    yv, yi = F.max_pool2d(torch.arange(32.0).reshape(1, 2, 4, 4), 2, return_indices=True)
    E("err_unpool_index_out_of_range", "max_unpool2d", lambda: F.max_unpool2d(yv, yi, 2, output_size=(3, 4)),
      ["Found an invalid max index: ", "(output volumes are of size 3x4"], yv, indices=yi, kernel_size=2, output_size=[3, 4])
    # 5x5 pooled by 2 keeps maxima at row 3 (indices 16, 18), past the default 4x4 unpool size
    y5v, y5i = F.max_pool2d(torch.arange(25.0).reshape(1, 1, 5, 5), 2, return_indices=True)
    E("err_unpool_default_size_too_small", "max_unpool2d", lambda: F.max_unpool2d(y5v, y5i, 2),
      ["Found an invalid max index: 18 (output volumes are of size 4x4"], y5v, indices=y5i, kernel_size=2)
    bad = yi.clone()
    bad[0, 1, 1, 1] = 100
    E("err_unpool_index_100", "max_unpool2d", lambda: F.max_unpool2d(yv, bad, 2),
      ["Found an invalid max index: 100 (output volumes are of size 4x4"], yv, indices=bad, kernel_size=2)
    neg = yi.clone()
    neg[0, 0, 0, 1] = -1
    E("err_unpool_index_negative", "max_unpool2d", lambda: F.max_unpool2d(yv, neg, 2),
      ["Found an invalid max index: -1 (output volumes are of size 4x4"], yv, indices=neg, kernel_size=2)
    E("err_unpool_output_size_range", "max_unpool2d", lambda: F.max_unpool2d(yv, yi, 2, output_size=(6, 5)),
      ["invalid output_size \"(6, 5)\" (dim 0 must be between 2 and 6)"], yv, indices=yi, kernel_size=2, output_size=[6, 5])
    E("err_unpool_output_size_range_w", "max_unpool2d", lambda: F.max_unpool2d(yv, yi, 2, output_size=(4, 2)),
      ["invalid output_size \"(4, 2)\" (dim 1 must be between 2 and 6)"], yv, indices=yi, kernel_size=2, output_size=[4, 2])
    E("err_unpool_output_size_length", "max_unpool2d", lambda: F.max_unpool2d(yv, yi, 2, output_size=(5,)),
      ["output_size should be a sequence containing 2 or 4 elements, but it has a length of '1'"], yv, indices=yi,
      kernel_size=2, output_size=[5])
    E("err_unpool_indices_float", "max_unpool2d", lambda: F.max_unpool2d(yv, yi.float(), 2),
      ["elements in indices should be type int64 but got: Float"], yv, indices=yi.float(), kernel_size=2)
    E("err_unpool_indices_shape", "max_unpool2d", lambda: F.max_unpool2d(yv, yi[:, :1], 2),
      ["Expected shape of indices to be same as that of the input tensor ([1, 2, 2, 2]) but got indices tensor with"
       " shape: [1, 1, 2, 2]"], yv, indices=yi[:, :1].contiguous(), kernel_size=2)
    E("err_unpool_rank2", "max_unpool2d", lambda: F.max_unpool2d(yv[0, 0], yi[0, 0], 2),
      ["Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with 2 dimensions."],
      yv[0, 0].contiguous(), indices=yi[0, 0].contiguous(), kernel_size=2)
    ev = rand(1, 0, 2, 2)
    E("err_unpool_empty_channels", "max_unpool2d",
      lambda: F.max_unpool2d(ev, torch.zeros(1, 0, 2, 2, dtype=torch.long), 2),
      ["max_unpooling2d_forward_out_cpu(): Expected input to have non-zero size for non-batch dimensions, but got"
       " [1, 0, 2, 2] with dimension 1 being empty."], ev, indices=torch.zeros(1, 0, 2, 2, dtype=torch.long), kernel_size=2)
    E("err_unpool_int64_values", "max_unpool2d", lambda: F.max_unpool2d(yv.long(), yi, 2),
      ["\"max_unpool2d\" not implemented for 'Long'"], yv.long(), indices=yi, kernel_size=2)
    # PyTorch overflows computing numel of a negative size; jconv names the negative dimension
    E("dev_err_unpool_negative_size", "max_unpool2d", lambda: F.max_unpool2d(yv, yi, 1, 1, 3),
      ["negative dimension"], yv, indices=yi, kernel_size=1, stride=1, padding=3)

print("max cases use seed", torch.initial_seed())
