"""Scans (cumsum, cumprod, cummax/cummin, logcumsumexp), sorting and selection (sort,
argsort, msort, topk, kthvalue) against the CPU: every dtype, any dim, strided, empty and
0-dim inputs, rows long enough for the multi-chunk scan and the global sort stages,
out= and in-place forms, NaN ordering, stable indices; with the CPU fallback off."""

import pytest
import torch
import torch_ocl
from conftest import dtypes_for_device, has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
DTYPES = dtypes_for_device()
FLOATS = [d for d in DTYPES if d.is_floating_point]
TOL = {torch.float16: (2e-2, 2e-2), torch.bfloat16: (8e-2, 8e-2), torch.float32: (1e-4, 1e-3),
       torch.float64: (1e-10, 1e-10)}


def check(got, expect, exact=False):
    assert got.device.type == "ocl"
    assert got.shape == expect.shape and got.dtype == expect.dtype
    rtol, atol = (0, 0) if exact else TOL.get(expect.dtype, (0, 0))
    torch.testing.assert_close(got.cpu(), expect, rtol=rtol, atol=atol, equal_nan=True)


def data(shape, dtype, gen, lo=-3, hi=4):
    """Random values with many duplicates (ties exercise the stable and tie-breaking paths)."""
    if dtype == torch.bool:
        return torch.rand(shape, generator=gen) > 0.5
    if dtype.is_floating_point:
        return (torch.randn(shape, generator=gen) * 3).round().to(dtype) + torch.randn(shape, generator=gen).to(
            dtype) * (torch.rand(shape, generator=gen) > 0.5).to(dtype)
    lo = 0 if dtype == torch.uint8 else lo
    return torch.randint(lo, hi, shape, generator=gen).to(dtype)


# (shape, dim): odd sizes, dims in the middle and at the ends, one long row (multi-chunk scan)
SCAN_CASES = [((), 0), ((1,), 0), ((37,), 0), ((5, 7), 0), ((5, 7), 1), ((3, 4, 33), 1), ((3, 4, 33), -1),
              ((2, 20000), 1), ((0, 4), 1), ((4, 0), 1)]


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_cumsum_cumprod(dev, op, dtype):
    gen = torch.Generator().manual_seed(1)
    fn = getattr(torch, op)
    for shape, dim in SCAN_CASES:
        x = data(shape, dtype, gen)
        if op == "cumprod" and dtype.is_floating_point:
            x = (torch.rand(shape, generator=gen) * 0.2 + 0.9).to(dtype)  # keep products finite
        if op == "cumprod" and x.numel() > 1000 and not dtype.is_floating_point:
            x = (x != 0).to(dtype)  # wrapping integer products are fine but hard to read
        tol_scale = x.shape[dim] if x.dim() else 1
        exp = fn(x, dim)
        got = fn(x.to(dev), dim)
        if dtype.is_floating_point and tol_scale > 1000:
            torch.testing.assert_close(got.cpu().double(), exp.double(), rtol=5e-2, atol=tol_scale * 1e-3)
        else:
            check(got, exp)
    # strided input, dtype= argument, out= and in-place forms
    x = data((6, 9), dtype, gen)
    if op == "cumprod" and dtype != torch.bool:
        x = (x.abs() % 3 + 1).to(dtype) if not dtype.is_floating_point else (x.abs() * 0.1 + 0.9)
    xt = x.t()
    check(fn(xt.to(dev), 1), fn(xt, 1))
    if dtype != torch.bool:
        out_dtype = torch.float32 if dtype.is_floating_point else torch.int32
        check(fn(x.to(dev), 0, dtype=out_dtype), fn(x, 0, dtype=out_dtype))
        out = torch.empty(0, device=dev, dtype=out_dtype)
        fn(x.to(dev), 1, dtype=out_dtype, out=out)
        check(out, fn(x, 1, dtype=out_dtype))
        y = x.to(dev) if dtype != torch.bool else None
        if y is not None and y.dtype in (torch.int64,) + tuple(FLOATS):
            getattr(y, op + "_")(0)
            check(y, fn(x, 0))


