"""Matrix products (mm, bmm, addmm, baddbmm, addbmm, addmv, mv, dot, vdot) and the composite
ops over them (linear, matmul, einsum) against the CPU, for every float dtype, transposed and
sliced operands, odd sizes, empty inputs, out= and in-place forms, backward, and errors, with
the CPU fallback off. 16-bit results are compared with the CPU's float32 product of the same
16-bit inputs, with a tolerance that grows with the reduction length."""

import math

import pytest
import torch
import torch.nn.functional as F
from conftest import has_fp64, run_python

pytestmark = pytest.mark.usefixtures("native_only")
FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
# (m, n, k): the sizes 1, 7, 33, 65, 130 in every position
SIZES = [(1, 1, 1), (7, 33, 65), (65, 7, 130), (130, 65, 33), (33, 130, 7), (1, 65, 7), (65, 1, 33), (33, 7, 1)]
LAYOUTS = ["contig", "trans", "sliced"]


def rand(shape, dtype, gen, layout="contig"):
    """Random values (never zeros) in `layout`: contiguous, a transposed view, or every other column."""
    shape = tuple(shape)
    if layout == "trans" and len(shape) >= 2:
        base = torch.randn(shape[:-2] + (shape[-1], shape[-2]), generator=gen).to(dtype)
        return base.transpose(-1, -2)
    if layout == "sliced" and len(shape) >= 1:
        return torch.randn(shape[:-1] + (2 * shape[-1],), generator=gen).to(dtype)[..., ::2]
    return torch.randn(shape, generator=gen).to(dtype)


def to_dev(x, dev):
    """The same view on the device: the layout (strides) is kept, not made contiguous."""
    if x.is_contiguous():
        return x.to(dev)
    if x.dim() >= 2 and x.transpose(-1, -2).is_contiguous():
        return x.transpose(-1, -2).contiguous().to(dev).transpose(-1, -2)
    # every other column: copy the full storage over and slice it the same way
    full = torch.empty(x.shape[:-1] + (2 * x.shape[-1],), dtype=x.dtype)
    full[..., ::2] = x
    return full.to(dev)[..., ::2]


def tolerance(dtype, k):
    k = max(k, 1)
    if dtype == torch.float16:
        return 2e-3, 2e-3 * math.sqrt(k)
    if dtype == torch.bfloat16:
        return 1.6e-2, 1.6e-2 * math.sqrt(k)
    if dtype == torch.float64:
        return 1e-10, 1e-10 * k
    return 1e-4, 2e-5 * k


def reference(fn, *args, **kw):
    """fn on the CPU; 16-bit inputs are computed in float32 (then rounded like the device)."""
    dtypes = {a.dtype for a in args if isinstance(a, torch.Tensor)}
    if dtypes & {torch.float16, torch.bfloat16}:
        (dt,) = dtypes
        up = [a.float() if isinstance(a, torch.Tensor) else a for a in args]
        return fn(*up, **kw).to(dt)
    return fn(*args, **kw)


