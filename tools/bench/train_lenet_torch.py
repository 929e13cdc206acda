#!/usr/bin/python3
"""PyTorch's side of `./jconv train lenet`: the same recipe (the book's LeNet, section 7.6), so the two
can be compared side by side on this machine (`./jconv train lenet --compare torch` drives this script).

Data from Debian's dataset-fashion-mnist (IDX files, no torchvision needed), ToTensor semantics
(bytes / 255), batch 256, shuffled training set, Xavier-uniform init of Linear and Conv2d weights,
SGD, cross-entropy; per epoch: time, images/s, mean training loss, training and test accuracy.

Batches: `--loader tensor` (default) takes each batch from the whole training tensor with one index
(X[idx]), in exactly the order a shuffled `DataLoader(dataset, 256, shuffle=True)` gives (the same two
draws from the global generator per epoch), so the curves are the DataLoader's; it only avoids
DataLoader's per-image Python indexing and collation, which costs PyTorch about a third of its speed
here and is not convolution work. jconv's loader also gathers a batch in one go. `--loader dataloader`
iterates the DataLoader itself.

The environment is fixed before torch loads, as in torch_bench.py: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS
= threads, GLIBC_TUNABLES raising malloc's mmap and trim thresholds (so that big activations are not
page-faulted afresh in every step), OPENBLAS_CORETYPE unset.

    /usr/bin/python3 tools/bench/train_lenet_torch.py                  # lenet, lr 0.9, 10 epochs
    /usr/bin/python3 tools/bench/train_lenet_torch.py --model lenet-relu
    /usr/bin/python3 tools/bench/train_lenet_torch.py --epochs 2 --threads 2 --data DIR --limit 6000

`--serve` makes it a server for `./jconv train --compare torch`, so that jconv's and PyTorch's epochs
alternate: after {"ready": true, "torch": VERSION, "threads": N, "images": ..., "test": ...} it answers
each line `epoch` on stdin with one JSON line {"epoch": k, "loss": ..., "train_acc": ..., "test_acc": ...,
"seconds": ..., "images": ...}; `quit` (or end of input) exits; a failure answers {"error": "..."}.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bench import fixed_env  # noqa: E402  (torch_bench imports torch lazily)


def read_idx(path):
    import numpy as np
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


def load(d, split, limit=None):
    import numpy as np
    import torch
    from torch.utils.data import TensorDataset
    x = read_idx(find(d, f"{split}-images-idx3-ubyte"))
    y = read_idx(find(d, f"{split}-labels-idx1-ubyte"))
    if limit is not None:
        x, y = x[:limit], y[:limit]
    return TensorDataset(torch.from_numpy(x.copy()).float().div(255).unsqueeze(1),
                         torch.from_numpy(y.astype(np.int64)))


def lenet(relu):
    from torch import nn
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


class Trainer:
    """The book's train_ch6, one epoch per call."""

    def __init__(self, args):
        import torch
        from torch import nn
        from torch.utils.data import DataLoader
        torch.set_num_threads(args.threads)
        self.torch = torch
        relu = args.model == "lenet-relu"
        self.lr = args.lr if args.lr is not None else (0.1 if relu else 0.9)
        self.train, self.test = load(args.data, "train", args.limit), load(args.data, "t10k")
        torch.manual_seed(args.seed)
        self.net = lenet(relu)

        def init_weights(m):
            if type(m) == nn.Linear or type(m) == nn.Conv2d:
                nn.init.xavier_uniform_(m.weight)

        self.net.apply(init_weights)
        self.batch_size = args.batch_size
        self.loader = args.loader
        self.train_iter = DataLoader(self.train, args.batch_size, shuffle=True)
        self.test_iter = DataLoader(self.test, args.batch_size, shuffle=False)
        self.opt = torch.optim.SGD(self.net.parameters(), lr=self.lr)
        self.loss = nn.CrossEntropyLoss()
        self.epochs_done = 0

    def batches(self, loader, dataset):
        """loader's batches; with --loader tensor the same ones, gathered from the whole tensors."""
        if self.loader == "dataloader":
            yield from loader
            return
        torch = self.torch
        # Iterating a DataLoader first draws its iterator's base seed from the global generator, then
        # the sampler draws its own seed and permutes: the same two draws keep the same order.
        torch.empty((), dtype=torch.int64).random_()
        order = torch.tensor(list(loader.sampler), dtype=torch.int64)
        xs, ys = dataset.tensors
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            yield xs[idx], ys[idx]

    def epoch(self):
        torch = self.torch
        self.net.train()
        l_sum, correct, n = 0.0, 0, 0
        start = time.perf_counter()
        for X, y in self.batches(self.train_iter, self.train):
            self.opt.zero_grad()
            y_hat = self.net(X)
            l = self.loss(y_hat, y)
            l.backward()
            self.opt.step()
            with torch.no_grad():
                l_sum += l.item() * X.shape[0]
                correct += accuracy(y_hat, y)
                n += X.shape[0]
        seconds = time.perf_counter() - start
        self.net.eval()
        test_correct = 0
        with torch.no_grad():
            for X, y in self.batches(self.test_iter, self.test):
                test_correct += accuracy(self.net(X), y)
        self.epochs_done += 1
        return {"epoch": self.epochs_done, "loss": l_sum / n, "train_acc": correct / n,
                "test_acc": test_correct / len(self.test), "seconds": seconds, "images": n}


