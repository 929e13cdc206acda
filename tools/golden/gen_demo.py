"""Golden text for `./jconv demo`: the cells of the convolution chapter of "Dive into Deep Learning"
(PyTorch edition, d2l 1.0: "Convolutions for Images", "Padding and Stride", "Multiple Input and
Multiple Output Channels", "Pooling"), run in PyTorch, with what each cell prints.

    /usr/bin/python3 tools/golden/gen_demo.py            # writes the golden files
    /usr/bin/python3 tools/golden/gen_demo.py --print 7  # prints what ./jconv demo --seed 7 must print

The book's code is kept literally, as notebook cells: every statement runs, and when a cell ends with an
expression its repr is printed, as Jupyter displays it. A few cells are not in the book; their code says
so. Each demo cell starts with ``torch.manual_seed(seed)``, so any one cell can be run alone
(``./jconv demo --cell NAME --seed N``) and still print what PyTorch prints.

Left out for now: the book's "Learning a Kernel" cell (it trains a Conv2d with autograd, which jconv
does not have yet).

Manifest: one case per seed, ``{"seed": N, "cells": [{"name", "title", "code", "output"}, ...]}``.
The Java demo (dev.jconv.cli.Demo) uses the same names and titles, in the same order.
"""
import ast
import contextlib
import io
import os
import sys
import types
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

# 7: the book's 1x1 assert would fail (see the multi-channels cell). -1: the generator state of 2**64 - 1.
SEEDS = [0, 1, 7, 42, 2024, -1]

# nn.LazyConv2d warns (on stderr) that lazy modules are new; the notebook output is stdout only.
warnings.filterwarnings("ignore", message="Lazy modules")

# ---------------------------------------------------------------- the book's cells
# Each demo cell: (name, title, [notebook cell source, ...]). Definitions the book saves into the d2l
# package (#@save) are in the cell that introduces them and reached later through `d2l.`.

CORR2D_DEF = '''\
def corr2d(X, K):  #@save
    """Compute 2D cross-correlation."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y
'''

CELLS = [
    ("corr2d", "Convolutions for Images: the cross-correlation operation", [
        CORR2D_DEF,
        '''\
X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
corr2d(X, K)
''',
    ]),
    ("edge-detection", "Convolutions for Images: object edge detection in images", [
        '''\
X = torch.ones((6, 8))
X[:, 2:6] = 0
X
''',
        '''\
K = torch.tensor([[1.0, -1.0]])
''',
        '''\
Y = corr2d(X, K)
Y
''',
        '''\
corr2d(X.t(), K)
''',
    ]),
    ("conv2d-layer", "Convolutional layers: nn.Conv2d(3, 64, 3) on a batch of 4 images", [
        '''\
# Not in the book: the shapes of a Conv2d layer's input, output and parameters.
X = torch.rand(4, 3, 12, 12)
conv = nn.Conv2d(3, 64, 3)
Y = conv(X)
print(X.shape)
print('Y.shape: ', Y.shape)
print('weight.shape: ', conv.weight.shape)
print('bias.shape: ', conv.bias.shape)
''',
    ]),
    ("padding-and-stride", "Padding and Stride: output shapes", [
        '''\
# We define a helper function to calculate convolutions. It initializes the
# convolutional layer weights and performs corresponding dimensionality
# elevations and reductions on the input and output
def comp_conv2d(conv2d, X):
    # (1, 1) indicates that batch size and the number of channels are both 1
    X = X.reshape((1, 1) + X.shape)
    Y = conv2d(X)
    # Strip the first two dimensions: examples and channels
    return Y.reshape(Y.shape[2:])

# 1 row and column is padded on either side, so a total of 2 rows or columns
# are added
conv2d = nn.LazyConv2d(1, kernel_size=3, padding=1)
X = torch.rand(size=(8, 8))
comp_conv2d(conv2d, X).shape
''',
        '''\
# We use a convolution kernel with height 5 and width 3. The padding on either
# side of the height and width are 2 and 1, respectively
conv2d = nn.LazyConv2d(1, kernel_size=(5, 3), padding=(2, 1))
comp_conv2d(conv2d, X).shape
''',
        '''\
conv2d = nn.LazyConv2d(1, kernel_size=3, padding=1, stride=2)
comp_conv2d(conv2d, X).shape
''',
        '''\
conv2d = nn.LazyConv2d(1, kernel_size=(3, 5), padding=(0, 1), stride=(3, 4))
comp_conv2d(conv2d, X).shape
''',
    ]),
    ("multi-channels", "Multiple Input and Multiple Output Channels (and the 1x1 convolution)", [
        '''\
def corr2d_multi_in(X, K):
    # Iterate through the 0th dimension (channel) of K first, then add them up
    return sum(d2l.corr2d(x, k) for x, k in zip(X, K))
''',
        '''\
X = torch.tensor([[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
               [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]])
K = torch.tensor([[[0.0, 1.0], [2.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]]])

corr2d_multi_in(X, K)
''',
        '''\
def corr2d_multi_in_out(X, K):
    # Iterate through the 0th dimension of K, and each time, perform
    # cross-correlation operations with input X. All of the results are
    # stacked together
    return torch.stack([corr2d_multi_in(X, k) for k in K], 0)
''',
        '''\
K = torch.stack((K, K + 1, K + 2), 0)
K.shape
''',
        '''\
corr2d_multi_in_out(X, K)
''',
        '''\
def corr2d_multi_in_out_1x1(X, K):
    c_i, h, w = X.shape
    c_o = K.shape[0]
    X = X.reshape((c_i, h * w))
    K = K.reshape((c_o, c_i))
    # Matrix multiplication in the fully connected layer
    Y = torch.matmul(K, X)
    return Y.reshape((c_o, h, w))
''',
        '''\
X = torch.normal(0, 1, (3, 3, 3))
K = torch.normal(0, 1, (2, 3, 1, 1))
Y1 = corr2d_multi_in_out_1x1(X, K)
Y2 = corr2d_multi_in_out(X, K)
# The book has: assert float(torch.abs(Y1 - Y2).sum()) < 1e-6
# That fails in PyTorch itself for about one seed in twelve (matmul rounds differently from
# corr2d's multiply-then-sum, by up to 1.7e-6 in total); allclose's relative tolerance allows for it.
torch.allclose(Y1, Y2)
''',
        '''\
# Not in the book: the result.
Y1
''',
    ]),
    ("pool2d", "Pooling: maximum and average pooling from scratch", [
        '''\
def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    Y = torch.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
    return Y
''',
        '''\
X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
pool2d(X, (2, 2))
''',
        '''\
pool2d(X, (2, 2), 'avg')
''',
    ]),
    ("pooling-layers", "Pooling: padding, stride and multiple channels with nn.MaxPool2d", [
        '''\
X = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4))
X
''',
        '''\
pool2d = nn.MaxPool2d(3)
# Pooling has no model parameters, hence it needs no initialization
pool2d(X)
''',
        '''\
pool2d = nn.MaxPool2d(3, padding=1, stride=2)
pool2d(X)
''',
        '''\
pool2d = nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))
pool2d(X)
''',
        '''\
X = torch.cat((X, X + 1), 1)
X
''',
        '''\
pool2d = nn.MaxPool2d(3, padding=1, stride=2)
pool2d(X)
''',
    ]),
    ("pooling-random", "Pooling: max, average and global average pooling of rand(1, 1, 12, 12)", [
        '''\
# Not in the book: the three pooling layers side by side on a random image.
X = torch.rand(1, 1, 12, 12)
print(X.shape)
X
''',
        '''\
Y = nn.MaxPool2d(2, stride=2)(X)
print(Y.shape)
Y
''',
        '''\
Z = nn.AvgPool2d(2, stride=2)(X)
print(Z.shape)
Z
''',
        '''\
G = nn.AdaptiveAvgPool2d((1, 1))(X)  # global average pooling
print(G.shape)
G
''',
    ]),
]


