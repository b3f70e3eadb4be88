"""Transformer-shaped nn ops on ocl (and on cuda in the same process when present): softmax,
log_softmax, layer_norm, rms_norm and cross_entropy, forward and backward.

Bandwidth counts the bytes the op must read plus write (each operand once). Prints a table
with the cuda/ocl ratio when cuda is there; --json writes the rows.
"""

import argparse
import json

import torch
import torch.nn.functional as F
import torch_ocl  # noqa: F401
from common import timed  # noqa: E402


def cases(rows, hidden, vocab, dtype):
    es = torch.tensor([], dtype=dtype).element_size()
    act = rows * hidden * es

    def softmax(d, log=False):
        x = torch.randn(rows, hidden, device=d, dtype=dtype)
        fn = F.log_softmax if log else F.softmax
        return lambda: fn(x, -1)

    def softmax_bw(d):
        x = torch.randn(rows, hidden, device=d, dtype=dtype)
        y, g = F.softmax(x, -1), torch.randn_like(x)
        return lambda: torch.ops.aten._softmax_backward_data(g, y, -1, dtype)

    def layer_norm(d, backward=False):
        x = torch.randn(rows, hidden, device=d, dtype=dtype, requires_grad=backward)
        w = torch.randn(hidden, device=d, dtype=dtype, requires_grad=backward)
        b = torch.randn(hidden, device=d, dtype=dtype, requires_grad=backward)
        if not backward:
            return lambda: F.layer_norm(x, (hidden,), w, b)
        y = F.layer_norm(x, (hidden,), w, b)
        g = torch.randn_like(y)
        return lambda: torch.autograd.grad(y, (x, w, b), g, retain_graph=True)

    def rms_norm(d):
        x = torch.randn(rows, hidden, device=d, dtype=dtype)
        w = torch.randn(hidden, device=d, dtype=dtype)
        return lambda: F.rms_norm(x, (hidden,), w)

    def cross_entropy(d, backward=False):
        x = torch.randn(rows, vocab, device=d, dtype=dtype, requires_grad=backward)
        t = torch.randint(0, vocab, (rows,), device=d)
        if not backward:
            return lambda: F.cross_entropy(x, t)
        loss = F.cross_entropy(x, t)
        return lambda: torch.autograd.grad(loss, x, retain_graph=True)

    logits = rows * vocab * es
    return [
        (f"softmax [{rows},{hidden}]", 2 * act, softmax),
        (f"log_softmax [{rows},{hidden}]", 2 * act, lambda d: softmax(d, True)),
        (f"softmax backward [{rows},{hidden}]", 3 * act, softmax_bw),
        (f"layer_norm [{rows},{hidden}]", 2 * act, layer_norm),
        (f"layer_norm backward [{rows},{hidden}]", 3 * act, lambda d: layer_norm(d, True)),
        (f"rms_norm [{rows},{hidden}]", 2 * act, rms_norm),
        (f"cross_entropy [{rows},{vocab}]", 2 * logits, cross_entropy),
        (f"cross_entropy backward [{rows},{vocab}]", 3 * logits, lambda d: cross_entropy(d, True)),
    ]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=8192, help="tokens (batch x sequence)")
    p.add_argument("--hidden", type=int, default=1024)
    p.add_argument("--vocab", type=int, default=32000)
    p.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--json", help="write the rows to this file")
    a = p.parse_args()
    dtype = getattr(torch, a.dtype)
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    syncs = {"ocl": torch.ocl.synchronize, "cuda": torch.cuda.synchronize}
    rows = []
    header = f"{'case':44s} " + " ".join(f"{d + ' GB/s':>11s}" for d in devices)
    print(header + ("   cuda/ocl" if len(devices) > 1 else ""))
    for name, nbytes, setup in cases(a.rows, a.hidden, a.vocab, dtype):
        row = {"case": name, "bytes": nbytes}
        for d in devices:
            t = timed(setup(d), syncs[d], a.iters)
            row[d] = {"seconds": t, "GBps": nbytes / t / 1e9}
        line = f"{name:44s} " + " ".join(f"{row[d]['GBps']:11.1f}" for d in devices)
        if len(devices) > 1:
            line += f"   {row['ocl']['seconds'] and row['ocl']['seconds'] / row['cuda']['seconds']:9.2f}x"
        print(line)
        rows.append(row)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
