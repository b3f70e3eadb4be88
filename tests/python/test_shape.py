"""Shape ops against the CPU with the fallback off: cat/stack (many inputs, promotion,
strided, empty, out=), split/chunk/unbind copies, flip, roll, repeat, repeat_interleave,
tril/triu, diag/diagonal/diag_embed, eye, trace, constant/reflection/replication/circular padding
forward and backward, one_hot; autograd through cat and padding."""

import pytest
import torch
import torch.nn.functional as F
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


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_cat_stack(dev, dtype):
    g = gen(1)
    xs = [random_cpu((3, n, 4), dtype, g) for n in (1, 5, 0, 2)]
    for dim in (1, -2):
        check(torch.cat([x.to(dev) for x in xs], dim), torch.cat(xs, dim))
    ys = [random_cpu((2, 3), dtype, g) for _ in range(40)]  # many inputs
    check(torch.cat([y.to(dev) for y in ys]), torch.cat(ys))
    check(torch.stack([y.to(dev) for y in ys], 1), torch.stack(ys, 1))
    t = random_cpu((3, 2), dtype, g).t()  # strided input
    check(torch.cat([t.to(dev), ys[0].to(dev)], 1), torch.cat([t, ys[0]], 1))
    legacy = torch.empty(0, dtype=dtype)
    check(torch.cat([ys[0].to(dev), legacy.to(dev), ys[1].to(dev)]), torch.cat([ys[0], legacy, ys[1]]))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.cat([ys[0].to(dev), ys[1].to(dev)], 0, out=out)
    check(out, torch.cat([ys[0], ys[1]], 0))
    check(torch.stack([random_cpu((), dtype, gen(2)).to(dev)] * 3), torch.stack([random_cpu((), dtype, gen(2))] * 3))


def test_cat_promotion_and_errors(dev):
    a, b = torch.randn(2, 3), torch.randint(0, 9, (1, 3))
    check(torch.cat([a.to(dev), b.to(dev)]), torch.cat([a, b]))
    check(torch.cat([b.to(dev), a.half().to(dev)]), torch.cat([b, a.half()]))
    with pytest.raises(RuntimeError):
        torch.cat([a.to(dev), torch.randn(2, 4, device=dev)])
    with pytest.raises(IndexError):
        torch.cat([a.to(dev), a.to(dev)], 2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int64, torch.bool], ids=str)
