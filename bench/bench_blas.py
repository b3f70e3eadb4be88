"""Matrix products on ocl and cuda: square mm, batched mm (attention shapes), and the three
products of a linear layer at transformer layer shapes (forward x @ W^T "nt", input gradient
dY @ W "nn", weight gradient dY^T @ X "tn"), in float32/float16/bfloat16, and float32 as TF32
("tf32": torch.set_float32_matmul_precision("high") on both devices).

Throughput counts 2*m*n*k floating-point operations per product. Each device runs in its own
process (see common.py); prints one table with the ocl/cuda ratio; --json writes the rows.
"""

import torch
import torch.nn.functional as F
from common import Case, main, timed_for

DTYPES = {"f32": torch.float32, "tf32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def operand(d, dt, rows, cols, trans):
    """A rows x cols operand, stored transposed (a column-major view) when trans."""
    if trans:
        return torch.randn(cols, rows, device=d, dtype=dt).t()
    return torch.randn(rows, cols, device=d, dtype=dt)


def make_product(m, n, k, layout, dt, batch=0, bias=False):
    """setup(device) -> fn for C = A @ B with A m x k, B k x n laid out as `layout` ("nt": B is
    a transposed view, as in F.linear; "tn": A is)."""
    ta, tb = layout[0] == "t", layout[1] == "t"

    def setup(d):
        if batch:
            a = torch.randn(batch, k, m, device=d, dtype=dt).transpose(1, 2) if ta else \
                torch.randn(batch, m, k, device=d, dtype=dt)
            b = torch.randn(batch, n, k, device=d, dtype=dt).transpose(1, 2) if tb else \
                torch.randn(batch, k, n, device=d, dtype=dt)
            return lambda: torch.bmm(a, b)
        a, b = operand(d, dt, m, k, ta), operand(d, dt, k, n, tb)
        if bias:
            s = torch.randn(n, device=d, dtype=dt)
            return lambda: torch.addmm(s, a, b)
        c = torch.empty(m, n, device=d, dtype=dt)
        return lambda: torch.mm(a, b, out=c)

    return setup


def cases(args):
    """(name, flops per call, setup(device) -> callable)."""
    out = []
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for tag in [s for s in args.dtypes.split(",") if s]:
        dt = DTYPES[tag]

        def product(*a, precision="high" if tag == "tf32" else "highest", **kw):
            setup = make_product(*a, **kw)

            def with_precision(d):  # the float32 matmul precision this case runs at
                torch.set_float32_matmul_precision(precision)
                return setup(d)
            return with_precision

        for n in sizes:
            out.append((f"mm {tag} {n}x{n}x{n}", 2 * n**3, product(n, n, n, "nn", dt)))
        for spec in [s for s in args.bmm.split(";") if s]:
            b, m, n, k, lay = spec.split(",")
            b, m, n, k = int(b), int(m), int(n), int(k)
            out.append((f"bmm {tag} {b}x{m}x{n}x{k} {lay}", 2 * b * m * n * k, product(m, n, k, lay, dt, batch=b)))
        for group in [s for s in args.layers.split(";") if s]:
            tokens, shapes = group.split(":")
            tokens = int(tokens)
            for shape in shapes.split(","):
                fout, fin = (int(v) for v in shape.split("x"))
                for lay in args.layouts.split(","):
                    # forward (x @ W^T), input gradient (dY @ W), weight gradient (dY^T @ X)
                    m, n, k = {"nt": (tokens, fout, fin), "nn": (tokens, fin, fout), "tn": (fout, fin, tokens)}[lay]
                    bias = lay == "nt" and not args.no_bias
                    out.append((f"{tag} {m}x{n}x{k} {lay}" + (" +bias" if bias else ""), 2 * m * n * k,
                                product(m, n, k, lay, dt, bias=bias)))
    return out


def add_arguments(ap):
    ap.add_argument("--sizes", default="1024,2048,4096,8192", help="square mm sizes")
    ap.add_argument("--dtypes", default="f32,f16,bf16", help="of f32, tf32, f16, bf16")
    ap.add_argument("--bmm", default="64,1024,1024,128,nt;96,1024,1024,64,nt;96,1024,64,1024,nn",
                    help="batched products b,m,n,k,layout separated by ';' (default: attention's q @ k^T at "
                         "head dim 128 and 64, and GPT-2's p @ v)")
    ap.add_argument("--layers", default="8192:2304x768,768x768,3072x768,768x3072;4096:11008x4096,4096x11008",
                    help="tokens:out x in,... per model separated by ';' (default: GPT-2/BERT, Llama-7B MLP)")
    ap.add_argument("--layouts", default="nt,nn,tn", help="which of a linear layer's products to measure")
    ap.add_argument("--no-bias", action="store_true", help="the forward (nt) products without the layer's bias")
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds of timed calls per case")


def make_cases(args):
    return [Case(name, "TFLOP/s", flops, setup) for name, flops, setup in cases(args)]


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases, timer=lambda fn, sync, args: timed_for(fn, sync, args.min_time))