def check(got, expect, k):
    assert got.device.type == "ocl"
    assert got.dtype == expect.dtype and got.shape == expect.shape
    rtol, atol = tolerance(expect.dtype, k)
    torch.testing.assert_close(got.cpu().double(), expect.double(), rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_mm_layouts_and_sizes(dev, dtype):
    gen = torch.Generator().manual_seed(0)
    for m, n, k in SIZES:
        for la in LAYOUTS:
            for lb in LAYOUTS:
                a, b = rand((m, k), dtype, gen, la), rand((k, n), dtype, gen, lb)
                check(torch.mm(to_dev(a, dev), to_dev(b, dev)), reference(torch.mm, a, b), k)


# Sizes around the 128 x 128 x 32 tiles of the tensor-core kernel (NVIDIA, 16-bit): exact tiles,
# partial tiles whose rows still allow 16-byte loads, several k steps with a partial last one.
TILE_SIZES = [(128, 128, 32), (136, 264, 72), (257, 200, 1000)]


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_mm_tile_edges(dev, dtype):
    gen = torch.Generator().manual_seed(7)
    for m, n, k in TILE_SIZES:
        for la, lb in (("contig", "contig"), ("contig", "trans"), ("trans", "contig"), ("trans", "trans"),
                       ("sliced", "sliced")):
            a, b = rand((m, k), dtype, gen, la), rand((k, n), dtype, gen, lb)
            check(torch.mm(to_dev(a, dev), to_dev(b, dev)), reference(torch.mm, a, b), k)
    # a storage offset that is not a multiple of 8 elements (no 16-byte loads)
    big = rand((140, 260), dtype, gen)
    a, b = big[3:, 5:133], big[:128, 1:201]
    check(torch.mm(big.to(dev)[3:, 5:133], big.to(dev)[:128, 1:201]), reference(torch.mm, a, b), 128)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_mm_out_and_output_layouts(dev, dtype):
    gen = torch.Generator().manual_seed(1)
    m, n, k = 33, 7, 65
    a, b = rand((m, k), dtype, gen), rand((k, n), dtype, gen)
    expect = reference(torch.mm, a, b)
    # out= of the wrong size is resized; a transposed out and a sliced out keep their layout
    out = torch.empty(2, 2, dtype=dtype, device=dev)
    with pytest.warns(UserWarning, match="resized"):
        torch.mm(a.to(dev), b.to(dev), out=out)
    check(out, expect, k)
    for layout in ("trans", "sliced"):
        out = to_dev(rand((m, n), dtype, gen, layout), dev)
        strides = out.stride()
        torch.mm(a.to(dev), b.to(dev), out=out)
        assert out.stride() == strides
        check(out, expect, k)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_addmm(dev, dtype):
    gen = torch.Generator().manual_seed(2)
    for m, n, k in SIZES[:5]:
        for la, lb in (("contig", "contig"), ("trans", "contig"), ("contig", "trans"), ("sliced", "trans")):
            a, b = rand((m, k), dtype, gen, la), rand((k, n), dtype, gen, lb)
            for self_shape in ((m, n), (n,), (1, n), (m, 1), ()):
                s = rand(self_shape, dtype, gen)
                for beta, alpha in ((1, 1), (0.5, -1.5)):
                    kw = dict(beta=beta, alpha=alpha)
                    got = torch.addmm(to_dev(s, dev), to_dev(a, dev), to_dev(b, dev), **kw)
                    check(got, reference(torch.addmm, s, a, b, **kw), k)
            # in place on a full self (also transposed), and out=
            s = rand((m, n), dtype, gen, "trans")
            sd = to_dev(s, dev)
            sd.addmm_(to_dev(a, dev), to_dev(b, dev), beta=0.25, alpha=2)
            check(sd, reference(torch.addmm, s, a, b, beta=0.25, alpha=2), k)
            out = torch.empty(0, dtype=dtype, device=dev)
            torch.addmm(s.to(dev), a.to(dev), b.to(dev), beta=2, out=out)
            check(out, reference(torch.addmm, s, a, b, beta=2), k)


# Few outputs over a long reduction (a convolution's grad_weight over all positions) run as a
# batched product over slices of the reduction with float partials, then summed: lengths that
# the slices do not divide, transposed and sliced operands, alpha/beta with a broadcast self, and
# in place on the output (self is the output, as a chunked grad_weight sums into it).
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_long_reduction_few_outputs(dev, dtype):
    gen = torch.Generator().manual_seed(12)
    for (m, n, k), (la, lb) in (((16, 27, 40001), ("trans", "contig")), ((3, 5, 16384), ("contig", "sliced")),
                                ((32, 27, 9000), ("sliced", "trans"))):
        a, b = rand((m, k), dtype, gen, la), rand((k, n), dtype, gen, lb)
        check(torch.mm(to_dev(a, dev), to_dev(b, dev)), reference(torch.mm, a, b), k)
        s = rand((n,), dtype, gen)
        got = torch.addmm(to_dev(s, dev), to_dev(a, dev), to_dev(b, dev), beta=0.5, alpha=-1.5)
        check(got, reference(torch.addmm, s, a, b, beta=0.5, alpha=-1.5), k)
        c = rand((m, n), dtype, gen)
        cd = c.to(dev)
        cd.addmm_(to_dev(a, dev), to_dev(b, dev))
        check(cd, reference(torch.addmm, c, a, b), k)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_beta_zero_ignores_nan(dev, dtype):
    gen = torch.Generator().manual_seed(3)
    for m, n, k in ((7, 33, 65), (130, 65, 33)):
        a, b = rand((m, k), dtype, gen), rand((k, n), dtype, gen)
        s = torch.full((m, n), float("nan"), dtype=dtype)
        expect = reference(torch.mm, a, b)
        check(torch.addmm(s.to(dev), a.to(dev), b.to(dev), beta=0), expect, k)
        sd = s.to(dev)
        sd.addmm_(a.to(dev), b.to(dev), beta=0)
        check(sd, expect, k)
        v = rand((k,), dtype, gen)
        check(torch.addmv(s[:, 0].to(dev), a.to(dev), v.to(dev), beta=0), reference(torch.mv, a, v), k)
        bs = torch.full((2, m, n), float("nan"), dtype=dtype)
        a3, b3 = rand((2, m, k), dtype, gen), rand((2, k, n), dtype, gen)
        check(torch.baddbmm(bs.to(dev), a3.to(dev), b3.to(dev), beta=0), reference(torch.bmm, a3, b3), k)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_bmm_and_baddbmm(dev, dtype):
    gen = torch.Generator().manual_seed(4)
    for m, n, k in SIZES[:6]:
        for la, lb in (("contig", "contig"), ("trans", "trans"), ("sliced", "contig"), ("contig", "sliced")):
            a, b = rand((3, m, k), dtype, gen, la), rand((3, k, n), dtype, gen, lb)
            check(torch.bmm(to_dev(a, dev), to_dev(b, dev)), reference(torch.bmm, a, b), k)
            s = rand((m, n), dtype, gen)  # broadcast over the batch
            kw = dict(beta=0.5, alpha=1.5)
            check(torch.baddbmm(s.to(dev), to_dev(a, dev), to_dev(b, dev), **kw),
                  reference(torch.baddbmm, s, a, b, **kw), k)
        s = rand((3, m, n), dtype, gen)
        sd = s.to(dev)
        sd.baddbmm_(a.to(dev), b.to(dev), alpha=-1)
        check(sd, reference(torch.baddbmm, s, a, b, alpha=-1), k)
        out = torch.empty(0, dtype=dtype, device=dev)
        torch.bmm(a.to(dev), b.to(dev), out=out)
        check(out, reference(torch.bmm, a, b), k)
        out = torch.empty(0, dtype=dtype, device=dev)
        torch.baddbmm(s.to(dev), a.to(dev), b.to(dev), out=out)
        check(out, reference(torch.baddbmm, s, a, b), k)
    # a batch of one matrix broadcast (batch stride 0)
    a, b = rand((1, 7, 5), dtype, gen), rand((4, 5, 6), dtype, gen)
    check(torch.bmm(a.to(dev).expand(4, 7, 5), b.to(dev)), reference(torch.bmm, a.expand(4, 7, 5), b), 5)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_addbmm(dev, dtype):
    gen = torch.Generator().manual_seed(5)
    for m, n, k in SIZES[:5]:
        for la in ("contig", "trans"):
            a, b = rand((4, m, k), dtype, gen, la), rand((4, k, n), dtype, gen)
            s = rand((n,), dtype, gen)
            kw = dict(beta=0.5, alpha=2)
            got = torch.addbmm(s.to(dev), to_dev(a, dev), b.to(dev), **kw)
            check(got, reference(torch.addbmm, s, a, b, **kw), 4 * k)
            s2 = rand((m, n), dtype, gen)
            sd = s2.to(dev)
            sd.addbmm_(to_dev(a, dev), b.to(dev))
            check(sd, reference(torch.addbmm, s2, a, b), 4 * k)
            out = torch.empty(0, dtype=dtype, device=dev)
            torch.addbmm(s.to(dev), to_dev(a, dev), b.to(dev), beta=0, out=out)
            check(out, reference(torch.addbmm, s, a, b, beta=0), 4 * k)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_addmv_and_mv(dev, dtype):
    gen = torch.Generator().manual_seed(6)
    for m, _, k in SIZES:
        for la in LAYOUTS:
            a = rand((m, k), dtype, gen, la)
            for lv in ("contig", "sliced"):
                v = rand((k,), dtype, gen, lv)
                check(torch.mv(to_dev(a, dev), to_dev(v, dev)), reference(torch.mv, a, v), k)
                for s in (rand((m,), dtype, gen), rand((1,), dtype, gen), rand((), dtype, gen)):
                    kw = dict(beta=0.5, alpha=-2)
                    got = torch.addmv(s.to(dev), to_dev(a, dev), to_dev(v, dev), **kw)
                    check(got, reference(torch.addmv, s, a, v, **kw), k)
        s = rand((m,), dtype, gen, "sliced")
        sd = to_dev(s, dev)
        sd.addmv_(a.to(dev), v.to(dev), beta=2)
        check(sd, reference(torch.addmv, s, a, v, beta=2), k)
        out = torch.empty(0, dtype=dtype, device=dev)
        torch.mv(a.to(dev), v.to(dev), out=out)
        check(out, reference(torch.mv, a, v), k)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("op", ["dot", "vdot"])
def test_dot(dev, dtype, op):
    gen = torch.Generator().manual_seed(7)
    fn = getattr(torch, op)
    for n in (1, 7, 33, 65, 130, 1000, 20000):  # the last: 16-bit dots widened to float32
        for lx, ly in (("contig", "contig"), ("sliced", "contig"), ("sliced", "sliced")):
            x, y = rand((n,), dtype, gen, lx), rand((n,), dtype, gen, ly)
            check(fn(to_dev(x, dev), to_dev(y, dev)), reference(fn, x, y), n)
    out = torch.empty(3, dtype=dtype, device=dev)
    with pytest.warns(UserWarning, match="resized"):
        fn(x.to(dev), y.to(dev), out=out)
    check(out, reference(fn, x, y), n)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_empty_and_zero_k(dev, dtype):
    gen = torch.Generator().manual_seed(8)
    for m, n, k in ((0, 5, 3), (4, 0, 3), (4, 5, 0), (0, 0, 0)):
        a, b, s = rand((m, k), dtype, gen), rand((k, n), dtype, gen), rand((m, n), dtype, gen)
        check(torch.mm(a.to(dev), b.to(dev)), reference(torch.mm, a, b), 1)
        check(torch.addmm(s.to(dev), a.to(dev), b.to(dev), beta=0.5), reference(torch.addmm, s, a, b, beta=0.5), 1)
        check(torch.addmm(s.to(dev), a.to(dev), b.to(dev), beta=0), reference(torch.addmm, s, a, b, beta=0), 1)
        a3, b3 = rand((2, m, k), dtype, gen), rand((2, k, n), dtype, gen)
        check(torch.bmm(a3.to(dev), b3.to(dev)), reference(torch.bmm, a3, b3), 1)
        check(torch.addbmm(s.to(dev), a3.to(dev), b3.to(dev), alpha=3), reference(torch.addbmm, s, a3, b3, alpha=3), 1)
        v, sv = rand((k,), dtype, gen), rand((m,), dtype, gen)
        check(torch.addmv(sv.to(dev), a.to(dev), v.to(dev), beta=2), reference(torch.addmv, sv, a, v, beta=2), 1)
    a3, b3 = rand((0, 3, 4), dtype, gen), rand((0, 4, 5), dtype, gen)
    check(torch.bmm(a3.to(dev), b3.to(dev)), reference(torch.bmm, a3, b3), 1)
    e = rand((0,), dtype, gen)
    check(torch.dot(e.to(dev), e.to(dev)), reference(torch.dot, e, e), 1)


MATMUL_SHAPES = [
    ((7,), (7,)),
    ((5, 7), (7,)),
    ((7,), (7, 6)),
    ((5, 7), (7, 6)),
    ((3, 5, 7), (7, 6)),
    ((5, 7), (3, 7, 6)),
    ((3, 5, 7), (3, 7, 6)),
    ((2, 1, 5, 7), (3, 7, 6)),  # broadcast batch
    ((7,), (2, 3, 7, 6)),
    ((2, 3, 5, 7), (7,)),
]


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_matmul_ranks(dev, dtype):
    gen = torch.Generator().manual_seed(9)
    for sa, sb in MATMUL_SHAPES:
        a, b = rand(sa, dtype, gen), rand(sb, dtype, gen)
        check(torch.matmul(a.to(dev), b.to(dev)), reference(torch.matmul, a, b), 7)
        if len(sb) >= 2:  # a transposed right operand (as autograd's backward passes them)
            bt = rand(sb, dtype, gen, "trans")
            check(a.to(dev) @ to_dev(bt, dev), reference(torch.matmul, a, bt), 7)
    a, b = rand((2, 5, 7), dtype, gen), rand((2, 7, 6), dtype, gen)
    check(torch.einsum("bij,bjk->bik", a.to(dev), b.to(dev)), reference(torch.einsum, "bij,bjk->bik", a, b), 7)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_linear(dev, dtype):
    gen = torch.Generator().manual_seed(10)
    x, w, bias = rand((4, 9, 33), dtype, gen), rand((17, 33), dtype, gen), rand((17,), dtype, gen)
    check(F.linear(x.to(dev), w.to(dev), bias.to(dev)), reference(F.linear, x, w, bias), 33)
    check(F.linear(x.to(dev), w.to(dev)), reference(F.linear, x, w), 33)
    check(F.linear(x[0, 0].to(dev), w.to(dev), bias.to(dev)), reference(F.linear, x[0, 0], w, bias), 33)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16] + ([torch.float64] if has_fp64() else []), ids=str)
