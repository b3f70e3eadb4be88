"""2d and 3d pooling (max with indices, average, adaptive average, adaptive max) and the 1d
forms, forward and backward, against the CPU; errors raise the CPU's exception types."""

import pytest
import torch
import torch.nn.functional as F
from conftest import FLOAT_DTYPES, has_fp64


def dtypes():
    return [d for d in FLOAT_DTYPES if d != torch.float64 or has_fp64()]


def tol(dtype):
    return {torch.float32: 1e-5, torch.float64: 1e-12, torch.float16: 1e-3, torch.bfloat16: 1e-2}[dtype]


def ref_dtype(dtype):
    return torch.float64 if dtype == torch.float64 else torch.float32


def close(actual, expected, dtype):
    scale = max(expected.abs().max().item(), 1.0) if expected.numel() else 1.0
    rtol = 4 * tol(dtype)
    torch.testing.assert_close(actual.cpu().to(expected.dtype), expected, rtol=rtol, atol=rtol * scale)


def check(dev, fn, x, dtype, view=None, exact=False):
    """fn on ocl against fn on the CPU (in float32/float64), values and input gradients."""
    xr = x.to(ref_dtype(dtype)).clone().requires_grad_()
    xo = x.to(dev)
    if view is not None:
        xo = view(xo)
        assert torch.equal(xo.cpu(), x)
    xo = xo.detach().requires_grad_()
    ref, out = fn(xr), fn(xo)
    ref_t = ref if isinstance(ref, torch.Tensor) else ref[0]
    out_t = out if isinstance(out, torch.Tensor) else out[0]
    assert out_t.device == xo.device and out_t.dtype == dtype and out_t.shape == ref_t.shape
    if exact:
        assert torch.equal(out_t.cpu().to(ref_t.dtype), ref_t.detach())
    else:
        close(out_t, ref_t.detach(), dtype)
    if not isinstance(ref, torch.Tensor):  # indices
        assert torch.equal(out[1].cpu(), ref[1])
    g = torch.randn(ref_t.shape).to(dtype)
    ref_t.backward(g.to(ref_t.dtype))
    out_t.backward(g.to(dev))
    close(xo.grad, xr.grad, dtype)


def fresh(shape, dtype, seed=0):
    # distinct values, so that max-pooling ties (and so indices) are unambiguous
    gen = torch.Generator().manual_seed(seed)
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n, generator=gen).to(torch.float32) / 8 - n / 16).reshape(shape).to(dtype)


MAX_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(3, 2), stride=(1, 2), dilation=(2, 1)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=(2, 4), stride=1, padding=(1, 2), dilation=(1, 2), ceil_mode=True),
]


@pytest.mark.parametrize("case", range(len(MAX_CASES)))
def test_max_pool2d(dev, native_only, case):
    kw = MAX_CASES[case]
    x = fresh((2, 3, 9, 11), torch.float32)
    check(dev, lambda t: F.max_pool2d(t, return_indices=True, **kw), x, torch.float32, exact=True)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_max_pool2d_dtypes(dev, native_only, dtype):
    # small magnitudes so every value is exact in 16-bit floats
    x = (torch.randperm(2 * 3 * 8 * 8).to(torch.float32) / 64).reshape(2, 3, 8, 8).to(dtype)
    check(dev, lambda t: F.max_pool2d(t, 3, 2, 1, return_indices=True), x, dtype, exact=True)


@pytest.mark.parametrize(
    "view",
    [
        lambda t: t.contiguous(memory_format=torch.channels_last),
        lambda t: t.transpose(2, 3).contiguous().transpose(2, 3),
    ],
    ids=["channels_last", "transposed"],
)
def test_pool_layouts(dev, native_only, view):
    x = fresh((2, 4, 7, 6), torch.float32)
    check(dev, lambda t: F.max_pool2d(t, 2, return_indices=True), x, torch.float32, view=view, exact=True)
    check(dev, lambda t: F.avg_pool2d(t, 3, 2, 1), x, torch.float32, view=view)
    check(dev, lambda t: F.adaptive_avg_pool2d(t, (3, 4)), x, torch.float32, view=view)
    check(dev, lambda t: F.adaptive_max_pool2d(t, (3, 4), return_indices=True), x, torch.float32, view=view, exact=True)


