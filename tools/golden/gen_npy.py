"""Golden .npy files written by NumPy itself: ones jconv must read, and ones it must refuse."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
from golden_common import Golden  # noqa: E402

rng = np.random.default_rng(7)

with Golden("npy") as g:
    good = {
        "f4_2x3": rng.standard_normal((2, 3)).astype("<f4"),
        "f8_4": rng.standard_normal(4).astype("<f8"),
        "i8_2x2x2": rng.integers(-2**40, 2**40, (2, 2, 2)).astype("<i8"),
        "b1_5": np.array([True, False, True, True, False]),
        "f4_scalar": np.array(3.5, dtype="<f4"),
        "f4_empty_0x3": np.zeros((0, 3), dtype="<f4"),
        "f4_1x1x4x4": np.arange(16, dtype="<f4").reshape(1, 1, 4, 4),
        "f4_special": np.array([np.nan, np.inf, -np.inf, -0.0, 1e-45], dtype="<f4"),
    }
    for name, arr in good.items():
        g.case(kind="good", file=g.array(name, arr), dtype=str(arr.dtype), shape=list(arr.shape),
               values=[None if not np.isfinite(v) else float(v) for v in arr.astype("f8").ravel()])
    # Files NumPy writes but jconv refuses (the saved arrays are written raw: Golden.array would normalise them).
    bad = {
        "bad_fortran": (np.asfortranarray(rng.standard_normal((3, 2)).astype("<f4")), "Fortran"),
        "bad_bigendian": (np.arange(4, dtype=">f4"), "big-endian"),
        "bad_int32": (np.arange(4, dtype="<i4"), "unsupported .npy dtype"),
        "bad_complex": (np.arange(4, dtype="<c8"), "unsupported .npy dtype"),
        "bad_float16": (np.arange(4, dtype="<f2"), "unsupported .npy dtype"),
    }
    for name, (arr, msg) in bad.items():
        path = os.path.join(g.dir, name + ".npy")
        np.save(path, arr, allow_pickle=False)
        g.case(kind="bad", file=name + ".npy", message=msg)
    obj = np.array([{"a": 1}, None], dtype=object)
    np.save(os.path.join(g.dir, "bad_object.npy"), obj, allow_pickle=True)
    g.case(kind="bad", file="bad_object.npy", message="unsupported .npy dtype")
