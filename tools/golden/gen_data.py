"""Golden data for jconv's data package (area "data"):

1. DataLoader batch orders from PyTorch's DataLoader (shuffle with the default generator after
   manual_seed, or with an explicit generator; drop_last; two epochs each).
2. A tiny Fashion-MNIST-format directory (IDX files, gzip for the training split, plain for the test
   split) and the tensors PyTorch makes of its first images: uint8 -> float32 / 255, labels int64.
3. Malformed IDX files a reader must refuse.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_data.py
"""
import gzip
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402


def idx_bytes(arr, type_code=0x08):
    arr = np.asarray(arr)
    head = bytes([0, 0, type_code, arr.ndim]) + b"".join(struct.pack(">i", d) for d in arr.shape)
    return head + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


with Golden("data") as g:
    for i, (n, bs, shuffle, drop, seed, gen_seed) in enumerate([
            (10, 4, True, False, 0, None), (10, 4, True, True, 1, None), (7, 3, False, False, 2, None),
            (23, 5, True, False, 3, 99), (5, 8, True, False, 4, None), (256 + 7, 64, True, False, 5, None)]):
        torch.manual_seed(seed)
        gen = None
        if gen_seed is not None:
            gen = torch.Generator()
            gen.manual_seed(gen_seed)
        loader = DataLoader(list(range(n)), batch_size=bs, shuffle=shuffle, drop_last=drop, generator=gen)
        epochs = [[b.tolist() for b in loader] for _ in range(2)]
        after = torch.rand(2).tolist()  # the default generator's state after both epochs
        g.case(name=f"loader_{i}", kind="loader", n=n, batch_size=bs, shuffle=shuffle, drop_last=drop, seed=seed,
               generator_seed=gen_seed, epochs=epochs, rand_after=after, length=len(loader))

    # tiny Fashion-MNIST
    rng = np.random.default_rng(7)
    d = os.path.join(g.dir, "fmnist")
    os.makedirs(d)
    for split, count, gz in (("train", 12, True), ("t10k", 5, False)):
        images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=(count,), dtype=np.uint8)
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            data = idx_bytes(arr)
            name = f"{split}-{kind}-ubyte" + (".gz" if gz else "")
            with open(os.path.join(d, name), "wb") as f:
                f.write(gzip.compress(data, mtime=0) if gz else data)
        x = torch.from_numpy(images[[0, 3, 11 % count]]).float().div(255).unsqueeze(1)
        y = torch.from_numpy(labels[[0, 3, 11 % count]].astype(np.int64))
        g.case(name=f"fmnist_{split}", kind="fmnist", train=split == "train", count=count, indices=[0, 3, 11 % count],
               x=g.array(f"fm_{split}_x", x), y=g.array(f"fm_{split}_y", y))

    # malformed IDX files
    good = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))
    bad = {
        "bad_magic": b"\x01\x00" + good[2:],
        "unknown_type": good[:2] + b"\x0a" + good[3:],
        "truncated_header": good[:6],
        "truncated_data": good[:-3],
        "trailing_data": good + b"\x00",
        "negative_dim": good[:4] + struct.pack(">i", -3) + good[8:],
        "corrupt_gzip": gzip.compress(good, mtime=0)[:-12] + b"\xff" * 12,
        "truncated_gzip": gzip.compress(good, mtime=0)[:20],
    }
    for name, data in bad.items():
        with open(os.path.join(g.dir, f"{name}.idx"), "wb") as f:
            f.write(data)
        g.case(name=name, kind="bad_idx", file=f"{name}.idx")
    with open(os.path.join(g.dir, "good_int.idx"), "wb") as f:
        f.write(idx_bytes(np.array([[-5, 70000], [3, -2147483648]], dtype=np.int32), 0x0C))
    with open(os.path.join(g.dir, "good_double.idx.gz"), "wb") as f:
        f.write(gzip.compress(idx_bytes(np.array([1.5, -2.25, 1e300]), 0x0E), mtime=0))
    g.case(name="good_int", kind="good_idx", file="good_int.idx", shape=[2, 2], values=[-5, 70000, 3, -2147483648])
    g.case(name="good_double", kind="good_idx", file="good_double.idx.gz", shape=[3], values=[1.5, -2.25, 1e300])
