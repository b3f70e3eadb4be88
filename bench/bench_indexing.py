"""Indexing and shape ops on ocl and cuda: cat, index_select, gather, scatter_add, index_put
accumulate and embedding backward.

Bandwidth counts bytes read (data and indices) plus bytes written. Each device runs in its own
process (see common.py); prints one table with the ocl/cuda ratio; --json writes the rows.
"""

import torch
from common import Case, main


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


def add_arguments(ap):
    ap.add_argument("--numel", type=int, default=64 << 20)
    ap.add_argument("--iters", type=int, default=10)


def make_cases(args):
    return [Case(name, "GB/s", nbytes, setup) for name, nbytes, setup in cases(args.numel)]


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases)
