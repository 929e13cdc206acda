"""Golden cases for Tensor's own operations: broadcasting arithmetic, type promotion, reductions, views,
matmul, joining, and the errors PyTorch raises for bad input."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
from golden_common import Golden, error_message  # noqa: E402

torch.manual_seed(1234)


def make(shape, dtype):
    if dtype == torch.bool:
        return torch.rand(shape) > 0.5
    if dtype == torch.int64:
        return torch.randint(-9, 10, shape)
    return (torch.randn(shape) * 3).to(dtype)


with Golden("tensor") as g:
    n = 0

    def name():
        global n
        n += 1
        return f"t{n}"

    shape_pairs = [((3,), (3,)), ((2, 3), (3,)), ((2, 1, 4), (3, 1)), ((1,), (2, 3)), ((), (2, 2)),
                   ((4, 1), (1, 5)), ((2, 3, 4), (2, 3, 4)), ((0, 3), (3,))]
    dtype_pairs = [(torch.float32, torch.float32), (torch.int64, torch.int64), (torch.int64, torch.float32),
                   (torch.float64, torch.float32), (torch.bool, torch.int64)]
    ops = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
    for sa, sb in shape_pairs:
        for da, db in dtype_pairs:
            a, b = make(sa, da), make(sb, db)
            if db != torch.bool and b.numel() > 0 and not b.dtype.is_floating_point:
                b = torch.where(b == 0, torch.ones_like(b), b)  # no integer division by zero
            for op, fn in ops.items():
                k = name()
                msg = error_message(lambda: fn(a, b))
                if msg is not None:
                    g.case(kind="binary_error", op=op, a=g.array(k + "_a", a), b=g.array(k + "_b", b), message=msg)
                    continue
                out = fn(a, b)
                g.case(kind="binary", op=op, a=g.array(k + "_a", a), b=g.array(k + "_b", b),
                       out=g.array(k + "_out", out), dtype=str(out.dtype))
    for da in (torch.float32, torch.int64, torch.float64):
        a = make((2, 3), da)
        for op, scalar in [("add", 2), ("add", 1.5), ("mul", 3), ("mul", 0.5), ("sub", 1), ("div", 2), ("div", 0.25)]:
            k = name()
            out = getattr(a, op)(scalar)
            g.case(kind="scalar", op=op, a=g.array(k + "_a", a), scalar=scalar,
                   integral=isinstance(scalar, int), out=g.array(k + "_out", out), dtype=str(out.dtype))
    # Reductions.
    for da in (torch.float32, torch.int64, torch.float64, torch.bool):
        a = make((3, 4, 5), da)
        k = name()
        g.case(kind="sum_all", a=g.array(k + "_a", a), out=g.array(k + "_out", a.sum()), dtype=str(a.sum().dtype))
        for dim in (0, 1, -1):
            for keep in (False, True):
                k = name()
                out = a.sum(dim, keepdim=keep)
                g.case(kind="sum_dim", a=g.array(k + "_a", a), dim=dim, keepdim=keep, out=g.array(k + "_out", out),
                       dtype=str(out.dtype))
                if da.is_floating_point:
                    k = name()
                    out = a.mean(dim, keepdim=keep)
                    g.case(kind="mean_dim", a=g.array(k + "_a", a), dim=dim, keepdim=keep,
                           out=g.array(k + "_out", out), dtype=str(out.dtype))
                if da != torch.bool:
                    k = name()
                    v, i = a.max(dim, keepdim=keep)
                    g.case(kind="max_dim", a=g.array(k + "_a", a), dim=dim, keepdim=keep,
                           values=g.array(k + "_v", v), indices=g.array(k + "_i", i))
    ties = torch.tensor([[1.0, 3.0, 3.0, 2.0], [float("nan"), 5.0, float("nan"), 1.0], [-1.0, -1.0, -2.0, -1.0]])
    k = name()
    v, i = ties.max(1)
    g.case(kind="max_dim", a=g.array(k + "_a", ties), dim=1, keepdim=False, values=g.array(k + "_v", v),
           indices=g.array(k + "_i", i))
    k = name()
    g.case(kind="max_all", a=g.array(k + "_a", ties), out=g.array(k + "_out", ties.max()))
    # Views.
    a = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    views = {
        "transpose01": a.transpose(0, 1), "permute201": a.permute(2, 0, 1), "slice1_1_3": a[:, 1:3],
        "slice2_step2": a[:, :, ::2], "narrow2_1_2": a.narrow(2, 1, 2), "select1_2": a[:, 2],
        "neg_slice": a[:, -2:], "reshape_t": a.transpose(1, 2).reshape(4, 6), "flatten12": a.flatten(1, 2),
        "unsqueeze1": a.unsqueeze(1), "t2d": a[0].t(),
    }
    for vname, v in views.items():
        k = name()
        g.case(kind="view", view=vname, a=g.array(k + "_a", a), out=g.array(k + "_out", v))
    # matmul, cat, stack.
    for sa, sb in [((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((1, 7), (7, 1))]:
        a, b = torch.randn(sa), torch.randn(sb)
        k = name()
        g.case(kind="matmul", a=g.array(k + "_a", a), b=g.array(k + "_b", b), out=g.array(k + "_out", a @ b))
    a, b = torch.randn(2, 3), torch.randn(2, 5)
    k = name()
    g.case(kind="cat", dim=1, a=g.array(k + "_a", a), b=g.array(k + "_b", b), out=g.array(k + "_out", torch.cat((a, b), 1)))
    a, b = torch.randn(2, 3), torch.randn(2, 3)
    for dim in (0, 1, 2, -1):
        k = name()
        g.case(kind="stack", dim=dim, a=g.array(k + "_a", a), b=g.array(k + "_b", b),
               out=g.array(k + "_out", torch.stack((a, b), dim)))
    # Integer powers, exponents up to 2^63-1 (the product modulo 2^64, as PyTorch's powi computes it).
    a = torch.tensor([3, 2, 5, -7, 0, 1, -1, 9223372036854775807])
    for e in (0, 1, 2, 63, 64, 2147483647, 9223372036854775807):
        k = name()
        g.case(kind="pow_int", a=g.array(k + "_a", a), exponent=e, out=g.array(k + "_out", a.pow(e)))
    # Slices of a torch.Size, as Python takes them (the book's Y.reshape(Y.shape[2:])).
    shape = torch.Size([1, 1, 6, 8])
    slices = [[a, b, list(shape[a:b])] for a in range(-6, 7) for b in range(-6, 7)]
    slices += [[a, None, list(shape[a:])] for a in range(-6, 7)]
    g.case(kind="size_slices", shape=list(shape), slices=slices)
    # Errors: PyTorch's message; jconv must refuse with the same essential words.
    errs = {
        "broadcast": lambda: torch.ones(2, 3) + torch.ones(4),
        "broadcast2": lambda: torch.ones(2, 3, 4) * torch.ones(5, 1),
        "reshape": lambda: torch.ones(3, 3).reshape(2, 5),
        "reshape_two_infer": lambda: torch.ones(3, 4).reshape(-1, -1),
        "narrow": lambda: torch.ones(6).narrow(0, 5, 3),
        "select": lambda: torch.ones(3, 2)[5],
        "matmul": lambda: torch.ones(2, 3) @ torch.ones(4, 5),
        "cat": lambda: torch.cat((torch.ones(2, 3), torch.ones(3, 4)), 1),
        "stack": lambda: torch.stack((torch.ones(3, 3), torch.ones(3, 4)), 0),
        "t3d": lambda: torch.ones(2, 3, 4).t(),
        "mean_int": lambda: torch.ones(3, dtype=torch.int64).mean(),
        "view_noncontig": lambda: torch.ones(2, 3).t().view(6),
        "dim_range": lambda: torch.ones(2, 3).sum(2),
        "neg_dim": lambda: torch.zeros(-1, 3),
        "bool_sub": lambda: torch.ones(2, dtype=torch.bool) - torch.ones(2, dtype=torch.bool),
        "inplace_cast": lambda: torch.ones(2, dtype=torch.int64).add_(torch.ones(2)),
        "item": lambda: torch.ones(2).item(),
        "pow_int_negative": lambda: torch.tensor([2, 3]).pow(-1),
    }
    for ename, fn in errs.items():
        g.case(kind="error", error=ename, message=error_message(fn))
