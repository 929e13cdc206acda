"""Random data loaders against PyTorch (area "fuzz_loader"): torch.utils.data.DataLoader over a
TensorDataset of 0..n-1 with random sizes, batch sizes, shuffle and drop_last, shuffling from the
default generator after torch.manual_seed(seed) or from a torch.Generator seeded apart; two epochs, and
a draw from the default generator afterwards (the loader must consume it as PyTorch does). Recorded:
each epoch's indices in order and its batch sizes, and that draw.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_fuzz_loader.py
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import Golden, error_message  # noqa: E402

import torch  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

CASES = 150
rng = random.Random(20261212)

with Golden("fuzz_loader") as g:
    for i in range(CASES):
        n = rng.choice([0, 1, 2, 5, 17, 100, 256, 300, 513])
        batch = rng.choice([1, 2, 7, 32, 64, 256, 300])
        shuffle = rng.random() < 0.8
        drop_last = rng.random() < 0.3
        own = rng.random() < 0.4
        seed, gseed = rng.randrange(1 << 31), rng.randrange(1 << 31)
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(gseed) if own else None
        ds = TensorDataset(torch.arange(n), torch.arange(n))
        made = []
        msg = error_message(lambda: made.append(DataLoader(ds, batch_size=batch, shuffle=shuffle, drop_last=drop_last,
                                                           generator=gen)))
        if msg is not None:
            g.case(name=f"d{i}", n=n, batch=batch, shuffle=shuffle, drop_last=drop_last, own_generator=own, seed=seed,
                   generator_seed=gseed, error=msg)
            continue
        loader = made[0]
        epochs = []
        for _ in range(2):
            order, sizes = [], []
            for x, _y in loader:
                order += x.tolist()
                sizes.append(len(x))
            epochs.append(dict(order=order, sizes=sizes))
        after = float(torch.rand(()))
        g.case(name=f"d{i}", n=n, batch=batch, shuffle=shuffle, drop_last=drop_last, own_generator=own, seed=seed,
               generator_seed=gseed, error=None, epochs=epochs, rand_after=after)
