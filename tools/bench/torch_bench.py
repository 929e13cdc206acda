#!/usr/bin/python3
"""Times jconv's benchmark suite (the cases named in shared/design.md) in PyTorch.

Prints one JSON line per case and thread count:
  {"framework": "torch", "case": "res3x3_28", "kind": "conv", "threads": 2,
   "median_ms": 1.23, "gflops": 456.7}
Convolutions report GFLOP/s = 2*N*Cout*Hout*Wout*(Cin/groups)*kh*kw / time (the bias add is
timed but not counted, as in jconv's figures); pooling reports GB/s = bytes of input + output
(float32) / time. Forward under torch.no_grad(), median over timed samples.

--backward times the convolutions' backward instead: all three gradients (input, weight, bias) of
the forward case's x and weight for a fixed output gradient (torch.rand(out) - 0.5, drawn after the
forward's inputs), by torch.ops.aten.convolution_backward with output_mask [True, True, True], the
op that autograd's ConvolutionBackward0 calls (no graph is built or timed). GFLOP/s count twice the
forward's flops (grad input + grad weight); the bias gradient is timed but not counted.

Run with Debian's Python, which has torch:
  /usr/bin/python3 tools/bench/torch_bench.py --threads 1,2
Each thread count runs in its own child process with the environment fixed before torch loads:
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS = N (OpenBLAS defaults to one thread here, which makes
1x1 convolutions look slow), torch.set_num_threads(N), GLIBC_TUNABLES raising malloc's mmap
and trim thresholds so that large outputs are not page-faulted afresh on every call, and no
OPENBLAS_CORETYPE (a forced core type such as Haswell keeps OpenBLAS off AVX-512).

`./jconv bench --compare torch` runs this script as a server, one process per thread count
(--serve N), so that it can interleave PyTorch's samples with jconv's case by case. The protocol is
one line per request on stdin, one JSON line per answer on stdout:
  (on start)                  {"ready": true, "torch": "1.13.0", "threads": N, ...}
  prepare CASE WARMUP SAMPLE_MS [PASS]
                              makes the inputs (dropping the previous case's), calibrates the
                              calls per sample (so that one sample lasts >= SAMPLE_MS), runs
                              WARMUP untimed samples; PASS is forward (the default) or backward
                              (convolutions only);
                              answers {"case": ..., "kind": ..., "pass": ..., "work": flops or bytes,
                              "reps": R}
  sample CASE                 one timed sample: {"case": ..., "ms": milliseconds per call}
  quit                        exits
A request that fails answers {"error": "..."}.
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


def fixed_env(threads, base=None):
    """The environment PyTorch is measured in, with `threads` threads (see the module docstring)."""
    env = dict(os.environ if base is None else base)
    env.update({"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
                "GLIBC_TUNABLES": GLIBC_TUNABLES})
    env.pop("OPENBLAS_CORETYPE", None)
    return env


def make_case(name, pass_="forward"):
    """(kind, work, fn): the case's inputs made after manual_seed(0) and the call to time."""
    import torch
    import torch.nn.functional as F

    if pass_ not in ("forward", "backward"):
        raise ValueError("unknown pass " + pass_ + " (forward or backward)")
    if pass_ == "backward" and name not in CONV_CASES:
        raise ValueError("no backward for " + name + ": only the convolutions have one")
    torch.manual_seed(0)
    if name in CONV_CASES:
        n, cin, h, w, cout, k, s, p, d, g = CONV_CASES[name]
        x = torch.rand(n, cin, h, w)
        weight = torch.rand(cout, cin // g, k, k) - 0.5
        bias = torch.rand(cout)
        ho, wo = conv_out(h, k, s, p, d), conv_out(w, k, s, p, d)
        flops = 2.0 * n * cout * ho * wo * (cin // g) * k * k
        if pass_ == "backward":
            # Same values as jconv's ConvBackwardCase: x, weight, bias, then the output's gradient.
            grad_out = torch.rand(n, cout, ho, wo) - 0.5
            fn = lambda: torch.ops.aten.convolution_backward(
                grad_out, x, weight, [cout], [s, s], [p, p], [d, d], False, [0, 0], g, [True, True, True])
            gx, gw, gb = fn()
            assert tuple(gx.shape) == (n, cin, h, w) and tuple(gw.shape) == tuple(weight.shape)
            assert tuple(gb.shape) == (cout,)
            return "conv", 2 * flops, fn
        fn = lambda: F.conv2d(x, weight, bias, stride=s, padding=p, dilation=d, groups=g)
        assert tuple(fn().shape) == (n, cout, ho, wo)
        return "conv", flops, fn
    n, c, h, w, op, k, s, p = POOL_CASES[name]
    x = torch.rand(n, c, h, w)
    if op == "max":
        fn = lambda: F.max_pool2d(x, k, s, p)
    elif op == "avg":
        fn = lambda: F.avg_pool2d(x, k, s, p)
    else:
        fn = lambda: F.adaptive_avg_pool2d(x, 1)
    out = fn()
    return "pool", 4.0 * (x.numel() + out.numel()), fn


def calibrate(fn, min_sample_s):
    """Calls per sample so that one sample lasts >= min_sample_s (after two untimed calls)."""
    fn()
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    return max(1, int(min_sample_s / once))


def sample(fn, reps):
    """Seconds per call over one sample of `reps` calls."""
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def serve(threads):
    """The server mode (see the module docstring): requests on stdin, JSON answers on stdout."""
    import torch

    torch.set_num_threads(threads)
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "python": sys.executable,
                      "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                      "glibc_tunables": os.environ.get("GLIBC_TUNABLES")}), flush=True)
    prepared = {}
    with torch.no_grad():
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            try:
                if words[0] == "quit":
                    break
                if words[0] == "prepare" and len(words) in (4, 5):
                    name, warmup, sample_ms = words[1], int(words[2]), float(words[3])
                    pass_ = words[4] if len(words) == 5 else "forward"
                    if name not in CONV_CASES and name not in POOL_CASES:
                        raise ValueError("unknown case " + name)
                    prepared = {}
                    kind, work, fn = make_case(name, pass_)
                    reps = calibrate(fn, sample_ms / 1e3)
                    for _ in range(warmup):
                        sample(fn, reps)
                    # Only the current case stays alive: the previous one's tensors would only take memory.
                    prepared = {name: (fn, reps)}
                    answer = {"case": name, "kind": kind, "pass": pass_, "work": work, "reps": reps}
                elif words[0] == "sample" and len(words) == 2:
                    if words[1] not in prepared:
                        raise ValueError("case " + words[1] + " is not prepared")
                    fn, reps = prepared[words[1]]
                    answer = {"case": words[1], "ms": sample(fn, reps) * 1e3}
                else:
                    raise ValueError("bad request: " + line.strip())
            except Exception as e:  # the client shows the message and goes on without PyTorch's figure
                answer = {"error": type(e).__name__ + ": " + str(e)}
            print(json.dumps(answer), flush=True)


def time_call(fn, min_sample_s, samples):
    """Median seconds per call: calls are batched so that one sample lasts >= min_sample_s."""
    reps = calibrate(fn, min_sample_s)
    # Warm-up of about one sample, then the timed samples.
    sample(fn, reps)
    times = sorted(sample(fn, reps) for _ in range(samples))
    return times[len(times) // 2]


def run_child(threads, cases, min_sample_s, samples, pass_):
    import torch

    torch.set_num_threads(threads)
    with torch.no_grad():
        for name in cases:
            kind, work, fn = make_case(name, pass_)
            sec = time_call(fn, min_sample_s, samples)
            rec = {"framework": "torch", "case": name, "kind": kind, "pass": pass_, "threads": threads,
                   "median_ms": round(sec * 1e3, 4)}
            if kind == "conv":
                rec["gflops"] = round(work / sec / 1e9, 1)
            else:
                rec["gbs"] = round(work / sec / 1e9, 2)
            print(json.dumps(rec), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--cases", default="all",
                    help="comma-separated case names, or all (default); known: "
                         + ", ".join(list(CONV_CASES) + list(POOL_CASES)))
    ap.add_argument("--min-sample-ms", type=float, default=100.0, help="length of one timed sample")
    ap.add_argument("--samples", type=int, default=7, help="timed samples per case (median reported)")
    ap.add_argument("--backward", action="store_true",
                    help="time the convolutions' backward (all three gradients) instead of the forward")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--serve", type=int, metavar="THREADS",
                    help="run as ./jconv bench's server with THREADS threads (protocol above)")
    args = ap.parse_args()

    if args.serve is not None:
        if args.serve < 1:
            ap.error("thread counts must be positive")
        env = fixed_env(args.serve)
        if any(os.environ.get(k) != env.get(k) for k in
               ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GLIBC_TUNABLES", "OPENBLAS_CORETYPE")):
            # These are read when the libraries load: restart with them set, before torch is imported.
            os.execve(sys.executable, [sys.executable] + sys.argv, env)
        serve(args.serve)
        return

    known = list(CONV_CASES) + (list(POOL_CASES) if not args.backward else [])
    cases = known if args.cases == "all" else [c.strip() for c in args.cases.split(",")]
    unknown = [c for c in cases if c not in known]
    if unknown:
        ap.error("unknown case(s): " + ", ".join(unknown) + "; known: " + ", ".join(known))

    if args.child is not None:
        run_child(args.child, cases, args.min_sample_ms / 1e3, args.samples,
                  "backward" if args.backward else "forward")
        return

    for t in [int(x) for x in args.threads.split(",")]:
        if t < 1:
            ap.error("thread counts must be positive")
        env = fixed_env(t)
        cmd = [sys.executable, os.path.abspath(__file__), "--child", str(t), "--cases", ",".join(cases),
               "--min-sample-ms", str(args.min_sample_ms), "--samples", str(args.samples)]
        if args.backward:
            cmd.append("--backward")
        rc = subprocess.call(cmd, env=env)
        if rc != 0:
            sys.exit(rc)


if __name__ == "__main__":
    main()
