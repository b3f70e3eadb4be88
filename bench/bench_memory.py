"""Memory-bound ops on ocl (and on cuda in the same process when present): device copy,
strided copy, casts, fill, random, pointwise arithmetic, reductions, host<->device transfers,
tiny-op cost.

Bandwidth counts bytes read plus bytes written. Prints a table; --json writes the rows.
"""

import argparse
import json
import warnings

import torch
import torch_ocl  # noqa: F401
from common import timed  # noqa: E402


def pinned(t, device):
    """Host memory pinned by the given backend (with both cuda and ocl in one process, the
    plain pin_memory() would pick one of them for both)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return t.pin_memory(device)


def cases(n):
    """(name, bytes moved per call, setup(device) -> callable)."""
    f32, f16 = 4, 2
    side = int(n**0.5)
    return [
        ("copy f32 (contiguous)", 2 * n * f32, lambda d: (lambda x, y: lambda: y.copy_(x))(
            torch.randn(n, device=d), torch.empty(n, device=d))),
        ("copy f32 (transpose)", 2 * side * side * f32, lambda d: (lambda x, y: lambda: y.copy_(x.t()))(
            torch.randn(side, side, device=d), torch.empty(side, side, device=d))),
        ("cast f32->f16", n * (f32 + f16), lambda d: (lambda x, y: lambda: y.copy_(x))(
            torch.randn(n, device=d), torch.empty(n, device=d, dtype=torch.float16))),
        ("cast bf16->f32", n * (f32 + f16), lambda d: (lambda x, y: lambda: y.copy_(x))(
            torch.randn(n, device=d).to(torch.bfloat16), torch.empty(n, device=d))),
        ("fill f32", n * f32, lambda d: (lambda y: lambda: y.fill_(1.5))(torch.empty(n, device=d))),
        ("uniform_ f32", n * f32, lambda d: (lambda y: lambda: y.uniform_())(torch.empty(n, device=d))),
        ("normal_ f32", n * f32, lambda d: (lambda y: lambda: y.normal_())(torch.empty(n, device=d))),
        ("add f32 (a + b)", 3 * n * f32, lambda d: (lambda x, y, z: lambda: torch.add(x, y, out=z))(
            torch.randn(n, device=d), torch.randn(n, device=d), torch.empty(n, device=d))),
        ("mul f32 broadcast row", 2 * n * f32, lambda d: (lambda x, y, z: lambda: torch.mul(x, y, out=z))(
            torch.randn(n // 1024, 1024, device=d), torch.randn(1024, device=d), torch.empty(n // 1024, 1024, device=d))),
        ("exp f32", 2 * n * f32, lambda d: (lambda x, z: lambda: torch.exp(x, out=z))(
            torch.randn(n, device=d), torch.empty(n, device=d))),
        ("add bf16", 3 * n * f16, lambda d: (lambda x, y, z: lambda: torch.add(x, y, out=z))(
            torch.randn(n, device=d, dtype=torch.bfloat16), torch.randn(n, device=d, dtype=torch.bfloat16),
            torch.empty(n, device=d, dtype=torch.bfloat16))),
        ("gt f32 -> bool", n * (2 * f32 + 1), lambda d: (lambda x, y, z: lambda: torch.gt(x, y, out=z))(
            torch.randn(n, device=d), torch.randn(n, device=d), torch.empty(n, device=d, dtype=torch.bool))),
        ("sum f32 (all elements)", n * f32, lambda d: (lambda x: lambda: x.sum())(torch.randn(n, device=d))),
        ("sum f32 rows (dim=1 of n/1024 x 1024)", n * f32, lambda d: (lambda x: lambda: x.sum(1))(
            torch.randn(n // 1024, 1024, device=d))),
        ("sum f32 columns (dim=0 of n/1024 x 1024)", n * f32, lambda d: (lambda x: lambda: x.sum(0))(
            torch.randn(n // 1024, 1024, device=d))),
        ("amax f32 (all elements)", n * f32, lambda d: (lambda x: lambda: x.amax())(torch.randn(n, device=d))),
        ("H2D pinned f32", n * f32, lambda d: (lambda h, y: lambda: y.copy_(h, non_blocking=True))(
            pinned(torch.randn(n), d), torch.empty(n, device=d))),
        ("D2H pinned f32", n * f32, lambda d: (lambda x, h: lambda: h.copy_(x, non_blocking=True))(
            torch.randn(n, device=d), pinned(torch.empty(n), d))),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numel", type=int, default=64 << 20)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    syncs = {"ocl": torch.ocl.synchronize, "cuda": torch.cuda.synchronize if torch.cuda.is_available() else None}
    print(f"ocl device: {torch.ocl.get_device_name()}" +
          (f"; cuda device: {torch.cuda.get_device_name()}" if "cuda" in devices else ""))
    rows = []
    for name, nbytes, setup in cases(args.numel):
        row = {"op": name, "bytes": nbytes}
        for d in devices:
            fn = setup(d)
            s = timed(fn, syncs[d], args.iters)
            row[d] = nbytes / s / 1e9
            del fn
        rows.append(row)
    # tiny-op cost: host-side dispatch + enqueue of a 1-element fill_
    lat = {"op": "fill_ 1 element (us/op)", "bytes": 0}
    for d in devices:
        t = torch.empty(1, device=d)
        lat[d] = timed(lambda: t.fill_(1.0), syncs[d], 2000) * 1e6
    rows.append(lat)
    # ratio: ocl speed over cuda speed (bandwidth ratio; for latency rows, cuda time / ocl time)
    header = f"{'op':42s} {'ocl GB/s':>10s}" + (f" {'cuda GB/s':>10s} {'ocl/cuda':>9s}" if "cuda" in devices else "")
    print(header)
    for r in rows:
        line = f"{r['op']:42s} {r.get('ocl', float('nan')):10.2f}"
        if "cuda" in devices:
            c = r.get("cuda", float("nan"))
            ratio = r["ocl"] / c if r["bytes"] else c / r["ocl"]
            line += f" {c:10.2f} {ratio:9.2f}"
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