def test_backward(dev, dtype):
    gen = torch.Generator().manual_seed(11)
    x, w, bias = rand((3, 5, 33), dtype, gen), rand((7, 33), dtype, gen), rand((7,), dtype, gen)
    y = rand((3, 6, 7), dtype, gen)

    def run(device):
        leaves = [t.detach().clone().to(device).requires_grad_() for t in (x, w, bias, y)]
        xx, ww, bb, yy = leaves
        h = F.linear(xx, ww, bb)  # (3, 5, 7)
        z = torch.matmul(h, yy.transpose(-1, -2))  # (3, 5, 6)
        v = torch.matmul(z, z.new_ones(6))
        (v.sum() + (z * z).sum() * 0.01).backward()
        return [t.grad for t in leaves]

    if dtype == torch.bfloat16:  # the CPU reference in float32 from the same bf16 values
        ref = [g.to(dtype) for g in _run_float(x, w, bias, y, run)]
    else:
        ref = run("cpu")
    got = run(dev)
    for g, r in zip(got, ref):
        rtol, atol = tolerance(dtype, 33 * 6)
        torch.testing.assert_close(g.cpu().double(), r.double(), rtol=rtol * 4, atol=atol * 4)


def _run_float(x, w, bias, y, run):
    leaves = [t.detach().float().requires_grad_() for t in (x, w, bias, y)]
    xx, ww, bb, yy = leaves
    h = F.linear(xx, ww, bb)
    z = torch.matmul(h, yy.transpose(-1, -2))
    v = torch.matmul(z, z.new_ones(6))
    (v.sum() + (z * z).sum() * 0.01).backward()
    return [t.grad for t in leaves]