@pytest.mark.parametrize("channels", [16, 12, 6, 3])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_pool_channels_last_groups(dev, native_only, channels, dtype):
    # channels-last kernels take 8, 4, 2 or 1 channels per work item (as the channel count
    # allows); overlapping windows (a position in several windows) and padding, 2d and 3d, with a
    # contiguous (not channels-last) gradient coming in
    # (sizes large enough that the groups leave the device enough work items)
    x = (fresh((4, channels, 17, 15), torch.float32) / 256).to(dtype)
    cl = lambda t: t.contiguous(memory_format=torch.channels_last)
    check(dev, lambda t: F.max_pool2d(t, 3, 2, 1, return_indices=True), x, dtype, view=cl, exact=True)
    check(dev, lambda t: F.avg_pool2d(t, 3, 2, 1, count_include_pad=False), x, dtype, view=cl)
    check(dev, lambda t: F.adaptive_avg_pool2d(t, (4, 3)), x, dtype, view=cl)
    check(dev, lambda t: F.adaptive_avg_pool2d(t, 1), x, dtype, view=cl)
    check(dev, lambda t: F.adaptive_max_pool2d(t, (4, 5), return_indices=True), x, dtype, view=cl, exact=True)
    x3 = (fresh((2, channels, 9, 8, 10), torch.float32, seed=1) / 256).to(dtype)
    cl3 = lambda t: t.contiguous(memory_format=torch.channels_last_3d)
    check(dev, lambda t: F.max_pool3d(t, 3, 2, 1, return_indices=True), x3, dtype, view=cl3, exact=True)
    check(dev, lambda t: F.avg_pool3d(t, 2, 1), x3, dtype, view=cl3)


def test_max_pool_unbatched_1d_and_module(dev, native_only):
    x = fresh((3, 9, 10), torch.float32, 1)
    check(dev, lambda t: F.max_pool2d(t, 2, return_indices=True), x, torch.float32, exact=True)
    check(dev, lambda t: F.max_pool1d(t, 3, 2, 1, return_indices=True), x, torch.float32, exact=True)
    check(dev, lambda t: torch.nn.MaxPool2d(3, 2)(t), fresh((1, 2, 7, 7), torch.float32, 2), torch.float32, exact=True)


def test_max_pool_nan_and_empty(dev, native_only):
    x = fresh((1, 1, 4, 4), torch.float32)
    x[0, 0, 1, 1] = float("nan")
    out, idx = F.max_pool2d(x.to(dev), 2, return_indices=True)
    ref, ridx = F.max_pool2d(x, 2, return_indices=True)
    assert torch.equal(idx.cpu(), ridx)
    torch.testing.assert_close(out.cpu(), ref, equal_nan=True)
    e = F.max_pool2d(torch.randn(0, 3, 4, 4, device=dev), 2)
    assert e.shape == (0, 3, 2, 2)


AVG_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 1), ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=2, stride=1, divisor_override=3),
]


@pytest.mark.parametrize("case", range(len(AVG_CASES)))
def test_avg_pool2d(dev, native_only, case):
    kw = AVG_CASES[case]
    check(dev, lambda t: F.avg_pool2d(t, **kw), torch.randn(2, 3, 9, 8), torch.float32)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_avg_pool_dtypes_and_1d(dev, native_only, dtype):
    x = torch.randn(2, 3, 8, 9).to(dtype)
    check(dev, lambda t: F.avg_pool2d(t, 3, 2, 1), x, dtype)
    check(dev, lambda t: F.avg_pool1d(t, 3, 2, 1), x[:, :, 0], dtype)
    check(dev, lambda t: F.avg_pool2d(t, 2), x[0], dtype)  # unbatched


