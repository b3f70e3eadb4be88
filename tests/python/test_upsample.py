"""Upsampling (F.interpolate): 1d/2d/3d nearest and nearest-exact, linear/bilinear/trilinear and
bicubic, forward and backward against the CPU; errors raise the CPU's exception types."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import close, dtypes


def check(dev, fn, x, dtype, view=None, same_strides=False):
    rd = torch.float64 if dtype == torch.float64 else torch.float32
    xr = x.to(rd).clone()
    if same_strides:  # the reference input in the same layout
        xr = view(xr).detach()
    xr.requires_grad_()
    xo = x.to(dev)
    if view is not None:
        xo = view(xo)
    xo = xo.detach().requires_grad_()
    ref, out = fn(xr), fn(xo)
    assert out.device == xo.device and out.dtype == dtype and out.shape == ref.shape
    if same_strides:  # the memory format ATen's meta picks (channels-last kept where the CPU keeps it)
        assert out.stride() == ref.stride()
    close(out, ref.detach(), dtype)
    g = torch.randn(ref.shape).to(dtype)
    ref.backward(g.to(rd))
    out.backward(g.to(dev))
    close(xo.grad, xr.grad, dtype)


CASES = [
    dict(scale_factor=2, mode="nearest"),
    dict(size=(7, 5), mode="nearest"),
    dict(size=(13, 4), mode="nearest"),
    dict(scale_factor=1.7, mode="nearest"),
    dict(scale_factor=2, mode="bilinear", align_corners=False),
    dict(size=(7, 5), mode="bilinear", align_corners=False),
    dict(size=(11, 17), mode="bilinear", align_corners=True),
    dict(size=(3, 1), mode="bilinear", align_corners=True),
    dict(scale_factor=(0.6, 2.5), mode="bilinear", align_corners=False),
    dict(scale_factor=1.5, mode="bilinear", align_corners=False, recompute_scale_factor=True),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_interpolate(dev, native_only, case):
    kw = CASES[case]
    check(dev, lambda t: F.interpolate(t, **kw), torch.randn(2, 3, 6, 8), torch.float32)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_interpolate_dtypes(dev, native_only, dtype, mode):
    check(dev, lambda t: F.interpolate(t, size=(9, 11), mode=mode), torch.randn(2, 3, 5, 6).to(dtype), dtype)


def test_interpolate_layouts(dev, native_only):
    x = torch.randn(2, 3, 5, 6)
    for mode in ("nearest", "bilinear"):
        check(dev, lambda t: F.interpolate(t, scale_factor=2, mode=mode), x, torch.float32,
              view=lambda t: t.contiguous(memory_format=torch.channels_last))
        check(dev, lambda t: F.interpolate(t, size=(4, 9), mode=mode), x, torch.float32,
              view=lambda t: t.transpose(2, 3).contiguous().transpose(2, 3))


def test_interpolate_errors(dev, native_only):
    for d in (torch.device("cpu"), dev):
        with pytest.raises(RuntimeError):
            F.interpolate(torch.randn(1, 0, 4, 4, device=d), scale_factor=2)
    with pytest.raises(NotImplementedError):
        F.interpolate(torch.ones(1, 1, 4, 4, dtype=torch.int32, device=dev), scale_factor=2, mode="bilinear")


# (input shape, interpolate arguments): 1d, 3d and bicubic; odd sizes, scales that are not integers.
ND_CASES = [
    ((2, 3, 7), dict(scale_factor=2, mode="nearest")),
    ((2, 3, 7), dict(size=12, mode="nearest")),
    ((2, 3, 7), dict(scale_factor=0.6, mode="nearest")),
    ((2, 3, 7), dict(scale_factor=1.7, mode="nearest-exact")),
    ((2, 3, 7), dict(size=4, mode="nearest-exact")),
    ((2, 3, 7), dict(scale_factor=2.5, mode="linear", align_corners=False)),
    ((2, 3, 7), dict(size=3, mode="linear", align_corners=True)),
    ((2, 3, 7), dict(size=1, mode="linear", align_corners=True)),
    ((2, 3, 7), dict(scale_factor=1.5, mode="linear", align_corners=False, recompute_scale_factor=True)),
    ((2, 2, 4, 5, 3), dict(scale_factor=2, mode="nearest")),
    ((2, 2, 4, 5, 3), dict(size=(3, 7, 5), mode="nearest")),
    ((2, 2, 4, 5, 3), dict(scale_factor=(1.5, 0.7, 2.3), mode="nearest-exact")),
    ((2, 2, 4, 5, 3), dict(scale_factor=(1.5, 0.7, 2.3), mode="trilinear", align_corners=False)),
    ((2, 2, 4, 5, 3), dict(size=(6, 3, 7), mode="trilinear", align_corners=True)),
    ((2, 2, 4, 5, 3), dict(size=(1, 4, 2), mode="trilinear", align_corners=False)),
    ((2, 3, 6, 8), dict(scale_factor=2, mode="nearest-exact")),
    ((2, 3, 6, 8), dict(scale_factor=2, mode="bicubic", align_corners=False)),
    ((2, 3, 6, 8), dict(size=(7, 5), mode="bicubic", align_corners=False)),
    ((2, 3, 6, 8), dict(size=(11, 17), mode="bicubic", align_corners=True)),
    ((2, 3, 6, 8), dict(size=(3, 1), mode="bicubic", align_corners=True)),
    ((2, 3, 6, 8), dict(scale_factor=(0.6, 2.5), mode="bicubic", align_corners=False)),
    ((2, 3, 6, 8), dict(scale_factor=0.3, mode="bicubic", align_corners=False)),
    ((2, 3, 1, 2), dict(scale_factor=3.5, mode="bicubic", align_corners=True)),
]


@pytest.mark.parametrize("case", range(len(ND_CASES)))
def test_interpolate_nd(dev, native_only, case):
    shape, kw = ND_CASES[case]
    check(dev, lambda t: F.interpolate(t, **kw), torch.randn(shape), torch.float32)


ND_MODES = [((2, 3, 9), "nearest"), ((2, 3, 9), "nearest-exact"), ((2, 3, 9), "linear"), ((1, 2, 3, 4, 5), "nearest"),
            ((1, 2, 3, 4, 5), "nearest-exact"), ((1, 2, 3, 4, 5), "trilinear"), ((2, 3, 5, 6), "bicubic")]


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("case", range(len(ND_MODES)),
                         ids=lambda i: "%dd-%s" % (len(ND_MODES[i][0]) - 2, ND_MODES[i][1]))
def test_interpolate_nd_dtypes(dev, native_only, dtype, case):
    shape, mode = ND_MODES[case]
    check(dev, lambda t: F.interpolate(t, scale_factor=1.6, mode=mode), torch.randn(shape).to(dtype), dtype)


def test_interpolate_nd_layouts(dev, native_only):
    x3 = torch.randn(2, 3, 4, 5, 6)
    for mode in ("nearest", "nearest-exact", "trilinear"):
        check(dev, lambda t: F.interpolate(t, scale_factor=1.5, mode=mode), x3, torch.float32,
              view=lambda t: t.contiguous(memory_format=torch.channels_last_3d), same_strides=True)
        check(dev, lambda t: F.interpolate(t, size=(3, 7, 5), mode=mode), x3, torch.float32,
              view=lambda t: t.transpose(2, 4).contiguous().transpose(2, 4))
    x2 = torch.randn(2, 3, 5, 6)
    for mode in ("bicubic", "nearest-exact"):
        check(dev, lambda t: F.interpolate(t, scale_factor=1.5, mode=mode), x2, torch.float32,
              view=lambda t: t.contiguous(memory_format=torch.channels_last), same_strides=True)
        check(dev, lambda t: F.interpolate(t, size=(4, 9), mode=mode), x2, torch.float32,
              view=lambda t: torch.stack([t, t], -1)[..., 1])
    x1 = torch.randn(2, 3, 7)
    for mode in ("nearest", "linear"):
        check(dev, lambda t: F.interpolate(t, scale_factor=1.5, mode=mode), x1, torch.float32,
              view=lambda t: t.transpose(0, 2).contiguous().transpose(0, 2))


def test_interpolate_nd_empty_and_out(dev, native_only):
    for shape, mode in ND_MODES:
        e = F.interpolate(torch.randn(0, *shape[1:], device=dev), scale_factor=2, mode=mode)
        assert e.shape == F.interpolate(torch.randn(0, *shape[1:]), scale_factor=2, mode=mode).shape
    x = torch.randn(2, 3, 4, 5, 6)
    out = torch.empty(0, device=dev)
    torch._C._nn.upsample_trilinear3d(x.to(dev), [5, 7, 9], False, out=out)
    close(out, torch._C._nn.upsample_trilinear3d(x, [5, 7, 9], False), torch.float32)
    out = torch.empty(0, device=dev)
    torch._C._nn.upsample_nearest3d(x.to(dev), [5, 7, 9], out=out)
    assert torch.equal(out.cpu(), torch._C._nn.upsample_nearest3d(x, [5, 7, 9]))
    out = torch.empty(0, device=dev)
    torch._C._nn.upsample_linear1d(x[0, 0].to(dev), [11], True, out=out)
    close(out, torch._C._nn.upsample_linear1d(x[0, 0], [11], True), torch.float32)
    out = torch.empty(0, device=dev)
    torch._C._nn.upsample_bicubic2d(x[0].to(dev), [7, 3], True, out=out)
    close(out, torch._C._nn.upsample_bicubic2d(x[0], [7, 3], True), torch.float32)
    g = torch.randn(2, 3, 4, 7, 9)
    gi = torch.empty(0, device=dev)
    torch.ops.aten._upsample_nearest_exact3d_backward.grad_input(g.to(dev), [4, 7, 9], [2, 3, 4, 5, 6], grad_input=gi)
    close(gi, torch.ops.aten._upsample_nearest_exact3d_backward(g, [4, 7, 9], [2, 3, 4, 5, 6]), torch.float32)


def _raises_like_cpu(dev, fn):
    with pytest.raises(Exception) as cpu_err:
        fn(torch.device("cpu"))
    with pytest.raises(cpu_err.type):
        fn(dev)


AA_CASES = [dict(size=(3, 4)), dict(scale_factor=0.37), dict(scale_factor=2.3), dict(size=(13, 5)),
            dict(size=(1, 1)), dict(scale_factor=(0.5, 1.7))]


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("case", range(len(AA_CASES)))
@pytest.mark.parametrize("align_corners", [False, True])
def test_interpolate_antialias(dev, native_only, mode, case, align_corners):
    check(dev, lambda t: F.interpolate(t, mode=mode, antialias=True, align_corners=align_corners, **AA_CASES[case]),
          torch.randn(2, 3, 11, 14), torch.float32)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_interpolate_antialias_dtypes_layouts(dev, native_only, dtype, mode):
    x = torch.randn(2, 3, 9, 12).to(dtype)
    check(dev, lambda t: F.interpolate(t, size=(4, 5), mode=mode, antialias=True), x, dtype)
    check(dev, lambda t: F.interpolate(t, scale_factor=0.6, mode=mode, antialias=True), x, dtype,
          view=lambda t: t.contiguous(memory_format=torch.channels_last), same_strides=True)
    check(dev, lambda t: F.interpolate(t, size=(5, 7), mode=mode, antialias=True), x, dtype,
          view=lambda t: torch.stack([t, t], -1)[..., 0])


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_interpolate_nearest_uint8(dev, native_only, mode):
    for shape in ((2, 3, 7), (2, 3, 5, 6), (2, 3, 3, 4, 5)):
        x = torch.randint(0, 256, shape, dtype=torch.uint8)
        for kw in (dict(scale_factor=1.7), dict(scale_factor=0.6), dict(size=(5,) * (len(shape) - 2))):
            assert torch.equal(F.interpolate(x.to(dev), mode=mode, **kw).cpu(), F.interpolate(x, mode=mode, **kw))
    cl = torch.randint(0, 256, (2, 3, 5, 6), dtype=torch.uint8).contiguous(memory_format=torch.channels_last)
    assert torch.equal(F.interpolate(cl.to(dev), scale_factor=2, mode=mode).cpu(),
                       F.interpolate(cl, scale_factor=2, mode=mode))


def test_interpolate_nd_errors(dev, native_only):
    nn = torch._C._nn
    x = lambda d, *s: torch.randn(*s, device=d)  # noqa: E731
    _raises_like_cpu(dev, lambda d: nn.upsample_nearest3d(x(d, 1, 2, 4, 4), [2, 2, 2]))  # wrong dim count
    _raises_like_cpu(dev, lambda d: nn.upsample_nearest1d(x(d, 1, 2, 4, 4), [2]))
    _raises_like_cpu(dev, lambda d: nn.upsample_trilinear3d(x(d, 2, 4, 4), [2, 2, 2], False))
    _raises_like_cpu(dev, lambda d: nn.upsample_linear1d(x(d, 1, 2, 4), [0], False))  # zero output size
    _raises_like_cpu(dev, lambda d: nn._upsample_nearest_exact3d(x(d, 1, 2, 4, 4, 4), [2, 0, 2]))
    _raises_like_cpu(dev, lambda d: nn.upsample_bicubic2d(x(d, 1, 2, 4, 4), [3, 0], True))
    _raises_like_cpu(dev, lambda d: nn.upsample_bicubic2d(x(d, 1, 0, 4, 4), [3, 3], True))  # empty channels
    _raises_like_cpu(dev, lambda d: nn.upsample_trilinear3d(x(d, 1, 2, 4, 4, 4), [2, 2], False))  # two sizes
    _raises_like_cpu(dev, lambda d: nn._upsample_bilinear2d_aa(x(d, 2, 4, 4), [2, 2], False))
    _raises_like_cpu(dev, lambda d: nn._upsample_bicubic2d_aa(x(d, 1, 2, 4, 4), [2, 0], False))
    with pytest.raises(NotImplementedError):
        F.interpolate(torch.ones(1, 1, 4, 4, 4, dtype=torch.int32, device=dev), scale_factor=2, mode="trilinear")
    _raises_like_cpu(dev, lambda d: torch.ops.aten.upsample_nearest2d_backward(
        torch.ones(1, 1, 4, 4, dtype=torch.uint8, device=d), [4, 4], [1, 1, 2, 2]))  # no uint8 backward
