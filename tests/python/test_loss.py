"""Losses: nll_loss (1d and 2d, weights, ignore_index, reductions), cross_entropy (label
smoothing, probability targets), mse, l1, smooth_l1, huber, binary cross-entropy (plain and
with logits, pos_weight), kl_div; forward and backward against the CPU, fallback off."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import FLOATS, check, compare_autograd

pytestmark = pytest.mark.usefixtures("native_only")
REDUCTIONS = ["none", "mean", "sum"]


def rand(shape, dtype=torch.float32, seed=0, scale=2.0):
    return (torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * scale).to(dtype)


def targets(shape, classes, seed=1):
    return torch.randint(0, classes, shape, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss(dev, dtype, reduction, weighted):
    x = F.log_softmax(rand((9, 7)), 1).to(dtype)
    t = targets((9,), 7)
    t[2] = -100
    w = (torch.rand(7) + 0.5).to(dtype) if weighted else None
    compare_autograd(lambda x, w: F.nll_loss(x, t.to(x.device), w, reduction=reduction), [x, w], dev,
                     grad_inputs=[0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_ignore_index_and_shapes(dev, reduction):
    x = rand((6, 5))
    t = targets((6,), 5)
    t[0] = 3
    compare_autograd(lambda x: F.nll_loss(x, t.to(x.device), ignore_index=3, reduction=reduction), [x], dev)
    compare_autograd(lambda x: F.nll_loss(x, torch.tensor(2, device=x.device), reduction=reduction), [rand((5,))],
                     dev)
    # 2d (nll_loss2d) and higher-dimensional targets
    x4 = rand((2, 4, 3, 5))
    t4 = targets((2, 3, 5), 4)
    w = torch.rand(4) + 0.5
    compare_autograd(lambda x, w: F.nll_loss(x, t4.to(x.device), w, reduction=reduction), [x4, w], dev,
                     grad_inputs=[0])
    x5 = rand((2, 3, 2, 2, 2))
    t5 = targets((2, 2, 2, 2), 3)
    compare_autograd(lambda x: F.nll_loss(x, t5.to(x.device), reduction=reduction), [x5], dev)


@pytest.mark.parametrize("name", ["nll_loss", "nll_loss2d"])
def test_nll_loss_out_forms(dev, name):
    """output= and grad_input= forms of nll_loss(2d) forward and backward, each reduction."""
    x = F.log_softmax(rand((2, 4, 3, 5) if name == "nll_loss2d" else (6, 4)), 1)
    t = targets((2, 3, 5) if name == "nll_loss2d" else (6,), 4)
    t.view(-1)[1] = -100
    w = torch.rand(4, generator=torch.Generator().manual_seed(2)) + 0.5
    fwd = getattr(torch.ops.aten, name + "_forward")
    bwd = getattr(torch.ops.aten, name + "_backward")
    for reduction in range(3):  # none, mean, sum
        out, tw = fwd(x, t, w, reduction, -100)
        o, t2 = torch.empty(0, device=dev), torch.empty(0, device=dev)
        fwd.output(x.to(dev), t.to(dev), w.to(dev), reduction, -100, output=o, total_weight=t2)
        check(o, out)
        check(t2, tw)
        go = rand(out.shape, seed=3)
        gi_expect = bwd(go, x, t, w, reduction, -100, tw)
        gi = torch.empty(0, device=dev)
        bwd.grad_input(go.to(dev), x.to(dev), t.to(dev), w.to(dev), reduction, -100, tw.to(dev), grad_input=gi)
        check(gi, gi_expect)


def test_nll_loss_empty_batch(dev):
    x = torch.randn(0, 4)
    t = torch.zeros(0, dtype=torch.long)
    for reduction in REDUCTIONS:
        got = F.nll_loss(x.to(dev), t.to(dev), reduction=reduction)
        check(got, F.nll_loss(x, t, reduction=reduction))


def test_nll_loss_errors(dev):
    x = torch.randn(4, 5)
    for bad in (5, -1):
        t = torch.tensor([0, 1, bad, 2])
        for reduction in REDUCTIONS:  # the kernels report the target, as the CPU's message does
            with pytest.raises(IndexError, match=f"Target {bad} is out of bounds"):
                F.nll_loss(x.to(dev), t.to(dev), reduction=reduction)
        with pytest.raises(IndexError):
            F.nll_loss(x, t)
        with pytest.raises(IndexError, match="out of bounds"):
            F.nll_loss(x.view(4, 5, 1, 1).to(dev), t.view(4, 1, 1).to(dev))
    with pytest.raises(ValueError):  # batch size mismatch (checked in Python, as on the CPU)
        F.nll_loss(x.to(dev), torch.tensor([0, 1]).to(dev))
    with pytest.raises(RuntimeError):  # float target
        F.nll_loss(x.to(dev), torch.zeros(4, device=dev))
    with pytest.raises(RuntimeError):  # weight of the wrong size
        F.nll_loss(x.to(dev), torch.tensor([0, 1, 2, 3]).to(dev), torch.ones(3, device=dev))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy(dev, dtype, reduction):
    x = rand((8, 6), dtype)
    t = targets((8,), 6)
    t[1] = -100
    compare_autograd(lambda x: F.cross_entropy(x, t.to(x.device), reduction=reduction), [x], dev)
    compare_autograd(lambda x: F.cross_entropy(x, t.to(x.device), reduction=reduction, label_smoothing=0.1), [x],
                     dev)
    w = (torch.rand(6) + 0.5).to(dtype)
    compare_autograd(lambda x, w: F.cross_entropy(x, t.to(x.device), w, reduction=reduction), [x, w], dev,
                     grad_inputs=[0])
    p = F.softmax(rand((8, 6), seed=3), 1).to(dtype)
    compare_autograd(lambda x, p: F.cross_entropy(x, p, reduction=reduction, label_smoothing=0.1), [x, p], dev,
                     grad_inputs=[0])


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_cross_entropy_weighted_label_smoothing(dev, reduction):
    x = rand((8, 6))
    t = targets((8,), 6)
    w = torch.rand(6) + 0.5
    compare_autograd(lambda x, w: F.cross_entropy(x, t.to(x.device), w, reduction=reduction, label_smoothing=0.2),
                     [x, w], dev, grad_inputs=[0])


def test_cross_entropy_spatial(dev):
    x = rand((2, 5, 4, 3))
    t = targets((2, 4, 3), 5)
    compare_autograd(lambda x: F.cross_entropy(x, t.to(x.device), ignore_index=2, label_smoothing=0.05), [x], dev)


POINTWISE = {
    "mse": lambda x, y, r: F.mse_loss(x, y, reduction=r),
    "l1": lambda x, y, r: F.l1_loss(x, y, reduction=r),
    "smooth_l1": lambda x, y, r: F.smooth_l1_loss(x, y, reduction=r, beta=0.7),
    "smooth_l1_beta0": lambda x, y, r: F.smooth_l1_loss(x, y, reduction=r, beta=0.0),
    "huber": lambda x, y, r: F.huber_loss(x, y, reduction=r, delta=1.3),
    "kl_div": lambda x, y, r: F.kl_div(x, y.abs(), reduction=r if r != "mean" else "batchmean"),
    "kl_div_log_target": lambda x, y, r: F.kl_div(x, y, reduction=r, log_target=True),
    "bce_logits": lambda x, y, r: F.binary_cross_entropy_with_logits(x, y.sigmoid(), reduction=r),
}


@pytest.mark.parametrize("name", sorted(POINTWISE))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pointwise_losses(dev, name, dtype, reduction):
    fn = POINTWISE[name]
    x, y = rand((7, 9), dtype), rand((7, 9), dtype, 1)
    compare_autograd(lambda x, y: fn(x, y, reduction), [x, y], dev, scale=2)


def test_pointwise_losses_broadcast_noncontiguous(dev):
    x, y = rand((9, 7)), rand((7,), seed=1)
    compare_autograd(lambda x, y: F.mse_loss(x.t(), y.expand(9, 7).t()), [x, y], dev)
    compare_autograd(lambda x, y: F.huber_loss(x.t(), y.expand(9, 7).t(), reduction="sum"), [x, y], dev)
    compare_autograd(lambda x, y: F.smooth_l1_loss(x[::2], y.expand(9, 7)[::2]), [x, y], dev)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(dev, dtype, reduction):
    p = torch.rand(6, 5, generator=torch.Generator().manual_seed(0)).clamp(0.02, 0.98).to(dtype)
    t = torch.rand(6, 5, generator=torch.Generator().manual_seed(1)).to(dtype)
    w = (torch.rand(5) + 0.5).to(dtype)
    compare_autograd(lambda p, t: F.binary_cross_entropy(p, t, reduction=reduction), [p, t], dev, grad_inputs=[0],
                     scale=2)
    compare_autograd(lambda p, t, w: F.binary_cross_entropy(p, t, w.expand(6, 5), reduction=reduction), [p, t, w],
                     dev, grad_inputs=[0], scale=2)


def test_binary_cross_entropy_edges_and_errors(dev):
    p = torch.tensor([0.0, 1.0, 0.5, 1.0])
    t = torch.tensor([0.0, 1.0, 1.0, 0.0])
    check(F.binary_cross_entropy(p.to(dev), t.to(dev), reduction="none"),
          F.binary_cross_entropy(p, t, reduction="none"))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(torch.tensor([1.5]).to(dev), torch.tensor([1.0]).to(dev))
    with pytest.raises(RuntimeError):
        F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))
    with pytest.raises(ValueError):  # size mismatch (Python check, as on the CPU)
        F.binary_cross_entropy(torch.rand(3).to(dev), torch.rand(4).to(dev))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_weights(dev, reduction):
    x, y = rand((5, 4)), torch.rand(5, 4)
    w, pw = torch.rand(4) + 0.5, torch.rand(4) * 3
    compare_autograd(lambda x, y, w, pw: F.binary_cross_entropy_with_logits(x, y, w, reduction=reduction,
                                                                           pos_weight=pw), [x, y, w, pw], dev,
                     grad_inputs=[0, 1])


def test_log_sigmoid(dev):
    for dtype in FLOATS:
        compare_autograd(F.logsigmoid, [rand((40,), dtype, scale=20)], dev)
