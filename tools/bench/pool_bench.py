"""PyTorch's side of the pooling bandwidth figures (PoolBandwidthMain is jconv's side).

Run: GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824 \
       /usr/bin/python3 tools/bench/pool_bench.py [threads] [runs]
(the tunables keep glibc from returning large outputs to the OS and page-faulting them afresh on
every call, as issue 6 asks for a fair PyTorch figure). Same cases, same byte count (float32 input
+ output), median of `runs` timed calls after warm-up; run it in the same session as
PoolBandwidthMain, at the same thread counts.
"""
import sys
import time

import torch
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 31
torch.set_num_threads(threads)
torch.manual_seed(0)

cases = [
    ("maxpool_3s2", (8, 64, 112, 112), lambda x: F.max_pool2d(x, 3, 2, 1)),
    ("maxpool_2", (256, 6, 28, 28), lambda x: F.max_pool2d(x, 2)),
    ("avgpool_2", (256, 6, 28, 28), lambda x: F.avg_pool2d(x, 2)),
    ("gap", (8, 2048, 7, 7), lambda x: F.adaptive_avg_pool2d(x, (1, 1))),
]
print(f"threads={threads} runs={runs} torch={torch.__version__}")
with torch.no_grad():
    for name, shape, op in cases:
        x = torch.rand(*shape)
        y = op(x)
        nbytes = 4 * (x.numel() + y.numel())
        end = time.perf_counter() + 2.0
        while time.perf_counter() < end:
            op(x)
        ms = []
        for _ in range(runs):
            t0 = time.perf_counter()
            op(x)
            ms.append((time.perf_counter() - t0) * 1e3)
        ms.sort()
        med = ms[len(ms) // 2]
        print(f"{name:<12} in {str(list(shape)):<18} out {str(list(y.shape)):<18} {med:7.3f} ms (min {ms[0]:7.3f})"
              f"  {nbytes / med / 1e6:6.2f} GB/s")
