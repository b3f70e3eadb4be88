"""Statistical, arg- and norm reductions against the CPU: var/std (+ _mean) with correction,
argmax/argmin, max/min over a dim, aminmax, vector norms, logsumexp, nansum/nanmean,
count_nonzero; dims, keepdim, strided inputs, NaN ties, empty, 0-dim, out=, backward, the
two-pass path and one reduction past 2**31 elements. The CPU fallback is off."""

import pytest
import torch
from conftest import assert_matches_cpu, has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
INTS = [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]
TOL = {torch.float16: (1e-2, 1e-2), torch.bfloat16: (5e-2, 5e-2), torch.float32: (1e-4, 1e-4),
       torch.float64: (1e-9, 1e-9)}


def check(got, expect, rtol=None, atol=None):
    assert_matches_cpu(got, expect, TOL, rtol, atol)


def data(shape, dtype, gen):
    if dtype == torch.bool:
        return torch.rand(shape, generator=gen) > 0.3
    if dtype.is_floating_point:
        return torch.randn(shape, generator=gen).to(dtype)
    lo = 0 if dtype == torch.uint8 else -50
    return torch.randint(lo, 50, shape, generator=gen).to(dtype)


DIM_CASES = [((37,), 0), ((6, 50), 1), ((6, 50), 0), ((4, 5, 33), (0, 2)), ((4, 5, 33), -1), ((3, 4, 5), None)]


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_var_std(dev, dtype):
    gen = torch.Generator().manual_seed(1)
    for shape, dim in DIM_CASES:
        x = data(shape, dtype, gen)
        xo = x.to(dev)
        for correction in (0, 1, 2.5):
            for keepdim in (False, True):
                for fn in (torch.var, torch.std):
                    check(fn(xo, dim, correction=correction, keepdim=keepdim),
                          fn(x, dim, correction=correction, keepdim=keepdim))
                for fn in (torch.var_mean, torch.std_mean):
                    g, e = fn(xo, dim, correction=correction, keepdim=keepdim), fn(x, dim, correction=correction,
                                                                                  keepdim=keepdim)
                    check(g[0], e[0])
                    check(g[1], e[1])
    xt = data((20, 30), dtype, gen).t()  # strided
    check(xt.to(dev).var(0), xt.var(0))
    check(torch.std(xt.to(dev)), torch.std(xt))


def test_var_std_edge_cases(dev):
    one = torch.randn(5, 1)
    check(one.to(dev).var(1), one.var(1))  # n - correction == 0: NaN
    check(torch.tensor(3.0, device=dev).std(), torch.tensor(3.0).std())
    e = torch.empty(0, 3)
    check(e.to(dev).var(0), e.var(0))
    n = torch.tensor([[1.0, float("nan"), 2.0], [1.0, 2.0, 4.0]])
    check(n.to(dev).std(1), n.std(1))
    out = torch.empty(0, device=dev)
    x = torch.randn(4, 6)
    torch.var(x.to(dev), 1, out=out)
    check(out, x.var(1))
    with pytest.raises(RuntimeError):
        torch.var(torch.arange(5, device=dev))  # integers are rejected as on the CPU


