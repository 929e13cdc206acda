"""What each differentiable operation saves for its backward, as PyTorch shows it (area "saved"):
for every operation, on an input z that is not a leaf (z = leaf.add(0.5)) and, for binary
operations, a second leaf w:
  freed   -- y.sum() (or y, if a scalar) run backward, then run backward again without retain_graph:
             PyTorch refuses when a node on the way saved a tensor (freed by the first backward), and
             accumulates the leaf's gradient again when none did;
  input   -- z changed in place (z.add_(1)) after y was computed, then backward: refused when the
             operation saved its input;
  output  -- y changed in place (y.add_(1); operations whose output is not a view), then backward:
             refused when the operation saved its output.
Each check keeps PyTorch's message, or null and the leaf's gradient. The saved tensors decide where
a program that reuses a graph or changes tensors in place fails, so jconv's nodes must save what
PyTorch's save.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_saved.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

T = torch.float64

# name: (input shape, second leaf's shape or None, function of (z, w), output is a view)
OPS = {
    "neg": ([2, 3], None, lambda z, w: z.neg(), False),
    "abs": ([2, 3], None, lambda z, w: z.abs(), False),
    "relu": ([2, 3], None, lambda z, w: z.relu(), False),
    "exp": ([2, 3], None, lambda z, w: z.exp(), False),
    "tanh": ([2, 3], None, lambda z, w: z.tanh(), False),
    "sigmoid": ([2, 3], None, lambda z, w: z.sigmoid(), False),
    "sqrt": ([2, 3], None, lambda z, w: z.sqrt(), False),
    "log": ([2, 3], None, lambda z, w: z.log(), False),
    "pow_2": ([2, 3], None, lambda z, w: z.pow(2), False),
    "pow_2.5": ([2, 3], None, lambda z, w: z.pow(2.5), False),
    "mul_scalar": ([2, 3], None, lambda z, w: z.mul(2.0), False),
    "mul_int": ([2, 3], None, lambda z, w: z.mul(2), False),
    "div_scalar": ([2, 3], None, lambda z, w: z.div(2.0), False),
    "add_scalar": ([2, 3], None, lambda z, w: z.add(2.0), False),
    "sub_scalar": ([2, 3], None, lambda z, w: z.sub(2.0), False),
    "add": ([2, 3], [2, 3], lambda z, w: z.add(w), False),
    "sub": ([2, 3], [2, 3], lambda z, w: z.sub(w), False),
    "mul": ([2, 3], [2, 3], lambda z, w: z.mul(w), False),
    "div": ([2, 3], [2, 3], lambda z, w: z.div(w), False),
    "mul_broadcast": ([2, 3], [3], lambda z, w: z.mul(w), False),
    "pow_tensor": ([2, 3], [2, 3], lambda z, w: z.pow(w), False),
    "matmul": ([2, 3], [3, 4], lambda z, w: z.matmul(w), False),
    "matmul_vec": ([2, 3], [3], lambda z, w: z.matmul(w), False),
    "sum": ([2, 3], None, lambda z, w: z.sum(), False),
    "mean": ([2, 3], None, lambda z, w: z.mean(), False),
    "sum_dim": ([2, 3], None, lambda z, w: z.sum(0), False),
    "mean_dim": ([2, 3], None, lambda z, w: z.mean(1), False),
    "max": ([2, 3], None, lambda z, w: z.max(), False),
    "softmax": ([2, 3], None, lambda z, w: z.softmax(1), False),
    "log_softmax": ([2, 3], None, lambda z, w: z.log_softmax(1), False),
    "reshape": ([2, 3], None, lambda z, w: z.reshape(-1), True),
    "view": ([2, 3], None, lambda z, w: z.view(3, 2), True),
    "t": ([2, 3], None, lambda z, w: z.t(), True),
    "permute": ([2, 3], None, lambda z, w: z.permute(1, 0), True),
    "unsqueeze": ([2, 3], None, lambda z, w: z.unsqueeze(0), True),
    "expand": ([1, 3], None, lambda z, w: z.expand(2, 3), True),
    "narrow": ([2, 3], None, lambda z, w: z.narrow(1, 1, 2), True),
    "select": ([2, 3], None, lambda z, w: z.select(0, 1), True),
    "flatten": ([2, 3], None, lambda z, w: z.flatten(), True),
    "cat": ([2, 3], [2, 3], lambda z, w: torch.cat([z, w]), False),
    "stack": ([2, 3], [2, 3], lambda z, w: torch.stack([z, w]), False),
    "linear": ([2, 3], [4, 3], lambda z, w: F.linear(z, w), False),
    "conv2d": ([1, 2, 5, 5], [3, 2, 3, 3], lambda z, w: F.conv2d(z, w), False),
    "max_pool2d": ([1, 2, 4, 4], None, lambda z, w: F.max_pool2d(z, 2), False),
    "avg_pool2d": ([1, 2, 4, 4], None, lambda z, w: F.avg_pool2d(z, 2), False),
    "adaptive_avg_pool2d_1": ([1, 2, 4, 4], None, lambda z, w: F.adaptive_avg_pool2d(z, 1), False),
    "adaptive_avg_pool2d_3": ([1, 2, 4, 4], None, lambda z, w: F.adaptive_avg_pool2d(z, 3), False),
    "adaptive_max_pool2d": ([1, 2, 4, 4], None, lambda z, w: F.adaptive_max_pool2d(z, 2), False),
    "lp_pool2d": ([1, 2, 4, 4], None, lambda z, w: F.lp_pool2d(z, 2.0, 2), False),
    "mse_loss": ([2, 3], [2, 3], lambda z, w: F.mse_loss(z, w), False),
    "cross_entropy": ([2, 3], None, lambda z, w: F.cross_entropy(z, torch.tensor([2, 0])), False),
    "nll_loss": ([2, 3], None, lambda z, w: F.nll_loss(z, torch.tensor([1, 2])), False),
}


def make(shape, wshape, seed):
    torch.manual_seed(seed)
    leaf = (torch.rand(shape, dtype=T) + 0.5).requires_grad_(True)  # positive: sqrt, log, pow
    w = None if wshape is None else (torch.rand(wshape, dtype=T) + 0.5).requires_grad_(True)
    return leaf, w


def scalar(y):
    return y if y.dim() == 0 else y.sum()


with Golden("saved") as g:
    for k, (name, (shape, wshape, fn, is_view)) in enumerate(OPS.items()):
        seed = 1000 + k
        fields = dict(name=name, shape=shape, wshape=wshape, seed=seed, view=is_view)
        # freed
        leaf, w = make(shape, wshape, seed)
        fields["leaf_sum"] = float(leaf.detach().sum())
        fields["w_sum"] = None if w is None else float(w.detach().sum())
        z = leaf.add(0.5)
        y = fn(z, w)
        fields["grad_fn"] = y.grad_fn.name()
        s = scalar(y)
        s.backward()
        fields["freed"] = error_message(lambda: s.backward())
        fields["freed_grad"] = [float(v) for v in leaf.grad.reshape(-1)]
        # input changed in place
        leaf, w = make(shape, wshape, seed)
        z = leaf.add(0.5)
        y = fn(z, w)
        z.add_(1.0)
        fields["input"] = error_message(lambda: scalar(y).backward())
        # output changed in place
        if not is_view:
            leaf, w = make(shape, wshape, seed)
            z = leaf.add(0.5)
            y = fn(z, w)
            y.add_(1.0)
            fields["output"] = error_message(lambda: scalar(y).backward())
        g.case(**fields)
