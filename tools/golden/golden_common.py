"""Shared helpers for the golden-file generators.

Run the generators by hand with Debian's python3-torch (``/usr/bin/python3 tools/golden/gen_all.py``);
CI never runs them, it only reads the committed files.

Each area (print, rng, conv, pool, ...) gets a folder
``jconv-core/src/test/resources/golden/<area>/`` holding ``.npy`` arrays and one ``manifest.json``:
``{"torch": "<version>", "cases": [ {...}, ... ]}``. A case is a flat JSON object whose string fields
ending in ``.npy`` name arrays in the same folder.
"""
import json
import math
import os
import shutil
import struct

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN_ROOT = os.path.join(REPO, "jconv-core", "src", "test", "resources", "golden")


class Golden:
    """Collects the cases of one area and writes them when closed (use as a context manager)."""

    def __init__(self, area):
        self.area = area
        self.dir = os.path.join(GOLDEN_ROOT, area)
        if os.path.isdir(self.dir):
            shutil.rmtree(self.dir)
        os.makedirs(self.dir)
        self.cases = []
        self._names = set()

    def array(self, name, value):
        """Saves a tensor or ndarray as ``<name>.npy`` (C order, little-endian); returns the file name."""
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().contiguous().numpy()
        # np.ascontiguousarray would turn a 0-d array into shape (1,).
        value = np.array(value, order="C", copy=True)
        if value.dtype == np.int32:
            value = value.astype(np.int64)
        file = name + ".npy"
        if file in self._names:
            raise ValueError("duplicate array name " + file)
        self._names.add(file)
        np.save(os.path.join(self.dir, file), value, allow_pickle=False)
        return file

    def case(self, **fields):
        """Adds one case; values must be JSON-serialisable (tuples become lists)."""
        self.cases.append(fields)
        return fields

    def close(self):
        with open(os.path.join(self.dir, "manifest.json"), "w") as f:
            json.dump({"torch": torch.__version__, "area": self.area, "cases": self.cases}, f, indent=1)
            f.write("\n")
        print(f"{self.area}: {len(self.cases)} cases, {len(self._names)} arrays -> {self.dir}")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        return False


def error_message(fn):
    """Runs fn and returns the message of the exception it raises (None if it does not raise)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever PyTorch raises
        return f"{type(e).__name__}: {e}"
    return None


def corr2d(X, K):
    """The book's (d2l, section 7.2) cross-correlation, verbatim: Y built element by element in
    torch.zeros' float32 (differentiable in X and K through the element assignments)."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


# ---- safetensors, written by hand (Debian has no Python safetensors package) ----
SAFETENSORS_CODES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
         torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}


def raw_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def safetensors_write(path, tensors, metadata=None):
    """Writes a safetensors file byte for byte as the format's specification says (names sorted)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        t = tensors[name]
        b = raw_bytes(t)
        header[name] = {"dtype": SAFETENSORS_CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def pool_layer(rng, kind, arg):
    """The arguments of a random MaxPool2d ("max"), AvgPool2d ("avg") or LPPool2d ("lp"), drawn from rng;
    arg(lo=1, hi=4) draws an int or a pair (gen_fuzz_modules.py, gen_fuzz_forward.py)."""
    if kind == "max":
        return "max", dict(kernel_size=arg(), stride=None if rng.random() < 0.4 else arg(), padding=arg(0, 2),
                           dilation=arg(1, 2), ceil_mode=rng.random() < 0.3)
    if kind == "avg":
        return "avg", dict(kernel_size=arg(), stride=None if rng.random() < 0.4 else arg(), padding=arg(0, 2),
                           ceil_mode=rng.random() < 0.3, count_include_pad=rng.random() < 0.7,
                           divisor_override=None if rng.random() < 0.7 else rng.randint(1, 4))
    # An integral norm is a Python int here: jconv prints a whole double as PyTorch prints an int.
    return "lp", dict(norm_type=rng.choice([1, 2, 3, 1.5]), kernel_size=arg(),
                      stride=None if rng.random() < 0.5 else arg(), ceil_mode=rng.random() < 0.3)


def json_float(v):
    """A float for a manifest: "inf", "-inf" and "nan" as strings (JSON has no such numbers)."""
    v = float(v)
    return v if math.isfinite(v) else repr(v)


def pair_or_int(rng, lo, hi):
    """An int in [lo, hi], or now and then a pair of them (as a list: JSON has no tuples)."""
    a = rng.randint(lo, hi)
    return [a, rng.randint(lo, hi)] if rng.random() < 0.25 else a


def pair(v):
    """An int or pair as a pair."""
    return v if isinstance(v, list) else [v, v]


def build_layer(kind, a):
    """The nn layer a random case describes (its kind and arguments; lists become the tuples PyTorch takes)."""
    a = {k: tuple(v) if isinstance(v, list) else v for k, v in a.items()}
    return {"conv": torch.nn.Conv2d, "max": torch.nn.MaxPool2d, "avg": torch.nn.AvgPool2d, "lp": torch.nn.LPPool2d,
            "aavg": torch.nn.AdaptiveAvgPool2d, "amax": torch.nn.AdaptiveMaxPool2d, "linear": torch.nn.Linear,
            "flatten": torch.nn.Flatten, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
            "tanh": torch.nn.Tanh}[kind](**a)
