"""Special functions (erfinv, digamma, polygamma, i0, sinc, logit), round with decimals,
pow with a Scalar base, float_power, shifts, isinf/isfinite/isreal, heaviside, logaddexp2,
rad2deg/deg2rad, one-sided clamp, the remaining activations with backward, integer division
by zero and a pointwise op past 2**31 elements, against the CPU with the fallback off."""

import pytest
import torch
import torch.nn.functional as F
from conftest import assert_matches_cpu, has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
INTS = [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]
TOL = {torch.float16: (2e-3, 2e-3), torch.bfloat16: (2e-2, 2e-2), torch.float32: (2e-5, 2e-5),
       torch.float64: (1e-10, 1e-10)}


def check(got, expect, rtol=None, atol=None):
    assert_matches_cpu(got, expect, TOL, rtol, atol)


SPECIAL_EDGES = [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1.0, -1.0, -2.0, 0.5, -0.5, 1e-6]


def special_input(dtype, gen, lo=-5, hi=5):
    x = torch.rand(40, 7, generator=gen) * (hi - lo) + lo
    x[0, :] = torch.tensor(SPECIAL_EDGES[:7])
    x[1, :4] = torch.tensor(SPECIAL_EDGES[7:])
    return x.to(dtype)


UNARY = {
    "erfinv": (torch.erfinv, -1.2, 1.2, 2e-5),
    "digamma": (torch.digamma, -6, 20, 1e-4),
    "polygamma1": (lambda x: torch.polygamma(1, x), -4, 10, 1e-4),
    "polygamma2": (lambda x: torch.polygamma(2, x), 0.1, 10, 1e-4),
    "polygamma3": (lambda x: torch.polygamma(3, x), 0.2, 10, 1e-4),
    "i0": (torch.i0, -40, 40, 1e-5),
    "sinc": (torch.sinc, -5, 5, 2e-5),
    "logit": (torch.logit, -0.2, 1.2, 2e-5),
    "logit_eps": (lambda x: torch.logit(x, 1e-3), -0.2, 1.2, 2e-5),
    "round_dec2": (lambda x: torch.round(x, decimals=2), -50, 50, 2e-5),
    "round_dec_neg": (lambda x: torch.round(x, decimals=-1), -500, 500, 2e-5),
    "deg2rad": (torch.deg2rad, -400, 400, 2e-5),
    "rad2deg": (torch.rad2deg, -7, 7, 2e-5),
    "isinf": (torch.isinf, -5, 5, 0),
    "isfinite": (torch.isfinite, -5, 5, 0),
    "isreal": (torch.isreal, -5, 5, 0),
    "clamp_min": (lambda x: torch.clamp(x, min=0.5), -5, 5, 0),
    "clamp_max": (lambda x: torch.clamp(x, max=-0.5), -5, 5, 0),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_unary_special(dev, name, dtype):
    fn, lo, hi, rtol = UNARY[name]
    gen = torch.Generator().manual_seed(11)
    x = special_input(dtype, gen, lo, hi)
    expect = fn(x)
    if expect.dtype == torch.bool or rtol == 0:
        check(fn(x.to(dev)), expect)
    elif dtype in (torch.float32, torch.float64):
        check(fn(x.to(dev)), expect, rtol, rtol)
    else:
        check(fn(x.to(dev)), expect)
    check(fn(x.t().to(dev)), fn(x.t()), *((rtol, rtol) if dtype in (torch.float32, torch.float64) else (None, None)))


def test_special_out_inplace_and_ints(dev):
    x = torch.rand(6, 5) * 0.9 + 0.05
    xo = x.to(dev)
    for name in ("erfinv", "digamma", "i0", "sinc", "logit"):
        out = torch.empty(0, device=dev)
        getattr(torch, name)(xo, out=out)
        check(out, getattr(torch, name)(x))
        y = xo.clone()
        getattr(y, name + "_")()
        check(y, getattr(torch, name)(x))
    i = torch.randint(-3, 9, (5, 4))
    for name in ("digamma", "i0", "sinc", "erfinv"):
        check(getattr(torch, name)(i.to(dev)), getattr(torch, name)(i))
    out = torch.empty(0, device=dev)
    torch.polygamma(2, xo, out=out)
    check(out, torch.polygamma(2, x), 1e-4, 1e-4)
    y = xo.clone()
    y.round_(decimals=1)
    check(y, x.round(decimals=1))
    with pytest.raises(NotImplementedError):
        torch.round(i.to(dev), decimals=2)  # as on the CPU
    with pytest.raises(RuntimeError):
        torch.polygamma(-1, xo)


def test_logit_backward(dev):
    for eps in (None, 0.05):
        x = torch.rand(30) * 1.2 - 0.1
        xc = x.clone().requires_grad_(True)
        xo = x.to(dev).requires_grad_(True)
        torch.logit(xc, eps).sum().backward()
        torch.logit(xo, eps).sum().backward()
        check(xo.grad, xc.grad)


@pytest.mark.parametrize("dtype", FLOATS + INTS, ids=str)
def test_pow_scalar_base_and_float_power(dev, dtype):
    gen = torch.Generator().manual_seed(12)
    if dtype.is_floating_point:
        e = (torch.rand(8, 9, generator=gen) * 6 - 3).to(dtype)
    else:
        e = torch.randint(0, 6, (8, 9), generator=gen).to(dtype)
    eo = e.to(dev)
    for base in (2, 2.5, -1.5, 1):
        expect = torch.pow(base, e)
        check(torch.pow(base, eo), expect, *((1e-3, 1e-3) if dtype.is_floating_point else (None, None)))
    check(2 ** eo, 2 ** e, *((1e-3, 1e-3) if dtype.is_floating_point else (None, None)))
    out = torch.empty(0, dtype=torch.pow(3, e).dtype, device=dev)
    torch.pow(3, eo, out=out)
    check(out, torch.pow(3, e), *((1e-3, 1e-3) if dtype.is_floating_point else (None, None)))
    if has_fp64():
        check(torch.float_power(eo, 2), torch.float_power(e, 2))
        check(torch.float_power(2.0, eo), torch.float_power(2.0, e))


@pytest.mark.parametrize("dtype", INTS, ids=str)
def test_shifts(dev, dtype):
    gen = torch.Generator().manual_seed(13)
    a = torch.randint(0 if dtype == torch.uint8 else -100, 100, (9, 8), generator=gen).to(dtype)
    bits = torch.iinfo(dtype).bits
    b = torch.randint(0, bits + 3, (9, 8), generator=gen).to(dtype)
    ao, bo = a.to(dev), b.to(dev)
    check(torch.bitwise_left_shift(ao, bo), torch.bitwise_left_shift(a, b))
    check(torch.bitwise_right_shift(ao, bo), torch.bitwise_right_shift(a, b))
    check(ao << bo, a << b)
    check(ao >> bo, a >> b)
    check(ao << 3, a << 3)
    check(ao >> 2, a >> 2)
    check(ao.t() >> bo[:, :1].t(), a.t() >> b[:, :1].t())  # strided, broadcast
    y = ao.clone()
    y <<= 1
    check(y, a << 1)
    y = ao.clone()
    y >>= bo
    check(y, a >> b)
    y = ao.clone()
    y.bitwise_left_shift_(bo)
    check(y, a.bitwise_left_shift(b))


@pytest.mark.parametrize("dtype", FLOATS + [torch.int32, torch.uint8], ids=str)
def test_heaviside_logaddexp2(dev, dtype):
    gen = torch.Generator().manual_seed(14)
    if dtype.is_floating_point:
        a = (torch.randn(7, 6, generator=gen) * 3).to(dtype)
        a[0, :3] = torch.tensor([0.0, float("nan"), -0.0]).to(dtype)
        v = torch.randn(7, 6, generator=gen).to(dtype)
    else:
        a = torch.randint(0 if dtype == torch.uint8 else -2, 3, (7, 6), generator=gen).to(dtype)
        v = torch.randint(0, 5, (7, 6), generator=gen).to(dtype)
    check(torch.heaviside(a.to(dev), v.to(dev)), torch.heaviside(a, v))
    check(torch.heaviside(a.to(dev), v[:1].to(dev)), torch.heaviside(a, v[:1]))
    if dtype.is_floating_point:
        b = torch.randn(7, 6, generator=gen).to(dtype) * 30
        b[1, :3] = torch.tensor([float("inf"), -float("inf"), float("nan")]).to(dtype)
        a[1, :3] = torch.tensor([float("inf"), -float("inf"), 1.0]).to(dtype)
        check(torch.logaddexp2(a.to(dev), b.to(dev)), torch.logaddexp2(a, b))
        out = torch.empty(0, dtype=dtype, device=dev)
        torch.logaddexp2(a.to(dev), b.to(dev), out=out)
        check(out, torch.logaddexp2(a, b))


ACTS = {
    "relu6": F.relu6,
    "hardtanh": lambda x: F.hardtanh(x, -2.0, 1.5),
    "hardswish": F.hardswish,
    "mish": F.mish,
    "softshrink": lambda x: F.softshrink(x, 0.7),
    "hardshrink": lambda x: F.hardshrink(x, 0.7),
    "glu": lambda x: F.glu(x, -1),
    "glu0": lambda x: F.glu(x, 0),
    "logsigmoid": F.logsigmoid,
    "rrelu_eval": lambda x: F.rrelu(x, 0.1, 0.3, training=False),
    "prelu": lambda x: F.prelu(x, torch.tensor([0.25], dtype=x.dtype, device=x.device)),
}


@pytest.mark.parametrize("name", sorted(ACTS))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_activations_forward_backward(dev, name, dtype):
    fn = ACTS[name]
    gen = torch.Generator().manual_seed(15)
    x = (torch.randn(16, 10, generator=gen) * 4).to(dtype)
    x[0, :4] = torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0]).to(dtype)
    xc = x.clone().requires_grad_(True)
    yc = fn(xc)
    g = torch.randn(yc.shape, generator=gen).to(dtype)
    yc.backward(g)
    xo = x.to(dev).requires_grad_(True)
    yo = fn(xo)
    yo.backward(g.to(dev))
    check(yo.detach(), yc.detach())
    # gradients at NaN/inf inputs differ between the CPU's vectorised and scalar paths
    finite = torch.isfinite(x)
    if name.startswith("glu"):
        finite = finite.all(-1 if name == "glu" else 0, keepdim=True).expand_as(x)
    check(xo.grad.cpu()[finite].to(dev), xc.grad[finite])
    check(fn(x.t().to(dev)), fn(x.t()))


