"""Matrix products on ocl and cuda: square mm in float32/float16/bfloat16, a batched mm, and
transformer-shaped linear layers (forward).

Throughput counts 2*m*n*k floating-point operations per product. Each device runs in its own
process (see common.py); prints one table with the ocl/cuda ratio; --json writes the rows.
"""

import torch
import torch.nn.functional as F
from common import Case, main, timed_for

DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def cases(sizes, dtypes, bmm_shape, linear_shape):
    """(name, flops per call, setup(device) -> callable)."""
    out = []
    b, m, k = bmm_shape  # attention scores: (batch*heads, seq, head_dim) @ (.., head_dim, seq)
    tokens, hidden, ffn = linear_shape  # an MLP up-projection of a 7B-class model
    for tag in dtypes:
        dt = DTYPES[tag]
        for n in sizes:
            out.append((f"mm {tag} {n}x{n}x{n}", 2 * n**3, lambda d, n=n, dt=dt: (
                lambda a, b, c: lambda: torch.mm(a, b, out=c))(
                torch.randn(n, n, device=d, dtype=dt), torch.randn(n, n, device=d, dtype=dt),
                torch.empty(n, n, device=d, dtype=dt))))
        out.append((f"bmm {tag} {b}x{m}x{m}x{k} (q @ k^T)", 2 * b * m * m * k, lambda d, dt=dt, b=b, m=m, k=k: (
            lambda q, kk: lambda: torch.bmm(q, kk.transpose(1, 2)))(
            torch.randn(b, m, k, device=d, dtype=dt), torch.randn(b, m, k, device=d, dtype=dt))))
        out.append((f"linear {tag} {tokens}x{hidden}->{ffn} (+bias)", 2 * tokens * hidden * ffn,
                    lambda d, dt=dt, tokens=tokens, hidden=hidden, ffn=ffn: (
            lambda x, w, bias: lambda: F.linear(x, w, bias))(
            torch.randn(tokens, hidden, device=d, dtype=dt), torch.randn(ffn, hidden, device=d, dtype=dt) * 0.02,
            torch.randn(ffn, device=d, dtype=dt))))
    return out


def add_arguments(ap):
    ap.add_argument("--sizes", default="1024,2048,4096,8192", help="square mm sizes")
    ap.add_argument("--dtypes", default="f32,f16,bf16")
    ap.add_argument("--bmm", default="32,512,128", help="batch,seq,head_dim of q @ k^T")
    ap.add_argument("--linear", default="4096,4096,11008", help="tokens,in_features,out_features")
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds of timed calls per case")


def make_cases(args):
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dtypes = [s for s in args.dtypes.split(",") if s]
    bmm_shape = [int(s) for s in args.bmm.split(",")]
    linear_shape = [int(s) for s in args.linear.split(",")]
    return [Case(name, "TFLOP/s", flops, setup)
            for name, flops, setup in cases(sizes, dtypes, bmm_shape, linear_shape)]


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases, timer=lambda fn, sync, args: timed_for(fn, sync, args.min_time))
