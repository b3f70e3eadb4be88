"""Indexing ops against the CPU with the fallback off: index_select, gather, scatter (src,
value, reduce), scatter_add, scatter_reduce, advanced indexing (index.Tensor), index_put_
(accumulate), index_add/copy/fill, take, put_, embedding and its backward; every dtype,
strided operands, negative/duplicate/empty indices, 0-dim, out=/in-place forms, autograd,
out-of-range indices and dtype mismatches raising like the CPU."""

import pytest
import torch
from conftest import dtypes_for_device, random_cpu

pytestmark = pytest.mark.usefixtures("native_only")
DTYPES = dtypes_for_device()
FLOATS = [d for d in DTYPES if d.is_floating_point]
TOL = {torch.float16: (1e-2, 1e-2), torch.bfloat16: (5e-2, 1e-1), torch.float32: (1e-5, 1e-5),
       torch.float64: (1e-10, 1e-10)}


def check(got, expect, tol=None):
    assert got.device.type == "ocl"
    rtol, atol = tol or TOL.get(expect.dtype, (0, 0))
    torch.testing.assert_close(got.cpu(), expect, rtol=rtol, atol=atol, equal_nan=True)


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def idx(high, shape, g, lo=0):
    return torch.randint(lo, high, shape, generator=g)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_index_select(dev, dtype):
    g = gen(1)
    x = random_cpu((4, 5, 6), dtype, g)
    for dim in (0, 1, 2, -1):
        i = idx(x.size(dim), (7,), g)
        check(torch.index_select(x.to(dev), dim, i.to(dev)), torch.index_select(x, dim, i))
        check(x.to(dev).index_select(dim, i.int().to(dev)), x.index_select(dim, i.int()))
    xt = x.transpose(0, 2)  # strided self, strided index
    i = idx(6, (8,), g)[::2]
    check(xt.to(dev).index_select(0, i.to(dev)), xt.index_select(0, i))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.index_select(x.to(dev), 1, i[:3].clamp(max=4).to(dev), out=out)
    check(out, torch.index_select(x, 1, i[:3].clamp(max=4)))
    # 0-dim self, empty index
    s = random_cpu((), dtype, g)
    check(s.to(dev).index_select(0, torch.tensor([0], device=dev)), s.index_select(0, torch.tensor([0])))
    e = torch.empty(0, dtype=torch.long)
    check(x.to(dev).index_select(1, e.to(dev)), x.index_select(1, e))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_index_select_whole_slices(dev, dtype):
    # slices of >= 16 elements of contiguous tensors are copied whole (gather_rows.cl):
    # 4-aligned and odd slice widths, offsets, int32/int64 and strided indices, every dim
    g = gen(3)
    for shape in ((50, 64), (9, 37), (3, 11, 40), (70, 5, 2, 9)):
        x = random_cpu(shape, dtype, g)
        for dim in range(x.dim()):
            i = idx(x.size(dim), (13,), g)
            for it in (i, i.int()):
                check(x.to(dev).index_select(dim, it.to(dev)), x.index_select(dim, it))
    x = random_cpu((41, 48), dtype, g)
    xo = x.to(dev)[1:]  # storage offset not a multiple of 4 elements
    xo3 = x.to(dev).view(-1)[3:3 + 40 * 47].view(40, 47)
    i = idx(40, (30,), g)
    check(xo.index_select(0, i.to(dev)), x[1:].index_select(0, i))
    check(xo3.index_select(0, i.to(dev)), x.view(-1)[3:3 + 40 * 47].view(40, 47).index_select(0, i))
    check(xo.index_select(0, i.to(dev)[::3]), x[1:].index_select(0, i[::3]))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.index_select(xo, 0, i.to(dev), out=out)
    check(out, x[1:].index_select(0, i))
    w = random_cpu((100, 32), dtype, g)  # embedding rows
    ids = idx(100, (4, 9), g)
    check(torch.nn.functional.embedding(ids.to(dev), w.to(dev)), torch.nn.functional.embedding(ids, w))


def test_index_select_whole_slices_out_of_range(dev):
    x = torch.randn(8, 64, device=dev)
    for bad in (8, -1, 1 << 40):
        with pytest.raises(IndexError, match=f"index {bad} is out of bounds for dimension 0 with size 8"):
            x.index_select(0, torch.tensor([0, bad, 2], device=dev))
    with pytest.raises(IndexError, match="index 9 is out of bounds for dimension 1 with size 8"):
        x.view(2, 8, 32).index_select(1, torch.tensor([9], dtype=torch.int32, device=dev))


