"""Scans, sorting and selection on ocl and cuda: cumsum (GB/s, bytes read plus written), sort
and topk (keys/s), nonzero, masked_select, unique, searchsorted.

Each device runs in its own process (see common.py); prints one table with the ocl/cuda
ratio; --json writes the rows.
"""

import torch
from common import Case, main


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
        # [4096, 1000] at the default size: classification top-5
        ("topk k=5 f32 (rows of 1000)", "keys", sort_n // 4096 * 1000, lambda d: (
            lambda x: lambda: torch.topk(x, 5, 1))(torch.randn(sort_n // 4096, 1000, device=d))),
        ("nonzero f32 (half set)", "keys", n, lambda d: (lambda x: lambda: torch.nonzero(x))(
            (torch.rand(n, device=d) > 0.5).float())),
        ("masked_select f32 (half set)", "keys", n, lambda d: (lambda x, m: lambda: torch.masked_select(x, m))(
            torch.randn(n, device=d), torch.rand(n, device=d) > 0.5)),
        ("unique i64 (1000 values)", "keys", sort_n, lambda d: (lambda x: lambda: torch.unique(x))(
            torch.randint(0, 1000, (sort_n,), device=d))),
        ("searchsorted f32 (1M in 64K)", "keys", 1 << 20, lambda d: (lambda b, v: lambda: torch.searchsorted(b, v))(
            torch.randn(1 << 16, device=d).sort()[0], torch.randn(1 << 20, device=d))),
    ]


def add_arguments(ap):
    ap.add_argument("--numel", type=int, default=64 << 20, help="elements for scans and compaction")
    ap.add_argument("--sort-numel", type=int, default=16 << 20, help="keys for sort, topk, unique")
    ap.add_argument("--iters", type=int, default=5)


def make_cases(args):
    units = {"GB": "GB/s", "keys": "Mkeys/s"}
    return [Case(name, units[unit], amount, setup)
            for name, unit, amount, setup in cases(args.numel, args.sort_numel)]


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases)
