"""Memory-bound ops on ocl and cuda: device copy, strided copy, casts, fill, random,
pointwise arithmetic, reductions, host<->device transfers, tiny-op cost.

Bandwidth counts bytes read plus bytes written. Each device runs in its own process (see
common.py); prints one table with the ocl/cuda ratio; --json writes the rows.
"""

import torch
from common import Case, main


def cases(n):
    """(name, bytes moved per call, setup(device) -> callable). Pinned memory is for the
    process's one accelerator: each device runs in its own process."""
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
        ("mul_ bf16 (in place, x *= y)", 3 * n * f16, lambda d: (lambda x, y: lambda: x.mul_(y))(
            torch.randn(n, device=d, dtype=torch.bfloat16), torch.randn(n, device=d, dtype=torch.bfloat16))),
        ("mul_ bf16 (in place, x *= 0.5)", 2 * n * f16, lambda d: (lambda x: lambda: x.mul_(0.5))(
            torch.randn(n, device=d, dtype=torch.bfloat16))),
        ("gt f32 -> bool", n * (2 * f32 + 1), lambda d: (lambda x, y, z: lambda: torch.gt(x, y, out=z))(
            torch.randn(n, device=d), torch.randn(n, device=d), torch.empty(n, device=d, dtype=torch.bool))),
        ("sum f32 (all elements)", n * f32, lambda d: (lambda x: lambda: x.sum())(torch.randn(n, device=d))),
        ("sum f32 rows (dim=1 of n/1024 x 1024)", n * f32, lambda d: (lambda x: lambda: x.sum(1))(
            torch.randn(n // 1024, 1024, device=d))),
        ("sum f32 columns (dim=0 of n/1024 x 1024)", n * f32, lambda d: (lambda x: lambda: x.sum(0))(
            torch.randn(n // 1024, 1024, device=d))),
        ("amax f32 (all elements)", n * f32, lambda d: (lambda x: lambda: x.amax())(torch.randn(n, device=d))),
        ("H2D pinned f32", n * f32, lambda d: (lambda h, y: lambda: y.copy_(h, non_blocking=True))(
            torch.randn(n).pin_memory(), torch.empty(n, device=d))),
        ("D2H pinned f32", n * f32, lambda d: (lambda x, h: lambda: h.copy_(x, non_blocking=True))(
            torch.randn(n, device=d), torch.empty(n).pin_memory())),
    ]


def make_cases(args):
    n = args.numel
    rows = [Case(name, "GB/s", nbytes, setup) for name, nbytes, setup in cases(n)]
    # tiny-op cost: host-side dispatch + enqueue of a 1-element fill_
    rows.append(Case("fill_ 1 element (us/op)", "us", 0, lambda d: (lambda t: lambda: t.fill_(1.0))(
        torch.empty(1, device=d)), iters=2000))
    rows.append(Case("add_ 1 element (us/op)", "us", 0, lambda d: (lambda t, u: lambda: t.add_(u))(
        torch.ones(1, device=d), torch.ones(1, device=d)), iters=2000))
    return rows


def add_arguments(ap):
    ap.add_argument("--numel", type=int, default=64 << 20)
    ap.add_argument("--iters", type=int, default=20)


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases)