def test_index_select_errors(dev):
    x = torch.randn(5, 3)
    with pytest.raises(IndexError):
        x.to(dev).index_select(0, torch.tensor([1, 7], device=dev))
    with pytest.raises(IndexError):
        x.to(dev).index_select(0, torch.tensor([-1], device=dev))
    with pytest.raises(RuntimeError):
        x.to(dev).index_select(0, torch.tensor([0.0], device=dev))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_gather(dev, dtype):
    g = gen(2)
    x = random_cpu((4, 6), dtype, g)
    for dim in (0, 1):
        i = idx(x.size(dim), (3, 5), g)
        check(torch.gather(x.to(dev), dim, i.to(dev)), torch.gather(x, dim, i))
    xt, it = x.t(), idx(4, (6, 8), g)[:, ::2]  # strided self and index
    check(torch.gather(xt.to(dev), 1, it.to(dev)), torch.gather(xt, 1, it))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.gather(x.to(dev), 1, it.to(dev)[:4, :3], out=out)
    check(out, torch.gather(x, 1, it[:4, :3]))
    s = random_cpu((), dtype, g)
    check(torch.gather(s.to(dev), 0, torch.tensor(0, device=dev)), torch.gather(s, 0, torch.tensor(0)))
    e = torch.empty(0, 6, dtype=torch.long)
    check(torch.gather(x.to(dev), 0, e.to(dev)), torch.gather(x, 0, e))


def test_gather_errors(dev):
    x = torch.randn(5, 3, device=dev)
    with pytest.raises(RuntimeError, match="out of bounds"):
        torch.gather(x, 0, torch.tensor([[5]], device=dev))
    with pytest.raises(RuntimeError, match="out of bounds"):
        torch.gather(x, 1, torch.tensor([[-1]], device=dev))
    with pytest.raises(RuntimeError):
        torch.gather(x, 0, torch.tensor([[0.0]], device=dev))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_scatter_src_value(dev, dtype):
    g = gen(3)
    x = random_cpu((5, 4), dtype, g)
    src = random_cpu((5, 4), dtype, g)
    # unique targets per column: the result does not depend on write order
    i = torch.stack([torch.randperm(5, generator=g)[:3] for _ in range(4)], 1)
    check(x.to(dev).scatter(0, i.to(dev), src.to(dev)), x.scatter(0, i, src))
    check(x.to(dev).scatter(0, i.to(dev), 2), x.scatter(0, i, 2))
    y = x.to(dev)
    y.scatter_(0, i.to(dev), src.t().contiguous().t().to(dev))  # strided src
    check(y, x.scatter(0, i, src))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.scatter(x.to(dev), 0, i.to(dev), src.to(dev), out=out)
    check(out, torch.scatter(x, 0, i, src))
    s = random_cpu((), dtype, g)
    check(s.to(dev).scatter(0, torch.tensor(0, device=dev), src[0, 0].to(dev)), s.scatter(0, torch.tensor(0), src[0, 0]))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_scatter_add_duplicates(dev, dtype):
    g = gen(4)
    x = random_cpu((6, 5), dtype, g)
    src = random_cpu((40, 5), dtype, g)
    # bool accumulates as logical or, as on the CPU
    if dtype in (torch.float16, torch.bfloat16):
        src = src / 10
    i = idx(6, (40, 5), g)  # many duplicates
    tol = (1e-2, 5e-2) if dtype == torch.float16 else ((5e-2, 0.3) if dtype == torch.bfloat16 else None)
    check(x.to(dev).scatter_add(0, i.to(dev), src.to(dev)), x.scatter_add(0, i, src), tol)
    y = x.to(dev)
    y.scatter_add_(1, i[:6].to(dev) % 5, src[:6].to(dev))
    check(y, x.scatter_add(1, i[:6] % 5, src[:6]), tol)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int32, torch.int64, torch.uint8], ids=str)
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce(dev, dtype, reduce, include_self):
    g = gen(5)
    x = random_cpu((5, 3), dtype, g)
    src = random_cpu((12, 3), dtype, g)
    if reduce == "prod":
        x = x % 3 if not dtype.is_floating_point else (x.float().abs() / 10 + 0.5).to(dtype)
        src = src % 3 if not dtype.is_floating_point else (src.float().abs() / 10 + 0.5).to(dtype)
    if dtype == torch.float16:
        src = src / 10
    i = idx(5, (12, 3), g)
    expect = x.scatter_reduce(0, i, src, reduce, include_self=include_self)
    check(x.to(dev).scatter_reduce(0, i.to(dev), src.to(dev), reduce, include_self=include_self), expect,
          (1e-2, 5e-2) if dtype == torch.float16 else None)


