"""topk and kthvalue (radix select) against the CPU: every dtype, both paths (one work-group
per row for short rows, many per row for long ones), k from 0 to n, largest both ways,
sorted and unsorted, NaN and signed zeros, ties, non-contiguous input, any dim, out= forms,
0-dim and empty inputs, errors and gradients; with the CPU fallback off."""

import pytest
import torch
from conftest import dtypes_for_device, run_python

pytestmark = pytest.mark.usefixtures("native_only")
DTYPES = [d for d in dtypes_for_device() if d != torch.bool]
FLOATS = [d for d in DTYPES if d.is_floating_point]


def rand(shape, dtype, gen, ties=False):
    """Random values; ties=True draws from {0, 1, 2} so most keys repeat."""
    if ties:
        return torch.randint(0, 3, shape, generator=gen).to(dtype)
    if dtype.is_floating_point:
        return (torch.randn(shape, generator=gen) * 100).to(dtype)
    info = torch.iinfo(dtype)
    return torch.randint(max(info.min, -30000), min(info.max, 30000) + 1, shape, generator=gen).to(dtype)


def same(a, b):
    """Equal values, NaN equal to NaN."""
    if not a.is_floating_point():
        return torch.equal(a, b)
    return a.shape == b.shape and a.dtype == b.dtype and bool(((a == b) | (a.isnan() & b.isnan())).all())


def check_topk(x, k, dim, largest, sorted_, dev):
    ev, ei = torch.topk(x, k, dim, largest, sorted_)
    gv, gi = torch.topk(x.to(dev), k, dim, largest, sorted_)
    assert gv.device.type == "ocl" and gi.dtype == torch.long and gi.shape == ei.shape
    gv, gi = gv.cpu(), gi.cpu()
    if sorted_:
        assert same(gv, ev), (x.shape, k, dim, largest)
    else:  # the same multiset of values, in any order
        assert same(gv.sort(dim)[0], ev.sort(dim)[0]), (x.shape, k, dim, largest)
    assert same(x.gather(dim, gi), gv)  # each index points at its value
    if k > 1:  # no index twice
        assert bool((gi.sort(dim)[0].diff(dim=dim) != 0).all())
    distinct = x.numel() == x.unique().numel() and not (x.is_floating_point() and x.isnan().any())
    if distinct and sorted_:
        assert torch.equal(gi, ei)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_topk_dtypes_both_paths(dev, dtype):
    gen = torch.Generator().manual_seed(1)
    # [300, 1000]: one work-group per row; [100000]: many work-groups per row
    for shape in [(300, 1000), (100000,), (7, 50)]:
        x = rand(shape, dtype, gen)
        for k in (1, 5):
            for largest in (True, False):
                check_topk(x, k, -1, largest, True, dev)
        check_topk(x, 5, -1, True, False, dev)
        check_topk(rand(shape, dtype, gen, ties=True), 5, -1, False, True, dev)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.bfloat16], ids=str)
def test_topk_k_range(dev, dtype):
    """k = 0, 1, 5, 64, 1000 and n, on short rows, a long row and a row of 2^20."""
    gen = torch.Generator().manual_seed(2)
    for shape, ks in [((300, 1000), (0, 1, 64, 1000)), ((4, 37), (0, 1, 36, 37)), ((100000,), (0, 64, 1000, 5000)),
                      ((1 << 20,), (1, 1000)), ((1,), (0, 1)), ((3000,), (1025, 3000))]:
        x = rand(shape, dtype, gen)
        for k in ks:
            for sorted_ in (True, False):
                check_topk(x, k, -1, True, sorted_, dev)
        check_topk(x, ks[-1], -1, False, True, dev)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_topk_nan_signed_zero(dev, dtype):
    """NaN is the largest value (first for largest=True, last otherwise); -0.0 equals +0.0."""
    gen = torch.Generator().manual_seed(3)
    x = torch.tensor([1.0, float("nan"), -0.0, 0.0, 2.0, float("nan"), -1.0, 0.0, float("inf"), -float("inf")])
    x = x.to(dtype)
    for k in range(0, x.numel() + 1):
        for largest in (True, False):
            check_topk(x, k, 0, largest, True, dev)
    for shape in [(40, 1000), (100000,)]:
        x = rand(shape, dtype, gen)
        r = torch.rand(shape, generator=gen)
        x[r < 0.02] = float("nan")
        x[(r > 0.5) & (r < 0.6)] = 0.0
        x[(r > 0.6) & (r < 0.7)] = -0.0
        for k in (1, 5, 1000):
            for largest in (True, False):
                check_topk(x, k, -1, largest, True, dev)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.uint8, torch.float16], ids=str)