def test_split_chunk_unbind(dev, dtype):
    x = random_cpu((7, 4), dtype, gen(3))
    for got, expect in zip(x.to(dev).split([2, 5]), x.split([2, 5])):
        check(got.clone(), expect)
    for got, expect in zip(x.to(dev).chunk(3, 1), x.chunk(3, 1)):
        check(got.contiguous(), expect)
    for got, expect in zip(x.to(dev).unbind(1), x.unbind(1)):
        check(got.clone(), expect)
    for got, expect in zip(torch.split_copy(x.to(dev), 3), torch.split_copy(x, 3)):
        check(got, expect)
    for got, expect in zip(torch.unbind_copy(x.to(dev)), torch.unbind_copy(x)):
        check(got, expect)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_flip_roll_repeat(dev, dtype):
    g = gen(4)
    x = random_cpu((3, 4, 5), dtype, g)
    xd = x.to(dev)
    for dims in ((0,), (2,), (0, 2), (-1, 0, 1)):
        check(xd.flip(dims), x.flip(dims))
    check(xd.transpose(0, 2).flip(1), x.transpose(0, 2).flip(1))
    s = random_cpu((), dtype, g)
    check(s.to(dev).flip(()), s.flip(()))
    check(xd[:, :0].flip(1), x[:, :0].flip(1))
    check(torch.fliplr(xd[0]), torch.fliplr(x[0]))
    check(torch.rot90(xd, 1, (1, 2)), torch.rot90(x, 1, (1, 2)))
    for shifts, dims in ((2, 0), (-3, 2), ((1, 7), (0, 1)), (5, None)):
        check(torch.roll(xd, shifts, dims), torch.roll(x, shifts, dims))
    check(xd.repeat(2, 1, 3), x.repeat(2, 1, 3))
    check(xd.repeat(2, 1, 1, 2), x.repeat(2, 1, 1, 2))
    r = torch.tensor([1, 0, 3])
    check(torch.repeat_interleave(xd, r.to(dev), dim=0), torch.repeat_interleave(x, r, dim=0))
    check(torch.repeat_interleave(xd, 2, dim=1), torch.repeat_interleave(x, 2, dim=1))
    check(torch.repeat_interleave(r.to(dev)), torch.repeat_interleave(r))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_tril_triu(dev, dtype):
    g = gen(5)
    x = random_cpu((2, 5, 6), dtype, g)
    for k in (0, 1, -2, 9, -9):
        check(torch.tril(x.to(dev), k), torch.tril(x, k))
        check(torch.triu(x.to(dev), k), torch.triu(x, k))
    check(torch.tril(x.transpose(1, 2).to(dev)), torch.tril(x.transpose(1, 2)))
    y = x.to(dev)
    y.triu_(1)
    check(y, x.triu(1))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.tril(x[0].to(dev), -1, out=out)
    check(out, torch.tril(x[0], -1))
    check(torch.triu(torch.empty(0, 3, dtype=dtype, device=dev)), torch.triu(torch.empty(0, 3, dtype=dtype)))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_diag(dev, dtype):
    g = gen(6)
    m, v = random_cpu((4, 5), dtype, g), random_cpu((4,), dtype, g)
    for k in (0, 1, -2):
        check(torch.diag(m.to(dev), k), torch.diag(m, k))
        check(torch.diag(v.to(dev), k), torch.diag(v, k))
        check(torch.diagonal(m.to(dev), k).clone(), torch.diagonal(m, k))
    b = random_cpu((2, 3), dtype, g)
    check(torch.diag_embed(b.to(dev)), torch.diag_embed(b))
    check(torch.diag_embed(b.to(dev), 1, 0, 2), torch.diag_embed(b, 1, 0, 2))
    check(torch.diagonal_copy(m.to(dev)), torch.diagonal_copy(m))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_eye_and_trace(dev, dtype):
    for n, m in [(3, None), (2, 5), (6, 4), (0, 3), (1, 1)]:
        args = (n,) if m is None else (n, m)
        check(torch.eye(*args, dtype=dtype, device=dev), torch.eye(*args, dtype=dtype))
    out = torch.full((7, 7), 5, dtype=dtype, device=dev).t()  # resized, every element rewritten
    torch.eye(4, 3, out=out)
    check(out, torch.eye(4, 3, dtype=dtype))
    with pytest.raises(RuntimeError, match="n must be greater or equal to 0"):
        torch.eye(-1, device=dev)
    x = random_cpu((5, 7), dtype, gen(7))
    for t in (x, x.t(), x[1:, ::2]):
        expect = torch.trace(t) if dtype != torch.bool else t.diagonal().sum()  # CUDA's answer (no CPU one)
        got = torch.trace(t.to(dev))
        assert got.dtype == expect.dtype
        check(got, expect, (1e-2, 1e-1) if dtype in (torch.float16, torch.bfloat16) else None)
    with pytest.raises(RuntimeError, match="expected a matrix"):
        torch.trace(x[0].to(dev))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_constant_and_circular_pad(dev, dtype):
    g = gen(7)
    x = random_cpu((2, 3, 4, 5), dtype, g)
    for pad in ((1, 2), (0, 1, 2, 0), (1, 1, -1, 2)):
        check(F.pad(x.to(dev), pad, value=1), F.pad(x, pad, value=1))
    if dtype != torch.bool:
        check(F.pad(x.to(dev), (1, 2, 2, 1), mode="circular"), F.pad(x, (1, 2, 2, 1), mode="circular"))


PADS = {1: (2, 1), 2: (1, 2, 2, 0), 3: (1, 0, 2, 1, 0, 2)}