@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_legacy_reduce(dev, reduce):
    g = gen(6)
    x, src = torch.randn(4, 3, generator=g), torch.randn(9, 3, generator=g)
    i = idx(4, (9, 3), g)
    check(x.to(dev).scatter(0, i.to(dev), src.to(dev), reduce=reduce), x.scatter(0, i, src, reduce=reduce))
    check(x.to(dev).scatter(0, i.to(dev), 1.5, reduce=reduce), x.scatter(0, i, 1.5, reduce=reduce))


def test_scatter_errors(dev):
    x = torch.zeros(5, 3, device=dev)
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.scatter_(0, torch.tensor([[9]], device=dev), 1.0)
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.scatter_add_(0, torch.tensor([[-1]], device=dev), torch.ones(1, 1, device=dev))
    with pytest.raises(RuntimeError):  # dtype mismatch between self and src
        x.scatter_(0, torch.tensor([[0]], device=dev), torch.ones(1, 1, device=dev, dtype=torch.float64
                                                                   if torch.ocl.get_device_properties(0).fp64
                                                                   else torch.float16))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_index_tensor(dev, dtype):
    g = gen(7)
    x = random_cpu((5, 6, 7), dtype, g)
    xd = x.to(dev)
    i = idx(5, (4,), g, lo=-5)  # negative indices wrap
    j = idx(6, (3, 1), g)
    k = idx(7, (4,), g)
    check(xd[i.to(dev)], x[i])
    check(xd[:, j.to(dev)], x[:, j])
    check(xd[i.to(dev), :, k.to(dev)], x[i, :, k])  # non-adjacent: indexed dims go first
    check(xd[j.to(dev), j.to(dev).t()], x[j, j.t()])  # broadcast indices
    check(xd.transpose(0, 2)[k.to(dev)], x.transpose(0, 2)[k])  # strided self
    check(xd[torch.tensor(2, device=dev)], x[torch.tensor(2)])  # 0-dim index
    check(xd[i.int().to(dev)], x[i.int()])
    check(xd[torch.empty(0, dtype=torch.long, device=dev)], x[torch.empty(0, dtype=torch.long)])