def test_prelu_channels_and_inplace_activations(dev):
    x = torch.randn(4, 3, 5, 5)
    w = torch.rand(3)
    xc, wc = x.clone().requires_grad_(True), w.clone().requires_grad_(True)
    xo, wo = x.to(dev).requires_grad_(True), w.to(dev).requires_grad_(True)
    F.prelu(xc, wc).sum().backward()
    F.prelu(xo, wo).sum().backward()
    check(xo.grad, xc.grad)
    check(wo.grad, wc.grad)
    for fn in (F.relu6, F.hardtanh, F.hardswish, F.mish):
        y = x.to(dev)
        fn(y, inplace=True)
        check(y, fn(x))
    y = x.to(dev)
    F.rrelu(y, training=False, inplace=True)
    check(y, F.rrelu(x, training=False))


def test_rrelu_training(dev):
    x = torch.randn(2000)
    xo = x.to(dev).requires_grad_(True)
    y = F.rrelu(xo, 0.1, 0.3, training=True)
    y.sum().backward()
    ratio = (y.detach().cpu() / x)[x < 0]
    assert ((ratio >= 0.1) & (ratio <= 0.3)).all() and ratio.std() > 0.01
    assert torch.equal(y.detach().cpu()[x >= 0], x[x >= 0])
    torch.testing.assert_close(xo.grad.cpu()[x < 0], ratio)


