"""Structured unary and binary pointwise operators against the CPU, per dtype, for
contiguous, strided, broadcast, scalar, 0-dim and empty operands, in functional, in-place
and out= forms, with the CPU fallback off."""

import math

import pytest
import torch
from conftest import has_fp64

pytestmark = pytest.mark.usefixtures("native_only")

FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
INTS = [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]

# op -> (lower, upper) of the input domain
UNARY_FLOAT = {
    "exp": (-5, 5), "exp2": (-5, 5), "expm1": (-3, 3), "log": (0.01, 10), "log2": (0.01, 10),
    "log10": (0.01, 10), "log1p": (-0.9, 10), "sqrt": (0, 10), "rsqrt": (0.01, 10), "sin": (-6, 6),
    "cos": (-6, 6), "tan": (-1.4, 1.4), "asin": (-0.99, 0.99), "acos": (-0.99, 0.99), "atan": (-5, 5),
    "sinh": (-3, 3), "cosh": (-3, 3), "tanh": (-4, 4), "asinh": (-5, 5), "acosh": (1.01, 10),
    "atanh": (-0.95, 0.95), "erf": (-3, 3), "erfc": (-3, 3), "lgamma": (0.1, 10), "sigmoid": (-8, 8),
    "reciprocal": (0.1, 5), "abs": (-5, 5), "neg": (-5, 5), "sign": (-5, 5), "sgn": (-5, 5),
    "floor": (-5, 5), "ceil": (-5, 5), "trunc": (-5, 5), "round": (-5, 5), "frac": (-5, 5),
}
UNARY_INT = ["abs", "neg", "sign", "floor", "ceil", "trunc", "round", "bitwise_not"]


def tol(dtype):
    return {torch.float16: (2e-3, 1e-3), torch.bfloat16: (1.6e-2, 1e-2), torch.float32: (2e-5, 2e-5),
            torch.float64: (1e-12, 1e-12)}.get(dtype, (0, 0))


def check(got, expect, dtype=None):
    assert got.device.type == "ocl"
    got = got.cpu()
    assert got.dtype == expect.dtype and got.shape == expect.shape
    rtol, atol = tol(expect.dtype)
    torch.testing.assert_close(got, expect, rtol=rtol, atol=atol, equal_nan=True)


def sample(shape, dtype, lo, hi, gen):
    x = torch.rand(shape, generator=gen, dtype=torch.float64) * (hi - lo) + lo
    return x.to(dtype)


def layouts(x):
    """(name, view) pairs: contiguous, transposed, sliced with steps."""
    return [("contig", x), ("transposed", x.t()), ("strided", x[::2, 1::3])]


@pytest.mark.parametrize("op", sorted(UNARY_FLOAT))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_unary_float(dev, op, dtype):
    gen = torch.Generator().manual_seed(hash(op) % 1000)
    lo, hi = UNARY_FLOAT[op]
    base = sample((37, 45), dtype, lo, hi, gen)
    fn = getattr(torch, op)
    for _, c in layouts(base):
        check(fn(c.to(dev)), fn(c))
    check(fn(torch.tensor(0.5 * (lo + hi), dtype=dtype).to(dev)), fn(torch.tensor(0.5 * (lo + hi), dtype=dtype)))
    assert fn(torch.empty(0, 3, dtype=dtype, device=dev)).shape == (0, 3)
    # in-place and out=
    x = base.clone().to(dev)
    getattr(x, op + "_")()
    check(x, getattr(base.clone(), op + "_")())
    out = torch.empty(0, dtype=dtype, device=dev)  # resized by out=
    fn(base.to(dev), out=out)
    check(out, fn(base))


@pytest.mark.parametrize("op", ["exp", "sqrt", "sin", "sigmoid", "reciprocal", "log1p"])
@pytest.mark.parametrize("dtype", INTS + [torch.bool], ids=str)
def test_unary_float_promotes_integers(dev, op, dtype):
    c = torch.randint(0, 5, (20,)).to(dtype)
    check(getattr(torch, op)(c.to(dev)), getattr(torch, op)(c))


@pytest.mark.parametrize("op", UNARY_INT)
@pytest.mark.parametrize("dtype", INTS, ids=str)
def test_unary_int(dev, op, dtype):
    c = torch.randint(-100 if dtype != torch.uint8 else 0, 100, (30, 17)).to(dtype)
    fn = getattr(torch, op)
    for _, v in layouts(c):
        check(fn(v.to(dev)), fn(v))


