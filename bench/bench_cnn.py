"""The memory-bound ops of a CNN training step on ocl and cuda, in ResNet-50's shapes: batch norm
(training: statistics + normalisation forward, the three gradients backward), max pooling, the
residual add + ReLU and the final adaptive average pool, forward and backward.

Bandwidth counts the bytes the op must read plus write (each operand once: batch norm forward
reads x twice, for the statistics and for y, as cuDNN's kernels do; its backward reads dy and x
for the sums and again for dx). Channels-last by default (the fast layout), `--nchw` for the
contiguous one. Each device runs in its own process (see common.py).
"""

import torch
import torch.nn.functional as F
from common import Case, main


def cases(batch, dtype, fmt):
    es = torch.tensor([], dtype=dtype).element_size()

    def tensor(d, c, hw, grad=False):
        x = torch.randn(batch, c, hw, hw, device=d, dtype=dtype).contiguous(memory_format=fmt)
        return x.requires_grad_(grad)

    def batch_norm(c, hw, backward=False):
        def setup(d):
            x = tensor(d, c, hw, backward)
            w = torch.randn(c, device=d, requires_grad=backward)
            b = torch.randn(c, device=d, requires_grad=backward)
            rm, rv = torch.zeros(c, device=d), torch.ones(c, device=d)
            if not backward:
                return lambda: F.batch_norm(x, rm, rv, w, b, training=True)
            y = F.batch_norm(x, rm, rv, w, b, training=True)
            g = torch.randn_like(y)
            return lambda: torch.autograd.grad(y, (x, w, b), g, retain_graph=True)
        return setup

    def norm(kind, c, hw, backward=False):  # group_norm (32 groups) or instance_norm, affine
        def setup(d):
            x = tensor(d, c, hw, backward)
            w = torch.randn(c, device=d, dtype=dtype, requires_grad=backward)
            b = torch.randn(c, device=d, dtype=dtype, requires_grad=backward)
            fn = ((lambda: F.group_norm(x, 32, w, b)) if kind == "group_norm" else
                  (lambda: F.instance_norm(x, weight=w, bias=b)))
            if not backward:
                return fn
            y = fn()
            g = torch.randn_like(y)
            return lambda: torch.autograd.grad(y, (x, w, b), g, retain_graph=True)
        return setup

    def max_pool(c, hw, backward=False):
        def setup(d):
            x = tensor(d, c, hw, backward)
            if not backward:
                return lambda: F.max_pool2d(x, 3, 2, 1)
            y = F.max_pool2d(x, 3, 2, 1)
            g = torch.randn_like(y)
            return lambda: torch.autograd.grad(y, x, g, retain_graph=True)
        return setup

    def add_relu(c, hw, backward=False):
        def setup(d):
            x, r = tensor(d, c, hw, backward), tensor(d, c, hw, backward)
            if not backward:
                return lambda: F.relu(x + r)
            y = F.relu(x + r)
            g = torch.randn_like(y)
            return lambda: torch.autograd.grad(y, (x, r), g, retain_graph=True)
        return setup

    def avg_pool(c, hw, backward=False):
        def setup(d):
            x = tensor(d, c, hw, backward)
            if not backward:
                return lambda: F.adaptive_avg_pool2d(x, 1)
            y = F.adaptive_avg_pool2d(x, 1)
            g = torch.randn_like(y)
            return lambda: torch.autograd.grad(y, x, g, retain_graph=True)
        return setup

    def size(c, hw):
        return batch * c * hw * hw * es

    out = []
    for c, hw in ((64, 112), (256, 56), (1024, 14)):
        s = size(c, hw)
        out += [Case(f"batch_norm {c}ch {hw}x{hw}", "GB/s", 3 * s, batch_norm(c, hw)),
                Case(f"batch_norm backward {c}ch {hw}x{hw}", "GB/s", 5 * s, batch_norm(c, hw, True))]
    s = size(256, 56)
    for kind in ("group_norm", "instance_norm"):
        out += [Case(f"{kind} 256ch 56x56", "GB/s", 2 * s, norm(kind, 256, 56)),
                Case(f"{kind} backward 256ch 56x56", "GB/s", 3 * s, norm(kind, 256, 56, True))]
    s = size(64, 112)
    out += [Case("max_pool 3x3/2 64ch 112x112", "GB/s", s * 5 / 4, max_pool(64, 112)),
            Case("max_pool backward 3x3/2 64ch 112x112", "GB/s", s * 5 / 4, max_pool(64, 112, True))]
    s = size(256, 56)
    out += [Case("add + relu 256ch 56x56", "GB/s", 3 * s, add_relu(256, 56)),
            Case("add + relu backward 256ch 56x56", "GB/s", 4 * s, add_relu(256, 56, True))]
    s = size(2048, 7)
    out += [Case("adaptive_avg_pool 2048ch 7x7", "GB/s", s, avg_pool(2048, 7)),
            Case("adaptive_avg_pool backward 2048ch 7x7", "GB/s", s, avg_pool(2048, 7, True))]
    return out


def add_arguments(p):
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--dtype", default="bfloat16", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--nchw", action="store_true", help="the contiguous layout instead of channels_last")
    p.add_argument("--iters", type=int, default=20)


def make_cases(a):
    fmt = torch.contiguous_format if a.nchw else torch.channels_last
    return cases(a.batch, getattr(torch, a.dtype), fmt)


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases,
         title=lambda a: f"batch {a.batch}, {a.dtype}, {'NCHW' if a.nchw else 'channels_last'}")