# ---------------------------------------------------------------- a tiny notebook runner

def run_notebook_cell(source, namespace):
    """Runs one notebook cell as Jupyter does: all statements, then the repr of a final expression."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        exec(compile(ast.Module(body=tree.body[:-1], type_ignores=[]), "<cell>", "exec"), namespace)
        value = eval(compile(ast.Expression(body=last.value), "<cell>", "eval"), namespace)
        if value is not None:
            print(repr(value))
    else:
        exec(compile(tree, "<cell>", "exec"), namespace)


def d2l_package():
    """What the cells reach as `d2l.`: the functions the book saves with #@save."""
    ns = {"torch": torch}
    exec(CORR2D_DEF, ns)
    return types.SimpleNamespace(corr2d=ns["corr2d"])


def run_demo_cell(sources, seed):
    d2l = d2l_package()
    # The book's notebook defines corr2d in an earlier cell; later chapters reach it as d2l.corr2d.
    namespace = {"torch": torch, "nn": nn, "d2l": d2l, "corr2d": d2l.corr2d}
    out = io.StringIO()
    torch.manual_seed(seed)
    with contextlib.redirect_stdout(out):
        for source in sources:
            run_notebook_cell(source, namespace)
    return out.getvalue()


def print_demo(seed):
    """Prints the whole demo as `./jconv demo --seed SEED` does (header, then a heading per cell)."""
    out = [f"# Dive into Deep Learning, the convolution chapter, in Java (jconv). Each cell runs after"
           f" torch.manual_seed({seed}).\n"]
    for name, title, sources in CELLS:
        out.append(f"\n=== {title}  [{name}]\n")
        out.append(run_demo_cell(sources, seed))
    sys.stdout.write("".join(out))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--print":
        # For people, not for the golden files: diff <(./jconv demo --seed 7) <(... --print 7)
        print_demo(int(sys.argv[2]))
        return
    with Golden("demo") as g:
        for seed in SEEDS:
            cells = []
            for name, title, sources in CELLS:
                cells.append({
                    "name": name,
                    "title": title,
                    "code": "\n".join(sources),
                    "output": run_demo_cell(sources, seed),
                })
            g.case(seed=seed, cells=cells)


if __name__ == "__main__":
    main()
