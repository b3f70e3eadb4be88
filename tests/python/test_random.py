"""Philox generator: seeding, state, reproducibility, statistics of each distribution."""

import math

import pytest
import torch
from conftest import FLOAT_DTYPES, has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
FLOATS = [d for d in FLOAT_DTYPES if d != torch.float64 or has_fp64()]
N = 1 << 18


def test_manual_seed_reproduces(dev):
    torch.manual_seed(123)  # reaches the ocl generators too
    a = torch.rand(1000, device=dev).cpu()
    torch.ocl.manual_seed(123)
    b = torch.rand(1000, device=dev).cpu()
    assert torch.equal(a, b)
    c = torch.rand(1000, device=dev).cpu()
    assert not torch.equal(b, c)  # consecutive draws differ
    assert torch.ocl.initial_seed() == 123


def test_generator_objects(dev):
    g = torch.Generator(device=dev)
    assert g.device == dev
    g.manual_seed(7)
    a = torch.randn(500, device=dev, generator=g).cpu()
    g.manual_seed(7)
    b = torch.randn(500, device=dev, generator=g).cpu()
    assert torch.equal(a, b)
    assert torch.ocl.default_generators[0].device == dev
    with pytest.raises(IndexError):
        torch.ocl.default_generators[torch.ocl.device_count()]


def test_rng_state_round_trip(dev):
    torch.ocl.manual_seed(5)
    torch.rand(10, device=dev)
    state = torch.ocl.get_rng_state()
    assert state.dtype == torch.uint8 and state.numel() == 16
    a = torch.rand(100, device=dev).cpu()
    torch.ocl.set_rng_state(state)
    b = torch.rand(100, device=dev).cpu()
    assert torch.equal(a, b)
    g = torch.Generator(device=dev)
    g.set_state(state)
    assert torch.equal(torch.rand(100, device=dev, generator=g).cpu(), a)
    states = torch.ocl.get_rng_state_all()
    assert len(states) == torch.ocl.device_count()
    torch.ocl.set_rng_state_all(states)
    torch.ocl.seed()
    torch.ocl.seed_all()
    torch.ocl.manual_seed_all(9)
    assert torch.ocl.initial_seed() == 9


def test_per_device_generators(two_devices):
    d0, d1 = two_devices
    torch.ocl.manual_seed_all(1)
    a = torch.rand(100, device=d0).cpu()
    b = torch.rand(100, device=d1).cpu()
    assert torch.equal(a, b)  # same seed, same stream, separate state per device
    torch.rand(100, device=d0)
    assert torch.ocl.default_generators[0].get_offset() != torch.ocl.default_generators[1].get_offset()


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_uniform_statistics(dev, dtype):
    torch.ocl.manual_seed(0)
    x = torch.empty(N, dtype=dtype, device=dev).uniform_(-2.0, 3.0).cpu().double()
    assert x.min() >= -2.0 and x.max() <= 3.0
    assert abs(x.mean().item() - 0.5) < 0.02
    assert abs(x.var().item() - 25.0 / 12) < 0.05
    hist = torch.histc(x.float(), bins=10, min=-2, max=3)
    assert (hist / N - 0.1).abs().max() < 0.01
    u = torch.rand(N, dtype=dtype, device=dev).cpu().double()
    assert u.min() >= 0 and u.max() < 1.0 + (1e-2 if dtype != torch.float32 else 0)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_normal_statistics(dev, dtype):
    torch.ocl.manual_seed(1)
    x = torch.empty(N, dtype=dtype, device=dev).normal_(1.5, 2.0).cpu().double()
    assert abs(x.mean().item() - 1.5) < 0.03
    assert abs(x.std().item() - 2.0) < 0.03
    z = (x - 1.5) / 2.0
    assert abs((z.abs() < 1).double().mean().item() - 0.6827) < 0.01
    assert abs(((z**3).mean()).item()) < 0.05  # symmetric
    assert abs(((z**4).mean()).item() - 3.0) < 0.15  # normal kurtosis
    r = torch.randn(1000, 3, dtype=dtype, device=dev)
    assert r.shape == (1000, 3) and torch.isfinite(r.cpu().float()).all()