def test_topk_ties_and_equal_rows(dev, dtype):
    """Many equal keys: values exact and every index valid; all-equal rows."""
    gen = torch.Generator().manual_seed(4)
    for shape in [(300, 1000), (100000,)]:
        x = rand(shape, dtype, gen, ties=True)
        for k in (1, 5, 1000):
            for largest in (True, False):
                check_topk(x, k, -1, largest, True, dev)
        check_topk(torch.full(shape, 2, dtype=dtype), 5, -1, True, True, dev)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int16, torch.float16], ids=str)
def test_topk_layouts(dev, dtype):
    """Non-contiguous input, dim other than the last, out= (also non-contiguous), 0-dim, empty."""
    gen = torch.Generator().manual_seed(5)
    x = rand((40, 6, 30), dtype, gen)
    for dim in (0, 1, 2, -1):
        check_topk(x, 4, dim, True, True, dev)
        check_topk(x.transpose(0, 2), 3, dim, False, True, dev)
    check_topk(x[:, ::2, 1:], 5, 2, True, True, dev)
    check_topk(rand((), dtype, gen), 1, 0, True, True, dev)
    check_topk(rand((), dtype, gen), 0, 0, True, True, dev)
    check_topk(torch.empty(0, 5, dtype=dtype), 3, 1, True, True, dev)
    check_topk(torch.empty(4, 0, dtype=dtype), 0, 1, True, True, dev)
    ev, ei = torch.topk(x, 5, 1)
    v, i = torch.empty(0, dtype=dtype, device=dev), torch.empty(0, dtype=torch.long, device=dev)
    torch.topk(x.to(dev), 5, 1, out=(v, i))
    assert same(v.cpu(), ev) and same(x.gather(1, i.cpu()), ev)
    # out= tensors of the right shape but another layout (dim 0 is not their last)
    v = torch.empty(30, 6, 5, dtype=dtype, device=dev).permute(2, 1, 0)
    i = torch.empty(30, 6, 5, dtype=torch.long, device=dev).permute(2, 1, 0)
    ev, ei = torch.topk(x, 5, 0)
    torch.topk(x.to(dev), 5, 0, out=(v, i))
    assert same(v.cpu(), ev) and same(x.gather(0, i.cpu()), ev)


def check_kthvalue(x, k, dim, keepdim, dev):
    ev, ei = torch.kthvalue(x, k, dim, keepdim)
    gv, gi = torch.kthvalue(x.to(dev), k, dim, keepdim)
    assert gv.device.type == "ocl" and gi.shape == ei.shape
    gv, gi = gv.cpu(), gi.cpu()
    assert same(gv, ev), (x.shape, k, dim)
    if x.dim():
        idx = gi if keepdim else gi.unsqueeze(dim)
        picked = x.gather(dim, idx)
        assert same(picked if keepdim else picked.squeeze(dim), ev)
        # Among equal values the index is the one a stable sort puts at position k - 1 (the
        # CPU's choice among equal values depends on its partition order).
        si = torch.sort(x, dim=dim, stable=True)[1].narrow(dim, k - 1, 1)
        assert torch.equal(idx, si)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_kthvalue(dev, dtype):
    gen = torch.Generator().manual_seed(6)
    for shape, dim, ks in [((300, 1000), 1, (1, 500, 1000)), ((100000,), 0, (1, 77777)), ((9, 13), 0, (1, 5, 9)),
                           ((5, 4, 3), 1, (2,)), ((), 0, (1,))]:
        for ties in (False, True):
            x = rand(shape, dtype, gen, ties)
            for k in ks:
                for keepdim in (False, True):
                    check_kthvalue(x, k, dim, keepdim, dev)


