"""Transformer-shaped nn ops on ocl and cuda: softmax, log_softmax, layer_norm, rms_norm and
cross_entropy, forward and backward, and log_softmax over rows as long as a GPT-2 vocabulary.

Bandwidth counts the bytes the op must read plus write (each operand once). Backward rows call
the ATen backward op itself (not autograd.grad, whose fixed cost per call, larger than these
ops on ocl, would hide them). Each device runs
in its own process (see common.py), so cuda's autograd works beside ocl's; prints one table
with the ocl/cuda ratio; --json writes the rows.
"""

import torch
import torch.nn.functional as F
from common import Case, main


def cases(rows, hidden, vocab, long_row, dtype):
    es = torch.tensor([], dtype=dtype).element_size()
    act = rows * hidden * es

    def softmax(d, log=False, n=hidden):
        x = torch.randn(rows, n, device=d, dtype=dtype)
        fn = F.log_softmax if log else F.softmax
        return lambda: fn(x, -1)

    def softmax_bw(d, log=False, n=hidden):
        x = torch.randn(rows, n, device=d, dtype=dtype)
        g = torch.randn_like(x)
        if log:
            y = F.log_softmax(x, -1)
            return lambda: torch.ops.aten._log_softmax_backward_data(g, y, -1, dtype)
        y = F.softmax(x, -1)
        return lambda: torch.ops.aten._softmax_backward_data(g, y, -1, dtype)

    def layer_norm(d, backward=False):
        x = torch.randn(rows, hidden, device=d, dtype=dtype)
        w = torch.randn(hidden, device=d, dtype=dtype)
        b = torch.randn(hidden, device=d, dtype=dtype)
        if not backward:
            return lambda: F.layer_norm(x, (hidden,), w, b)
        _, mean, rstd = torch.ops.aten.native_layer_norm(x, [hidden], w, b, 1e-5)
        g = torch.randn_like(x)
        return lambda: torch.ops.aten.native_layer_norm_backward(g, x, [hidden], mean, rstd, w, b, [True] * 3)

    def rms_norm(d, backward=False):
        x = torch.randn(rows, hidden, device=d, dtype=dtype)
        w = torch.randn(hidden, device=d, dtype=dtype)
        if not backward:
            return lambda: F.rms_norm(x, (hidden,), w)
        _, rstd = torch.ops.aten._fused_rms_norm(x, [hidden], w, 1e-5)
        g = torch.randn_like(x)
        return lambda: torch.ops.aten._fused_rms_norm_backward(g, x, [hidden], rstd, w, [True] * 2)

    def cross_entropy(d, backward=False):
        x = torch.randn(rows, vocab, device=d, dtype=dtype, requires_grad=backward)
        t = torch.randint(0, vocab, (rows,), device=d)
        if not backward:
            return lambda: F.cross_entropy(x, t)
        loss = F.cross_entropy(x, t)
        return lambda: torch.autograd.grad(loss, x, retain_graph=True)

    logits = rows * vocab * es
    long_act = rows * long_row * es
    return [
        Case(f"softmax [{rows},{hidden}]", "GB/s", 2 * act, softmax),
        Case(f"log_softmax [{rows},{hidden}]", "GB/s", 2 * act, lambda d: softmax(d, True)),
        Case(f"softmax backward [{rows},{hidden}]", "GB/s", 3 * act, softmax_bw),
        Case(f"log_softmax backward [{rows},{hidden}]", "GB/s", 3 * act, lambda d: softmax_bw(d, True)),
        Case(f"layer_norm [{rows},{hidden}]", "GB/s", 2 * act, layer_norm),
        Case(f"layer_norm backward [{rows},{hidden}]", "GB/s", 3 * act, lambda d: layer_norm(d, True)),
        Case(f"rms_norm [{rows},{hidden}]", "GB/s", 2 * act, rms_norm),
        Case(f"rms_norm backward [{rows},{hidden}]", "GB/s", 3 * act, lambda d: rms_norm(d, True)),
        Case(f"cross_entropy [{rows},{vocab}]", "GB/s", 2 * logits, cross_entropy),
        Case(f"cross_entropy backward [{rows},{vocab}]", "GB/s", 3 * logits, lambda d: cross_entropy(d, True)),
        Case(f"log_softmax [{rows},{long_row}]", "GB/s", 2 * long_act, lambda d: softmax(d, True, long_row)),
        Case(f"log_softmax backward [{rows},{long_row}]", "GB/s", 3 * long_act,
             lambda d: softmax_bw(d, True, long_row)),
    ]


def add_arguments(p):
    p.add_argument("--rows", type=int, default=8192, help="tokens (batch x sequence)")
    p.add_argument("--hidden", type=int, default=1024)
    p.add_argument("--vocab", type=int, default=32000)
    p.add_argument("--long-row", type=int, default=50257,
                   help="row length of the long log_softmax cases (GPT-2's vocabulary: past the register kernels)")
    p.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--iters", type=int, default=20)


def make_cases(a):
    return cases(a.rows, a.hidden, a.vocab, a.long_row, getattr(torch, a.dtype))


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases, title=lambda a: f"dtype {a.dtype}")