def test_index_errors(dev):
    x = torch.randn(5, 3, device=dev)
    with pytest.raises(IndexError, match="out of bounds"):
        x[torch.tensor([0, 5], device=dev)]
    with pytest.raises(IndexError, match="out of bounds"):
        x[:, torch.tensor([-4], device=dev)]
    with pytest.raises(IndexError):
        x[torch.tensor([0, 9], device=dev)] = 1.0
    with pytest.raises(IndexError):
        x[torch.tensor([0.5], device=dev)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_index_put(dev, dtype):
    g = gen(8)
    x = random_cpu((6, 4), dtype, g)
    v = random_cpu((3, 4), dtype, g)
    i = torch.randperm(6, generator=g)[:3] - 3  # unique, some negative
    y = x.to(dev)
    y[i.to(dev)] = v.to(dev)
    e = x.clone()
    e[i] = v
    check(y, e)
    y = x.to(dev)
    y[i.to(dev), torch.tensor([0, 2, 3], device=dev)] = v[0, 0].to(dev)
    e = x.clone()
    e[i, torch.tensor([0, 2, 3])] = v[0, 0]
    check(y, e)
    check(x.to(dev).index_put((i.to(dev),), v.to(dev)), x.index_put((i,), v))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_index_put_accumulate(dev, dtype):
    g = gen(9)
    x = random_cpu((5, 3), dtype, g)
    v = random_cpu((30, 3), dtype, g)
    if dtype in (torch.float16, torch.bfloat16):
        v = v / 10
    i = idx(5, (30,), g, lo=-5)  # duplicates
    tol = (1e-2, 5e-2) if dtype == torch.float16 else ((5e-2, 0.3) if dtype == torch.bfloat16 else None)
    check(x.to(dev).index_put_((i.to(dev),), v.to(dev), accumulate=True), x.clone().index_put_((i,), v, True), tol)
    check(x.to(dev).index_put_((i.to(dev)[:3], torch.tensor([0, 1, 1], device=dev)), v[0, 0].to(dev), accumulate=True),
          x.clone().index_put_((i[:3], torch.tensor([0, 1, 1])), v[0, 0], True), tol)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_index_add_copy_fill(dev, dtype):
    g = gen(10)
    x = random_cpu((6, 4), dtype, g)
    src = random_cpu((9, 4), dtype, g)
    if dtype in (torch.float16, torch.bfloat16):
        src = src / 10
    i = idx(6, (9,), g)
    tol = (1e-2, 5e-2) if dtype == torch.float16 else ((5e-2, 0.3) if dtype == torch.bfloat16 else None)
    if dtype != torch.bool:
        check(x.to(dev).index_add(0, i.to(dev), src.to(dev)), x.index_add(0, i, src), tol)
        alpha = 2 if not dtype.is_floating_point else 0.5
        check(x.to(dev).index_add_(0, i.to(dev), src.to(dev), alpha=alpha), x.clone().index_add_(0, i, src, alpha=alpha),
              tol)
        xt = x.t()
        check(xt.to(dev).index_add(1, i.to(dev), src.t().to(dev)), xt.index_add(1, i, src.t()), tol)
    u = torch.randperm(6, generator=g)[:4]
    check(x.to(dev).index_copy(0, u.to(dev), src[:4].to(dev)), x.index_copy(0, u, src[:4]))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.index_copy(x.to(dev), 1, u[:2].remainder(4).to(dev), src[:6, :2].to(dev), out=out)
    check(out, torch.index_copy(x, 1, u[:2].remainder(4), src[:6, :2]))
    check(x.to(dev).index_fill(0, (u - 3).to(dev), True), x.index_fill(0, u - 3, True))
    check(x.to(dev).index_fill_(1, torch.tensor([1, 3], device=dev), src[0, 0].to(dev)),
          x.clone().index_fill_(1, torch.tensor([1, 3]), src[0, 0]))


def test_index_add_copy_fill_errors(dev):
    x = torch.zeros(4, 3, device=dev)
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.index_add_(0, torch.tensor([4], device=dev), torch.ones(1, 3, device=dev))
    with pytest.raises(IndexError):
        x.index_copy_(0, torch.tensor([7], device=dev), torch.ones(1, 3, device=dev))
    with pytest.raises(IndexError):
        x.index_fill_(1, torch.tensor([-4], device=dev), 1.0)
    with pytest.raises(RuntimeError):  # source dtype differs from self
        x.index_add_(0, torch.tensor([0], device=dev), torch.ones(1, 3, device=dev, dtype=torch.int32))


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != torch.bool], ids=str)
def test_index_reduce(dev, dtype):
    # every reduction with and without self, along each dim, duplicate indices, strided source
    # and self, int32 indices, in place and out=; against the CPU (float64 for 16-bit floats)
    g = gen(12)
    small = dtype in (torch.float16, torch.bfloat16)
    for dim in (0, 1, -1):
        shape = [5, 4, 3]
        x = random_cpu(shape, dtype, g)
        shape[dim] = 8
        src = random_cpu(shape, dtype, g)
        if small:
            x, src = x / 10, src / 10
        i = idx(x.shape[dim], (8,), g)
        for reduce in ("prod", "mean", "amax", "amin"):
            for self_too in (True, False):
                ref = x.double() if small else x
                want = ref.index_reduce(dim, i, src.double() if small else src, reduce, include_self=self_too)
                got = x.to(dev).index_reduce(dim, i.to(dev), src.to(dev), reduce, include_self=self_too)
                check(got, want.to(dtype), (2e-2, 2e-2) if small else None)
    xt, st = x.transpose(0, 2), src.transpose(0, 2)  # strided self and source; dim -1 is now 0
    i32 = i.to(torch.int32)
    check(xt.to(dev).index_reduce(0, i32.to(dev), st.to(dev), "amax"), xt.index_reduce(0, i, st, "amax"))
    y = xt.to(dev)
    y.index_reduce_(0, i.to(dev), st.to(dev), "amin", include_self=False)
    check(y, xt.clone().index_reduce_(0, i, st, "amin", include_self=False))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.index_reduce(xt.to(dev), 0, i.to(dev), st.to(dev), "mean", out=out)
    check(out, torch.index_reduce(xt, 0, i, st, "mean"), (2e-2, 2e-2) if small else None)