@pytest.mark.parametrize("op", ["cummax", "cummin"])
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_cummax_cummin(dev, op, dtype):
    gen = torch.Generator().manual_seed(2)
    fn = getattr(torch, op)
    for shape, dim in SCAN_CASES:
        x = data(shape, dtype, gen)
        if dtype.is_floating_point and x.numel() > 4:
            x.view(-1)[torch.randperm(x.numel(), generator=gen)[:3]] = float("nan")
            x.view(-1)[1] = float("inf")
        ev, ei = fn(x, dim)
        gv, gi = fn(x.to(dev), dim)
        check(gv, ev, exact=True)
        check(gi, ei, exact=True)
    x = data((6, 9), dtype, gen)
    v, i = torch.empty(0, device=dev, dtype=dtype), torch.empty(0, device=dev, dtype=torch.long)
    fn(x.t().to(dev), 0, out=(v, i))
    ev, ei = fn(x.t(), 0)
    check(v, ev, exact=True)
    check(i, ei, exact=True)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_logcumsumexp(dev, dtype):
    gen = torch.Generator().manual_seed(3)
    for shape, dim in SCAN_CASES:
        x = data(shape, dtype, gen)
        exp = torch.logcumsumexp(x.float(), dim).to(dtype) if dtype != torch.float64 else torch.logcumsumexp(x, dim)
        got = torch.logcumsumexp(x.to(dev), dim)
        torch.testing.assert_close(got.cpu(), exp, rtol=TOL[dtype][0] * 5, atol=TOL[dtype][1] * 10)
    x = torch.tensor([float("-inf"), float("-inf"), 1.0, float("inf"), 2.0, float("nan"), 0.0], dtype=dtype)
    check(torch.logcumsumexp(x.to(dev), 0), torch.logcumsumexp(x, 0))
    out = torch.empty(0, device=dev, dtype=dtype)
    torch.logcumsumexp(x.to(dev), 0, out=out)
    check(out, torch.logcumsumexp(x, 0))


def test_scan_errors(dev):
    x = torch.randn(3, 4)
    for fn in (lambda t: torch.cumsum(t, 2), lambda t: torch.cummax(t, -3), lambda t: torch.cumprod(t, 5)):
        with pytest.raises(IndexError):
            fn(x)
        with pytest.raises(IndexError):
            fn(x.to(dev))
    with pytest.raises(RuntimeError):
        torch.logcumsumexp(torch.arange(3, device=dev), 0)


SORT_LENGTHS = [1, 2, 3, 7, 31, 64, 257, 1000, 3001]


def check_sort(x, dim, descending, stable, dev):
    ev, ei = torch.sort(x, dim=dim, descending=descending, stable=True)
    gv, gi = torch.sort(x.to(dev), dim=dim, descending=descending, stable=stable)
    check(gv, ev, exact=True)
    # indices: a permutation that gathers the values; the stable one (also for stable=False)
    assert torch.equal(torch.gather(x, dim, gi.cpu()) if x.dim() else x, ev) or x.dtype.is_floating_point
    check(gi, ei, exact=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_sort_lengths(dev, dtype):
    gen = torch.Generator().manual_seed(4)
    for n in SORT_LENGTHS:
        x = data((3, n), dtype, gen)
        if dtype.is_floating_point and n > 3:
            x[0, torch.randperm(n, generator=gen)[:2]] = float("nan")
            x[1, 0], x[1, -1] = float("inf"), float("-inf")
        for descending in (False, True):
            check_sort(x, 1, descending, stable=descending, dev=dev)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.float16], ids=str)
def test_sort_long_row(dev, dtype):
    gen = torch.Generator().manual_seed(5)
    x = data((100000,), dtype, gen, lo=-500, hi=500)
    check_sort(x, 0, False, True, dev)
    check_sort(x, 0, True, False, dev)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.bool, torch.bfloat16], ids=str)
def test_sort_dims_strided_empty(dev, dtype):
    gen = torch.Generator().manual_seed(6)
    x = data((4, 6, 5), dtype, gen)
    for dim in (0, 1, 2, -1):
        check_sort(x, dim, False, True, dev)
        check_sort(x.transpose(0, 2), dim, True, True, dev)
    check_sort(data((), dtype, gen), 0, False, True, dev)
    check_sort(torch.empty(0, 3, dtype=dtype), 0, False, True, dev)
    check_sort(torch.empty(3, 0, dtype=dtype), 1, True, True, dev)
    # out= and the composite forms
    v, i = torch.empty(0, device=dev, dtype=dtype), torch.empty(0, device=dev, dtype=torch.long)
    torch.sort(x.to(dev), 1, out=(v, i))
    ev, ei = torch.sort(x, dim=1, stable=True)
    check(v, ev, exact=True)
    check(i, ei, exact=True)
    check(torch.argsort(x.to(dev), dim=0, stable=True), torch.argsort(x, dim=0, stable=True), exact=True)
    check(torch.msort(x.to(dev)), torch.msort(x), exact=True)


