#!/usr/bin/python3
"""Times jconv's benchmark suite (the cases named in shared/design.md) in PyTorch.

Prints one JSON line per case and thread count:
  {"framework": "torch", "case": "res3x3_28", "kind": "conv", "threads": 2,
   "median_ms": 1.23, "gflops": 456.7}
Convolutions report GFLOP/s = 2*N*Cout*Hout*Wout*(Cin/groups)*kh*kw / time (the bias add is
timed but not counted, as in jconv's figures); pooling reports GB/s = bytes of input + output
(float32) / time. Forward only, under torch.no_grad(), median over timed samples.

Run with Debian's Python, which has torch:
  /usr/bin/python3 tools/bench/torch_bench.py --threads 1,2
Each thread count runs in its own child process with the environment fixed before torch loads:
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS = N (OpenBLAS defaults to one thread here, which makes
1x1 convolutions look slow), torch.set_num_threads(N), and GLIBC_TUNABLES raising malloc's mmap
and trim thresholds so that large outputs are not page-faulted afresh on every call.
"""
import argparse
import json
import os
import subprocess
import sys
import time

GLIBC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"

# name: (N, Cin, H, W, Cout, k, stride, padding, dilation, groups) -- names as in design.md
CONV_CASES = {
    "seed":      (4,   3,  12,  12,  64, 3, 1, 0, 1, 1),
    "lenet1":    (256, 1,  28,  28,   6, 5, 1, 2, 1, 1),
    "lenet2":    (256, 6,  14,  14,  16, 5, 1, 0, 1, 1),
    "res3x3_56": (8,  64,  56,  56,  64, 3, 1, 1, 1, 1),
    "res3x3_28": (8, 128,  28,  28, 128, 3, 1, 1, 1, 1),
    "res3x3_14": (8, 256,  14,  14, 256, 3, 1, 1, 1, 1),
    "res1x1_56": (8,  64,  56,  56, 256, 1, 1, 0, 1, 1),
    "res_stem":  (8,   3, 224, 224,  64, 7, 2, 3, 1, 1),
    "res3x3_s2": (8, 128,  56,  56, 128, 3, 2, 1, 1, 1),
    "dw3x3_112": (8,  32, 112, 112,  32, 3, 1, 1, 1, 32),
    "dilated":   (8,  64,  56,  56,  64, 3, 1, 2, 2, 1),
}

# name: (N, C, H, W, op, kernel, stride, padding)
POOL_CASES = {
    "maxpool_3s2": (8,   64, 112, 112, "max", 3, 2, 1),
    "maxpool_2":   (256,  6,  28,  28, "max", 2, 2, 0),
    "avgpool_2":   (256,  6,  28,  28, "avg", 2, 2, 0),
    "gap":         (8, 2048,   7,   7, "gap", None, None, None),
}


def conv_out(size, k, s, p, d):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def time_call(fn, min_sample_s, samples):
    """Median seconds per call: calls are batched so that one sample lasts >= min_sample_s."""
    fn()
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    reps = max(1, int(min_sample_s / once))
    # Warm-up of about one sample, then the timed samples.
    for _ in range(reps):
        fn()
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t0) / reps)
    times.sort()
    return times[len(times) // 2]


def run_child(threads, cases, min_sample_s, samples):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with torch.no_grad():
        for name in cases:
            if name in CONV_CASES:
                n, cin, h, w, cout, k, s, p, d, g = CONV_CASES[name]
                x = torch.rand(n, cin, h, w)
                weight = torch.rand(cout, cin // g, k, k) - 0.5
                bias = torch.rand(cout)
                fn = lambda: F.conv2d(x, weight, bias, stride=s, padding=p, dilation=d, groups=g)
                ho, wo = conv_out(h, k, s, p, d), conv_out(w, k, s, p, d)
                assert tuple(fn().shape) == (n, cout, ho, wo)
                sec = time_call(fn, min_sample_s, samples)
                flops = 2.0 * n * cout * ho * wo * (cin // g) * k * k
                rec = {"framework": "torch", "case": name, "kind": "conv", "threads": threads,
                       "median_ms": round(sec * 1e3, 4), "gflops": round(flops / sec / 1e9, 1)}
            else:
                n, c, h, w, op, k, s, p = POOL_CASES[name]
                x = torch.rand(n, c, h, w)
                if op == "max":
                    fn = lambda: F.max_pool2d(x, k, s, p)
                elif op == "avg":
                    fn = lambda: F.avg_pool2d(x, k, s, p)
                else:
                    fn = lambda: F.adaptive_avg_pool2d(x, 1)
                out = fn()
                sec = time_call(fn, min_sample_s, samples)
                nbytes = 4.0 * (x.numel() + out.numel())
                rec = {"framework": "torch", "case": name, "kind": "pool", "threads": threads,
                       "median_ms": round(sec * 1e3, 4), "gbs": round(nbytes / sec / 1e9, 2)}
            print(json.dumps(rec), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--cases", default="all",
                    help="comma-separated case names, or all (default); known: "
                         + ", ".join(list(CONV_CASES) + list(POOL_CASES)))
    ap.add_argument("--min-sample-ms", type=float, default=100.0, help="length of one timed sample")
    ap.add_argument("--samples", type=int, default=7, help="timed samples per case (median reported)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()

    known = list(CONV_CASES) + list(POOL_CASES)
    cases = known if args.cases == "all" else [c.strip() for c in args.cases.split(",")]
    unknown = [c for c in cases if c not in known]
    if unknown:
        ap.error("unknown case(s): " + ", ".join(unknown) + "; known: " + ", ".join(known))

    if args.child is not None:
        run_child(args.child, cases, args.min_sample_ms / 1e3, args.samples)
        return

    for t in [int(x) for x in args.threads.split(",")]:
        if t < 1:
            ap.error("thread counts must be positive")
        env = dict(os.environ)
        env.update({"OPENBLAS_NUM_THREADS": str(t), "OMP_NUM_THREADS": str(t),
                    "GLIBC_TUNABLES": GLIBC_TUNABLES})
        cmd = [sys.executable, os.path.abspath(__file__), "--child", str(t), "--cases", ",".join(cases),
               "--min-sample-ms", str(args.min_sample_ms), "--samples", str(args.samples)]
        rc = subprocess.call(cmd, env=env)
        if rc != 0:
            sys.exit(rc)


if __name__ == "__main__":
    main()