def test_no_fallback_used(dev):
    import torch_ocl

    before = dict(torch_ocl.fallback_counts())
    gen = torch.Generator().manual_seed(12)
    a, b = rand((5, 7), torch.float32, gen).to(dev), rand((7, 6), torch.float32, gen).to(dev)
    torch.mm(a, b), torch.addmm(b[0], a, b), torch.mv(a, b[:, 0]), torch.dot(a[0], a[1]), torch.matmul(a, b)
    assert dict(torch_ocl.fallback_counts()) == before


@pytest.mark.parametrize("dtype", [torch.int32, torch.int64, torch.int8, torch.bool], ids=str)
def test_integer_dtypes_not_implemented(dev, dtype):
    a = torch.ones(3, 4, dtype=dtype, device=dev)
    b = torch.ones(4, 5, dtype=dtype, device=dev)
    name = {torch.int32: "Int", torch.int64: "Long", torch.int8: "Char", torch.bool: "Bool"}[dtype]
    for fn in (lambda: torch.mm(a, b), lambda: torch.addmm(a[:, :1].expand(3, 5).contiguous(), a, b),
               lambda: torch.bmm(a[None], b[None]), lambda: torch.mv(a, b[:, 0]), lambda: torch.dot(b[0], b[1])):
        with pytest.raises(NotImplementedError, match=f"not implemented for '{name}'"):
            fn()


def same_error(fn_cpu, fn_dev, match=None):
    """The device raises what the CPU raises; False where this torch version's CPU accepts the call
    (some mixed-dtype products became errors only in later releases)."""
    try:
        fn_cpu()
    except Exception as cpu_err:  # noqa: BLE001
        with pytest.raises(type(cpu_err), match=match):
            fn_dev()
        return True
    return False