def test_index_reduce_errors(dev):
    x = torch.zeros(4, 3, device=dev)
    with pytest.raises(IndexError, match="index out of range"):
        x.index_reduce(0, torch.tensor([4], device=dev), torch.ones(1, 3, device=dev), "prod")
    with pytest.raises(RuntimeError, match="Expected reduce to be one of prod, mean, amax or amin"):
        x.index_reduce(0, torch.tensor([0], device=dev), torch.ones(1, 3, device=dev), "sum")
    with pytest.raises(NotImplementedError, match="Bool"):
        x.bool().index_reduce(0, torch.tensor([0], device=dev), torch.ones(1, 3, device=dev).bool(), "amax")
    with pytest.raises(RuntimeError):  # one index per source slice
        x.index_reduce(0, torch.tensor([0, 1], device=dev), torch.ones(1, 3, device=dev), "amax")


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_take_put(dev, dtype):
    g = gen(11)
    x = random_cpu((4, 5), dtype, g)
    i = idx(20, (3, 4), g, lo=-20)
    check(torch.take(x.to(dev), i.to(dev)), torch.take(x, i))
    check(torch.take(x.t().to(dev), i.to(dev)), torch.take(x.t(), i))  # strided self
    v = random_cpu((3, 4), dtype, g)
    u = torch.randperm(20, generator=g)[:12].view(3, 4)
    check(x.to(dev).put_(u.to(dev), v.to(dev)), x.clone().put_(u, v))
    y = x.t().to(dev).t()  # strided self written back
    y.put_(u.to(dev), v.to(dev))
    check(y, x.clone().put_(u, v))
    if dtype != torch.bool:
        if dtype in (torch.float16, torch.bfloat16):
            v = v / 10
        tol = (1e-2, 5e-2) if dtype == torch.float16 else ((5e-2, 0.3) if dtype == torch.bfloat16 else None)
        check(x.to(dev).put_(i.to(dev), v.to(dev), accumulate=True), x.clone().put_(i, v, accumulate=True), tol)


def test_take_put_errors(dev):
    x = torch.zeros(2, 3, device=dev)
    with pytest.raises(IndexError):
        torch.take(x, torch.tensor([6], device=dev))
    with pytest.raises(IndexError):
        x.put_(torch.tensor([-7], device=dev), torch.ones(1, device=dev))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_backward(dev, dtype):
    g = gen(12)
    x = torch.randn(6, 5, generator=g).to(dtype)
    i = idx(6, (8,), g)
    gi = idx(5, (6, 7), g)
    tol = (1e-2, 5e-2) if dtype == torch.float16 else ((5e-2, 0.3) if dtype == torch.bfloat16 else None)

    def grads(fn, t):
        a = t.clone().requires_grad_()
        b = t.to(dev).requires_grad_()
        w = torch.randn(fn(a).shape, generator=gen(13)).to(dtype)
        (fn(a) * w).sum().backward()
        (fn(b) * w.to(dev)).sum().backward()
        return b.grad, a.grad

    for fn in (lambda t: t.index_select(0, i.to(t.device)), lambda t: t.gather(1, gi.to(t.device)),
               lambda t: t[i.to(t.device)], lambda t: t[:, i.to(t.device) % 5],
               lambda t: torch.take(t, i.to(t.device) * 3)):
        got, expect = grads(fn, x)
        check(got, expect, tol)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_embedding(dev, dtype):
    g = gen(14)
    w = torch.randn(10, 4, generator=g).to(dtype)
    tok = idx(10, (3, 7), g)
    tol = (1e-2, 5e-2) if dtype == torch.float16 else ((5e-2, 0.3) if dtype == torch.bfloat16 else None)
    for padding_idx, scale in ((None, False), (2, False), (None, True), (3, True)):
        a = w.clone().requires_grad_()
        b = w.to(dev).requires_grad_()
        out_a = torch.nn.functional.embedding(tok, a, padding_idx=padding_idx, scale_grad_by_freq=scale)
        out_b = torch.nn.functional.embedding(tok.to(dev), b, padding_idx=padding_idx, scale_grad_by_freq=scale)
        check(out_b, out_a)
        go = torch.randn(out_a.shape, generator=g).to(dtype)
        out_a.backward(go)
        out_b.backward(go.to(dev))
        check(b.grad, a.grad, tol)
    with pytest.raises(IndexError):
        torch.nn.functional.embedding(torch.tensor([10], device=dev), w.to(dev))


def test_embedding_dense_backward_direct(dev):
    g = gen(15)
    go = torch.randn(2, 5, 3, generator=g)
    tok = idx(6, (2, 5), g)
    for pad in (-1, 0, 4):
        for scale in (False, True):
            expect = torch.ops.aten.embedding_dense_backward(go, tok, 6, pad, scale)
            got = torch.ops.aten.embedding_dense_backward(go.to(dev), tok.to(dev), 6, pad, scale)
            check(got, expect)
