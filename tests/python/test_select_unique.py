"""nonzero/argwhere/nonzero_static, masked_select/masked_scatter, unique (sorted,
consecutive, over a dim), searchsorted/bucketize, randperm and multinomial against the CPU,
with the CPU fallback off."""

import pytest
import torch
from conftest import dtypes_for_device

pytestmark = pytest.mark.usefixtures("native_only")
DTYPES = dtypes_for_device()


def data(shape, dtype, gen, lo=-3, hi=4):
    if dtype == torch.bool:
        return torch.rand(shape, generator=gen) > 0.5
    if dtype.is_floating_point:
        return torch.randint(lo, hi, shape, generator=gen).to(dtype) * 0.5
    lo = 0 if dtype == torch.uint8 else lo
    return torch.randint(lo, hi, shape, generator=gen).to(dtype)


def same(got, expect):
    assert got.device.type == "ocl"
    assert got.dtype == expect.dtype and got.shape == expect.shape, (got.shape, expect.shape)
    torch.testing.assert_close(got.cpu(), expect, rtol=0, atol=0, equal_nan=True)


SHAPES = [(), (1,), (17,), (5, 7), (3, 4, 5), (0,), (3, 0), (2, 50000)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_nonzero(dev, dtype):
    gen = torch.Generator().manual_seed(1)
    for shape in SHAPES:
        x = data(shape, dtype, gen)
        same(torch.nonzero(x.to(dev)), torch.nonzero(x))
        same(torch.argwhere(x.to(dev)), torch.argwhere(x))
        if x.dim() >= 2:
            same(torch.nonzero(x.to(dev).transpose(0, 1)), torch.nonzero(x.transpose(0, 1)))
    x = data((6, 7), dtype, gen)
    out = torch.empty(0, dtype=torch.long, device=dev)
    torch.nonzero(x.to(dev), out=out)
    same(out, torch.nonzero(x))
    for size in (0, 3, 60):
        same(torch.nonzero_static(x.to(dev), size=size, fill_value=-7), torch.nonzero_static(x, size=size, fill_value=-7))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_masked_select_scatter(dev, dtype):
    gen = torch.Generator().manual_seed(2)
    for shape in SHAPES:
        x = data(shape, dtype, gen)
        m = torch.rand(shape, generator=gen) > 0.4
        same(torch.masked_select(x.to(dev), m.to(dev)), torch.masked_select(x, m))
        src = data((max(x.numel(), 1),), dtype, gen)
        same(x.to(dev).masked_scatter_(m.to(dev), src.to(dev)), x.clone().masked_scatter_(m, src))
    # broadcasting, strided, out=
    x = data((4, 6), dtype, gen)
    m = torch.rand(6, generator=gen) > 0.5
    same(torch.masked_select(x.to(dev).t(), m.to(dev).unsqueeze(1)), torch.masked_select(x.t(), m.unsqueeze(1)))
    same(torch.masked_select(x.to(dev), m.to(dev)), torch.masked_select(x, m))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.masked_select(x.to(dev), m.to(dev), out=out)
    same(out, torch.masked_select(x, m))
    src = data((24,), dtype, gen)
    y = x.clone().t()
    yd = x.to(dev).t()
    same(yd.masked_scatter_(m.to(dev)[:4].unsqueeze(0), src.to(dev)), y.masked_scatter_(m[:4].unsqueeze(0), src))
    same(torch.masked_scatter(x.to(dev), m.to(dev), src.to(dev)), torch.masked_scatter(x, m, src))


def test_masked_errors(dev):
    x = torch.randn(3, 4)
    m = x > 0
    cases = [lambda t, mm: torch.masked_select(t, mm.int()), lambda t, mm: t.clone().masked_scatter_(mm.int(), t),
             lambda t, mm: t.clone().masked_scatter_(mm, t.double()),
             lambda t, mm: t.clone().masked_scatter_(torch.ones_like(mm), t[:1]),
             lambda t, mm: torch.nonzero_static(t, size=-1),
             lambda t, mm: torch.masked_select(t, mm[:2])]
    for fn in cases:
        with pytest.raises(RuntimeError):
            fn(x, m)
        with pytest.raises(RuntimeError):
            fn(x.to(dev), m.to(dev))


def test_masked_select_backward(dev):
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(5, 6, generator=gen)
    m = torch.rand(5, 6, generator=gen) > 0.5
    a = x.clone().requires_grad_()
    b = x.to(dev).requires_grad_()
    ya, yb = torch.masked_select(a, m), torch.masked_select(b, m.to(dev))
    g = torch.randn(ya.shape, generator=gen)
    ya.backward(g)
    yb.backward(g.to(dev))
    same(b.grad, a.grad)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_unique(dev, dtype):
    gen = torch.Generator().manual_seed(4)
    for shape in [(), (1,), (40,), (6, 9), (0,), (3, 0), (30000,)]:
        x = data(shape, dtype, gen)
        for inv in (False, True):
            for cnt in (False, True):
                e = torch.ops.aten._unique2(x, True, inv, cnt)
                g = torch.ops.aten._unique2(x.to(dev), True, inv, cnt)
                for a, b in zip(g, e):
                    same(a, b)
                e = torch.ops.aten.unique_consecutive(x, inv, cnt, None)
                g = torch.ops.aten.unique_consecutive(x.to(dev), inv, cnt, None)
                for a, b in zip(g, e):
                    same(a, b)
    x = data((40,), dtype, gen)
    same(torch.unique(x.to(dev)), torch.unique(x))
    same(torch.unique(x.to(dev)[::3]), torch.unique(x[::3]))


def test_unique_nan_and_zero(dev):
    x = torch.tensor([float("nan"), float("nan"), 1.0, -0.0, 0.0, 1.0])
    for a, b in zip(torch.unique(x.to(dev), return_inverse=True, return_counts=True),
                    torch.unique(x, return_inverse=True, return_counts=True)):
        same(a, b)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.float16], ids=str)