def test_errors_match_cpu(dev):
    gen = torch.Generator().manual_seed(13)
    a, b = rand((3, 4), torch.float32, gen), rand((5, 6), torch.float32, gen)
    h = rand((4, 6), torch.float16, gen)
    pairs = [
        (lambda x, y: torch.mm(x, y), (a, b), None),  # shapes
        (lambda x, y: torch.mm(x, y), (a, h), "same dtype"),
        (lambda x, y: torch.bmm(x, y), (a, b), None),
        (lambda x, y: torch.bmm(x[None], y[None]), (a, h), None),
        (lambda x, y: torch.addmm(y, x, y), (a, h), None),
        (lambda x, y: torch.addmm(x[:, :1].to(y.dtype), x, x.t()), (a, h), None),
        (lambda x, y: torch.baddbmm(x[None], x[None], y[None]), (a, h), None),
        (lambda x, y: torch.mv(x, y[:, 0]), (a, h), None),
        (lambda x, y: torch.addmv(y[:3, 0], x, x[0]), (a, h), None),
        (lambda x, y: torch.mv(x, y[0]), (a, b), None),
        (lambda x, y: torch.dot(x, y), (a, b), "1D tensors expected"),
        (lambda x, y: torch.dot(x[0], y[0]), (a, b), "inconsistent tensor size"),
        (lambda x, y: torch.dot(x[0], y[0, :4]), (a, h), "same dtype"),
        (lambda x, y: torch.addbmm(x, x[None], y[None]), (a, b), None),
        (lambda x, y: torch.addbmm(x[:2, :2], x[None], x.t()[None]), (a, b), None),
    ]
    checked = [same_error(lambda: fn(x, y), lambda: fn(x.to(dev), y.to(dev)), match) for fn, (x, y), match in pairs]
    assert sum(checked) >= 10, checked


def test_wrong_device_raises(dev):
    a = torch.randn(3, 4)
    b = torch.randn(4, 5)
    with pytest.raises(RuntimeError, match="device"):
        torch.mm(a.to(dev), b)
    with pytest.raises(RuntimeError, match="device"):
        torch.addmm(torch.ones(5), a.to(dev), b.to(dev))
    with pytest.raises(RuntimeError, match="device"):
        torch.dot(a[0].to(dev), b[:, 0])
    with pytest.raises(RuntimeError, match="device"):
        torch.bmm(a[None].to(dev), b[None])
    with pytest.raises(RuntimeError, match="device"):
        torch.mm(a.to(dev), b.to(dev), out=torch.empty(3, 5))


# The portable kernel with the 128 x 128 tiles GPUs get (8 x 8 per work-item, the tensor-core
# path off); the tensor-core kernel (NVIDIA; elsewhere emulated) in configurations of its table
# and beside it: wide and tall tiles, deep and shallow stages, one warp, split-K. Sizes cross tile
# and stage edges; operands come in every layout, with offsets that are and are not multiples of 8
# elements (16-byte copies or the register path), outputs contiguous and transposed, with and
# without beta * self.
MMA_CONFIGS = ["128,256,32,2,2,4", "256,128,32,2,4,2", "128,128,32,3,2,2", "64,64,32,4,2,2", "128,128,16,5,2,4",
               "64,128,64,2,1,2", "32,32,16,2,1,1", "128,128,32,3,2,2,4", "64,64,32,4,2,2,3", "192,128,16,4,3,2",
               "96,64,32,3,3,2,2"]


# Persistent teams (TORCH_OCL_GEMM_SHARE): work-groups claiming tiles in blocks per unit (columns
# of 3 and 2 tiles, 2 x 2 and 3 x 2 blocks, edge blocks partly outside), with and without split-K,
# and with L1-cached copies.
SHARE_CONFIGS = [("3", "64,64,32,4,2,2"), ("2,1", "64,64,32,4,2,2,3"), ("1", "32,32,16,2,1,1"),
                 ("4,1", "32,32,16,2,1,1"), ("6", "64,64,32,4,2,2,2")]


@pytest.mark.parametrize("env", [{"TORCH_OCL_GEMM_TILES": "128,128,16,8,8", "TORCH_OCL_GEMM_MMA": "0"}] +
                         [{"TORCH_OCL_GEMM_MMA_CONFIG": c} for c in MMA_CONFIGS] +
                         [{"TORCH_OCL_GEMM_SHARE": s, "TORCH_OCL_GEMM_MMA_CONFIG": c} for s, c in SHARE_CONFIGS],
                         ids=["portable-gpu-tiles"] + ["mma-" + c.replace(",", "-") for c in MMA_CONFIGS] +
                         ["share-" + s.replace(",", "-") + "-" + c.replace(",", "-") for s, c in SHARE_CONFIGS])