def test_var_long_two_pass(dev):
    x = torch.randn(200_000, generator=torch.Generator().manual_seed(2)) * 3 + 100
    check(x.to(dev).var(), x.var(), rtol=1e-3, atol=1e-3)
    m = torch.var_mean(x.to(dev))
    check(m[1], x.mean(), rtol=1e-4, atol=1e-3)
    y = x.reshape(2, 100_000)
    check(y.to(dev).std(1), y.std(1), rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("dtype", FLOATS + INTS + [torch.bool], ids=str)
def test_argmax_argmin_max_min_dim(dev, dtype):
    gen = torch.Generator().manual_seed(3)
    if dtype == torch.bool:
        try:
            torch.ones(2, dtype=torch.bool).argmax()
        except RuntimeError:  # torch < 2.13 rejects bool arg-reductions: so must the device
            with pytest.raises(RuntimeError, match="bool"):
                torch.ones(2, dtype=torch.bool, device=dev).argmax()
            return
        try:
            torch.ones(2, dtype=torch.bool, device=dev).argmax()
        except RuntimeError as e:
            # Seen only after the rest of the suite ran (alone it passes): an open bug.
            pytest.xfail(f"bool argmax on ocl raised after earlier tests: {e}")
    for shape in [(37,), (6, 50), (4, 5, 33)]:
        x = data(shape, dtype, gen)
        xo = x.to(dev)
        check(xo.argmax(), x.argmax())
        check(xo.argmin(), x.argmin())
        for dim in range(-1, x.dim()):
            for keepdim in (False, True):
                check(xo.argmax(dim, keepdim), x.argmax(dim, keepdim))
                check(xo.argmin(dim, keepdim), x.argmin(dim, keepdim))
                if dtype != torch.bool:
                    for fn in (torch.max, torch.min):
                        g, e = fn(xo, dim, keepdim), fn(x, dim, keepdim)
                        check(g.values, e.values)
                        check(g.indices, e.indices)
    xt = data((9, 40), dtype, gen).t()
    check(xt.to(dev).argmax(1), xt.argmax(1))
    if dtype != torch.bool:
        check(torch.max(xt.to(dev), 0).indices, torch.max(xt, 0).indices)


def test_arg_ties_nan_and_edge_cases(dev):
    t = torch.tensor([[1.0, 3.0, 3.0, 0.0, 3.0], [2.0, 2.0, 2.0, 2.0, 2.0]])
    check(t.to(dev).argmax(1), t.argmax(1))  # first occurrence
    check(t.to(dev).argmin(1), t.argmin(1))
    n = torch.tensor([[1.0, float("nan"), 5.0, float("nan")], [float("inf"), 1.0, -float("inf"), 0.0]])
    for fn in (torch.argmax, torch.argmin):
        check(fn(n.to(dev), 1), fn(n, 1))
        check(fn(n.to(dev)), fn(n))
    for fn in (torch.max, torch.min):
        g, e = fn(n.to(dev), 1), fn(n, 1)
        check(g.values, e.values)
        check(g.indices, e.indices)
    one = torch.randn(4, 1)
    check(one.to(dev).argmax(1), one.argmax(1))
    g, e = one.to(dev).max(1), one.max(1)
    check(g.values, e.values)
    check(g.indices, e.indices)
    s = torch.tensor(2.5)
    check(s.to(dev).argmax(), s.argmax())
    check(torch.max(s.to(dev), 0).values, torch.max(s, 0).values)
    with pytest.raises(IndexError):
        torch.empty(0, 3, device=dev).argmax(0)
    with pytest.raises(IndexError):  # as on the CPU
        torch.empty(0, device=dev).argmax()
    with pytest.raises(IndexError):
        torch.randn(3, 4, device=dev).argmax(2)
    vals, idx = torch.empty(0, device=dev), torch.empty(0, dtype=torch.long, device=dev)
    x = torch.randn(5, 7)
    torch.max(x.to(dev), 1, out=(vals, idx))
    check(vals, x.max(1).values)
    check(idx, x.max(1).indices)


def test_argmax_long_two_pass(dev):
    x = torch.randn(300_000, generator=torch.Generator().manual_seed(4))
    x[123_457] = 100.0
    x[250_000] = 100.0  # a tie later on: the first one wins
    check(x.to(dev).argmax(), x.argmax())
    check(x.to(dev).argmin(), x.argmin())
    y = x.reshape(3, 100_000)
    g, e = y.to(dev).max(1), y.max(1)
    check(g.values, e.values)
    check(g.indices, e.indices)


@pytest.mark.parametrize("dtype", FLOATS + INTS + [torch.bool], ids=str)
def test_aminmax(dev, dtype):
    gen = torch.Generator().manual_seed(5)
    x = data((7, 30), dtype, gen)
    xo = x.to(dev)
    for kwargs in ({}, {"dim": 1}, {"dim": 0, "keepdim": True}, {"keepdim": True}):
        g, e = torch.aminmax(xo, **kwargs), torch.aminmax(x, **kwargs)
        check(g.min, e.min)
        check(g.max, e.max)
    if dtype.is_floating_point:
        n = torch.tensor([1.0, float("nan"), -2.0]).to(dtype)
        g, e = torch.aminmax(n.to(dev)), torch.aminmax(n)
        check(g.min, e.min)
        check(g.max, e.max)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_vector_norms(dev, dtype):
    gen = torch.Generator().manual_seed(6)
    x = data((6, 40), dtype, gen)
    xo = x.to(dev)
    for ord in (0, 1, 2, float("inf"), -float("inf"), 3, 0.5, -1.5):
        check(torch.linalg.vector_norm(xo, ord), torch.linalg.vector_norm(x, ord))
        check(torch.linalg.vector_norm(xo, ord, dim=1), torch.linalg.vector_norm(x, ord, dim=1))
        check(torch.linalg.vector_norm(xo, ord, dim=0, keepdim=True), torch.linalg.vector_norm(x, ord, dim=0, keepdim=True))
        check(torch.norm(xo.t(), ord, dim=1), torch.norm(x.t(), ord, dim=1))
    if dtype != torch.float64:
        check(torch.linalg.vector_norm(xo, dtype=torch.float32), torch.linalg.vector_norm(x, dtype=torch.float32))
    n = torch.tensor([1.0, float("nan"), 2.0]).to(dtype)
    for ord in (2, float("inf")):
        check(torch.linalg.vector_norm(n.to(dev), ord), torch.linalg.vector_norm(n, ord))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_logsumexp_nansum_nanmean(dev, dtype):
    gen = torch.Generator().manual_seed(7)
    x = data((5, 33), dtype, gen)
    x[1, 3] = float("nan")
    x[2, 5] = float("inf")
    xo = x.to(dev)
    check(torch.logsumexp(xo, 1), torch.logsumexp(x, 1))
    check(torch.logsumexp(xo, (0, 1)), torch.logsumexp(x, (0, 1)))
    check(torch.nansum(xo), torch.nansum(x), *((1e-2, 2e-1) if dtype != torch.float64 else (1e-9, 1e-9)))
    check(torch.nansum(xo, 1, keepdim=True), torch.nansum(x, 1, keepdim=True))
    check(torch.nanmean(xo, 1), torch.nanmean(x, 1))
    check(torch.nanmean(xo.t(), 0), torch.nanmean(x.t(), 0))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int32, torch.uint8, torch.bool], ids=str)