def test_sort_nan_order(dev):
    x = torch.tensor([1.0, float("nan"), -1.0, float("nan"), float("-inf"), 0.0, -0.0, float("inf")])
    for descending in (False, True):
        check_sort(x, 0, descending, True, dev)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_topk(dev, dtype):
    gen = torch.Generator().manual_seed(7)
    if dtype == torch.bool:  # not supported on the CPU or CUDA either
        for d in ("cpu", dev):
            with pytest.raises(RuntimeError):
                torch.topk(torch.ones(4, dtype=dtype, device=d), 2)
        return
    for shape, dim, k in [((50,), 0, 5), ((6, 40), 1, 40), ((6, 40), 0, 3), ((4, 3000), 1, 17), ((3, 5), 1, 0)]:
        x = data(shape, dtype, gen, lo=-1000, hi=1000)
        for largest in (True, False):
            ev, ei = torch.topk(x, k, dim, largest=largest)
            gv, gi = torch.topk(x.to(dev), k, dim, largest=largest)
            check(gv, ev, exact=True)
            assert torch.equal(torch.gather(x, dim, gi.cpu()), gv.cpu())
            # unsorted: same set
            uv, ui = torch.topk(x.to(dev), k, dim, largest=largest, sorted=False)
            check(uv.cpu().sort(dim)[0].to(dev), ev.sort(dim)[0], exact=True)
    v, i = torch.empty(0, device=dev, dtype=dtype), torch.empty(0, device=dev, dtype=torch.long)
    x = data((5, 9), dtype, gen, lo=-1000, hi=1000)
    torch.topk(x.to(dev), 3, out=(v, i))
    check(v, torch.topk(x, 3)[0], exact=True)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int64, torch.uint8], ids=str)
def test_kthvalue(dev, dtype):
    gen = torch.Generator().manual_seed(8)
    for shape, dim, k in [((9,), 0, 4), ((5, 13), 1, 1), ((5, 13), 0, 5), ((2, 3, 4), 2, 4), ((), 0, 1)]:
        x = data(shape, dtype, gen, lo=-100, hi=100)
        for keepdim in (False, True):
            ev, ei = torch.kthvalue(x, k, dim, keepdim)
            gv, gi = torch.kthvalue(x.to(dev), k, dim, keepdim)
            check(gv, ev, exact=True)
            assert gi.shape == ei.shape
            if x.dim():
                idx = gi.cpu() if keepdim else gi.cpu().unsqueeze(dim)
                picked = torch.gather(x, dim, idx)
                assert torch.equal(picked if keepdim else picked.squeeze(dim), ev)


def test_sort_errors(dev):
    x = torch.randn(3, 4)
    cases = [(lambda t: torch.sort(t, 2), IndexError), (lambda t: torch.topk(t, 5), RuntimeError),
             (lambda t: torch.topk(t, 2, dim=3), IndexError), (lambda t: torch.kthvalue(t, 5), RuntimeError),
             (lambda t: torch.kthvalue(t, 0), RuntimeError), (lambda t: torch.argsort(t, dim=-3), IndexError)]
    for fn, exc in cases:
        with pytest.raises(exc):
            fn(x)
        with pytest.raises(exc):
            fn(x.to(dev))


def test_backward(dev):
    """Gradients of cumsum/cumprod/sort/topk/cummax through autograd match the CPU's. The
    backward formulas use ops of other families (flip, scatter, gather); the forward
    ops of this family must not fall back."""
    gen = torch.Generator().manual_seed(9)
    x = torch.rand(4, 7, generator=gen) + 0.5
    g = torch.randn(4, 7, generator=gen)
    fns = [lambda t: torch.cumsum(t, 1), lambda t: torch.cumprod(t, 0), lambda t: torch.sort(t, 1)[0],
           lambda t: torch.topk(t, 3, 1)[0], lambda t: torch.cummax(t, 1)[0], lambda t: torch.logcumsumexp(t, 1)]
    torch_ocl.set_fallback_enabled(True)
    torch_ocl.reset_fallback_counts()
    for fn in fns:
        a = x.clone().requires_grad_()
        b = x.to(dev).requires_grad_()
        ya, yb = fn(a), fn(b)
        ya.backward(g[:, : ya.shape[1]] if ya.shape[0] == 4 else g[: ya.shape[0]])
        yb.backward((g[:, : ya.shape[1]] if ya.shape[0] == 4 else g[: ya.shape[0]]).to(dev))
        torch.testing.assert_close(b.grad.cpu(), a.grad, rtol=1e-4, atol=1e-4)
    mine = {"cumsum", "cumprod", "sort", "topk", "_cummax_helper", "_logcumsumexp", "kthvalue"}
    fell = {k.split("::")[-1].split(".")[0] for k in torch_ocl.fallback_counts()}
    assert not (fell & mine), fell
