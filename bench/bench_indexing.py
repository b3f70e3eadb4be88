"""Indexing and shape ops on ocl (and on cuda in the same process when present): cat,
index_select, gather, scatter_add, index_put accumulate and embedding backward.

Bandwidth counts bytes read (data and indices) plus bytes written. Prints a table with the
ocl/cuda ratio; --json writes the rows.
"""

import argparse
import json

import torch
import torch_ocl  # noqa: F401
from common import timed  # noqa: E402


def cases(n):
    """(name, bytes moved per call, setup(device) -> callable)."""
    f32, i64 = 4, 8
    d = 1024
    rows = n // d
    k = 8  # inputs of cat
    return [
        (f"cat f32 ({k} inputs, dim 0)", 2 * n * f32, lambda dev: (lambda xs: lambda: torch.cat(xs))(
            [torch.randn(n // k, device=dev) for _ in range(k)])),
        (f"cat f32 ({k} inputs, dim 1)", 2 * n * f32, lambda dev: (lambda xs: lambda: torch.cat(xs, 1))(
            [torch.randn(rows, d // k, device=dev) for _ in range(k)])),
        ("index_select f32 rows (dim 0, 1024 wide)", 2 * n * f32 + rows * i64,
         lambda dev: (lambda x, i: lambda: x.index_select(0, i))(
             torch.randn(rows, d, device=dev), torch.randint(0, rows, (rows,), device=dev))),
        ("gather f32 (dim 1)", 2 * n * f32 + n * i64, lambda dev: (lambda x, i: lambda: x.gather(1, i))(
            torch.randn(rows, d, device=dev), torch.randint(0, d, (rows, d), device=dev))),
        ("scatter_add f32 (dim 0, duplicates)", 3 * n * f32 + n * i64,
         lambda dev: (lambda x, i, s: lambda: x.scatter_add_(0, i, s))(
             torch.zeros(rows, d, device=dev), torch.randint(0, rows, (rows, d), device=dev),
             torch.randn(rows, d, device=dev))),
        ("index_put_ accumulate f32 rows", 3 * n * f32 + rows * i64,
         lambda dev: (lambda x, i, v: lambda: x.index_put_((i,), v, accumulate=True))(
             torch.zeros(rows, d, device=dev), torch.randint(0, rows, (rows,), device=dev),
             torch.randn(rows, d, device=dev))),
        ("embedding backward f32 (32k vocab)", 3 * n * f32 + rows * i64,
         lambda dev: (lambda g, i: lambda: torch.ops.aten.embedding_dense_backward(g, i, 32768, -1, False))(
             torch.randn(rows, d, device=dev), torch.randint(0, 32768, (rows,), device=dev))),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numel", type=int, default=64 << 20)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    syncs = {"ocl": torch.ocl.synchronize, "cuda": torch.cuda.synchronize if torch.cuda.is_available() else None}
    print(f"ocl device: {torch.ocl.get_device_name()}" +
          (f"; cuda device: {torch.cuda.get_device_name()}" if "cuda" in devices else ""))
    rows = []
    for name, nbytes, setup in cases(args.numel):
        row = {"op": name, "bytes": nbytes}
        for dev in devices:
            fn = setup(dev)
            row[dev] = nbytes / timed(fn, syncs[dev], args.iters) / 1e9
            del fn
        rows.append(row)
    header = f"{'op':42s} {'ocl GB/s':>10s}" + (f" {'cuda GB/s':>10s} {'ocl/cuda':>9s}" if "cuda" in devices else "")
    print(header)
    for r in rows:
        line = f"{r['op']:42s} {r['ocl']:10.2f}"
        if "cuda" in devices:
            line += f" {r['cuda']:10.2f} {r['ocl'] / r['cuda']:9.2f}"
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
