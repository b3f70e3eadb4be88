"""2d nearest and bilinear upsampling (F.interpolate) forward and backward against the CPU."""

import pytest
import torch
import torch.nn.functional as F
from conftest import FLOAT_DTYPES, has_fp64


def dtypes():
    return [d for d in FLOAT_DTYPES if d != torch.float64 or has_fp64()]


def tol(dtype):
    return {torch.float32: 1e-5, torch.float64: 1e-12, torch.float16: 1e-3, torch.bfloat16: 1e-2}[dtype]


def close(actual, expected, dtype):
    scale = max(expected.abs().max().item(), 1.0) if expected.numel() else 1.0
    rtol = 4 * tol(dtype)
    torch.testing.assert_close(actual.cpu().to(expected.dtype), expected, rtol=rtol, atol=rtol * scale)


def check(dev, fn, x, dtype, view=None):
    rd = torch.float64 if dtype == torch.float64 else torch.float32
    xr = x.to(rd).clone().requires_grad_()
    xo = x.to(dev)
    if view is not None:
        xo = view(xo)
    xo = xo.detach().requires_grad_()
    ref, out = fn(xr), fn(xo)
    assert out.device == xo.device and out.dtype == dtype and out.shape == ref.shape
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