def test_unique_dim(dev, dtype):
    gen = torch.Generator().manual_seed(5)
    x = data((12, 3), dtype, gen, lo=0, hi=2)
    x = torch.cat([x, x[:4]])
    for dim in (0, 1, -1):
        for a, b in zip(torch.unique(x.to(dev), dim=dim, return_inverse=True, return_counts=True),
                        torch.unique(x, dim=dim, return_inverse=True, return_counts=True)):
            same(a, b)
        for a, b in zip(torch.unique_consecutive(x.to(dev), dim=dim, return_inverse=True, return_counts=True),
                        torch.unique_consecutive(x, dim=dim, return_inverse=True, return_counts=True)):
            same(a, b)
    y = data((0, 3), dtype, gen)
    for a, b in zip(torch.unique(y.to(dev), dim=0, return_inverse=True, return_counts=True),
                    torch.unique(y, dim=0, return_inverse=True, return_counts=True)):
        same(a, b)
    with pytest.raises(RuntimeError):
        torch.unique(torch.empty(3, 0, dtype=dtype, device=dev), dim=0)


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != torch.bool], ids=str)
def test_searchsorted_bucketize(dev, dtype):
    gen = torch.Generator().manual_seed(6)
    bd = data((40,), dtype, gen, lo=-50, hi=50).sort()[0]
    v = data((7, 11), dtype, gen, lo=-60, hi=60)
    for right in (False, True):
        for out_int32 in (False, True):
            same(torch.searchsorted(bd.to(dev), v.to(dev), right=right, out_int32=out_int32),
                 torch.searchsorted(bd, v, right=right, out_int32=out_int32))
            same(torch.bucketize(v.to(dev), bd.to(dev), right=right, out_int32=out_int32),
                 torch.bucketize(v, bd, right=right, out_int32=out_int32))
        same(torch.searchsorted(bd.to(dev), v.to(dev).t(), side="right" if right else "left"),
             torch.searchsorted(bd, v.t(), side="right" if right else "left"))
    # N-d boundaries, sorter, scalars, out=, empty
    bd2 = data((7, 30), dtype, gen, lo=-50, hi=50)
    sorter = bd2.argsort(dim=1, stable=True)
    same(torch.searchsorted(bd2.to(dev), v.to(dev), sorter=sorter.to(dev)), torch.searchsorted(bd2, v, sorter=sorter))
    same(torch.searchsorted(bd2.sort(1)[0].to(dev), v.to(dev), right=True), torch.searchsorted(bd2.sort(1)[0], v, right=True))
    same(torch.searchsorted(bd.to(dev), 3), torch.searchsorted(bd, 3))
    same(torch.bucketize(3, bd.to(dev)), torch.bucketize(3, bd))
    out = torch.empty(0, dtype=torch.long, device=dev)
    torch.searchsorted(bd.to(dev), v.to(dev), out=out)
    same(out, torch.searchsorted(bd, v))
    same(torch.searchsorted(bd.to(dev), v[:0].to(dev)), torch.searchsorted(bd, v[:0]))


def test_searchsorted_float_mixed_and_nan(dev):
    bd = torch.tensor([-1.0, 0.0, 2.5, float("inf"), float("nan")])
    v = torch.tensor([float("nan"), -5.0, 0.0, 2.5, float("inf"), 7.0])
    for right in (False, True):
        same(torch.searchsorted(bd.to(dev), v.to(dev), right=right), torch.searchsorted(bd, v, right=right))
    same(torch.searchsorted(bd.to(dev), torch.tensor([1, 3]).to(dev)), torch.searchsorted(bd, torch.tensor([1, 3])))