def test_gemm_kernel_variants(env):
    if "TORCH_OCL_GEMM_MMA_CONFIG" in env and "NVIDIA" not in torch.ocl.get_device_name():
        env = dict(env, TORCH_OCL_MMA_EMULATE="1")  # the tensor-core kernel's logic in plain OpenCL
    code = """
import torch, torch_ocl
torch_ocl.set_fallback_enabled(False)
g = torch.Generator().manual_seed(14)
def lay(x, how):
    # the same values as a contiguous, transposed or offset (by 1 or 8 elements) view on ocl
    if how == "t":
        return x.transpose(-1, -2).contiguous().to("ocl").transpose(-1, -2)
    if how in ("o1", "o8"):
        off = 1 if how == "o1" else 8
        return torch.cat([torch.zeros(off, dtype=x.dtype), x.flatten()]).to("ocl")[off:].view(x.shape)
    return x.to("ocl")
for dt in (torch.float16, torch.bfloat16):
    for (b, m, n, k) in ((1, 130, 257, 33), (3, 7, 129, 65), (2, 1, 1, 300), (2, 200, 136, 1000), (1, 264, 520, 96)):
        a = torch.randn(b, m, k, generator=g).to(dt)
        w = torch.randn(b, k, n, generator=g).to(dt)
        s = torch.randn(n, generator=g).to(dt)
        ref = a.float() @ w.float()
        for la, lb in (("c", "c"), ("t", "c"), ("c", "t"), ("t", "t"), ("o1", "o8"), ("o8", "o1")):
            got = torch.bmm(lay(a, la), lay(w, lb))
            torch.testing.assert_close(got.cpu().float(), ref.to(dt).float(), rtol=2e-2, atol=2e-2 * k ** 0.5)
        got = torch.baddbmm(s.to("ocl"), a.to("ocl"), w.to("ocl"), beta=0.5, alpha=2.0)
        torch.testing.assert_close(got.cpu().float(), (0.5 * s.float() + 2 * ref).to(dt).float(), rtol=2e-2,
                                   atol=4e-2 * k ** 0.5)
        out = torch.empty(b, n, m, dtype=dt, device="ocl").transpose(1, 2)
        torch.bmm(a.to("ocl"), w.to("ocl"), out=out)
        torch.testing.assert_close(out.cpu().float(), ref.to(dt).float(), rtol=2e-2, atol=2e-2 * k ** 0.5)
print("ok")
"""
    _, out, _ = run_python(code, env=env)
    assert out.strip() == "ok"


# The float32 kernel tests' start: fallback off, and float32 matrices laid out on ocl contiguous,
# transposed ("t") or offset by one element ("o1").
def test_gemm_deep_products_take_persistent_teams():
    """The table runs deep 16-bit products of several waves of tiles as persistent teams (two
    work-groups per unit on a column of tiles, copies through L1): sized from the device's units so
    that the rule applies, in every layout, against float64."""
    env = {} if "NVIDIA" in torch.ocl.get_device_name() else {"TORCH_OCL_MMA_EMULATE": "1"}
    code = """
import math, torch, torch_ocl
torch_ocl.set_fallback_enabled(False)
units = torch.ocl.get_device_properties(0).compute_units
side = 128 * math.ceil(math.sqrt(4 * units)) - 40  # >= 4 waves of 128 x 128 tiles, edge tiles
g = torch.Generator().manual_seed(3)
a, b = torch.randn(side, 4096, generator=g), torch.randn(4096, side + 8, generator=g)
for dt in (torch.bfloat16, torch.float16):
    ref = a.to(dt).double() @ b.to(dt).double()
    for x, y in ((a, b), (a.t().contiguous().t(), b.t().contiguous().t())):
        got = torch.mm(x.to(dt).to("ocl"), y.to(dt).to("ocl")).cpu().double()
        torch.testing.assert_close(got, ref.to(dt).double(), rtol=2e-2, atol=0.5)
print("ok")
"""
    _, out, _ = run_python(code, env=env)
    assert out.strip() == "ok"


F32_PRELUDE = """
import torch, torch_ocl
torch_ocl.set_fallback_enabled(False)
def lay(x, how):
    if how == "t":
        return x.transpose(-1, -2).contiguous().to("ocl").transpose(-1, -2)
    if how == "o1":
        return torch.cat([torch.zeros(1), x.flatten()]).to("ocl")[1:].view(x.shape)
    return x.to("ocl")
"""


# float32 as TF32 on the tensor-core kernel once torch.set_float32_matmul_precision("high") allows
# it (NVIDIA; elsewhere emulated): every layout (16-byte chunks or the register path, ldmatrix or
# single words), depths 8 and 16 per stage, split-K. The result is the exact product of the operands
# rounded to TF32 (to nearest, ties away from zero), summed in float; "highest" stays exact. After
# "|": persistent teams (TORCH_OCL_GEMM_SHARE).
@pytest.mark.parametrize("config", ["64,64,32,4,2,2", "128,128,16,5,2,4", "128,128,32,3,2,2,4", "64,64,32,4,2,2|2,1"])
def test_tf32_on_tensor_cores(config):
    config, _, share = config.partition("|")
    env = {"TORCH_OCL_GEMM_MMA_CONFIG": config, **({"TORCH_OCL_GEMM_SHARE": share} if share else {})}
    if "NVIDIA" not in torch.ocl.get_device_name():
        env["TORCH_OCL_MMA_EMULATE"] = "1"
    code = F32_PRELUDE + """
g = torch.Generator().manual_seed(16)
def tf32(x):  # round to nearest, ties away from zero, keeping 10 mantissa bits
    i = x.view(torch.int32)
    return ((i + 0x1000) & ~0x1FFF).view(torch.float32)
for (b, m, n, k) in ((1, 130, 257, 33), (2, 200, 136, 1000), (3, 17, 40, 9)):
    a, w = torch.randn(b, m, k, generator=g), torch.randn(b, k, n, generator=g)
    exact = a.double() @ w.double()
    rounded = tf32(a).double() @ tf32(w).double()
    tol = 1e-5 * (a.abs().double() @ w.abs().double())  # float summation of exact products
    for how in (("c", "c"), ("t", "t"), ("o1", "c"), ("c", "o1")):
        torch.set_float32_matmul_precision("high")
        got = torch.bmm(lay(a, how[0]), lay(w, how[1])).cpu().double()
        assert ((got - rounded).abs() <= tol).all(), ("tf32", (b, m, n, k), how, (got - rounded).abs().max())
        if m > 16:
            assert ((got - exact).abs() > tol).any(), "TF32 rounding expected"
        torch.set_float32_matmul_precision("highest")
        got = torch.bmm(lay(a, how[0]), lay(w, how[1])).cpu().double()
        assert ((got - exact).abs() <= tol).all(), ("highest", (b, m, n, k), how)
    torch.set_float32_matmul_precision("high")
    s = torch.randn(n, generator=g)
    got = torch.baddbmm(s.to("ocl"), a.to("ocl"), w.to("ocl"), beta=0.5, alpha=2.0).cpu().double()
    assert ((got - (0.5 * s.double() + 2 * rounded)).abs() <= 2 * tol + 1e-6).all()
print("ok")
"""
    _, out, _ = run_python(code, env=env)
    assert out.strip() == "ok"


