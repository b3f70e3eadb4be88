"""Activations (forward and backward through autograd), select/compare ops (where, clamp,
masked_fill_, logical, isposinf/isneginf, nan_to_num, equal) and ternary pointwise ops (addcmul,
addcdiv, lerp) against the CPU, with the CPU fallback off."""

import pytest
import torch
import torch.nn.functional as F
from conftest import has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
TOL = {torch.float16: (2e-3, 2e-3), torch.bfloat16: (2e-2, 2e-2), torch.float32: (2e-5, 2e-5),
       torch.float64: (1e-12, 1e-12)}


def check(got, expect):
    assert got.device.type == "ocl"
    rtol, atol = TOL.get(expect.dtype, (0, 0))
    torch.testing.assert_close(got.cpu(), expect, rtol=rtol, atol=atol, equal_nan=True)


ACTIVATIONS = {
    "relu": F.relu, "gelu": F.gelu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "silu": F.silu,
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "elu": F.elu, "selu": F.selu, "celu": lambda x: F.celu(x, 0.7), "softplus": F.softplus,
    "softplus_beta": lambda x: F.softplus(x, beta=2.0, threshold=5.0), "hardsigmoid": F.hardsigmoid,
    "threshold": lambda x: F.threshold(x, 0.3, -2.0)
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_activation_forward_backward(dev, name, dtype):
    fn = ACTIVATIONS[name]
    gen = torch.Generator().manual_seed(1)
    x = (torch.randn(33, 17, generator=gen) * 4).to(dtype)
    g = torch.randn(33, 17, generator=gen).to(dtype)
    xc = x.clone().requires_grad_(True)
    yc = fn(xc)
    yc.backward(g)
    xo = x.to(dev).requires_grad_(True)
    yo = fn(xo)
    yo.backward(g.to(dev))
    check(yo.detach(), yc.detach())
    check(xo.grad, xc.grad)
    check(fn(x.t().to(dev)), fn(x.t()))  # strided input


def test_inplace_activations(dev):
    x = torch.randn(10, 10)
    for fn in (F.relu_, lambda t: F.leaky_relu_(t, 0.2), lambda t: F.elu_(t), torch.sigmoid_):
        check(fn(x.clone().to(dev)), fn(x.clone()))


@pytest.mark.parametrize("dtype", FLOATS + [torch.int64, torch.int32, torch.uint8, torch.bool], ids=str)
def test_where(dev, dtype):
    cond = torch.rand(9, 13) > 0.5
    a = (torch.randn(9, 13) * 10).to(dtype)
    b = (torch.randn(1, 13) * 10).to(dtype)
    check(torch.where(cond.to(dev), a.to(dev), b.to(dev)), torch.where(cond, a, b))
    check(torch.where(cond.to(dev), a.to(dev), 0), torch.where(cond, a, 0))
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.where(cond.to(dev), a.to(dev), b.to(dev), out=out)
    check(out, torch.where(cond, a, b))


@pytest.mark.parametrize("dtype", FLOATS + [torch.int64, torch.int32, torch.int8], ids=str)
def test_clamp_family(dev, dtype):
    x = (torch.randn(12, 7) * 10).to(dtype)
    xo = x.to(dev)
    check(torch.clamp(xo, -2, 3), torch.clamp(x, -2, 3))
    check(torch.clamp(xo, min=-1), torch.clamp(x, min=-1))
    check(torch.clamp(xo, max=1), torch.clamp(x, max=1))
    check(xo.clamp_min(0), x.clamp_min(0))
    check(xo.clamp_max(2), x.clamp_max(2))
    lo, hi = (torch.randn(7) * 3).to(dtype), (torch.randn(12, 1) * 3 + 5).to(dtype)
    check(torch.clamp(xo, lo.to(dev), hi.to(dev)), torch.clamp(x, lo, hi))
    check(torch.clamp(xo, min=lo.to(dev)), torch.clamp(x, min=lo))
    check(torch.clamp_max(xo, hi.to(dev)), torch.clamp_max(x, hi))
    y = xo.clone()
    y.clamp_(-1, 1)
    check(y, x.clamp(-1, 1))
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        torch.clamp(xo)
    if dtype.is_floating_point:
        n = torch.tensor([float("nan"), 5.0, -5.0]).to(dtype)
        check(torch.clamp(n.to(dev), -1, 1), torch.clamp(n, -1, 1))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_nan_inf_helpers(dev, dtype):
    x = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5, -0.0]).to(dtype)
    xo = x.to(dev)
    check(torch.isposinf(xo), torch.isposinf(x))
    check(torch.isneginf(xo), torch.isneginf(x))
    check(torch.isnan(xo), torch.isnan(x))
    check(torch.isinf(xo), torch.isinf(x))
    check(torch.isfinite(xo), torch.isfinite(x))
    check(torch.nan_to_num(xo), torch.nan_to_num(x))
    check(torch.nan_to_num(xo, nan=2.0, posinf=9.0, neginf=-9.0), torch.nan_to_num(x, nan=2.0, posinf=9.0, neginf=-9.0))


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.int64, torch.bool], ids=str)
def test_equal(dev, dtype):
    g = torch.Generator().manual_seed(6)
    a = (torch.randn(5, 7, generator=g) * 4).to(dtype)
    b = a.clone()
    b[3, 2] = (b[3, 2].float() + 1).to(dtype) if dtype != torch.bool else ~b[3, 2]
    ao, bo = a.to(dev), b.to(dev)
    for x, y in [(ao, ao.clone()), (ao, bo), (ao.t(), ao.t().contiguous()), (ao[:, 1:], ao.clone()[:, 1:]),
                 (ao, ao.view(7, 5)), (ao[:0], bo[:0]), (ao, ao)]:
        assert torch.equal(x, y) == torch.equal(x.cpu(), y.cpu())
    if dtype.is_floating_point:
        n = torch.tensor([1.0, float("nan")], dtype=dtype)
        assert torch.equal(n.to(dev), n.to(dev).clone()) == torch.equal(n, n.clone())
    with pytest.raises(RuntimeError, match="different devices"):
        torch.equal(ao, a)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.uint8], ids=str)
