"""Convolution throughput on ocl and cuda: ResNet-style 3x3 and 1x1 (bottleneck, strided
downsample) convolutions, a MobileNet-style depthwise one and a ViT patch embedding, forward and forward + backward, NCHW or
--channels-last. `--net resnet50` measures instead every distinct convolution of torchvision's
ResNet-50 at 224x224 (the stem without an input gradient, as in training), with how often
the model runs each, and ends with the whole set weighted by those counts.

TFLOP/s counts 2 * multiply-adds of the forward (x3 for forward + backward). Each device runs
in its own process (see common.py), so cuda's autograd works beside ocl's; prints one table
with the ocl/cuda ratio; --json writes the rows.
"""

import torch
import torch.nn.functional as F
from common import Case, main


def shapes(batch):
    """(name, input shape, weight shape, conv2d kwargs)."""
    return [
        ("resnet 3x3 64ch 56x56", (batch, 64, 56, 56), (64, 64, 3, 3), dict(padding=1)),
        ("resnet 3x3 256ch 14x14", (batch, 256, 14, 14), (256, 256, 3, 3), dict(padding=1)),
        ("resnet 1x1 256->64 56x56", (batch, 256, 56, 56), (64, 256, 1, 1), {}),
        ("resnet 1x1 1024->256 14x14", (batch, 1024, 14, 14), (256, 1024, 1, 1), {}),
        ("resnet 1x1 256->512 /2 56x56", (batch, 256, 56, 56), (512, 256, 1, 1), dict(stride=2)),
        ("depthwise 3x3 96ch 56x56", (batch, 96, 56, 56), (96, 1, 3, 3), dict(padding=1, groups=96)),
        ("vit patch 16x16 -> 768", (batch, 3, 224, 224), (768, 3, 16, 16), dict(stride=16)),
    ]


def net_shapes(net, batch):
    """Distinct convolutions of a torchvision model at 224x224, traced on the meta device:
    [(name, input shape, weight shape, conv2d kwargs, count, input needs grad)]."""
    from vision import import_torchvision
    model = getattr(import_torchvision().models, net)().to("meta")
    found = {}

    def hook(mod, inputs, _):
        kw = dict(stride=mod.stride, padding=mod.padding, dilation=mod.dilation, groups=mod.groups)
        key = (tuple(inputs[0].shape), tuple(mod.weight.shape), tuple(sorted(kw.items())))
        count, input_grad = found.get(key, (0, bool(found)))  # the first one is the stem
        found[key] = (count + 1, input_grad)

    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.empty(batch, 3, 224, 224, device="meta"))
    out = []
    for (xs, ws, kw), (count, input_grad) in found.items():
        kw = dict(kw)
        k = "x".join(map(str, ws[2:]))
        name = f"{net} {k} {ws[1]}->{ws[0]} {xs[2]}x{xs[3]}" + (f" /{kw['stride'][0]}" if kw["stride"][0] > 1 else "")
        out.append((name, xs, ws, kw, count, input_grad))
    return out


def flops(x_shape, w_shape, kw):
    out = F.conv2d(torch.empty(x_shape, device="meta"), torch.empty(w_shape, device="meta"), **kw)
    return 2 * out.numel() * w_shape[1] * w_shape[2] * w_shape[3]


def conv(device, dtype, x_shape, w_shape, kw, backward, channels_last, input_grad=True, bias=True):
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    x = torch.randn(x_shape, device=device, dtype=dtype).contiguous(memory_format=fmt)
    x.requires_grad_(backward and input_grad)
    w = torch.randn(w_shape, device=device, dtype=dtype).contiguous(memory_format=fmt).requires_grad_(backward)
    b = torch.randn(w_shape[0], device=device, dtype=dtype, requires_grad=backward) if bias else None
    grad = torch.randn(F.conv2d(x.detach(), w.detach(), b, **kw).shape, device=device, dtype=dtype)
    grad = grad.contiguous(memory_format=fmt)
    wrt = [t for t in (x, w, b) if t is not None and t.requires_grad]

    def step():  # gradients returned, not accumulated: every call runs the same kernels
        out = F.conv2d(x, w, b, **kw)
        if backward:
            torch.autograd.grad(out, wrt, grad)

    return step


def steps(cases):
    """One callable running each (count, step) count times: the net's convolutions together."""
    def setup(device):
        fns = [(count, make(device)) for count, make in cases]

        def run():
            for count, fn in fns:
                for _ in range(count):
                    fn()
        return run
    return setup


def add_arguments(p):
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--net", choices=["resnet50", "resnet18"],
                   help="the distinct convolutions of this torchvision model instead of the fixed shapes")


def net_cases(a, dtype):
    out, whole = [], []
    for name, xs, ws, kw, count, input_grad in net_shapes(a.net, a.batch):
        work = flops(xs, ws, kw) * (3 if input_grad else 2)
        make = (lambda d, xs=xs, ws=ws, kw=kw, ig=input_grad:
                conv(d, dtype, xs, ws, kw, True, a.channels_last, ig, bias=False))
        out.append(Case(f"{name} x{count} fwd+bwd", "TFLOP/s", work, make))
        whole.append((count, make, work * count))
    out.append(Case(f"{a.net} all convolutions fwd+bwd", "ms", 0,
                    steps([(c, m) for c, m, _ in whole]), iters=3))
    return out


def make_cases(a):
    dtype = getattr(torch, a.dtype)
    if a.net:
        return net_cases(a, dtype)
    out = []
    for name, xs, ws, kw in shapes(a.batch):
        for backward in (False, True):
            out.append(Case(f"{name} {'fwd+bwd' if backward else 'fwd'}", "TFLOP/s",
                            flops(xs, ws, kw) * (3 if backward else 1),
                            lambda d, xs=xs, ws=ws, kw=kw, backward=backward:
                                conv(d, dtype, xs, ws, kw, backward, a.channels_last)))
    return out


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases,
         title=lambda a: f"{a.dtype}, batch {a.batch}, {'channels_last' if a.channels_last else 'NCHW'}")