# Exact float32 on gemm_mma.cl's SIMT variant (the default on NVIDIA; TORCH_OCL_GEMM_F32=simt asks for
# it emulated elsewhere): every layout (16-byte chunks or the register path, tiles kept [rows][k] or
# [k][rows]), the table's tiles (and its split-K against a part-empty last wave: 3 tiles on 2 units),
# small tiles and split-K, beta * self; within float32 summation of the float64 product.
@pytest.mark.parametrize("config", [None, "128,128,32,3,4,2", "64,64,32,4,2,1,3"], ids=["table", "128x128", "split"])
def test_float32_simt_kernel(config):
    env = {"TORCH_OCL_GEMM_F32": "simt"}
    if config:
        env["TORCH_OCL_GEMM_MMA_CONFIG"] = config
    if "NVIDIA" not in torch.ocl.get_device_name():
        env["TORCH_OCL_MMA_EMULATE"] = "1"
    code = F32_PRELUDE + """
g = torch.Generator().manual_seed(17)
for (b, m, n, k) in ((1, 130, 257, 33), (2, 200, 136, 1000), (3, 17, 40, 9), (1, 64, 64, 64), (1, 128, 384, 2048)):
    a, w = torch.randn(b, m, k, generator=g), torch.randn(b, k, n, generator=g)
    exact = a.double() @ w.double()
    tol = 1e-5 * (a.abs().double() @ w.abs().double()) + 1e-6
    for how in (("c", "c"), ("t", "t"), ("t", "c"), ("c", "t"), ("o1", "c"), ("c", "o1")):
        got = torch.bmm(lay(a, how[0]), lay(w, how[1])).cpu().double()
        assert ((got - exact).abs() <= tol).all(), ((b, m, n, k), how, (got - exact).abs().max())
    s = torch.randn(n, generator=g)
    got = torch.baddbmm(s.to("ocl"), a.to("ocl"), w.to("ocl"), beta=0.5, alpha=2.0).cpu().double()
    assert ((got - (0.5 * s.double() + 2 * exact)).abs() <= 2 * tol + 1e-6).all()
    out = torch.empty(b, n, m, device="ocl").transpose(1, 2)
    torch.bmm(a.to("ocl"), w.to("ocl"), out=out)
    assert ((out.cpu().double() - exact).abs() <= tol).all()
x, lin = torch.randn(300, 70, generator=g), torch.nn.Linear(70, 90)
ref = lin(x)
lin.to("ocl")
torch.testing.assert_close(lin(x.to("ocl")).cpu(), ref, rtol=1e-5, atol=1e-5)
print("ok")
"""
    _, out, _ = run_python(code, env=env)
    assert out.strip() == "ok"


def test_float32_kernel_switch_rejects_unknown_value():
    _, _, err = run_python("import torch, torch_ocl\ntorch.ones(40, 40, device='ocl') @ torch.ones(40, 40, device='ocl')",
                           env={"TORCH_OCL_GEMM_F32": "fast", "TORCH_OCL_MMA_EMULATE": "1"}, check=False)
    assert 'TORCH_OCL_GEMM_F32="fast" is not clblast or simt' in err


@pytest.mark.parametrize("var,value", [("TORCH_OCL_GEMM_TILES", "64,64,16,3,4"), ("TORCH_OCL_GEMM_MMA_CONFIG", "128,128"),
                                       ("TORCH_OCL_GEMM_MMA_CONFIG", "80,128,32,3,2,2"),
                                       ("TORCH_OCL_GEMM_MMA_CONFIG", "96,128,32,3,4,2"),
                                       ("TORCH_OCL_GEMM_MMA_CONFIG", "128,128,32,1,2,2"),
                                       ("TORCH_OCL_GEMM_SHARE", "9"), ("TORCH_OCL_GEMM_SHARE", "2,3")])
