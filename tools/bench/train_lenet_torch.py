"""PyTorch's side of `./jconv train lenet`: the same recipe (the book's LeNet, section 7.6), so the two
can be compared side by side on this machine.

Data from Debian's dataset-fashion-mnist (IDX files, no torchvision needed), ToTensor semantics
(bytes / 255), batch 256, shuffled training set, Xavier-uniform init of Linear and Conv2d weights,
SGD, cross-entropy; per epoch: time, images/s, mean training loss, training and test accuracy.

    /usr/bin/python3 tools/bench/train_lenet_torch.py                  # lenet, lr 0.9, 10 epochs
    /usr/bin/python3 tools/bench/train_lenet_torch.py --model lenet-relu
    /usr/bin/python3 tools/bench/train_lenet_torch.py --epochs 2 --threads 2 --data DIR
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, path
    shape = struct.unpack(">" + "i" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find(d, base):
    for name in (base, base + ".gz"):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    raise FileNotFoundError(f"no {base}[.gz] in {d}")


def load(d, split):
    x = read_idx(find(d, f"{split}-images-idx3-ubyte"))
    y = read_idx(find(d, f"{split}-labels-idx1-ubyte"))
    return TensorDataset(torch.from_numpy(x.copy()).float().div(255).unsqueeze(1), torch.from_numpy(y.astype(np.int64)))


def lenet(relu):
    act = nn.ReLU if relu else nn.Sigmoid
    pool = (lambda: nn.MaxPool2d(2, 2)) if relu else (lambda: nn.AvgPool2d(2, 2))
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), act(), pool(),
        nn.Conv2d(6, 16, kernel_size=5), act(), pool(),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), act(),
        nn.Linear(120, 84), act(),
        nn.Linear(84, 10))


def accuracy(y_hat, y):
    return (y_hat.argmax(axis=1) == y).sum().item()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="lenet", choices=["lenet", "lenet-relu"])
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    relu = args.model == "lenet-relu"
    lr = args.lr if args.lr is not None else (0.1 if relu else 0.9)
    train, test = load(args.data, "train"), load(args.data, "t10k")
    torch.manual_seed(args.seed)
    net = lenet(relu)

    def init_weights(m):
        if type(m) == nn.Linear or type(m) == nn.Conv2d:
            nn.init.xavier_uniform_(m.weight)

    net.apply(init_weights)
    train_iter = DataLoader(train, args.batch_size, shuffle=True)
    test_iter = DataLoader(test, args.batch_size, shuffle=False)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss = nn.CrossEntropyLoss()
    print(f"pytorch {torch.__version__}: training {args.model} on {len(train)} images (test: {len(test)}), batch "
          f"{args.batch_size}, lr {lr}, {args.epochs} epochs, {torch.get_num_threads()} threads")
    total_time, total_images = 0.0, 0
    for epoch in range(1, args.epochs + 1):
        net.train()
        l_sum, correct, n = 0.0, 0, 0
        start = time.perf_counter()
        for X, y in train_iter:
            opt.zero_grad()
            y_hat = net(X)
            l = loss(y_hat, y)
            l.backward()
            opt.step()
            with torch.no_grad():
                l_sum += l.item() * X.shape[0]
                correct += accuracy(y_hat, y)
                n += X.shape[0]
        seconds = time.perf_counter() - start
        net.eval()
        test_correct = 0
        with torch.no_grad():
            for X, y in test_iter:
                test_correct += accuracy(net(X), y)
        total_time += seconds
        total_images += n
        print(f"epoch {epoch}/{args.epochs}: loss {l_sum / n:.3f}, train acc {correct / n:.3f}, "
              f"test acc {test_correct / len(test):.3f}, {seconds:.2f} s ({n / seconds:,.0f} images/s)", flush=True)
    print(f"loss {l_sum / n:.3f}, train acc {correct / n:.3f}, test acc {test_correct / len(test):.3f}")
    print(f"{total_images / total_time:.1f} examples/sec on cpu ({torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