@pytest.mark.parametrize("size", [(1, 1), (3, 4), (5, 7), (8, 9), (2, 1)])
def test_adaptive_avg_pool2d(dev, native_only, size):
    check(dev, lambda t: F.adaptive_avg_pool2d(t, size), torch.randn(2, 3, 8, 9), torch.float32)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_adaptive_pool_dtypes_and_1d(dev, native_only, dtype):
    x = torch.randn(2, 3, 7, 10).to(dtype)
    check(dev, lambda t: F.adaptive_avg_pool2d(t, (3, 4)), x, dtype)
    check(dev, lambda t: F.adaptive_avg_pool1d(t, 4), x[:, :, 0], dtype)
    check(dev, lambda t: F.adaptive_avg_pool2d(t, (2, 3)), x[0], dtype)  # unbatched
    xm = (torch.randperm(2 * 3 * 7 * 10).to(torch.float32) / 256).reshape(2, 3, 7, 10).to(dtype)
    check(dev, lambda t: F.adaptive_max_pool2d(t, (3, 4), return_indices=True), xm, dtype, exact=True)
    check(dev, lambda t: F.adaptive_max_pool1d(t, 3, return_indices=True), xm[:, :, 0], dtype, exact=True)


def test_out_forms(dev, native_only):
    x = fresh((2, 3, 6, 6), torch.float32)
    out = torch.empty(0, device=dev)
    idx = torch.empty(0, dtype=torch.long, device=dev)
    torch.ops.aten.max_pool2d_with_indices.out(x.to(dev), [2, 2], [2, 2], [0, 0], [1, 1], False, out=out, indices=idx)
    ref, ridx = F.max_pool2d(x, 2, return_indices=True)
    assert torch.equal(out.cpu(), ref) and torch.equal(idx.cpu(), ridx)
    o = torch.empty(0, device=dev)
    torch.ops.aten.avg_pool2d.out(x.to(dev), [3, 3], [1, 1], [1, 1], False, True, None, out=o)
    close(o, F.avg_pool2d(x, 3, 1, 1), torch.float32)
    o2 = torch.empty(0, device=dev)
    torch.ops.aten._adaptive_avg_pool2d.out(x.to(dev), [4, 5], out=o2)
    close(o2, F.adaptive_avg_pool2d(x, (4, 5)), torch.float32)


def _raises_like_cpu(dev, fn):
    with pytest.raises(Exception) as cpu_err:
        fn(torch.device("cpu"))
    with pytest.raises(cpu_err.type):
        fn(dev)


def test_pool_errors(dev, native_only):
    _raises_like_cpu(dev, lambda d: F.max_pool2d(torch.randn(1, 2, 4, 4, device=d), 2, padding=2))
    _raises_like_cpu(dev, lambda d: F.max_pool2d(torch.randn(2, 4, 4, device=d)[0], 2))
    _raises_like_cpu(dev, lambda d: F.avg_pool2d(torch.randn(1, 2, 2, 2, device=d), 3))
    _raises_like_cpu(dev, lambda d: F.adaptive_avg_pool2d(torch.randn(4, 4, device=d), 2))
    _raises_like_cpu(dev, lambda d: F.adaptive_avg_pool2d(torch.randn(1, 2, 4, 4, device=d), (2, 2, 2)))
    _raises_like_cpu(dev, lambda d: F.adaptive_max_pool2d(torch.randn(4, 4, device=d), 2))
    with pytest.raises(NotImplementedError):
        F.max_pool2d(torch.ones(1, 1, 4, 4, dtype=torch.int32, device=dev), 2)


MAX3D_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), dilation=(2, 1, 1)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=(3, 2, 3), stride=1, padding=(0, 1, 1), dilation=(1, 2, 2), ceil_mode=True),
]


@pytest.mark.parametrize("case", range(len(MAX3D_CASES)))
def test_max_pool3d(dev, native_only, case):
    kw = MAX3D_CASES[case]
    x = fresh((2, 3, 7, 9, 8), torch.float32, case)
    check(dev, lambda t: F.max_pool3d(t, return_indices=True, **kw), x, torch.float32, exact=True)