def test_bad_gemm_tunables_are_errors(var, value):
    n = 2 if var == "TORCH_OCL_GEMM_TILES" else 32  # 2 x 2 stays on the portable kernel everywhere
    rc, _, err = run_python(f"import torch, torch_ocl; torch.ones({n}, {n}, dtype=torch.half, device='ocl') @ "
                            f"torch.ones({n}, {n}, dtype=torch.half, device='ocl')", env={var: value}, check=False)
    assert rc != 0 and var in err


def test_float32_on_the_portable_kernel():
    """TORCH_OCL_BLAS=kernel runs float32 products on gemm.cl instead of CLBlast."""
    code = """
import torch, torch_ocl
torch_ocl.set_fallback_enabled(False)
g = torch.Generator().manual_seed(15)
a, b = torch.randn(33, 65, generator=g), torch.randn(65, 7, generator=g)
s, v = torch.randn(7, generator=g), torch.randn(65, generator=g)
d = lambda t: t.to("ocl")
for got, ref in ((torch.mm(d(a), d(b)), a @ b),
                 (torch.addmm(d(s), d(a), d(b), beta=0.5), torch.addmm(s, a, b, beta=0.5)),
                 (torch.mm(d(a.t().contiguous()).t(), d(b.t().contiguous()).t()), a @ b),
                 (torch.mv(d(a), d(v)), a @ v), (torch.dot(d(v), d(v)), v @ v)):
    torch.testing.assert_close(got.cpu(), ref, rtol=1e-4, atol=1e-4)
print("ok")
"""
    _, out, _ = run_python(code, env={"TORCH_OCL_BLAS": "kernel"})
    assert out.strip() == "ok"


WIDENED = """
import torch, torch_ocl
torch_ocl.set_fallback_enabled(False)
g = torch.Generator().manual_seed(16)
d = lambda t: t.to("ocl")
def close(got, ref, k):
    tol = (2e-3, 2e-3 * k ** 0.5) if ref.dtype == torch.float16 else (1.6e-2, 1.6e-2 * k ** 0.5)
    torch.testing.assert_close(got.cpu(), ref, rtol=tol[0], atol=tol[1])
for dt in (torch.float16, torch.bfloat16):
    r = lambda *s: torch.randn(*s, generator=g).to(dt)
    a, b, bias = r(2048, 256), r(256, 256), r(256)
    ref = lambda f, *x: f(*[t.float() for t in x]).to(dt)
    close(d(a) @ d(b), ref(torch.mm, a, b), 256)
    at, bt = r(256, 2048), r(256, 256)  # transposed operands and output
    close(d(at).t() @ d(bt).t(), ref(lambda x, y: x.t() @ y.t(), at, bt), 256)
    out = torch.empty(256, 2048, dtype=dt, device="ocl").t()
    torch.mm(d(a), d(b)[:, ::1], out=out)
    close(out, ref(torch.mm, a, b), 256)
    close(torch.addmm(d(bias), d(a), d(b), beta=0.5, alpha=2.0),
          ref(lambda s, x, y: torch.addmm(s, x, y, beta=0.5, alpha=2.0), bias, a, b), 256)
    c = r(2048, 256)
    cd = d(c)
    cd.addmm_(d(a), d(b), beta=-1.0)  # self is the output, row block by row block
    close(cd, ref(lambda s, x, y: torch.addmm(s, x, y, beta=-1.0), c, a, b), 256)
    full = r(2048, 512)  # every other column
    close(d(full)[:, ::2] @ d(b), ref(torch.mm, full[:, ::2], b), 256)
    x, w = r(6, 128, 160), r(160, 192)  # batched, broadcast B
    close(torch.matmul(d(x), d(w)), ref(torch.matmul, x, w), 160)
    xb, w1 = r(6, 128, 160), r(1, 160, 192)
    wb = w1.expand(6, 160, 192)
    close(torch.bmm(d(xb), d(w1).expand(6, 160, 192)), ref(torch.bmm, xb, wb), 160)
    s3 = r(6, 128, 192)
    close(torch.baddbmm(d(s3), d(xb), d(w1).expand(6, 160, 192), beta=0.25),
          ref(lambda s, p, q: torch.baddbmm(s, p, q, beta=0.25), s3, xb, wb), 160)
print("ok")
"""


@pytest.mark.parametrize("mb", [None, "1", "0"], ids=["default", "row-blocks", "portable-kernel"])
def test_16bit_products_through_float_blas(mb):
    """Single 16-bit products off the tensor-core kernel with enough work run through CLBlast on
    float copies (TORCH_OCL_GEMM_WIDEN_MB: MiB of copies at a time, 1 forces row blocks; 0 keeps
    them on gemm.cl): every layout, bias/beta/alpha, in-place; batched and broadcast batches (on
    gemm.cl) beside them."""
    env = {"TORCH_OCL_GEMM_MMA": "0"}
    if mb is not None:
        env["TORCH_OCL_GEMM_WIDEN_MB"] = mb
    _, out, _ = run_python(WIDENED, env=env)
    assert out.strip() == "ok"


def test_bad_widen_size_is_an_error():
    rc, _, err = run_python("import torch, torch_ocl; a = torch.ones(256, 256, dtype=torch.half, device='ocl'); a @ a",
                            env={"TORCH_OCL_GEMM_WIDEN_MB": "lots", "TORCH_OCL_GEMM_MMA": "0"}, check=False)
    assert rc != 0 and 'TORCH_OCL_GEMM_WIDEN_MB="lots" is not a number of MiB' in err