def serve(args):
    try:
        trainer = Trainer(args)
        ready = {"ready": True, "torch": trainer.torch.__version__, "threads": trainer.torch.get_num_threads(),
                 "images": len(trainer.train), "test": len(trainer.test), "lr": trainer.lr,
                 "loader": args.loader, "glibc_tunables": os.environ.get("GLIBC_TUNABLES")}
    except Exception as e:  # the client shows why PyTorch cannot train
        print(json.dumps({"error": type(e).__name__ + ": " + str(e)}), flush=True)
        return
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        word = line.strip()
        if word == "quit":
            break
        try:
            if word != "epoch":
                raise ValueError("bad request: " + word)
            answer = trainer.epoch()
        except Exception as e:
            answer = {"error": type(e).__name__ + ": " + str(e)}
        print(json.dumps(answer), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="lenet", choices=["lenet", "lenet-relu"])
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=None, help="train on the first N training images only")
    ap.add_argument("--loader", default="tensor", choices=["tensor", "dataloader"])
    ap.add_argument("--serve", action="store_true", help="run as ./jconv train --compare torch's server")
    args = ap.parse_args()
    if args.threads < 1 or args.epochs < 1 or args.batch_size < 1 or (args.limit is not None and args.limit < 1):
        ap.error("--threads, --epochs, --batch-size and --limit must be positive")
    env = fixed_env(args.threads)
    if any(os.environ.get(k) != env.get(k) for k in
           ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GLIBC_TUNABLES", "OPENBLAS_CORETYPE")):
        # These are read when the libraries load: restart with them set, before torch is imported.
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    if args.serve:
        serve(args)
        return
    trainer = Trainer(args)
    torch = trainer.torch
    print(f"pytorch {torch.__version__}: training {args.model} on {len(trainer.train)} images "
          f"(test: {len(trainer.test)}), batch {args.batch_size}, lr {trainer.lr}, {args.epochs} epochs, "
          f"{torch.get_num_threads()} threads, loader {args.loader}")
    total_time, total_images = 0.0, 0
    for e in range(1, args.epochs + 1):
        r = trainer.epoch()
        total_time += r["seconds"]
        total_images += r["images"]
        print(f"epoch {e}/{args.epochs}: loss {r['loss']:.3f}, train acc {r['train_acc']:.3f}, "
              f"test acc {r['test_acc']:.3f}, {r['seconds']:.2f} s ({r['images'] / r['seconds']:,.0f} images/s)",
              flush=True)
    print(f"loss {r['loss']:.3f}, train acc {r['train_acc']:.3f}, test acc {r['test_acc']:.3f}")
    print(f"{total_images / total_time:.1f} examples/sec on cpu ({torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