AVG3D_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=(3, 2, 3), stride=(2, 3, 1), padding=(1, 1, 0), ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=2, stride=1, divisor_override=3),
]


@pytest.mark.parametrize("case", range(len(AVG3D_CASES)))
def test_avg_pool3d(dev, native_only, case):
    kw = AVG3D_CASES[case]
    check(dev, lambda t: F.avg_pool3d(t, **kw), torch.randn(2, 3, 7, 9, 8), torch.float32)


@pytest.mark.parametrize("size", [(1, 1, 1), (3, 4, 2), (5, 7, 9), (7, 8, 9), (2, 1, 3)])
def test_adaptive_pool3d(dev, native_only, size):
    check(dev, lambda t: F.adaptive_avg_pool3d(t, size), torch.randn(2, 3, 7, 8, 9), torch.float32)
    check(dev, lambda t: F.adaptive_max_pool3d(t, size, return_indices=True), fresh((2, 3, 7, 8, 9), torch.float32),
          torch.float32, exact=True)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_pool3d_dtypes(dev, native_only, dtype):
    # small magnitudes so every value is exact in 16-bit floats
    xm = (torch.randperm(2 * 3 * 5 * 6 * 7).to(torch.float32) / 512).reshape(2, 3, 5, 6, 7).to(dtype)
    check(dev, lambda t: F.max_pool3d(t, 3, 2, 1, return_indices=True), xm, dtype, exact=True)
    check(dev, lambda t: F.adaptive_max_pool3d(t, (2, 3, 4), return_indices=True), xm, dtype, exact=True)
    check(dev, lambda t: F.max_pool3d(t, 2, return_indices=True), xm[0], dtype, exact=True)  # unbatched
    x = torch.randn(2, 3, 5, 6, 7).to(dtype)
    check(dev, lambda t: F.avg_pool3d(t, 3, 2, 1), x, dtype)
    check(dev, lambda t: F.avg_pool3d(t, 2, ceil_mode=True, count_include_pad=False), x[0], dtype)  # unbatched
    check(dev, lambda t: F.adaptive_avg_pool3d(t, (3, 2, 4)), x, dtype)
    check(dev, lambda t: F.adaptive_avg_pool3d(t, (2, 3, 3)), x[0], dtype)  # unbatched


@pytest.mark.parametrize(
    "view",
    [
        lambda t: t.contiguous(memory_format=torch.channels_last_3d),
        lambda t: t.transpose(2, 4).contiguous().transpose(2, 4),
        lambda t: torch.stack([t, t], -1)[..., 0],
    ],
    ids=["channels_last_3d", "transposed", "sliced"],
)
def test_pool3d_layouts(dev, native_only, view):
    x = fresh((2, 4, 9, 6, 5), torch.float32)
    check(dev, lambda t: F.max_pool3d(t, 2, return_indices=True), x, torch.float32, view=view, exact=True)
    check(dev, lambda t: F.avg_pool3d(t, 3, 2, 1), x, torch.float32, view=view)
    check(dev, lambda t: F.adaptive_avg_pool3d(t, (3, 4, 2)), x, torch.float32, view=view)
    check(dev, lambda t: F.adaptive_max_pool3d(t, (3, 4, 2), return_indices=True), x, torch.float32, view=view,
          exact=True)


def test_pool3d_memory_format(dev, native_only):
    # channels_last_3d in, channels_last_3d out where the CPU (and CUDA) keep it
    x = torch.randn(2, 3, 6, 6, 6).contiguous(memory_format=torch.channels_last_3d)
    cl = torch.channels_last_3d
    for fn in (lambda t: F.max_pool3d(t, 2), lambda t: F.avg_pool3d(t, 2)):
        ref, out = fn(x), fn(x.to(dev))
        assert out.is_contiguous(memory_format=cl) == ref.is_contiguous(memory_format=cl)
        close(out, ref, torch.float32)


