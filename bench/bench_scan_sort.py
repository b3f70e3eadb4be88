"""Scans, sorting and selection on ocl (and on cuda in the same process when present):
cumsum (GB/s, bytes read plus written), sort and topk (keys/s), nonzero, masked_select,
unique, searchsorted. Prints a table with ocl/cuda ratios; --json writes the rows.
"""

import argparse
import json

import torch
import torch_ocl  # noqa: F401
from common import timed  # noqa: E402


def cases(n, sort_n):
    """(name, unit, amount per call, setup(device) -> callable); unit 'GB' counts bytes, 'keys' elements."""
    f32 = 4
    return [
        ("cumsum f32 (1 row)", "GB", 2 * n * f32, lambda d: (lambda x, y: lambda: torch.cumsum(x, 0, out=y))(
            torch.randn(n, device=d), torch.empty(n, device=d))),
        ("cumsum f32 (rows of 1024)", "GB", 2 * n * f32, lambda d: (lambda x, y: lambda: torch.cumsum(x, 1, out=y))(
            torch.randn(n // 1024, 1024, device=d), torch.empty(n // 1024, 1024, device=d))),
        ("cumsum bf16 (1 row)", "GB", 2 * n * 2, lambda d: (lambda x: lambda: torch.cumsum(x, 0))(
            torch.randn(n, device=d, dtype=torch.bfloat16))),
        ("cummax f32 (1 row)", "GB", n * (2 * f32 + 8), lambda d: (lambda x: lambda: torch.cummax(x, 0))(
            torch.randn(n, device=d))),
        ("sort f32 (1 row)", "keys", sort_n, lambda d: (lambda x: lambda: torch.sort(x))(torch.randn(sort_n, device=d))),
        ("sort f32 (rows of 1000)", "keys", sort_n, lambda d: (lambda x: lambda: torch.sort(x, 1))(
            torch.randn(sort_n // 1000, 1000, device=d))),
        ("sort i64 (1 row)", "keys", sort_n, lambda d: (lambda x: lambda: torch.sort(x))(
            torch.randint(-2**40, 2**40, (sort_n,), device=d))),
        ("topk k=10 f32 (1 row)", "keys", sort_n, lambda d: (lambda x: lambda: torch.topk(x, 10))(
            torch.randn(sort_n, device=d))),
        ("nonzero f32 (half set)", "keys", n, lambda d: (lambda x: lambda: torch.nonzero(x))(
            (torch.rand(n, device=d) > 0.5).float())),
        ("masked_select f32 (half set)", "keys", n, lambda d: (lambda x, m: lambda: torch.masked_select(x, m))(
            torch.randn(n, device=d), torch.rand(n, device=d) > 0.5)),
        ("unique i64 (1000 values)", "keys", sort_n, lambda d: (lambda x: lambda: torch.unique(x))(
            torch.randint(0, 1000, (sort_n,), device=d))),
        ("searchsorted f32 (1M in 64K)", "keys", 1 << 20, lambda d: (lambda b, v: lambda: torch.searchsorted(b, v))(
            torch.randn(1 << 16, device=d).sort()[0], torch.randn(1 << 20, device=d))),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numel", type=int, default=64 << 20, help="elements for scans and compaction")
    ap.add_argument("--sort-numel", type=int, default=16 << 20, help="keys for sort, topk, unique")
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    syncs = {"ocl": torch.ocl.synchronize, "cuda": torch.cuda.synchronize if torch.cuda.is_available() else None}
    print(f"ocl device: {torch.ocl.get_device_name()}" +
          (f"; cuda device: {torch.cuda.get_device_name()}" if "cuda" in devices else ""))
    rows = []
    for name, unit, amount, setup in cases(args.numel, args.sort_numel):
        row = {"op": name, "unit": "GB/s" if unit == "GB" else "Mkeys/s"}
        for d in devices:
            fn = setup(d)
            s = timed(fn, syncs[d], args.iters)
            row[d] = amount / s / 1e9 if unit == "GB" else amount / s / 1e6
            row[d + "_ms"] = s * 1e3
            del fn
        rows.append(row)
        torch.ocl.empty_cache()
    header = f"{'op':34s} {'unit':>8s} {'ocl':>10s} {'ocl ms':>9s}" + (
        f" {'cuda':>10s} {'cuda ms':>9s} {'ocl/cuda':>9s}" if "cuda" in devices else "")
    print(header)
    for r in rows:
        line = f"{r['op']:34s} {r['unit']:>8s} {r['ocl']:10.2f} {r['ocl_ms']:9.2f}"
        if "cuda" in devices:
            line += f" {r['cuda']:10.2f} {r['cuda_ms']:9.2f} {r['ocl'] / r['cuda']:9.3f}"
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