def test_consecutive_draws_are_independent(dev):
    torch.ocl.manual_seed(2)
    a = torch.rand(N, device=dev).cpu().double()
    b = torch.rand(N, device=dev).cpu().double()
    corr = torch.corrcoef(torch.stack([a, b]))[0, 1].item()
    assert abs(corr) < 0.01
    lag = torch.corrcoef(torch.stack([a[:-1], a[1:]]))[0, 1].item()  # neighbours within a draw
    assert abs(lag) < 0.01


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.float32],
                         ids=str)
def test_random_ranges(dev, dtype):
    torch.ocl.manual_seed(3)
    x = torch.empty(N, dtype=dtype, device=dev).random_(-5 if dtype != torch.uint8 else 0, 10).cpu()
    lo = -5 if dtype != torch.uint8 else 0
    assert x.min().item() == lo and x.max().item() == 9
    counts = torch.bincount((x.long() - lo).flatten())
    assert (counts.double() / N - 1 / (10 - lo)).abs().max() < 0.01
    y = torch.empty(N, dtype=dtype, device=dev).random_(7).cpu()
    assert y.min().item() == 0 and y.max().item() == 6
    z = torch.empty(1000, dtype=dtype, device=dev).random_().cpu()
    assert z.min().item() >= 0
    if not dtype.is_floating_point:
        assert z.max().item() <= torch.iinfo(dtype).max
    r = torch.randint(3, 8, (1000,), device=dev).cpu()
    assert r.min() >= 3 and r.max() < 8 and r.dtype == torch.int64


def test_random_bool_and_full_range(dev):
    b = torch.empty(10000, dtype=torch.bool, device=dev).random_().cpu()
    assert 0.45 < b.double().mean().item() < 0.55
    w = torch.empty(N, dtype=torch.int64, device=dev).random_(-(2**63), None).cpu()
    assert (w < 0).double().mean().item() == pytest.approx(0.5, abs=0.01)


def test_random_argument_errors(dev):
    x = torch.empty(10, device=dev)
    with pytest.raises(RuntimeError, match="from"):
        x.random_(5, 3)
    with pytest.raises(RuntimeError):
        x.uniform_(3.0, 1.0)
    with pytest.raises(RuntimeError, match="std"):
        x.normal_(0.0, -1.0)
    with pytest.raises(RuntimeError):
        x.bernoulli_(1.5)
    with pytest.raises(RuntimeError):
        torch.empty(10, dtype=torch.uint8, device=dev).random_(0, 1000)


@pytest.mark.parametrize("dtype", FLOATS + [torch.int64, torch.bool], ids=str)
def test_bernoulli(dev, dtype):
    torch.ocl.manual_seed(4)
    x = torch.empty(N, dtype=dtype, device=dev).bernoulli_(0.3).cpu().double()
    assert set(x.unique().tolist()) <= {0.0, 1.0}
    assert abs(x.mean().item() - 0.3) < 0.01
    p = torch.linspace(0, 1, 8).repeat(N // 8).to(dev)
    y = torch.empty(N, dtype=dtype, device=dev).bernoulli_(p).cpu().double().reshape(-1, 8).mean(0)
    assert (y - torch.linspace(0, 1, 8).double()).abs().max() < 0.01
    z = torch.bernoulli(torch.full((1000,), 0.5, device=dev))
    assert z.device == dev and 0.4 < z.cpu().mean().item() < 0.6


def test_dropout_mask_shapes(dev):
    m = torch.empty(64, 32, device=dev).bernoulli_(0.9)
    assert m.shape == (64, 32)
    assert 0.85 < m.cpu().mean().item() < 0.95
    assert not math.isnan(m.cpu().sum().item())
