"""Reductions (sum, mean, prod, amax/amin, max/min, all/any) against the CPU: dims, keepdim,
dtype promotion, strided and broadcast inputs, empty and 0-dim inputs, both one-pass and
two-pass (few outputs, long reductions) paths, with the CPU fallback off."""

import pytest
import torch
from conftest import has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
INTS = [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]


def check(got, expect, rtol=None, atol=None):
    assert got.device.type == "ocl"
    if rtol is None:
        rtol, atol = {torch.float16: (1e-2, 1e-2), torch.bfloat16: (5e-2, 5e-2), torch.float32: (1e-4, 1e-4),
                      torch.float64: (1e-10, 1e-10)}.get(expect.dtype, (0, 0))
    torch.testing.assert_close(got.cpu(), expect, rtol=rtol, atol=atol, equal_nan=True)


def data(shape, dtype, gen):
    if dtype == torch.bool:
        return torch.rand(shape, generator=gen) > 0.3
    if dtype.is_floating_point:
        return torch.randn(shape, generator=gen).to(dtype)
    lo = 0 if dtype == torch.uint8 else -3
    return torch.randint(lo, 4, shape, generator=gen).to(dtype)


CASES = [((), None), ((37,), 0), ((6, 50), 1), ((6, 50), 0), ((4, 5, 33), (0, 2)), ((4, 5, 33), -1), ((3, 4, 5), None)]


@pytest.mark.parametrize("op", ["sum", "mean", "prod", "amax", "amin"])
@pytest.mark.parametrize("dtype", FLOATS + INTS + [torch.bool], ids=str)
def test_reductions_against_cpu(dev, op, dtype):
    if op == "mean" and not dtype.is_floating_point:
        pytest.skip("mean is float-only on the CPU too")
    gen = torch.Generator().manual_seed(5)
    fn = getattr(torch, op)
    for shape, dim in CASES:
        x = data(shape, dtype, gen)
        if op == "prod" and dtype.is_floating_point:
            x = (x.float().abs() * 0.2 + 0.9).to(dtype)  # keep products finite
        for keepdim in (False, True):
            if dim is None:
                if op in ("amax", "amin"):
                    expect, got = fn(x), fn(x.to(dev))
                elif keepdim:
                    continue
                else:
                    expect, got = fn(x), fn(x.to(dev))
            else:
                if op == "prod" and isinstance(dim, tuple):
                    continue
                expect, got = fn(x, dim, keepdim=keepdim), fn(x.to(dev), dim, keepdim=keepdim)
            check(got, expect)
        if x.dim() >= 2:  # strided input
            xt = x.transpose(0, 1)
            check(fn(xt.to(dev).transpose(0, 1).transpose(0, 1), 0) if op != "amax" else fn(xt.to(dev), 0),
                  fn(xt, 0))


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.float16], ids=str)
def test_long_reductions_two_pass(dev, dtype):
    gen = torch.Generator().manual_seed(9)
    x = data((300_000,), dtype, gen)
    check(x.to(dev).sum(), x.sum(), rtol=1e-3, atol=1e-1) if dtype.is_floating_point else check(x.to(dev).sum(), x.sum())
    check(x.to(dev).amax(), x.amax())
    check(x.to(dev).max(), x.max())
    check(x.to(dev).min(), x.min())
    y = data((3, 100_000), dtype, gen)
    if dtype.is_floating_point:
        check(y.to(dev).sum(1), y.sum(1), rtol=1e-3, atol=1e-1)
        check(y.to(dev).mean(1), y.mean(1), rtol=1e-3, atol=1e-3)
    check(y.to(dev).amin(1), y.amin(1))


def test_dtype_promotion_and_out(dev):
    x = torch.randint(-5, 5, (10, 7), dtype=torch.int32)
    check(x.to(dev).sum(), x.sum())  # int32 -> int64
    check(x.to(dev).sum(1, dtype=torch.float32), x.sum(1, dtype=torch.float32))
    b = torch.rand(10, 7) > 0.5
    check(b.to(dev).sum(0), b.sum(0))
    h = torch.randn(64, 9).half()
    check(h.to(dev).sum(0), h.sum(0))
    check(h.to(dev).mean(0, dtype=torch.float32), h.mean(0, dtype=torch.float32))
    out = torch.empty(0, device=dev)
    torch.sum(torch.randn(4, 5).to(dev), 1, out=out)
    assert out.shape == (4,)


