"""Scaled-dot-product attention on ocl and cuda, forward and forward + backward, causal, at
sequence 1024-4096 and head dims 64 and 128 (TFLOP/s: 4 * B * H * L * S * D per forward, 2.5x
that for forward + backward, halved when causal). ocl runs the backend chosen by --backend:
"fused" (the overrideable backend alone: attention.cl), "math" (bmm + softmax + bmm), or
"default" (PyTorch's choice, as a model gets it); cuda always runs its default. --dropout P
applies attention dropout as training does (GPT-2's 0.1), on both devices. --deterministic runs
ocl under torch.use_deterministic_algorithms (the tensor-core backward then computes dQ in its own
kernel instead of adding it up atomically in the dK/dV kernel).

Each device runs in its own process (see common.py); prints one table with the ocl/cuda ratio.
"""

import contextlib

import torch
import torch.nn.functional as F
from common import Case, main, timed

DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def backend_context(device, backend):
    from torch.nn.attention import SDPBackend, sdpa_kernel

    if device != "ocl" or backend == "default":
        return contextlib.nullcontext()
    return sdpa_kernel([SDPBackend.OVERRIDEABLE if backend == "fused" else SDPBackend.MATH])


def make_cases(args):
    out = []
    dt = DTYPES[args.dtype]
    for spec in [s for s in args.shapes.split(";") if s]:
        b, h, seq, d = (int(v) for v in spec.split(","))
        flops = 4 * b * h * seq * seq * d / (2 if args.causal else 1)

        def setup(device, b=b, h=h, seq=seq, d=d, backward=False):
            if device == "ocl" and args.deterministic:
                torch.use_deterministic_algorithms(True)
            q, k, v = (torch.randn(b, h, seq, d, device=device, dtype=dt, requires_grad=backward) for _ in range(3))
            def fwd():
                with backend_context(device, args.backend):
                    return F.scaled_dot_product_attention(q, k, v, is_causal=args.causal, dropout_p=args.dropout)

            if not backward:
                return fwd
            g = torch.randn(b, h, seq, d, device=device, dtype=dt)
            return lambda: torch.autograd.grad(fwd(), (q, k, v), g)

        name = f"sdpa {args.dtype} {b}x{h}x{seq}x{d}" + (" causal" if args.causal else "") + (
            f" dropout {args.dropout:g}" if args.dropout else "")
        out.append(Case(name + " fwd", "TFLOP/s", flops, setup))
        out.append(Case(name + " fwd+bwd", "TFLOP/s", 3.5 * flops, lambda dev, s=setup: s(dev, backward=True)))
    return out


def add_arguments(ap):
    ap.add_argument("--shapes", default="8,12,1024,64;4,16,2048,128;1,16,4096,128;2,32,4096,64",
                    help="batch,heads,seq,head_dim separated by ';'")
    ap.add_argument("--dtype", default="bf16", choices=list(DTYPES))
    ap.add_argument("--causal", action="store_true", default=True)
    ap.add_argument("--full", dest="causal", action="store_false", help="no causal mask")
    ap.add_argument("--backend", default="fused", choices=["fused", "math", "default"])
    ap.add_argument("--dropout", type=float, default=0.0, help="attention dropout probability")
    ap.add_argument("--deterministic", action="store_true", help="ocl under torch.use_deterministic_algorithms")
    ap.add_argument("--iters", type=int, default=10)


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases, timer=lambda fn, sync, args: timed(fn, sync, args.iters),
         title=lambda a: f"ocl backend: {a.backend}")