@pytest.mark.parametrize("dtype", FLOATS + [torch.int32], ids=str)
@pytest.mark.parametrize("mode", ["reflect", "replicate"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_reflection_replication_pad(dev, dtype, mode, nd):
    g = gen(8)
    shape = (2, 3) + (4, 5, 3)[:nd]
    x = random_cpu(shape, dtype, g)
    pad = PADS[nd]
    check(F.pad(x.to(dev), pad, mode=mode), F.pad(x, pad, mode=mode))
    check(F.pad(x[0].to(dev), pad, mode=mode), F.pad(x[0], pad, mode=mode))  # no batch
    xt = x.transpose(0, 1)
    check(F.pad(xt.to(dev), pad, mode=mode), F.pad(xt, pad, mode=mode))
    if dtype.is_floating_point:
        a = x.clone().requires_grad_()
        b = x.to(dev).requires_grad_()
        go = torch.randn(F.pad(x, pad, mode=mode).shape, generator=g).to(dtype)
        F.pad(a, pad, mode=mode).backward(go)
        F.pad(b, pad, mode=mode).backward(go.to(dev))
        check(b.grad, a.grad, (2e-2, 5e-2) if dtype == torch.float16 else
              ((5e-2, 0.2) if dtype == torch.bfloat16 else None))


@pytest.mark.parametrize("op", ["reflection_pad", "replication_pad"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_pad_out_and_backward_forms(dev, op, nd):
    """out= and grad_input= forms of the padding ops; a grad_output of the wrong shape raises."""
    g = gen(10)
    x = random_cpu((2, 3) + (4, 5, 3)[:nd], torch.float32, g)
    pad = PADS[nd]
    fwd = getattr(torch.ops.aten, f"{op}{nd}d")
    bwd = getattr(torch.ops.aten, f"{op}{nd}d_backward")
    expect = fwd(x, pad)
    out = torch.empty(0, device=dev)
    fwd.out(x.to(dev), pad, out=out)
    check(out, expect)
    go = torch.randn(expect.shape, generator=g)
    gi_expect = bwd(go, x, pad)
    check(bwd(go.to(dev), x.to(dev), pad), gi_expect)
    gi = torch.empty(0, device=dev)
    bwd.grad_input(go.to(dev), x.to(dev), pad, grad_input=gi)
    check(gi, gi_expect)
    bad = torch.randn(expect.shape[:-1] + (expect.shape[-1] + 1,), generator=g)
    with pytest.raises(RuntimeError):
        bwd(bad, x, pad)
    with pytest.raises(RuntimeError):
        bwd(bad.to(dev), x.to(dev), pad)


def test_pad_errors(dev):
    with pytest.raises(RuntimeError):
        F.pad(torch.randn(1, 2, 3, device=dev), (3, 3), mode="reflect")
    with pytest.raises(RuntimeError):
        F.pad(torch.randn(1, 2, 3, 3, device=dev), (4, 4, 1, 1), mode="reflect")


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_cat_pad_backward(dev, dtype):
    g = gen(9)
    xs = [torch.randn(3, n, generator=g).to(dtype) for n in (2, 4)]
    a = [x.clone().requires_grad_() for x in xs]
    b = [x.to(dev).requires_grad_() for x in xs]
    w = torch.randn(3, 6, generator=g).to(dtype)
    (torch.cat(a, 1) * w).sum().backward()
    (torch.cat(b, 1) * w.to(dev)).sum().backward()
    for p, q in zip(b, a):
        check(p.grad, q.grad)
    x = torch.randn(2, 3, 4, generator=g).to(dtype)
    a, b = x.clone().requires_grad_(), x.to(dev).requires_grad_()
    go = torch.randn(2, 3, 7, generator=g).to(dtype)
    F.pad(a, (1, 2), value=0.5).backward(go)
    F.pad(b, (1, 2), value=0.5).backward(go.to(dev))
    check(b.grad, a.grad)


def test_one_hot(dev):
    t = torch.randint(0, 5, (3, 4), generator=gen(10))
    check(F.one_hot(t.to(dev), 6), F.one_hot(t, 6))
    check(F.one_hot(t.to(dev)), F.one_hot(t))
    with pytest.raises(RuntimeError):
        F.one_hot(torch.tensor([7], device=dev), 5)