@pytest.mark.parametrize("src", [torch.bfloat16, torch.float16, torch.int32, torch.float32], ids=str)
def test_mixed_dtype_reductions(dev, src):
    # A result dtype wider than the input (its own accumulate type: float32, int64) reads the
    # input in its dtype; narrower ones convert the input first, as on the CPU (values past
    # float16's precision and range included).
    g = torch.Generator().manual_seed(3)
    x = (torch.randn(6, 8, 5, 4, generator=g) * 3000).to(src)
    xc = x.contiguous(memory_format=torch.channels_last)
    for t in (x, xc, x[:, 1:7, :, 1:]):
        for dt in (torch.float32, torch.int64, torch.float16):
            for fn in (lambda v: v.sum((0, 2, 3), dtype=dt), lambda v: v.sum(1, dtype=dt),
                       lambda v: v.prod(2, dtype=dt) if dt != torch.float32 else (v / 3000).prod(2, dtype=dt)):
                got, want = fn(t.to(dev)).cpu(), fn(t)
                assert got.dtype == want.dtype
                torch.testing.assert_close(got, want, rtol=5e-3 if dt == torch.float16 else 1e-5, atol=1e-3,
                                           equal_nan=True)
        if src != torch.int32:
            check(t.to(dev).mean((0, 2, 3), dtype=torch.float32), t.mean((0, 2, 3), dtype=torch.float32))


def test_moments_into_wider_results(dev):
    # var/std/var_mean into results of their input's accumulate type (out=) read the input in
    # its dtype: bfloat16 into float32, and float32 into float64 accumulated in float64.
    g = torch.Generator().manual_seed(5)
    x = torch.randn(6, 8, 5, 4, generator=g) * 3 + 100
    for src, dt, tol in ((torch.bfloat16, torch.float32, 1e-5), (torch.float32, torch.float64, 1e-12)):
        for t in (x.to(src), x.to(src).contiguous(memory_format=torch.channels_last), x.to(src)[:, 1:7, :, 1:]):
            ref = t.to(dt)
            for dims in ((0, 2, 3), 1, None):
                v, m = torch.empty(0, dtype=dt, device=dev), torch.empty(0, dtype=dt, device=dev)
                torch.ops.aten.var_mean.correction_out(t.to(dev), dims if dims is None or isinstance(dims, tuple)
                                                       else (dims,), correction=0, out0=v, out1=m)
                want_v, want_m = torch.var_mean(ref, dims, correction=0)
                torch.testing.assert_close(v.cpu(), want_v, rtol=tol, atol=tol)
                torch.testing.assert_close(m.cpu(), want_m, rtol=tol, atol=tol)
                s = torch.empty(0, dtype=dt, device=dev)
                torch.std(t.to(dev), dims, out=s)
                torch.testing.assert_close(s.cpu(), ref.std(dims), rtol=tol, atol=tol)


def test_empty_and_nan(dev):
    e = torch.empty(0, 4)
    check(e.to(dev).sum(0), e.sum(0))
    check(e.to(dev).sum(), e.sum())
    check(e.to(dev).prod(0), e.prod(0))
    check(e.to(dev).mean(0), e.mean(0))
    check(e.to(dev).all(0), e.all(0))
    check(e.to(dev).any(), e.any())
    with pytest.raises(IndexError):  # as on the CPU
        e.to(dev).amax(0)
    with pytest.raises(RuntimeError):
        torch.empty(0, device=dev).max()
    n = torch.tensor([1.0, float("nan"), 3.0])
    check(n.to(dev).amax(), n.amax())
    check(n.to(dev).max(), n.max())
    check(n.to(dev).sum(), n.sum())
    i = torch.tensor([1.0, float("inf"), -2.0])
    check(i.to(dev).amin(), i.amin())


@pytest.mark.parametrize("dtype", FLOATS + [torch.int64, torch.uint8, torch.bool], ids=str)
def test_all_any(dev, dtype):
    gen = torch.Generator().manual_seed(3)
    x = data((5, 40), dtype, gen)
    if dtype != torch.bool:
        x[0].zero_()
        x[1] = 1
    xo = x.to(dev)
    for fn in ("all", "any"):
        f = getattr(torch, fn)
        check(f(xo), f(x))
        check(f(xo, 1), f(x, 1))
        check(f(xo, 0, keepdim=True), f(x, 0, keepdim=True))
        check(f(xo, dim=(0, 1)), f(x, dim=(0, 1)))


def test_sum_backward_and_mean_backward(dev):
    x = torch.randn(6, 5, requires_grad=True)
    xo = x.detach().to(dev).requires_grad_(True)
    (x.sum() + x.mean(1).sum()).backward()
    (xo.sum() + xo.mean(1).sum()).backward()
    check(xo.grad, x.grad)