def test_special_values(dev):
    c = torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 2.5, -2.5, 0.5, 1.5])
    for op in ["exp", "log", "sqrt", "sign", "floor", "round", "abs", "tanh", "sigmoid", "trunc", "frac", "signbit"]:
        check(getattr(torch, op)(c.to(dev)), getattr(torch, op)(c))
    check(torch.bitwise_not(torch.tensor([True, False]).to(dev)), torch.tensor([False, True]))


BINARY_FLOAT = ["add", "sub", "mul", "div", "maximum", "minimum", "fmax", "fmin", "pow", "atan2", "hypot",
                "copysign", "fmod", "remainder", "nextafter", "logaddexp", "xlogy", "eq", "ne", "lt", "le",
                "gt", "ge"]
BINARY_INT = ["add", "sub", "mul", "maximum", "minimum", "bitwise_and", "bitwise_or", "bitwise_xor", "eq", "ne",
              "lt", "le", "gt", "ge", "fmod", "remainder"]


def binary_inputs(op, dtype, gen, shape=(23, 31)):
    if dtype.is_floating_point:
        a = sample(shape, dtype, -4, 4, gen)
        b = sample(shape, dtype, -4, 4, gen)
        if op in ("pow", "xlogy"):
            a, b = a.abs() + 0.1, (b / 2 if op == "pow" else b.abs() + 0.1)
        if op in ("div", "fmod", "remainder"):
            b = torch.where(b.abs() < 0.25, torch.full_like(b, 0.5), b)
        return a, b
    lo = 0 if dtype == torch.uint8 else -50
    a = torch.randint(lo, 50, shape, generator=gen).to(dtype)
    b = torch.randint(lo, 50, shape, generator=gen).to(dtype)
    if op in ("fmod", "remainder"):
        b = torch.where(b == 0, torch.ones_like(b), b)
    return a, b


@pytest.mark.parametrize("op", BINARY_FLOAT)
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_binary_float(dev, op, dtype):
    if op == "nextafter" and dtype in (torch.float16, torch.bfloat16):
        pytest.skip("nextafter is float32/float64 only on the CPU too")
    gen = torch.Generator().manual_seed(7)
    a, b = binary_inputs(op, dtype, gen)
    fn = getattr(torch, op)
    check(fn(a.to(dev), b.to(dev)), fn(a, b))
    check(fn(a.t().to(dev).t(), b.to(dev)), fn(a, b))  # strided operand
    check(fn(a.to(dev), b[:1].to(dev)), fn(a, b[:1]))  # broadcast row
    check(fn(a[:, :1].to(dev), b[:1].to(dev)), fn(a[:, :1], b[:1]))  # outer broadcast
    s = float(b[0, 0])
    if op not in ("nextafter",):
        check(fn(a.to(dev), torch.tensor(s, dtype=dtype)), fn(a, torch.tensor(s, dtype=dtype)))  # CPU 0-dim
    check(fn(a[0, 0].to(dev), b.to(dev)), fn(a[0, 0], b))  # 0-dim device tensor
    assert fn(torch.empty(0, dtype=dtype, device=dev), torch.empty(0, dtype=dtype, device=dev)).shape == (0,)
    out = torch.empty(0, dtype=fn(a, b).dtype, device=dev)
    fn(a.to(dev), b.to(dev), out=out)
    check(out, fn(a, b))


@pytest.mark.parametrize("op", BINARY_INT)
@pytest.mark.parametrize("dtype", INTS, ids=str)
def test_binary_int(dev, op, dtype):
    gen = torch.Generator().manual_seed(11)
    a, b = binary_inputs(op, dtype, gen)
    fn = getattr(torch, op)
    check(fn(a.to(dev), b.to(dev)), fn(a, b))
    check(fn(a.t().contiguous().to(dev).t(), b.to(dev)), fn(a, b))
    check(fn(a.to(dev), b[:1].to(dev)), fn(a, b[:1]))