def test_pool3d_nan_and_empty(dev, native_only):
    x = fresh((1, 1, 4, 4, 4), torch.float32)
    x[0, 0, 1, 1, 2] = float("nan")
    out, idx = F.max_pool3d(x.to(dev), 2, return_indices=True)
    ref, ridx = F.max_pool3d(x, 2, return_indices=True)
    assert torch.equal(idx.cpu(), ridx)
    torch.testing.assert_close(out.cpu(), ref, equal_nan=True)
    for fn in (lambda t: F.max_pool3d(t, 2), lambda t: F.avg_pool3d(t, 2), lambda t: F.adaptive_avg_pool3d(t, 3),
               lambda t: F.adaptive_max_pool3d(t, 3)):
        e = fn(torch.randn(0, 3, 4, 4, 4, device=dev))
        assert e.shape == fn(torch.randn(0, 3, 4, 4, 4)).shape


def test_pool3d_out_forms(dev, native_only):
    x = fresh((2, 3, 6, 6, 5), torch.float32)
    xd = x.to(dev)
    out = torch.empty(0, device=dev)
    idx = torch.empty(0, dtype=torch.long, device=dev)
    torch.ops.aten.max_pool3d_with_indices.out(xd, [2, 2, 2], [2, 2, 2], [0, 0, 0], [1, 1, 1], False, out=out,
                                               indices=idx)
    ref, ridx = F.max_pool3d(x, 2, return_indices=True)
    assert torch.equal(out.cpu(), ref) and torch.equal(idx.cpu(), ridx)
    g = torch.randn(ref.shape)
    gi = torch.empty(0, device=dev)
    torch.ops.aten.max_pool3d_with_indices_backward.grad_input(g.to(dev), xd, [2, 2, 2], [2, 2, 2], [0, 0, 0],
                                                               [1, 1, 1], False, idx, grad_input=gi)
    gref = torch.ops.aten.max_pool3d_with_indices_backward(g, x, [2, 2, 2], [2, 2, 2], [0, 0, 0], [1, 1, 1], False,
                                                           ridx)
    assert torch.equal(gi.cpu(), gref)
    o = torch.empty(0, device=dev)
    torch.ops.aten.avg_pool3d.out(xd, [3, 3, 3], [1, 1, 1], [1, 1, 1], False, True, None, out=o)
    close(o, F.avg_pool3d(x, 3, 1, 1), torch.float32)
    o2 = torch.empty(0, device=dev)
    torch.ops.aten.adaptive_avg_pool3d.out(xd, [4, 5, 3], out=o2)
    close(o2, F.adaptive_avg_pool3d(x, (4, 5, 3)), torch.float32)
    o3 = torch.empty(0, device=dev)
    i3 = torch.empty(0, dtype=torch.long, device=dev)
    torch.ops.aten.adaptive_max_pool3d.out(xd, [4, 5, 3], out=o3, indices=i3)
    r3, ri3 = F.adaptive_max_pool3d(x, (4, 5, 3), return_indices=True)
    assert torch.equal(o3.cpu(), r3) and torch.equal(i3.cpu(), ri3)