def test_searchsorted_errors(dev):
    bd = torch.tensor([1.0, 2.0, 3.0])
    v = torch.tensor([[1.5]])
    cases = [lambda b, x: torch.bucketize(x, b.unsqueeze(0)), lambda b, x: torch.searchsorted(b, x, side="middle"),
             lambda b, x: torch.searchsorted(b, x, sorter=torch.tensor([0, 1, 5], device=b.device)),
             lambda b, x: torch.searchsorted(b, x, sorter=torch.tensor([0, 1], device=b.device)),
             lambda b, x: torch.searchsorted(b.repeat(2, 1), x.repeat(3, 1))]
    for fn in cases:
        with pytest.raises(RuntimeError):
            fn(bd, v)
        with pytest.raises(RuntimeError):
            fn(bd.to(dev), v.to(dev))


def test_randperm(dev):
    for n in (0, 1, 2, 3, 17, 1000, 70000):
        torch.ocl.manual_seed(123)
        a = torch.randperm(n, device=dev)
        torch.ocl.manual_seed(123)
        b = torch.randperm(n, device=dev)
        assert a.device.type == "ocl" and a.dtype == torch.long
        assert torch.equal(a.cpu(), b.cpu())
        assert torch.equal(a.cpu().sort()[0], torch.arange(n))
    g = torch.Generator(device=dev).manual_seed(7)
    c = torch.randperm(50, device=dev, generator=g)
    assert not torch.equal(c.cpu(), torch.arange(50))  # 1/50! chance of a false failure
    for dtype in (torch.int32, torch.float32, torch.float16):
        p = torch.randperm(300, device=dev, dtype=dtype)
        assert torch.equal(p.cpu().sort()[0], torch.arange(300, dtype=dtype))
    with pytest.raises(RuntimeError):
        torch.randperm(-1, device=dev)
    with pytest.raises(RuntimeError):
        torch.randperm(5000, device=dev, dtype=torch.float16)
    # first position is uniform: chi-square over 2000 draws of randperm(5)
    first = torch.tensor([torch.randperm(5, device=dev)[0].item() for _ in range(400)])
    counts = torch.bincount(first, minlength=5).double()
    chi2 = ((counts - 80) ** 2 / 80).sum()
    assert chi2 < 25, counts  # df 4: p < 1e-4


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d.is_floating_point], ids=str)
def test_multinomial(dev, dtype):
    p = torch.tensor([[0.1, 0.0, 0.4, 0.2, 0.3], [1.0, 1.0, 0.0, 2.0, 0.0]], dtype=dtype)
    torch.ocl.manual_seed(5)
    a = torch.multinomial(p.to(dev), 4000, replacement=True)
    torch.ocl.manual_seed(5)
    b = torch.multinomial(p.to(dev), 4000, replacement=True)
    assert a.dtype == torch.long and a.shape == (2, 4000) and torch.equal(a.cpu(), b.cpu())
    for row in range(2):
        counts = torch.bincount(a[row].cpu(), minlength=5).double()
        expect = p[row].double() / p[row].double().sum() * 4000
        assert torch.all(counts[expect == 0] == 0)
        nz = expect > 0
        chi2 = ((counts[nz] - expect[nz]) ** 2 / expect[nz]).sum()
        assert chi2 < 25, (counts, expect)
    # without replacement: distinct, never a zero-weight category while positive ones remain
    s = torch.multinomial(p.to(dev), 3, replacement=False).cpu()
    for row in range(2):
        assert len(set(s[row].tolist())) == 3
        assert all(p[row, c] > 0 for c in s[row].tolist())
    # first draw without replacement follows p
    first = torch.multinomial(p[0].to(dev).expand(3000, 5).contiguous(), 2, replacement=False)[:, 0].cpu()
    counts = torch.bincount(first, minlength=5).double()
    expect = p[0].double() / p[0].double().sum() * 3000
    nz = expect > 0
    assert ((counts[nz] - expect[nz]) ** 2 / expect[nz]).sum() < 25 and counts[1] == 0
    out = torch.empty(0, dtype=torch.long, device=dev)
    torch.multinomial(p[0].to(dev), 5, out=out)
    assert sorted(out.cpu().tolist()) == [0, 1, 2, 3, 4] and out[-1].item() == 1  # zero weight comes last
    assert torch.multinomial(p[0].to(dev), 1).shape == (1,)


def test_multinomial_errors(dev):
    cases = [(torch.tensor([1.0, -1.0]), 1, False), (torch.tensor([0.0, 0.0]), 1, True),
             (torch.tensor([1.0, float("nan")]), 1, True), (torch.tensor([[[1.0]]]), 1, True),
             (torch.tensor([1.0, 1.0]), 0, True), (torch.tensor([1.0, 1.0]), 3, False), (torch.tensor([1, 2]), 1, True),
             (torch.tensor([1.0, float("inf")]), 1, True)]
    for p, n, repl in cases:
        with pytest.raises(RuntimeError):
            torch.multinomial(p, n, repl)
        with pytest.raises(RuntimeError):
            torch.multinomial(p.to(dev), n, repl)


def test_randint_native(dev):
    torch.ocl.manual_seed(3)
    a = torch.randint(-5, 9, (1000,), device=dev)
    assert a.device.type == "ocl" and a.min() >= -5 and a.max() < 9
    assert len(torch.unique(a.cpu())) == 14