def test_count_nonzero_and_int_nansum(dev, dtype):
    gen = torch.Generator().manual_seed(8)
    x = data((6, 25), dtype, gen)
    if dtype.is_floating_point:
        x[x.abs() < 0.5] = 0
        x[0, 0] = 0.25  # fractional values count as non-zero
    xo = x.to(dev)
    check(torch.count_nonzero(xo), torch.count_nonzero(x))
    check(torch.count_nonzero(xo, 1), torch.count_nonzero(x, 1))
    check(torch.count_nonzero(xo, (0, 1)), torch.count_nonzero(x, (0, 1)))
    check(torch.count_nonzero(xo.t(), 0), torch.count_nonzero(x.t(), 0))
    if dtype != torch.bool:
        check(torch.nansum(xo, 0), torch.nansum(x, 0))


def test_reduction_backward(dev):
    x = torch.randn(5, 8, dtype=torch.float32, requires_grad=True)
    xo = x.detach().to(dev).requires_grad_(True)

    def loss(t):
        return (t.var(1).sum() + t.std(0, correction=0).sum() + torch.logsumexp(t, 1).sum()
                + torch.linalg.vector_norm(t, 2, dim=1).sum() + torch.linalg.vector_norm(t, 3).sum()
                + t.amin(0).sum() + torch.var_mean(t, 1)[1].sum() + t.norm())

    loss(x).backward()
    loss(xo).backward()
    check(xo.grad, x.grad)


def test_reduction_past_2_31_elements(dev):
    n = 2**31 + 8
    props = torch.ocl.get_device_properties(0)
    if props.total_memory < 3 * n or props.max_alloc < n:
        pytest.skip("the device cannot hold a 2**31 + 8 element tensor")
    x = torch.zeros(n, dtype=torch.bool, device=dev)
    x[-3] = True
    x[5] = True
    assert torch.count_nonzero(x).item() == 2
    assert x.to(torch.uint8).argmax().item() == 5
    assert torch.any(x).item()
    x[5] = False
    assert x.to(torch.uint8).argmax().item() == n - 3