def test_kthvalue_nan_out_layout(dev):
    gen = torch.Generator().manual_seed(7)
    x = torch.tensor([1.0, float("nan"), -0.0, 0.0, 2.0, float("nan"), -1.0, 0.0])
    for k in range(1, x.numel() + 1):
        check_kthvalue(x, k, 0, False, dev)
    x = rand((30, 40), torch.float32, gen)
    check_kthvalue(x.t(), 7, 0, True, dev)
    check_kthvalue(x.t(), 7, 1, False, dev)
    ev, ei = torch.kthvalue(x, 3, 1)
    v, i = torch.empty(0, device=dev), torch.empty(0, dtype=torch.long, device=dev)
    torch.kthvalue(x.to(dev), 3, 1, out=(v, i))
    assert same(v.cpu(), ev) and torch.equal(i.cpu(), ei)


def test_errors(dev):
    x = torch.randn(3, 4)
    cases = [(lambda t: torch.topk(t, 5), RuntimeError), (lambda t: torch.topk(t, -1), RuntimeError),
             (lambda t: torch.topk(t, 2, dim=2), IndexError), (lambda t: torch.kthvalue(t, 5), RuntimeError),
             (lambda t: torch.kthvalue(t, 0), RuntimeError), (lambda t: torch.kthvalue(t, 1, dim=-3), IndexError),
             (lambda t: torch.topk(t > 0, 2), RuntimeError), (lambda t: torch.kthvalue(t > 0, 2), NotImplementedError)]
    for fn, exc in cases:
        with pytest.raises(exc):
            fn(x)
        with pytest.raises(exc):
            fn(x.to(dev))
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        torch.topk(x.to(dev), 5)


def test_backward(dev):
    gen = torch.Generator().manual_seed(8)
    x = torch.randn(6, 1000, generator=gen)
    fns = [lambda t: torch.topk(t, 5, 1)[0], lambda t: torch.topk(t, 3, 0, largest=False)[0],
           lambda t: torch.kthvalue(t, 10, 1)[0]]
    for fn in fns:
        a = x.clone().requires_grad_()
        b = x.to(dev).requires_grad_()
        ya, yb = fn(a), fn(b)
        g = torch.randn(ya.shape, generator=gen)
        ya.backward(g)
        yb.backward(g.to(dev))
        torch.testing.assert_close(b.grad.cpu(), a.grad)


FORCED_PATH_SCRIPT = """
import torch, torch_ocl
torch_ocl.set_fallback_enabled(False)
gen = torch.Generator().manual_seed(9)
for dtype in (torch.float32, torch.int64, torch.float16):
    for shape, k in [((5, 20000), 7), ((3, 70000), 1000), ((40, 300), 64), ((2, 5000), 2000), ((100000,), 5)]:
        x = (torch.randn(shape, generator=gen) * 100).to(dtype)
        if k % 2:  # many ties
            x = torch.randint(-50, 50, shape, generator=gen).to(dtype)
        for largest in (True, False):
            for sorted_ in (True, False):
                ev, ei = torch.topk(x, k, -1, largest, sorted_)
                gv, gi = torch.topk(x.to("ocl"), k, -1, largest, sorted_)
                gv, gi = gv.cpu(), gi.cpu()
                if sorted_:
                    assert torch.equal(gv, ev), (dtype, shape, k, largest)
                else:
                    assert torch.equal(gv.sort(-1)[0], ev.sort(-1)[0]), (dtype, shape, k, largest)
                assert torch.equal(x.gather(-1, gi), gv)
                assert bool((gi.sort(-1)[0].diff(dim=-1) != 0).all())
        for kk in (1, k, shape[-1]):
            ev, ei = torch.kthvalue(x, kk, -1)
            gv, gi = torch.kthvalue(x.to("ocl"), kk, -1)
            assert torch.equal(gv.cpu(), ev)
            assert torch.equal(gi.cpu(), torch.sort(x, dim=-1, stable=True)[1][..., kk - 1])
print("ok")
"""


@pytest.mark.parametrize("path", ["rows", "long", "sort"])
def test_forced_path(path):
    """Each path on shapes the shape heuristic would send elsewhere (several long rows on
    the many-groups path, a long row on the one-group path), via TORCH_OCL_TOPK_PATH."""
    _, out, _ = run_python(FORCED_PATH_SCRIPT, env={"TORCH_OCL_TOPK_PATH": path})
    assert out.strip().endswith("ok")


def test_forced_path_bad_value():
    rc, _, err = run_python("import torch, torch_ocl; torch.topk(torch.randn(5, device='ocl'), 2)",
                            env={"TORCH_OCL_TOPK_PATH": "fast"}, check=False)
    assert rc != 0 and "TORCH_OCL_TOPK_PATH" in err