def test_pool3d_errors(dev, native_only):
    x = lambda d, *s: torch.randn(*s, device=d)  # noqa: E731
    _raises_like_cpu(dev, lambda d: F.max_pool3d(x(d, 1, 2, 4, 4, 4), 2, padding=2))  # pad > kernel / 2
    _raises_like_cpu(dev, lambda d: F.max_pool3d(x(d, 1, 2, 4, 4, 4), 2, padding=-1))  # negative padding
    _raises_like_cpu(dev, lambda d: F.max_pool3d(x(d, 1, 2, 2, 2, 2), 3))  # kernel larger than input
    _raises_like_cpu(dev, lambda d: F.max_pool3d(x(d, 4, 4, 4), 2))  # wrong dim count
    _raises_like_cpu(dev, lambda d: F.max_pool3d(x(d, 1, 2, 4, 4, 4), (2, 2)))  # two kernel sizes
    _raises_like_cpu(dev, lambda d: F.avg_pool3d(x(d, 1, 2, 2, 2, 2), 3))
    _raises_like_cpu(dev, lambda d: F.avg_pool3d(x(d, 1, 2, 4, 4, 4), 2, padding=-1))
    _raises_like_cpu(dev, lambda d: F.avg_pool3d(x(d, 1, 2, 4, 4, 4), 2, divisor_override=0))
    _raises_like_cpu(dev, lambda d: F.avg_pool3d(x(d, 4, 4, 4), 2))
    _raises_like_cpu(dev, lambda d: F.adaptive_avg_pool3d(x(d, 4, 4, 4), 2))
    _raises_like_cpu(dev, lambda d: F.adaptive_avg_pool3d(x(d, 1, 2, 4, 0, 4), 2))
    _raises_like_cpu(dev, lambda d: torch.ops.aten._adaptive_avg_pool3d(x(d, 1, 2, 4, 4, 4), [2, 2]))
    _raises_like_cpu(dev, lambda d: F.adaptive_max_pool3d(x(d, 4, 4, 4), 2))
    _raises_like_cpu(dev, lambda d: F.adaptive_max_pool3d(x(d, 1, 2, 4, 4, 4), (2, 2)))
    with pytest.raises(NotImplementedError):
        F.max_pool3d(torch.ones(1, 1, 4, 4, 4, dtype=torch.int32, device=dev), 2)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_max_unpool(dev, native_only, dtype):
    x = fresh((2, 3, 7, 9), torch.float32).to(dtype)
    o, i = F.max_pool2d(x, 2, return_indices=True)
    check(dev, lambda t: F.max_unpool2d(t, i.to(t.device), 2, output_size=(7, 9)), o, dtype, exact=True)
    check(dev, lambda t: F.max_unpool2d(t, i[0].to(t.device), 2, output_size=(7, 9)), o[0], dtype, exact=True)
    check(dev, lambda t: F.max_unpool2d(t, i.to(t.device), 2, output_size=(7, 9)), o, dtype, exact=True,
          view=lambda t: t.contiguous(memory_format=torch.channels_last))
    x3 = fresh((2, 3, 5, 6, 7), torch.float32).to(dtype)
    o3, i3 = F.max_pool3d(x3, 2, return_indices=True)
    check(dev, lambda t: F.max_unpool3d(t, i3.to(t.device), 2, output_size=(5, 6, 7)), o3, dtype, exact=True)
    check(dev, lambda t: F.max_unpool3d(t, i3[1].to(t.device), 2, output_size=(5, 6, 7)), o3[1], dtype, exact=True)


