"""native_dropout / F.dropout (Philox mask follows the seed, statistics, scaling, backward,
eval mode) and scaled_dot_product_attention (causal, bool/float masks, dropout, scale, GQA)
forward and backward, with the CPU fallback off."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import FLOATS, check, compare_autograd

pytestmark = pytest.mark.usefixtures("native_only")


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_native_dropout(dev, dtype):
    x = (torch.randn(64, 50) * 3).to(dtype).to(dev)
    torch.ocl.manual_seed(123)
    out, mask = torch.native_dropout(x, 0.3, True)
    assert mask.dtype == torch.bool and mask.shape == x.shape
    torch.ocl.manual_seed(123)
    out2, mask2 = torch.native_dropout(x, 0.3, True)
    assert torch.equal(mask.cpu(), mask2.cpu())  # same seed, same mask
    assert torch.equal(out.cpu(), out2.cpu())
    _, mask3 = torch.native_dropout(x, 0.3, True)
    assert not torch.equal(mask.cpu(), mask3.cpu())  # the generator moved on
    kept = mask.cpu().float().mean().item()
    assert abs(kept - 0.7) < 0.05
    ref = torch.float64 if dtype == torch.float64 else torch.float32
    expect = x.cpu().to(ref) * mask.cpu() * (1 / 0.7)
    check(out, expect.to(dtype))
    g = torch.randn(64, 50).to(dtype)
    gi = torch.ops.aten.native_dropout_backward(g.to(dev), mask, 1 / 0.7)
    check(gi, (g.to(ref) * mask.cpu() * (1 / 0.7)).to(dtype))


def test_dropout_functional_and_module(dev):
    x = torch.randn(32, 40, device=dev, requires_grad=True)
    y = F.dropout(x, 0.5, training=True)
    y_cpu = y.detach().cpu()
    zero = y_cpu == 0
    assert 0.4 < zero.float().mean().item() < 0.6
    torch.testing.assert_close(y_cpu, torch.where(zero, torch.zeros(()), x.detach().cpu() * 2))
    y.sum().backward()
    check(x.grad, (~zero).float() * 2)
    m = torch.nn.Dropout(0.2).to(dev)
    m.eval()
    check(m(x.detach()), x.detach().cpu())
    check(F.dropout(x.detach(), 0.0, training=True), x.detach().cpu())
    assert (F.dropout(x.detach(), 1.0, training=True) == 0).all().item()
    out, mask = torch.native_dropout(x.detach(), 0.5, False)
    check(out, x.detach().cpu())
    assert mask.all().item()
    e = torch.native_dropout(torch.empty(0, 3, device=dev), 0.5, True)[0]
    assert e.shape == (0, 3)
    with pytest.raises(ValueError):
        F.dropout(x, 1.5)
    with pytest.raises(RuntimeError):
        torch.native_dropout(x.detach(), 1.5, True)


# SDPA on ocl takes ATen's math path: matmul/bmm, softmax, masks and dropout, all native.


def qkv(b, hq, hk, l, s, e, dtype=torch.float32, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(b, hq, l, e, generator=g).to(dtype), torch.randn(b, hk, s, e, generator=g).to(dtype),
            torch.randn(b, hk, s, e, generator=g).to(dtype))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("causal", [False, True])
def test_sdpa(dev, dtype, causal):
    q, k, v = qkv(2, 3, 3, 5, 5, 8, dtype)
    compare_autograd(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=causal), [q, k, v], dev,
                     scale=3)


def test_sdpa_masks_scale_gqa(dev):
    q, k, v = qkv(2, 4, 2, 6, 7, 8)
    bool_mask = torch.rand(6, 7, generator=torch.Generator().manual_seed(1)) > 0.3
    bool_mask[:, 0] = True
    float_mask = torch.randn(2, 1, 6, 7)
    compare_autograd(lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m, enable_gqa=True),
                     [q, k, v], dev, consts=[bool_mask])
    compare_autograd(lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m, scale=0.3,
                                                                       enable_gqa=True),
                     [q, k, v], dev, consts=[float_mask])


def test_sdpa_dropout(dev):
    q, k, v = [t.to(dev) for t in qkv(1, 2, 2, 8, 8, 4)]
    torch.ocl.manual_seed(5)
    a = F.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
    torch.ocl.manual_seed(5)
    b = F.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
    check(a, b.cpu())
    c = F.scaled_dot_product_attention(q, k, v, dropout_p=0.0)
    assert not torch.allclose(a.cpu(), c.cpu())


def test_sdpa_softmax_and_masks_native(dev):
    """The parts of SDPA that are ours (scaling, masking, softmax, dropout) run natively."""
    g = torch.Generator().manual_seed(0)
    scores = torch.randn(2, 3, 5, 5, generator=g)
    mask = torch.ones(5, 5, dtype=torch.bool).tril()
    def attn(s, m):
        s = s * 0.5
        s = s.masked_fill(~m, float("-inf")) if m.dtype == torch.bool else s + m
        return F.softmax(s, -1)
    compare_autograd(attn, [scores], dev, consts=[mask])
    compare_autograd(attn, [scores], dev, consts=[torch.randn(5, 5, generator=g)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.int64, torch.bool], ids=str)
@pytest.mark.parametrize("k", [-1, 0, 2])
def test_tril_triu(dev, dtype, k):
    """tril/triu build causal attention masks."""
    x = torch.randn(3, 4, 6) * 5
    x = x > 0 if dtype == torch.bool else x.to(dtype)
    xd = x.to(dev)
    for fn in (torch.tril, torch.triu):
        check(fn(xd, k), fn(x, k))
        check(fn(xd.transpose(1, 2), k), fn(x.transpose(1, 2), k))
        out = torch.empty(0, dtype=dtype, device=dev)
        fn(xd, k, out=out)
        check(out, fn(x, k))
    y = xd.clone()
    y.tril_(k)
    check(y, x.tril(k))
    y = xd.clone()
    y.triu_(k)
    check(y, x.triu(k))
    with pytest.raises(RuntimeError):
        torch.tril(torch.ones(3, device=dev))
    compare_autograd(lambda t: torch.tril(t, k), [torch.randn(5, 5)], dev)
