"""PyTorch's convolution backward on the design's benchmark cases (2 threads): time of the weight and
bias gradient, and of the input gradient, each on its own (torch.ops.aten.convolution_backward with
output_mask), in GFLOP/s of the forward count 2*N*Cout*Hout*Wout*(Cin/groups)*kh*kw.

    /usr/bin/python3 tools/bench/conv_backward_torch.py [case ...]
"""
import sys
import time

import torch

CASES = {
    # name: (n, cin, h, w, cout, k, stride, pad, dilation, groups)
    "seed": (4, 3, 12, 12, 64, 3, 1, 0, 1, 1),
    "lenet1": (256, 1, 28, 28, 6, 5, 1, 2, 1, 1),
    "lenet2": (256, 6, 14, 14, 16, 5, 1, 0, 1, 1),
    "res3x3_56": (8, 64, 56, 56, 64, 3, 1, 1, 1, 1),
    "res3x3_28": (8, 128, 28, 28, 128, 3, 1, 1, 1, 1),
    "res1x1_56": (8, 64, 56, 56, 256, 1, 1, 0, 1, 1),
    "dw3x3_112": (8, 32, 112, 112, 32, 3, 1, 1, 1, 32),
    "dilated": (8, 64, 56, 56, 64, 3, 1, 2, 2, 1),
}


def bench(fn, reps):
    fn()
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    torch.set_num_threads(2)
    names = sys.argv[1:] or list(CASES)
    for name in names:
        n, cin, h, w, cout, k, s, p, d, g = CASES[name]
        x = torch.randn(n, cin, h, w)
        wt = torch.randn(cout, cin // g, k, k)
        y = torch.nn.functional.conv2d(x, wt, torch.randn(cout), s, p, d, g)
        gy = torch.randn_like(y)
        flops = 2 * n * cout * y.shape[2] * y.shape[3] * (cin // g) * k * k

        def run(mask):
            return lambda: torch.ops.aten.convolution_backward(gy, x, wt, [cout], [s, s], [p, p], [d, d], False,
                                                               [0, 0], g, mask)

        tw = bench(run([False, True, True]), 10)
        tx = bench(run([True, False, False]), 10)
        print(f"{name:10s} grad weight+bias {tw * 1e3:8.2f} ms {flops / tw / 1e9:6.1f} GFLOP/s   "
              f"grad input {tx * 1e3:8.2f} ms {flops / tx / 1e9:6.1f} GFLOP/s")


if __name__ == "__main__":
    main()