def test_max_unpool_out_and_errors(dev, native_only):
    x = fresh((2, 3, 6, 6), torch.float32)
    o, i = F.max_pool2d(x, 2, return_indices=True)
    out = torch.empty(0, device=dev)
    torch.ops.aten.max_unpool2d.out(o.to(dev), i.to(dev), [6, 6], out=out)
    assert torch.equal(out.cpu(), F.max_unpool2d(o, i, 2))
    bad = i.clone()
    bad[1, 2, 0, 1] = 36  # one past the plane
    _raises_like_cpu(dev, lambda d: F.max_unpool2d(o.to(d), bad.to(d), 2))
    bad[1, 2, 0, 1] = -1
    _raises_like_cpu(dev, lambda d: F.max_unpool2d(o.to(d), bad.to(d), 2))
    _raises_like_cpu(dev, lambda d: F.max_unpool2d(o.to(d), i.to(d).int(), 2))  # int32 indices
    _raises_like_cpu(dev, lambda d: F.max_unpool2d(o.to(d), i[:, :, :2].to(d), 2))  # shape mismatch
    _raises_like_cpu(dev, lambda d: torch.ops.aten.max_unpool2d(o[0, 0].to(d), i[0, 0].to(d), [6, 6]))  # 2-d input
    o3, i3 = F.max_pool3d(fresh((1, 2, 4, 4, 4), torch.float32), 2, return_indices=True)
    _raises_like_cpu(dev, lambda d: torch.ops.aten.max_unpool3d(o3.to(d), i3.to(d), [4, 4, 4], [0, 2, 2], [0, 0, 0]))
    _raises_like_cpu(dev, lambda d: torch.ops.aten.max_unpool3d(o3.to(d), i3.to(d), [4, 4], [2, 2, 2], [0, 0, 0]))


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("nd", [2, 3])
def test_fractional_max_pool(dev, native_only, dtype, nd):
    # windows placed by given samples; 16-bit inputs place them in float, as CUDA (and the float32 reference)
    shape = (2, 3, 9, 11) if nd == 2 else (2, 3, 7, 9, 8)
    x = (torch.randperm(torch.Size(shape).numel()).to(torch.float32) / 256).reshape(shape).to(dtype)
    s = torch.rand(2, 3, nd)
    fn = F.fractional_max_pool2d if nd == 2 else F.fractional_max_pool3d
    for kw in (dict(kernel_size=2, output_size=(4,) * nd), dict(kernel_size=(3, 2, 2)[:nd], output_ratio=(0.5,) * nd)):
        check(dev, lambda t: fn(t, return_indices=True, _random_samples=s.to(t.device, ref_dtype(dtype)), **kw),
              x, dtype, exact=True)
    check(dev, lambda t: fn(t, 2, output_size=(3,) * nd, return_indices=True, _random_samples=s[:1].to(t.device)),
          x[0].float(), torch.float32, exact=True)  # unbatched
    check(dev, lambda t: fn(t, 2, output_size=(3,) * nd, return_indices=True, _random_samples=s.to(t.device)),
          x.float(), torch.float32, exact=True,
          view=lambda t: t.contiguous(memory_format=torch.channels_last if nd == 2 else torch.channels_last_3d))


def test_fractional_max_pool_out_and_errors(dev, native_only):
    x = fresh((2, 3, 8, 8), torch.float32)
    s = torch.rand(2, 3, 2)
    out, idx = torch.empty(0, device=dev), torch.empty(0, dtype=torch.long, device=dev)
    torch.ops.aten.fractional_max_pool2d.output(x.to(dev), [2, 2], [4, 4], s.to(dev), output=out, indices=idx)
    ref, ridx = torch.ops.aten.fractional_max_pool2d(x, [2, 2], [4, 4], s)
    assert torch.equal(out.cpu(), ref) and torch.equal(idx.cpu(), ridx)
    x3, s3 = fresh((1, 2, 6, 6, 6), torch.float32), torch.rand(1, 2, 3)
    out, idx = torch.empty(0, device=dev), torch.empty(0, dtype=torch.long, device=dev)
    torch.ops.aten.fractional_max_pool3d.output(x3.to(dev), [2, 2, 2], [3, 4, 3], s3.to(dev), output=out, indices=idx)
    ref, ridx = torch.ops.aten.fractional_max_pool3d(x3, [2, 2, 2], [3, 4, 3], s3)
    assert torch.equal(out.cpu(), ref) and torch.equal(idx.cpu(), ridx)
    r = lambda d, *s: torch.rand(*s, device=d)  # noqa: E731
    _raises_like_cpu(dev, lambda d: torch.ops.aten.fractional_max_pool2d(r(d, 1, 2, 4, 4), [3, 3], [3, 3],
                                                                         r(d, 1, 2, 2)))  # windows past the input
    _raises_like_cpu(dev, lambda d: torch.ops.aten.fractional_max_pool2d(r(d, 4, 4), [2, 2], [2, 2], r(d, 1, 1, 2)))
    _raises_like_cpu(dev, lambda d: torch.ops.aten.fractional_max_pool3d(r(d, 1, 2, 4, 4, 4), [3, 3, 3],
                                                                         [3, 3, 3], r(d, 1, 2, 3)))
    _raises_like_cpu(dev, lambda d: torch.ops.aten.fractional_max_pool3d(r(d, 4, 4, 4), [2, 2, 2], [2, 2, 2],
                                                                         r(d, 1, 1, 3)))
