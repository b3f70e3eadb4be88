"""Matrix products on ocl (and on cuda in the same process when present): square mm in
float32/float16/bfloat16, a batched mm, and transformer-shaped linear layers (forward).

Throughput counts 2*m*n*k floating-point operations per product. Prints a table with
ocl/cuda ratios; --json writes the rows.
"""

import argparse
import json
import time

import torch
import torch.nn.functional as F
import torch_ocl  # noqa: F401

DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def timed(fn, sync, min_time=0.5, max_iters=200):
    """Seconds per call: one warm-up call (kernel builds), then as many calls as fit in min_time."""
    fn()
    sync()
    t0 = time.perf_counter()
    fn()
    sync()
    once = max(time.perf_counter() - t0, 1e-6)
    iters = max(1, min(max_iters, int(min_time / once)))
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    sync()
    return (time.perf_counter() - t0) / iters


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1024,2048,4096,8192", help="square mm sizes")
    ap.add_argument("--dtypes", default="f32,f16,bf16")
    ap.add_argument("--bmm", default="32,512,128", help="batch,seq,head_dim of q @ k^T")
    ap.add_argument("--linear", default="4096,4096,11008", help="tokens,in_features,out_features")
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds of timed calls per case")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dtypes = [s for s in args.dtypes.split(",") if s]
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    syncs = {"ocl": torch.ocl.synchronize, "cuda": torch.cuda.synchronize if torch.cuda.is_available() else None}
    print(f"ocl device: {torch.ocl.get_device_name()}" +
          (f"; cuda device: {torch.cuda.get_device_name()}" if "cuda" in devices else ""))
    header = f"{'op':44s} {'ocl TFLOP/s':>12s}"
    if "cuda" in devices:
        header += f" {'cuda TFLOP/s':>12s} {'ocl/cuda':>9s}"
    print(header, flush=True)
    rows = []
    bmm_shape = [int(s) for s in args.bmm.split(",")]
    linear_shape = [int(s) for s in args.linear.split(",")]
    for name, flops, setup in cases(sizes, dtypes, bmm_shape, linear_shape):
        row = {"op": name, "flops": flops}
        for d in devices:
            fn = setup(d)
            row[d] = flops / timed(fn, syncs[d], args.min_time) / 1e12
            del fn
        line = f"{name:44s} {row['ocl']:12.4f}"
        if "cuda" in devices:
            line += f" {row['cuda']:12.4f} {row['ocl'] / row['cuda']:9.3f}"
        print(line, flush=True)
        rows.append(row)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