def test_python_scalars_and_promotion(dev):
    a = torch.randn(10, 7)
    ai = torch.randint(-5, 5, (10, 7))
    ao, aio = a.to(dev), ai.to(dev)
    check(ao + 2, a + 2)
    check(2.5 * ao - 1, 2.5 * a - 1)
    check(aio + 1.5, ai + 1.5)  # int tensor + float scalar -> float
    check(aio * 3, ai * 3)
    check(aio / 2, ai / 2)  # true division promotes
    check(ao.half() + ao, a.half() + a)  # mixed dtypes promote
    check(aio + ao.to(torch.bfloat16), ai + a.to(torch.bfloat16))
    check(ao > 0.5, a > 0.5)
    check(aio == 3, ai == 3)
    check(torch.add(ao, ao, alpha=-2.0), torch.add(a, a, alpha=-2.0))
    check(torch.sub(aio, 2 * aio, alpha=3), torch.sub(ai, 2 * ai, alpha=3))
    check(ao ** 2, a ** 2)
    check(ao.abs() ** 0.5, a.abs() ** 0.5)
    check(ao.abs() ** 3.7, a.abs() ** 3.7)
    check(aio ** 2, ai ** 2)
    check(torch.tensor([True, False, True]).to(dev) + torch.tensor([True, True, False]).to(dev),
          torch.tensor([True, False, True]) + torch.tensor([True, True, False]))


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64, torch.int32, torch.int8], ids=str)
def test_div_rounding_modes(dev, mode, dtype):
    if dtype == torch.float64 and not has_fp64():
        pytest.skip("no fp64")
    gen = torch.Generator().manual_seed(3)
    a, b = binary_inputs("div", dtype, gen)
    if not dtype.is_floating_point:
        b = torch.where(b == 0, torch.full_like(b, 3), b)
    check(torch.div(a.to(dev), b.to(dev), rounding_mode=mode), torch.div(a, b, rounding_mode=mode))
    check(a.to(dev) // b.to(dev) if mode == "floor" else torch.div(a.to(dev), 3, rounding_mode=mode),
          a // b if mode == "floor" else torch.div(a, 3, rounding_mode=mode))


def test_in_place_forms_and_errors(dev):
    a = torch.randn(6, 5)
    x = a.to(dev)
    x.add_(1.0).mul_(2.0).sub_(torch.ones(5, device=dev), alpha=0.5).div_(3.0)
    check(x, ((a + 1.0) * 2.0 - 0.5) / 3.0)
    y = torch.zeros(6, 5, device=dev)
    y[:, 1:3].add_(torch.ones(6, 2, device=dev))  # in-place on a view writes through
    assert y.cpu()[:, 1:3].eq(1).all() and y.cpu()[:, 0].eq(0).all()
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        torch.ones(3, dtype=torch.int64, device=dev).add_(0.5)
    with pytest.raises(RuntimeError):
        torch.ones(3, device=dev).add_(torch.ones(4, device=dev))
    with pytest.raises(RuntimeError, match="same device"):
        torch.ones(3, device=dev) + torch.ones(3)  # a CPU tensor that is not a scalar
    keep = torch.arange(3.0, device=dev)
    assert keep.cpu().tolist() == [0.0, 1.0, 2.0]


def test_comparisons_output_and_nan(dev):
    a = torch.tensor([1.0, float("nan"), 3.0, -0.0])
    b = torch.tensor([1.0, float("nan"), 2.0, 0.0])
    for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
        got = getattr(torch, op)(a.to(dev), b.to(dev))
        assert got.dtype == torch.bool
        check(got, getattr(torch, op)(a, b))
    check(torch.maximum(a.to(dev), b.to(dev)), torch.maximum(a, b))
    check(torch.fmin(a.to(dev), b.to(dev)), torch.fmin(a, b))


def test_large_values_stay_finite(dev):
    c = torch.tensor([80.0, -80.0, 1e30, -1e30])
    check(torch.sigmoid(c.to(dev)), torch.sigmoid(c))
    check(torch.tanh(c.to(dev)), torch.tanh(c))
    assert math.isinf(torch.exp(torch.tensor([100.0], device=dev)).item())


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.float16, torch.int32, torch.uint8], ids=str)
def test_broadcast_and_strided_vector_layouts(dev, dtype):
    # Several elements per work-item where the innermost dim is contiguous or broadcast:
    # per-channel operands in channels_last (contiguous along C) and NCHW (broadcast along
    # H*W), rows of a wider tensor (aligned and misaligned offsets), in-place and 3 inputs.
    gen = torch.Generator().manual_seed(5)
    x = sample((3, 8, 5, 4), dtype, 1, 20, gen)
    c = sample((1, 8, 1, 1), dtype, 1, 5, gen)
    wide = sample((6, 20), dtype, 1, 20, gen)
    for fmt in (torch.contiguous_format, torch.channels_last):
        xf = x.contiguous(memory_format=fmt)
        check(xf.to(dev) * c.to(dev), xf * c)
        check(torch.addcmul(xf.to(dev), xf.to(dev), c.to(dev)), torch.addcmul(xf, xf, c))
        check(torch.where(xf.to(dev) > c.to(dev), xf.to(dev), c.to(dev)), torch.where(xf > c, xf, c))
        y = xf.to(dev)
        y.mul_(c.to(dev))
        check(y, xf * c)
    for cols in (slice(0, 8), slice(4, 16), slice(1, 9), slice(2, 18, 2)):
        a, b = wide[:, cols], wide[:1, cols]
        check(a.to(dev) + b.to(dev), a + b)
        check(wide.to(dev)[:, cols] * 2, a * 2)