@pytest.mark.parametrize("dtype", INTS, ids=str)
def test_integer_division_by_zero_raises(dev, dtype):
    a = torch.randint(1, 50, (6,)).to(dtype)
    b = torch.randint(1, 5, (6,)).to(dtype)
    b[3] = 0
    ops = [lambda x, y: torch.div(x, y, rounding_mode="trunc"), lambda x, y: torch.div(x, y, rounding_mode="floor"),
           torch.floor_divide, torch.remainder, torch.fmod]
    for op in ops:
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            op(a, b)  # the CPU raises ...
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            op(a.to(dev), b.to(dev))  # ... and so does ocl
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            op(a.to(dev), 0)
        check(op(a.to(dev), b.to(dev) + (b == 0).to(dev).to(dtype)), op(a, b + (b == 0).to(dtype)))
    y = a.to(dev)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        y.remainder_(b.to(dev))
    # floats divide by zero to inf/nan as usual
    f = torch.tensor([1.0, -1.0, 0.0])
    check(torch.div(f.to(dev), 0.0, rounding_mode="floor"), torch.div(f, 0.0, rounding_mode="floor"))


def test_pointwise_past_2_31_elements(dev):
    n = 2**31 + 8
    props = torch.ocl.get_device_properties(0)
    if props.total_memory < 3 * n or props.max_alloc < n:
        pytest.skip("the device cannot hold a 2**31 + 8 element tensor")
    x = torch.zeros(n, dtype=torch.int8, device=dev)
    x[-1] = 3
    y = x.bitwise_left_shift(1)  # 64-bit indexing in the generated kernel
    assert y[-1].item() == 6 and y[-2].item() == 0 and y[0].item() == 0
