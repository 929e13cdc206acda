"""Golden output of the book's "Learning a Kernel" cell (area "learn_kernel"), printed by PyTorch after
torch.manual_seed(seed) for a few seeds; jconv's LearnKernel.run must print exactly the same text.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_learn_kernel.py
"""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, corr2d  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402




def cell():
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    K = torch.tensor([[1.0, -1.0]])
    Y = corr2d(X, K)
    conv2d = nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)
    X = X.reshape((1, 1, 6, 8))
    Y = Y.reshape((1, 1, 6, 7))
    lr = 3e-2
    for i in range(10):
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
        conv2d.zero_grad()
        l.sum().backward()
        conv2d.weight.data[:] -= lr * conv2d.weight.grad
        if (i + 1) % 2 == 0:
            print(f'epoch {i + 1}, loss {l.sum():.3f}')
    print(repr(conv2d.weight.data.reshape((1, 2))))


with Golden("learn_kernel") as g:
    for seed in (0, 1, 7, 42, 2024):
        torch.manual_seed(seed)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            cell()
        g.case(name=f"seed_{seed}", seed=seed, text=buf.getvalue())
