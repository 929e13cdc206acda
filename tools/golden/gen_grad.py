"""Golden gradients from PyTorch for jconv's autograd (area "grad").

Each case runs one operation on inputs (some requiring grad), records the output, the name of its
grad_fn (as the repr prints it: copy_'s name() is "torch::autograd::CopyBackwards", its repr <CopyBackwards>), an upstream gradient (absent for scalar outputs: then backward() is called without one)
and the gradient PyTorch computes for every input that requires grad. Error cases record PyTorch's
message for misuse of autograd and of the losses.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_grad.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message, corr2d  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.manual_seed(7)

def set_item(t, index, value):
    t[index] = value
    return t


# In-place changes of views (PyTorch rewrites the base's history: CopySlices, AsStridedBackward0).
def _ret_base(b, change):
    change(b)
    return b


def iview_mul(x, view):
    b = x[0] * 1.5
    v = b[:, 1:3]
    v.mul_(x[1])
    return v if view else b


def iview_others(x):
    b = x[0] * 1.0
    v1 = b[0:2]
    v2 = b[2:4]
    v2.mul_(x[1])
    return v1 * v2.sum()


def iview_base(x):
    b = x[0] * 1.0
    v = b.view(2, 3)
    b.add_(x[1])
    return v * v


def iview_nograd_base(x):
    base = torch.zeros(4, dtype=x[0].dtype)
    base[1:3].add_(x[0])
    return base


def iview_of_view(x):
    b = x[0] * 1.0
    v1 = b[1:5]
    v1[1:3].mul_(x[1])
    return v1


def iview_set(x):
    b = x[0] * 2.0
    v = b[1]
    v[0] = 5.0
    return v


# op name -> function of the input tensors and the case's args (mirrored by GradGoldenTest.OPS)
OPS = {
    "add": lambda x, a: x[0] + x[1],
    "sub": lambda x, a: x[0] - x[1],
    "mul": lambda x, a: x[0] * x[1],
    "div": lambda x, a: x[0] / x[1],
    "maximum": lambda x, a: torch.maximum(x[0], x[1]),
    "minimum": lambda x, a: torch.minimum(x[0], x[1]),
    "pow_t": lambda x, a: x[0] ** x[1],
    "add_s": lambda x, a: x[0] + a["s"],
    "sub_s": lambda x, a: x[0] - a["s"],
    "mul_s": lambda x, a: x[0] * a["s"],
    "div_s": lambda x, a: x[0] / a["s"],
    "pow_s": lambda x, a: x[0] ** a["s"],
    "pow_i": lambda x, a: x[0] ** int(a["s"]),
    "neg": lambda x, a: -x[0],
    "exp": lambda x, a: x[0].exp(),
    "log": lambda x, a: x[0].log(),
    "sqrt": lambda x, a: x[0].sqrt(),
    "abs": lambda x, a: x[0].abs(),
    "sigmoid": lambda x, a: x[0].sigmoid(),
    "tanh": lambda x, a: x[0].tanh(),
    "relu": lambda x, a: x[0].relu(),
    "sum": lambda x, a: x[0].sum(),
    "sum_dim": lambda x, a: x[0].sum(a["dim"], keepdim=a["keepdim"]),
    "sum_dims": lambda x, a: x[0].sum(tuple(a["dims"]), keepdim=a["keepdim"]),
    "mean": lambda x, a: x[0].mean(),
    "mean_dim": lambda x, a: x[0].mean(a["dim"], keepdim=a["keepdim"]),
    "max": lambda x, a: x[0].max(),
    "min": lambda x, a: x[0].min(),
    "max_dim": lambda x, a: x[0].max(a["dim"], keepdim=a["keepdim"])[0],
    "min_dim": lambda x, a: x[0].min(a["dim"], keepdim=a["keepdim"])[0],
    "matmul": lambda x, a: x[0] @ x[1],
    "linear": lambda x, a: F.linear(x[0], x[1], x[2] if len(x) > 2 else None),
    "linear_t": lambda x, a: F.linear(x[0].transpose(0, 1), x[1], x[2] if len(x) > 2 else None),
    "unbind_i": lambda x, a: x[0].unbind(a["dim"])[a["i"]],
    "unbind_sum": lambda x, a: sum((k + 1.0) * t for k, t in enumerate(x[0].unbind(a["dim"]))),
    "view": lambda x, a: x[0].view(*a["shape"]),
    "reshape": lambda x, a: x[0].reshape(*a["shape"]),
    "reshape_t": lambda x, a: x[0].t().reshape(*a["shape"]),
    "flatten": lambda x, a: x[0].flatten(a["start"], a["end"]),
    "t": lambda x, a: x[0].t(),
    "transpose": lambda x, a: x[0].transpose(a["d0"], a["d1"]),
    "permute": lambda x, a: x[0].permute(*a["dims"]),
    "unsqueeze": lambda x, a: x[0].unsqueeze(a["dim"]),
    "squeeze": lambda x, a: x[0].squeeze(),
    "squeeze_dim": lambda x, a: x[0].squeeze(a["dim"]),
    "narrow": lambda x, a: x[0].narrow(a["dim"], a["start"], a["length"]),
    "slice": lambda x, a: x[0][:, a["start"]:a["end"]:a["step"]],
    "select": lambda x, a: x[0].select(a["dim"], a["index"]),
    "expand": lambda x, a: x[0].expand(*a["shape"]),
    "clone": lambda x, a: x[0].clone(),
    "contiguous_t": lambda x, a: x[0].t().contiguous(),
    "to_double": lambda x, a: x[0].double(),
    "to_float": lambda x, a: x[0].float(),
    "log_softmax": lambda x, a: F.log_softmax(x[0], a["dim"]),
    "softmax": lambda x, a: F.softmax(x[0], a["dim"]),
    "cross_entropy": lambda x, a: F.cross_entropy(
        x[0], x[1], weight=x[2] if len(x) > 2 else None, ignore_index=a.get("ignore_index", -100),
        reduction=a.get("reduction", "mean")),
    "nll_loss": lambda x, a: F.nll_loss(
        x[0], x[1], weight=x[2] if len(x) > 2 else None, ignore_index=a.get("ignore_index", -100),
        reduction=a.get("reduction", "mean")),
    "mse_loss": lambda x, a: F.mse_loss(x[0], x[1], reduction=a.get("reduction", "mean")),
    # composite graphs: a leaf used several times, gradients meeting from different paths
    "chain_sigmoid_mul": lambda x, a: ((x[0] * x[1]).sigmoid() + x[0]).sum(),
    "chain_mlp": lambda x, a: F.cross_entropy(
        F.linear(F.linear(x[0], x[1], x[2]).tanh(), x[3], x[4]), x[5]),
    "chain_square_twice": lambda x, a: (x[0] * x[0] * x[0]).mean() + x[0].sum(),
    # in place, recorded as PyTorch records add_ and the like (on computed tensors; a buffer gets a history)
    "iadd": lambda x, a: (x[0] * 1.5).add_(x[1]),
    "iadd_alpha": lambda x, a: (x[0] * 1.5).add_(x[1], alpha=a["s"]),
    "isub": lambda x, a: (x[0] + 0.5).sub_(x[1]),
    "imul": lambda x, a: (x[0] + 1.0).mul_(x[1]),
    "idiv": lambda x, a: (x[0] * 2.0).div_(x[1]),
    "iadd_s": lambda x, a: (x[0] * 1.0).add_(a["s"]),
    "isub_s": lambda x, a: (x[0] * 1.0).sub_(a["s"]),
    "imul_s": lambda x, a: (x[0] * 1.0).mul_(a["s"]),
    "idiv_s": lambda x, a: (x[0] * 1.0).div_(a["s"]),
    "ibuffer": lambda x, a: x[1].clone().add_(x[0]),
    "ichain": lambda x, a: ((x[0] * x[1]).mul_(x[1]).add_(x[0]).sub_(0.25) * 2.0).sum(),
    "izero": lambda x, a: (x[0] * 2.0).zero_().add_(x[1]),
    "ifill": lambda x, a: (x[0] * 2.0).fill_(a["s"]).mul_(x[1]),
    "icopy": lambda x, a: (x[0] * 2.0).copy_(x[1]),
    "icopy_buffer": lambda x, a: torch.zeros_like(x[0]).copy_(x[1]) * x[0],
    "iset": lambda x, a: set_item(x[0] * 2.0, (0, 1), 5.0),
    "iview_mul": lambda x, a: iview_mul(x, False),
    "iview_mul_view": lambda x, a: iview_mul(x, True),
    "iview_t_add_s": lambda x, a: _ret_base(x[0] * 2.0, lambda b: b.t()[1].add_(a["s"])),
    "iview_step_mul": lambda x, a: _ret_base(x[0] * 1.0, lambda b: b[::2].mul_(x[1])),
    "iview_t_div": lambda x, a: _ret_base(x[0] * 1.0, lambda b: b.t()[1:3].div_(x[1])),
    "iview_copy": lambda x, a: _ret_base(x[0] * 1.0, lambda b: b[1:3].copy_(x[1])) * x[0],
    "iview_fill": lambda x, a: _ret_base(x[0] * 2.0, lambda b: b[:, 0].fill_(a["s"])),
    "iview_zero": lambda x, a: _ret_base(x[0] * 2.0, lambda b: b.select(0, 1).zero_()),
    "iview_set": lambda x, a: iview_set(x),
    "iview_others": lambda x, a: iview_others(x),
    "iview_base": lambda x, a: iview_base(x),
    "iview_nograd_base": lambda x, a: iview_nograd_base(x),
    "iview_of_view": lambda x, a: iview_of_view(x),
    "icorr2d": lambda x, a: corr2d(x[0], x[1]),
    "corr2d": lambda x, a: corr2d(x[0], x[1]),
}

DTYPES = {"float32": torch.float32, "float64": torch.float64}

count = 0


def case(g, op, inputs, grad=None, args=None, dtype="float64", name=None, upstream=True):
    """inputs: list of tensors; grad: list of bools (which require grad), default all floating ones."""
    global count
    idx = count
    count += 1
    args = args or {}
    xs = []
    for t in inputs:
        if t.is_floating_point():
            t = t.to(DTYPES[dtype])
        xs.append(t.detach().clone())
    if grad is None:
        grad = [t.is_floating_point() for t in xs]
    for t, r in zip(xs, grad):
        if r:
            t.requires_grad_(True)
    out = OPS[op](xs, args)
    files = [g.array(f"g{idx}_in{i}", t) for i, t in enumerate(xs)]
    grad_out = None
    if out.numel() == 1 and out.dim() == 0 and not upstream:
        out.backward()
    else:
        go = torch.randn(out.shape, dtype=out.dtype)
        grad_out = g.array(f"g{idx}_gout", go)
        out.backward(go)
    grads = [g.array(f"g{idx}_grad{i}", t.grad) if r else None for i, (t, r) in enumerate(zip(xs, grad))]
    g.case(name=name or f"{op}_{idx}", op=op, dtype=dtype, inputs=files, requires_grad=grad, args=args,
           out=g.array(f"g{idx}_out", out), grad_fn=out.grad_fn.name().replace("torch::autograd::", ""),
           grad_out=grad_out, grads=grads)


def r(*shape):
    return torch.randn(tuple(shape), dtype=torch.float64)


def pos(*shape):
    return torch.rand(tuple(shape), dtype=torch.float64) + 0.5


with Golden("grad") as g:
    # element-wise with broadcasting, both dtypes
    pairs = [((2, 3), (2, 3)), ((2, 3), (3,)), ((4, 1, 3), (2, 1)), ((), (2, 3)), ((3,), (2, 1)), ((2, 1, 5), (1, 4, 1))]
    for dtype in ("float64", "float32"):
        for sa, sb in pairs:
            for op in ("add", "sub", "mul", "div", "maximum", "minimum"):
                b = pos(*sb) if op == "div" else r(*sb)
                case(g, op, [r(*sa), b], dtype=dtype)
    # only one operand requires grad
    case(g, "mul", [r(2, 3), r(3)], grad=[True, False])
    case(g, "div", [r(2, 3), pos(2, 3)], grad=[False, True])
    case(g, "sub", [r(3), r(2, 3)], grad=[False, True])
    # ties in maximum/minimum split the gradient
    tie = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 7.0]], dtype=torch.float64)
    case(g, "maximum", [tie, torch.tensor([1.0, 0.0, 3.0], dtype=torch.float64)], name="maximum_ties")
    case(g, "minimum", [tie, torch.tensor([1.0, 0.0, 3.0], dtype=torch.float64)], name="minimum_ties")
    case(g, "pow_t", [pos(2, 3), r(2, 3)])
    case(g, "pow_t", [pos(2, 3), r(3)], dtype="float32")
    case(g, "pow_t", [torch.tensor([0.0, 2.0, 0.0, 1.5], dtype=torch.float64),
                      torch.tensor([2.0, 0.0, 0.0, 3.0], dtype=torch.float64)], name="pow_t_zeros")
    for dtype in ("float64", "float32"):
        for s in (2.5, -1.5, 0.0):
            case(g, "add_s", [r(2, 3)], args={"s": s}, dtype=dtype)
            case(g, "sub_s", [r(2, 3)], args={"s": s}, dtype=dtype)
            case(g, "mul_s", [r(2, 3)], args={"s": s}, dtype=dtype)
        case(g, "div_s", [r(2, 3)], args={"s": 4.0}, dtype=dtype)
        case(g, "div_s", [r(3)], args={"s": -0.3}, dtype=dtype)
        for s in (2.0, 0.5, 3.0, 0.0, -1.0):
            case(g, "pow_s", [pos(2, 3)], args={"s": s}, dtype=dtype)
        case(g, "pow_i", [r(2, 3)], args={"s": 3}, dtype=dtype)
        case(g, "pow_i", [r(2, 3)], args={"s": 0}, dtype=dtype)
        for op in ("neg", "exp", "sigmoid", "tanh"):
            case(g, op, [r(3, 4)], dtype=dtype)
        case(g, "log", [pos(3, 4)], dtype=dtype)
        case(g, "sqrt", [pos(3, 4)], dtype=dtype)
        case(g, "abs", [torch.tensor([[-1.5, 0.0, 2.0], [3.0, -0.25, 0.0]], dtype=torch.float64)], dtype=dtype)
        case(g, "relu", [torch.tensor([[-1.5, 0.0, 2.0], [3.0, -0.25, 1e-3]], dtype=torch.float64)], dtype=dtype)
        case(g, "relu", [r(4, 5)], dtype=dtype)
        case(g, "sigmoid", [torch.tensor([-30.0, -5.0, 0.0, 5.0, 30.0], dtype=torch.float64)], dtype=dtype)

    # reductions
    for dtype in ("float64", "float32"):
        case(g, "sum", [r(3, 4)], dtype=dtype, upstream=False)
        case(g, "sum", [r(2, 3, 4)], dtype=dtype)
        case(g, "mean", [r(3, 4)], dtype=dtype, upstream=False)
        for dim in (0, 1, -1):
            for keep in (False, True):
                case(g, "sum_dim", [r(3, 4)], args={"dim": dim, "keepdim": keep}, dtype=dtype)
                case(g, "mean_dim", [r(3, 4)], args={"dim": dim, "keepdim": keep}, dtype=dtype)
        case(g, "sum_dims", [r(2, 3, 4)], args={"dims": [0, 2], "keepdim": False}, dtype=dtype)
        case(g, "sum_dims", [r(2, 3, 4)], args={"dims": [-1, 1], "keepdim": True}, dtype=dtype)
        case(g, "mean_dim", [r(2, 3, 4)], args={"dim": 1, "keepdim": False}, dtype=dtype)
    case(g, "sum", [torch.tensor(2.5, dtype=torch.float64)], upstream=False, name="sum_0d")
    case(g, "max", [torch.tensor([[1.0, 3.0, 3.0], [2.0, 3.0, 0.0]], dtype=torch.float64)], upstream=False,
         name="max_ties")
    case(g, "min", [torch.tensor([[1.0, -3.0, 3.0], [2.0, 3.0, 0.0]], dtype=torch.float64)], upstream=False)
    case(g, "max_dim", [torch.tensor([[1.0, 3.0, 3.0], [2.0, 3.0, 0.0]], dtype=torch.float64)],
         args={"dim": 1, "keepdim": False}, name="max_dim_ties")
    case(g, "max_dim", [r(2, 3, 4)], args={"dim": 0, "keepdim": True})
    case(g, "min_dim", [r(2, 3, 4)], args={"dim": -1, "keepdim": False})

    # matrix products and linear layers
    for dtype in ("float64", "float32"):
        case(g, "matmul", [r(3, 4), r(4, 5)], dtype=dtype)
        case(g, "matmul", [r(3, 4), r(4)], dtype=dtype)
        case(g, "matmul", [r(4), r(4)], dtype=dtype)
        case(g, "matmul", [r(4), r(4, 2)], dtype=dtype)
        case(g, "linear", [r(5, 4), r(3, 4), r(3)], dtype=dtype)
        case(g, "linear", [r(5, 4), r(3, 4)], dtype=dtype)
        case(g, "linear", [r(4), r(3, 4), r(3)], dtype=dtype)
        case(g, "linear", [r(2, 5, 4), r(3, 4), r(3)], dtype=dtype)
    case(g, "matmul", [r(3, 4), r(4, 5)], grad=[False, True])
    case(g, "linear", [r(5, 4), r(3, 4), r(3)], grad=[False, True, True])
    case(g, "linear", [r(5, 4), r(3, 4), r(3)], grad=[True, False, False])

    # views and copies
    case(g, "view", [r(2, 6)], args={"shape": [3, 4]})
    case(g, "view", [r(2, 6)], args={"shape": [-1]})
    case(g, "reshape", [r(2, 6)], args={"shape": [4, -1]})
    case(g, "reshape_t", [r(2, 6)], args={"shape": [3, 4]})
    case(g, "flatten", [r(2, 3, 4)], args={"start": 1, "end": -1})
    case(g, "flatten", [r(2, 3, 4)], args={"start": 0, "end": -1})
    case(g, "t", [r(2, 3)])
    case(g, "transpose", [r(2, 3, 4)], args={"d0": 0, "d1": 2})
    case(g, "permute", [r(2, 3, 4)], args={"dims": [2, 0, 1]})
    case(g, "unsqueeze", [r(2, 3)], args={"dim": 1})
    case(g, "unsqueeze", [r(2, 3)], args={"dim": -1})
    case(g, "squeeze", [r(2, 1, 3, 1)])
    case(g, "squeeze_dim", [r(2, 1, 3)], args={"dim": 1})
    case(g, "squeeze_dim", [r(2, 1, 3)], args={"dim": 0})
    case(g, "narrow", [r(3, 5)], args={"dim": 1, "start": 1, "length": 3})
    case(g, "slice", [r(3, 7)], args={"start": 1, "end": 6, "step": 2})
    case(g, "slice", [r(3, 7)], args={"start": -3, "end": 100, "step": 1})
    case(g, "select", [r(3, 4)], args={"dim": 0, "index": 1})
    case(g, "select", [r(3, 4)], args={"dim": 1, "index": -1})
    case(g, "expand", [r(3, 1)], args={"shape": [2, 3, 4]})
    case(g, "expand", [r(3, 1)], args={"shape": [-1, 5]})
    case(g, "clone", [r(2, 3)])
    case(g, "contiguous_t", [r(2, 3)])
    case(g, "to_double", [r(2, 3)], dtype="float32")
    case(g, "to_float", [r(2, 3)], dtype="float64")

    # softmax family and losses
    for dtype in ("float64", "float32"):
        case(g, "log_softmax", [r(4, 5) * 3], args={"dim": 1}, dtype=dtype)
        case(g, "log_softmax", [r(4, 5)], args={"dim": 0}, dtype=dtype)
        case(g, "log_softmax", [r(2, 3, 4)], args={"dim": 1}, dtype=dtype)
        case(g, "log_softmax", [r(5) * 50], args={"dim": 0}, dtype=dtype)
        case(g, "softmax", [r(4, 5)], args={"dim": -1}, dtype=dtype)
        labels = torch.tensor([0, 4, 2, 2])
        for red in ("mean", "sum", "none"):
            case(g, "cross_entropy", [r(4, 5), labels], args={"reduction": red}, dtype=dtype)
            case(g, "nll_loss", [F.log_softmax(r(4, 5), 1), labels], args={"reduction": red}, dtype=dtype)
            case(g, "mse_loss", [r(3, 4), r(3, 4)], args={"reduction": red}, dtype=dtype)
        case(g, "cross_entropy", [r(4, 5), labels, pos(5)], grad=[True, False, False], dtype=dtype)
        case(g, "cross_entropy", [r(4, 5), torch.tensor([0, -100, 2, 3])], args={"ignore_index": -100},
             dtype=dtype)
        case(g, "cross_entropy", [r(4, 5), torch.tensor([0, 1, 2, 1])], args={"ignore_index": 1}, dtype=dtype)
        case(g, "cross_entropy", [r(4, 5), torch.tensor([0, 1, 2, 1]), pos(5)], grad=[True, False, False],
             args={"ignore_index": 2, "reduction": "mean"}, dtype=dtype)
        case(g, "cross_entropy", [r(2, 3, 4), torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]])], dtype=dtype)
        case(g, "cross_entropy", [r(5), torch.tensor(3)], dtype=dtype)
        case(g, "cross_entropy", [r(4, 5), F.softmax(r(4, 5), 1)], grad=[True, False], dtype=dtype)
        case(g, "cross_entropy", [r(4, 5), F.softmax(r(4, 5), 1)], grad=[True, False],
             args={"reduction": "none"}, dtype=dtype)
        case(g, "mse_loss", [r(3, 4), r(3, 4)], grad=[True, True], dtype=dtype)
        case(g, "mse_loss", [r(3, 4), r(4)], dtype=dtype)
        case(g, "nll_loss", [F.log_softmax(r(3, 4, 2), 1), torch.tensor([[0, 1], [3, 3], [2, 0]])],
             args={"reduction": "sum"}, dtype=dtype)
    case(g, "chain_sigmoid_mul", [r(2, 3), r(3)], upstream=False)
    case(g, "chain_mlp", [r(8, 6), r(5, 6), r(5), r(3, 5), r(3), torch.tensor([0, 1, 2, 1, 0, 2, 2, 1])],
         upstream=False)
    case(g, "chain_mlp", [r(8, 6), r(5, 6), r(5), r(3, 5), r(3), torch.tensor([0, 1, 2, 1, 0, 2, 2, 1])],
         dtype="float32", upstream=False)
    case(g, "chain_square_twice", [r(3, 2)], upstream=False)
    for dtype in ("float64", "float32"):
        case(g, "iadd", [r(2, 3), r(3)], dtype=dtype)
        case(g, "iadd_alpha", [r(2, 3), r(2, 3)], args={"s": -0.5}, dtype=dtype)
        case(g, "isub", [r(2, 3), r(2, 1)], dtype=dtype)
        case(g, "imul", [r(2, 3), r(2, 3)], dtype=dtype)
        case(g, "idiv", [r(4), pos(4)], dtype=dtype)
        case(g, "iadd_s", [r(3)], args={"s": 2.5}, dtype=dtype)
        case(g, "isub_s", [r(3)], args={"s": 2.5}, dtype=dtype)
        case(g, "imul_s", [r(3)], args={"s": -1.5}, dtype=dtype)
        case(g, "idiv_s", [r(3)], args={"s": 4.0}, dtype=dtype)
        case(g, "ibuffer", [r(2, 3), r(2, 3)], grad=[True, False], dtype=dtype)
        case(g, "ichain", [r(2, 3), r(2, 3)], dtype=dtype, upstream=False)
        case(g, "izero", [r(2, 3), r(3)], dtype=dtype)
        case(g, "ifill", [r(2, 3), r(2, 3)], args={"s": 1.5}, dtype=dtype)
        case(g, "icopy", [r(2, 3), r(3)], dtype=dtype)
        case(g, "icopy_buffer", [r(2, 3), r(2, 3)], dtype=dtype)
        case(g, "iset", [r(2, 3)], dtype=dtype)
        case(g, "icorr2d", [r(4, 5), r(2, 3)], grad=[False, True], dtype=dtype)
        case(g, "corr2d", [r(5, 4), r(3, 2)], dtype=dtype)

    # In-place changes of views, after every other case (so that their files keep their names and draws).
    for dtype in ("float64", "float32"):
        case(g, "iview_mul", [r(3, 4), r(3, 2)], dtype=dtype)
        case(g, "iview_mul_view", [r(3, 4), r(2)], dtype=dtype)
        case(g, "iview_t_add_s", [r(3, 4)], args={"s": 2.5}, dtype=dtype)
        case(g, "iview_step_mul", [r(5, 2), r(3, 1)], dtype=dtype)
        case(g, "iview_t_div", [r(3, 4), pos(3)], dtype=dtype)
        case(g, "iview_copy", [r(4), r(2)], dtype=dtype)
        case(g, "iview_fill", [r(3, 4)], args={"s": 1.5}, dtype=dtype)
        case(g, "iview_zero", [r(3, 4)], dtype=dtype)
        case(g, "iview_set", [r(3, 4)], dtype=dtype)
        case(g, "iview_others", [r(4), r(2)], dtype=dtype)
        case(g, "iview_base", [r(6), r(6)], dtype=dtype)
        case(g, "iview_nograd_base", [r(2)], dtype=dtype)
        case(g, "iview_of_view", [r(6), r(2)], dtype=dtype)

    # F.linear's other shapes: a bias that broadcasts, more batch dimensions, a non-contiguous batch
    # (PyTorch's addmm, view of addmm, matmul then add, and matmul's UnsafeView each record their own node).
    for dtype in ("float64", "float32"):
        case(g, "linear", [r(5, 4), r(3, 4), r(1)], dtype=dtype)
        case(g, "linear", [r(5, 4), r(3, 4), r(5, 3)], dtype=dtype)
        case(g, "linear", [r(2, 5, 4), r(3, 4), r(1)], dtype=dtype)
        case(g, "linear", [r(2, 2, 5, 4), r(3, 4), r(3)], dtype=dtype)
        case(g, "linear", [r(2, 5, 4), r(3, 4)], dtype=dtype)
        case(g, "linear", [r(2, 2, 5, 4), r(3, 4)], dtype=dtype)
        case(g, "linear_t", [r(5, 2, 4), r(3, 4), r(3)], dtype=dtype)

    # unbind (iterating over a tensor): each output's UnbindBackward0.
    for dtype in ("float64", "float32"):
        case(g, "unbind_i", [r(3, 4)], args={"dim": 1, "i": 2}, dtype=dtype)
        case(g, "unbind_i", [r(2, 3, 4)], args={"dim": -3, "i": 1}, dtype=dtype)
        case(g, "unbind_sum", [r(3, 4)], args={"dim": 0}, dtype=dtype)

    # errors
    def leaf():
        return torch.rand(3, requires_grad=True)

    def backward_twice():
        a = leaf()
        loss = (a * a).sum()
        loss.backward()
        loss.backward()

    def inplace_saved():
        a = leaf()
        b = torch.rand(3)
        y = (a * b).sum()
        b.mul_(2)
        y.backward()

    def inplace_saved_output():
        a = leaf()
        y = a.sigmoid()
        y.mul_(2)
        y.sum().backward()

    def inplace_nograd_view():
        b = leaf() * 1.0
        with torch.no_grad():
            s = b[0:2]
        s.mul_(2)

    errors = {
        "backward_nonScalar": lambda: (leaf() * 2).backward(),
        "backward_noGrad": lambda: torch.rand(3).sum().backward(),
        "backward_shapeMismatch": lambda: (leaf() * 2).backward(torch.ones(2)),
        "inPlace_leafRequiringGrad": lambda: leaf().add_(1),
        "inPlace_viewOfLeaf": lambda: leaf()[0:2].mul_(2),
        "inPlace_noGradView": inplace_nograd_view,
        "inPlace_expandedView": lambda: (leaf() * 1.0)[0:1].expand(3).add_(1),
        "inPlace_expandedCopy": lambda: torch.zeros(1).expand(3).copy_(torch.ones(3)),
        "inPlace_unbindOutput": lambda: (leaf() * 2.0).unbind(0)[1].mul_(2),
        "backward_twice": backward_twice,
        "backward_savedModifiedInPlace": inplace_saved,
        "backward_savedOutputModifiedInPlace": inplace_saved_output,
        "requiresGrad_nonLeafOff": lambda: (leaf() * 2).requires_grad_(False),
        "crossEntropy_batchMismatch": lambda: F.cross_entropy(torch.rand(2, 3), torch.tensor([0, 1, 2])),
        "crossEntropy_targetOutOfBounds": lambda: F.cross_entropy(torch.rand(2, 3), torch.tensor([0, 5])),
        "crossEntropy_negativeTarget": lambda: F.cross_entropy(torch.rand(2, 3), torch.tensor([-1, 1])),
        "nllLoss_floatTarget": lambda: F.nll_loss(torch.rand(2, 3), torch.tensor([0.0, 1.0])),
        "nllLoss_badWeight": lambda: F.nll_loss(torch.rand(2, 3), torch.tensor([0, 1]), weight=torch.rand(2)),
        "nllLoss_targetSize": lambda: F.nll_loss(torch.rand(2, 3, 4), torch.tensor([[0, 1, 1], [0, 0, 0]])),
        "nllLoss_zeroDim": lambda: F.nll_loss(torch.tensor(1.0), torch.tensor(0)),
        "linear_shapes": lambda: F.linear(torch.rand(2, 3), torch.rand(4, 5)),
        "linear_shapes3d": lambda: F.linear(torch.rand(2, 2, 3), torch.rand(4, 5), torch.rand(4)),
        "linear_bias": lambda: F.linear(torch.rand(2, 3), torch.rand(4, 3), torch.rand(5)),
        "linear_dtype": lambda: F.linear(torch.rand(2, 3), torch.rand(4, 3, dtype=torch.float64)),
        "logSoftmax_dim": lambda: F.log_softmax(torch.rand(2, 3), 2),
        "mseLoss_shapes": lambda: F.mse_loss(torch.rand(2, 3), torch.rand(2, 4)),
    }
    for name, fn in errors.items():
        msg = error_message(fn)
        assert msg is not None, name
        g.case(name=name, op="error", error=msg)

    # matmul with batch dimensions (appended: the cases above keep their draws): the fold into mm or
    # mv, the transposed product, and bmm over broadcast batches, each with PyTorch's history.
    for dtype in ("float64", "float32"):
        case(g, "matmul", [r(2, 3, 4), r(4, 5)], dtype=dtype)
        case(g, "matmul", [r(2, 3, 4), r(4)], dtype=dtype)
        case(g, "matmul", [r(4), r(2, 4, 5)], dtype=dtype)
        case(g, "matmul", [r(3, 4), r(2, 4, 5)], dtype=dtype)
        case(g, "matmul", [r(2, 3, 4), r(2, 4, 5)], dtype=dtype)
        case(g, "matmul", [r(2, 1, 3, 4), r(5, 4, 2)], dtype=dtype)
        case(g, "matmul", [r(2, 2, 3, 4), r(4, 5)], dtype=dtype)
    case(g, "matmul", [r(2, 3, 4), r(4, 5)], grad=[False, True])
    case(g, "matmul", [r(2, 3, 4), r(2, 4, 5)], grad=[True, False])
    matmul_errors = {
        "matmul_mvSize": lambda: torch.rand(3, 4) @ torch.rand(3),
        "matmul_foldMvSize": lambda: torch.rand(2, 3, 4) @ torch.rand(3),
        "matmul_foldMmSize": lambda: torch.rand(2, 3, 4) @ torch.rand(3, 5),
        "matmul_vectorBatchSize": lambda: torch.rand(4) @ torch.rand(2, 3, 5),
        "matmul_matrixBatchSize": lambda: torch.rand(3, 4) @ torch.rand(2, 3, 5),
        "matmul_bmmSize": lambda: torch.rand(2, 3, 4) @ torch.rand(2, 5, 6),
        "matmul_batchBroadcast": lambda: torch.rand(2, 3, 4) @ torch.rand(3, 4, 5),
        "matmul_batchBroadcast4d": lambda: torch.rand(2, 3, 4) @ torch.rand(2, 4, 5, 6),
        "matmul_bmmDtype": lambda: torch.rand(2, 3, 4) @ torch.rand(2, 4, 5, dtype=torch.float64),
        "matmul_foldDtype": lambda: torch.rand(2, 3, 4, dtype=torch.float64) @ torch.rand(4, 5),
    }
    for name, fn in matmul_errors.items():
        msg = error_message(fn)
        assert msg is not None, name
        g.case(name=name, op="error", error=msg)