def test_logical_ops(dev, dtype):
    a = (torch.randn(20) > 0).to(dtype) if dtype == torch.bool else torch.randint(0, 3, (20,)).to(dtype)
    b = (torch.randn(20) > 0).to(dtype) if dtype == torch.bool else torch.randint(0, 3, (20,)).to(dtype)
    for op in ("logical_and", "logical_or", "logical_xor"):
        check(getattr(torch, op)(a.to(dev), b.to(dev)), getattr(torch, op)(a, b))
    check(torch.logical_not(a.to(dev)), torch.logical_not(a))
    check(~(a.to(dev) > 0), ~(a > 0))


@pytest.mark.parametrize("dtype", FLOATS + [torch.int64, torch.bool], ids=str)
def test_masked_fill(dev, dtype):
    x = (torch.randn(6, 8) * 5).to(dtype)
    mask = torch.rand(6, 8) > 0.5
    v = True if dtype == torch.bool else 3
    check(x.to(dev).masked_fill(mask.to(dev), v), x.masked_fill(mask, v))
    check(x.to(dev).masked_fill(mask[0].to(dev), v), x.masked_fill(mask[0], v))  # broadcast mask
    y = x.to(dev)
    y.masked_fill_(mask.to(dev), torch.tensor(v, dtype=dtype, device=dev))
    check(y, x.masked_fill(mask, v))
    with pytest.raises(RuntimeError, match="boolean"):
        y.masked_fill_(mask.to(dev).int(), v)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_addcmul_addcdiv_lerp(dev, dtype):
    s, t1, t2 = [torch.randn(8, 9).to(dtype) for _ in range(3)]
    t2 = torch.where(t2.abs() < 0.3, torch.ones_like(t2), t2)
    so, t1o, t2o = s.to(dev), t1.to(dev), t2.to(dev)
    check(torch.addcmul(so, t1o, t2o, value=0.5), torch.addcmul(s, t1, t2, value=0.5))
    check(torch.addcdiv(so, t1o, t2o, value=-2), torch.addcdiv(s, t1, t2, value=-2))
    check(torch.lerp(so, t1o, 0.3), torch.lerp(s, t1, 0.3))
    check(torch.lerp(so, t1o, 0.8), torch.lerp(s, t1, 0.8))
    w = torch.rand(9).to(dtype)
    check(torch.lerp(so, t1o, w.to(dev)), torch.lerp(s, t1, w))
    y = so.clone()
    y.addcmul_(t1o, t2o[0], value=2).addcdiv_(t1o, t2o).lerp_(t1o, 0.25)
    check(y, s.clone().addcmul_(t1, t2[0], value=2).addcdiv_(t1, t2).lerp_(t1, 0.25))


def test_adam_style_update_is_native(dev):
    """The pointwise part of an Adam step (foreach=False) runs without the fallback."""
    p = torch.randn(50)
    g = torch.randn(50)
    m, v = torch.zeros(50), torch.zeros(50)
    po, go, mo, vo = p.to(dev), g.to(dev), m.to(dev), v.to(dev)
    for t_p, t_g, t_m, t_v in ((p, g, m, v), (po, go, mo, vo)):
        t_m.lerp_(t_g, 0.1)
        t_v.mul_(0.999).addcmul_(t_g, t_g, value=0.001)
        denom = (t_v.sqrt() / 0.1).add_(1e-8)
        t_p.addcdiv_(t_m, denom, value=-1e-3)
    check(po, p)
