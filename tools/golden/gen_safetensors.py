"""Golden safetensors files (area "safetensors"), written and read here by hand, byte for byte as the
format's specification says (Debian has no Python safetensors package): an 8-byte little-endian header
length, a JSON header {name: {dtype, shape, data_offsets}}, padding with spaces to 8 bytes, raw
little-endian data.

1. PyTorch -> jconv: a small CNN trained a few steps in PyTorch, its state_dict saved as
   model.safetensors, with an input and PyTorch's output: jconv must load it and give that output.
2. jconv -> PyTorch: jconv_written.safetensors (committed under src/test/resources/safetensors, written
   by jconv's Safetensors.write) is read here with a strict reader into the same PyTorch model, whose
   output on the input is recorded: jconv must give the same output, and must still write those bytes.
3. Every dtype of the format, decoded by PyTorch (F16/BF16 widened to float32, small ints to int64).
4. Malformed files that a reader must refuse.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_safetensors.py
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import GOLDEN_ROOT, REPO, SAFETENSORS_CODES as CODES, Golden, safetensors_write as write  # noqa: E402,E501

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
         "U16": 2, "U32": 4, "U64": 8}


def read(path):
    """A strict reader: the checks the reference implementation makes."""
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data)
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    buf = data[8 + n:]
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    at = 0
    for b, e, k in spans:
        assert b == at, f"gap or overlap at {k}"
        at = e
    assert at == len(buf), "trailing data"
    out = {}
    for k, v in header.items():
        b, e = v["data_offsets"]
        np_type = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "BOOL": "|b1"}[v["dtype"]]
        a = np.frombuffer(buf[b:e], dtype=np_type).reshape(v["shape"])
        assert a.nbytes == e - b
        out[k] = torch.from_numpy(a.copy())
    return out


def small_cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Sigmoid(), nn.Conv2d(4, 2, 3), nn.Flatten(),
                         nn.Linear(32, 5))


with Golden("safetensors") as g:
    # 1. PyTorch -> jconv: train a few steps so the weights are not the init
    torch.manual_seed(3)
    net = small_cnn()
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    x = torch.randn(8, 1, 6, 6)
    y = torch.randint(0, 5, (8,))
    for _ in range(5):
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    write(os.path.join(g.dir, "model.safetensors"), net.state_dict(), {"format": "pt", "source": "gen_safetensors.py"})
    g.case(name="pytorch_to_jconv", kind="model", file="model.safetensors", x=g.array("model_x", x),
           out=g.array("model_out", net(x)), names=list(net.state_dict().keys()),
           metadata={"format": "pt", "source": "gen_safetensors.py"})

    # 2. jconv -> PyTorch
    jconv_file = os.path.join(REPO, "jconv-core", "src", "test", "resources", "safetensors", "jconv_written.safetensors")
    if os.path.exists(jconv_file):
        sd = read(jconv_file)
        net2 = small_cnn()
        net2.load_state_dict(sd)  # strict: names and shapes must be the model's
        x2 = torch.randn(3, 1, 6, 6)
        g.case(name="jconv_to_pytorch", kind="jconv_written", x=g.array("jw_x", x2), out=g.array("jw_out", net2(x2)))
    else:
        print("note: " + jconv_file + " missing; run SafetensorsTest once to write it, then rerun")

    # 3. every dtype
    mixed = {
        "f32": torch.randn(2, 3), "f64": torch.randn(4, dtype=torch.float64),
        "f16": torch.tensor([1.5, -2.25, 65504.0, 6e-8], dtype=torch.float16),
        "bf16": torch.tensor([1.5, -3.0e38, 1e-3], dtype=torch.bfloat16),
        "i64": torch.tensor([[-(2 ** 40), 7]]), "i32": torch.tensor([-5, 2 ** 31 - 1], dtype=torch.int32),
        "i16": torch.tensor([-300], dtype=torch.int16), "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8), "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3),
    }
    write(os.path.join(g.dir, "mixed.safetensors"), mixed)
    widened = {k: (v.float() if v.dtype in (torch.float16, torch.bfloat16) else
                   v.long() if v.dtype in (torch.int32, torch.int16, torch.int8, torch.uint8) else v)
               for k, v in mixed.items()}
    g.case(name="every_dtype", kind="mixed", file="mixed.safetensors",
           expected={k: g.array("mixed_" + k, v) for k, v in widened.items()})

    # 4. malformed files
    good = open(os.path.join(g.dir, "model.safetensors"), "rb").read()
    (hl,) = struct.unpack("<Q", good[:8])
    header = json.loads(good[8:8 + hl])
    body = good[8 + hl:]

    def with_header(h, data=body):
        hb = json.dumps(h).encode()
        return struct.pack("<Q", len(hb)) + hb + data

    def edit(fn):
        h = json.loads(json.dumps(header))
        fn(h)
        return with_header(h)

    first = sorted(k for k in header if k != "__metadata__")[0]
    second = sorted(k for k in header if k != "__metadata__")[1]
    bad = {
        "header_longer_than_file": struct.pack("<Q", len(good) + 10) + good[8:],
        "header_length_huge": struct.pack("<Q", 2 ** 63 + 5) + good[8:],
        "too_short": b"\x01\x00\x00",
        "not_json": struct.pack("<Q", 12) + b"{not json!!}" + body,
        "not_an_object": with_header([1, 2, 3]),
        "unknown_dtype": edit(lambda h: h[first].update(dtype="F8_E5M3")),
        "offsets_out_of_range": edit(lambda h: h[first].update(
            data_offsets=[len(body) - 4, len(body) - 4 + h[first]["data_offsets"][1] - h[first]["data_offsets"][0]])),
        "overlapping": edit(lambda h: h[second].update(data_offsets=[h[first]["data_offsets"][0] + 4,
            h[first]["data_offsets"][0] + 4 + h[second]["data_offsets"][1] - h[second]["data_offsets"][0]])),
        "size_mismatch": edit(lambda h: h[first].update(shape=h[first]["shape"][:-1] + [h[first]["shape"][-1] + 1])),
        "negative_dim": edit(lambda h: h[first].update(shape=[-1])),
        "trailing_data": with_header(header, body + b"\0\0\0\0"),
        "duplicate_key": struct.pack("<Q", 0) + b"",  # replaced below
        "missing_shape": edit(lambda h: h[first].pop("shape")),
    }
    dup = ('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
           '"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}').encode()
    bad["duplicate_key"] = struct.pack("<Q", len(dup)) + dup + b"\0" * 8
    for name, data in bad.items():
        with open(os.path.join(g.dir, f"bad_{name}.safetensors"), "wb") as f:
            f.write(data)
        g.case(name=name, kind="malformed", file=f"bad_{name}.safetensors")
    # the right format but the wrong model: conv weights of another shape
    wrong = dict(net.state_dict())
    wrong["0.weight"] = torch.zeros(4, 1, 5, 5)
    write(os.path.join(g.dir, "wrong_shape.safetensors"), wrong)
    g.case(name="wrong_shape_for_model", kind="wrong_model", file="wrong_shape.safetensors")
