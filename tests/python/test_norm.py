"""layer_norm, rms_norm, group_norm and batch_norm (training and evaluation, running
statistics) forward and backward against the CPU, with the CPU fallback off."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import FLOATS, check, compare_autograd

pytestmark = pytest.mark.usefixtures("native_only")


def rand(shape, dtype, seed=0, scale=3.0, shift=0.0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=g) * scale + shift).to(dtype)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("shape,normalized", [((6, 40), (40,)), ((3, 5, 4, 6), (4, 6)), ((2, 700), (700,))])
def test_layer_norm(dev, dtype, affine, shape, normalized):
    if shape == (2, 700) and dtype in (torch.float16, torch.float64):
        pytest.skip("long rows: float32 and bfloat16 cover the multi-pass loop")
    x = rand(shape, dtype, shift=2.0)
    w = rand(normalized, dtype, 1) if affine else None
    b = rand(normalized, dtype, 2) if affine else None
    compare_autograd(lambda x, w, b: F.layer_norm(x, normalized, w, b, 1e-5), [x, w, b], dev, scale=2)


def test_layer_norm_noncontiguous_and_outputs(dev):
    x = rand((16, 12), torch.float32)
    w, b = rand((16,), torch.float32, 1), rand((16,), torch.float32, 2)
    compare_autograd(lambda x, w, b: F.layer_norm(x.t(), (16,), w, b), [x, w, b], dev)
    y, mean, rstd = torch.native_layer_norm(x.to(dev), (12,), None, None, 1e-5)
    yc, mc, rc = torch.native_layer_norm(x, (12,), None, None, 1e-5)
    assert mean.shape == mc.shape == (16, 1)
    check(y, yc)
    check(mean, mc)
    check(rstd, rc)


def test_layer_norm_empty_batch(dev):
    x = torch.randn(0, 8)
    w = torch.randn(8, requires_grad=True)
    y = F.layer_norm(x.to(dev), (8,), w.detach().to(dev))
    assert y.shape == (0, 8) and y.device.type == "ocl"


def test_layer_norm_bad_shape(dev):
    x = torch.randn(4, 8)
    with pytest.raises(RuntimeError):
        F.layer_norm(x.to(dev), (8,), torch.randn(7, device=dev))
    with pytest.raises(RuntimeError):
        F.layer_norm(x.to(dev), (5,))


@pytest.mark.parametrize("rms", [False, True], ids=["layer_norm", "rms_norm"])
@pytest.mark.parametrize("shape", [(3000, 24), (33, 1000), (5, 20000)], ids=str)
def test_norm_backward_gradient_subsets(dev, rms, shape):
    """Each subset of (input, weight, bias) gradients straight from the backward op: many rows
    (partial sums over many chunks), long rows (the multi-pass kernels), bfloat16 input with
    float32 weight and bfloat16 bias (the parameter gradients keep each parameter's dtype)."""
    n = shape[1]
    x = rand(shape, torch.bfloat16, 0, shift=1.0)
    g = rand(shape, torch.bfloat16, 3)
    w = rand((n,), torch.float32, 1)
    b = rand((n,), torch.bfloat16, 2)
    xf, gf = x.float(), g.float()
    if rms:  # the CPU has no _fused_rms_norm: its reference is autograd through F.rms_norm
        xr, wr = xf.clone().requires_grad_(), w.clone().requires_grad_()
        ref = torch.autograd.grad(F.rms_norm(xr, (n,), wr, 1e-5), (xr, wr), gf)
        _, rd = torch.ops.aten._fused_rms_norm(x.to(dev), [n], w.to(dev), 1e-5)
        masks = [[a, c] for a in (True, False) for c in (True, False)]
    else:
        y, mean, r = torch.ops.aten.native_layer_norm(xf, [n], w, b.float(), 1e-5)
        _, md, rd = torch.ops.aten.native_layer_norm(x.to(dev), [n], w.to(dev), b.to(dev), 1e-5)
        masks = [[a, c, e] for a in (True, False) for c in (True, False) for e in (True, False)]
    for mask in masks:
        if rms:
            exp = ref
            got = torch.ops.aten._fused_rms_norm_backward(g.to(dev), x.to(dev), [n], rd, w.to(dev), mask)
            dtypes = [torch.bfloat16, torch.float32]
        else:
            exp = torch.ops.aten.native_layer_norm_backward(gf, xf, [n], mean, r, w, b.float(), mask)
            got = torch.ops.aten.native_layer_norm_backward(g.to(dev), x.to(dev), [n], md, rd, w.to(dev),
                                                            b.to(dev), mask)
            dtypes = [torch.bfloat16, torch.float32, torch.bfloat16]
        for want, e, o, dt in zip(mask, exp, got, dtypes):
            if not want:
                assert o is None
                continue
            assert o.dtype == dt and o.shape == e.shape
            # sums over thousands of rows of 16-bit products: relative to the largest magnitude
            check(o, e, scale=4)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("affine", [True, False])
def test_rms_norm(dev, dtype, affine):
    x = rand((7, 3, 48), dtype)
    w = rand((48,), dtype, 1) if affine else None
    compare_autograd(lambda x, w: F.rms_norm(x, (48,), w, 1e-6), [x, w], dev, scale=2)
    compare_autograd(lambda x, w: F.rms_norm(x, (3, 48), None), [x, None], dev, scale=2)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm(dev, dtype, affine):
    x = rand((3, 6, 5, 4), dtype, shift=1.0)
    w = rand((6,), dtype, 1) if affine else None
    b = rand((6,), dtype, 2) if affine else None
    compare_autograd(lambda x, w, b: F.group_norm(x, 3, w, b, 1e-5), [x, w, b], dev, scale=3)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_group_norm_channels_last(dev, dtype):
    # the backward's sums read x and dy in their layouts (here channels-last), dx comes contiguous
    x = rand((3, 16, 5, 7), dtype, shift=1.0)
    w, b = rand((16,), dtype, 1), rand((16,), dtype, 2)
    cl = torch.channels_last
    compare_autograd(lambda x, w, b: F.group_norm(x.contiguous(memory_format=cl), 4, w, b).contiguous(memory_format=cl),
                     [x, w, b], dev, scale=3)
    compare_autograd(lambda x: F.group_norm(x.contiguous(memory_format=cl)[:, :, 1:, ::2], 8), [x], dev, scale=3)


def test_group_norm_shapes(dev):
    compare_autograd(lambda x: F.group_norm(x, 2), [rand((4, 6), torch.float32)], dev)
    compare_autograd(lambda x: F.group_norm(x, 1), [rand((2, 4, 3, 2, 2), torch.float32)], dev)
    with pytest.raises(RuntimeError):
        F.group_norm(torch.randn(2, 6, 3, device=dev), 4)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("module", ["1d", "2d", "2d_channels_last", "3d_channels_last"])
def test_batch_norm_training_and_eval(dev, dtype, module):
    shape = {"1d": (8, 5), "2d": (4, 5, 3, 3), "2d_channels_last": (4, 5, 3, 3), "3d_channels_last": (2, 5, 3, 2, 3)}[module]
    cls = {2: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d, 5: torch.nn.BatchNorm3d}[len(shape)]
    fmt = {4: torch.channels_last, 5: torch.channels_last_3d}.get(len(shape))
    layout = (lambda t: t.contiguous(memory_format=fmt)) if module.endswith("channels_last") else (lambda t: t)
    x = rand(shape, dtype, shift=1.5)
    ref_dtype = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    m_cpu = cls(5).to(ref_dtype)
    with torch.no_grad():
        m_cpu.weight.copy_(torch.rand(5) + 0.5)
        m_cpu.bias.copy_(torch.randn(5))
    m_dev = cls(5).to(dtype)
    m_dev.load_state_dict({k: v.to(dtype) if v.is_floating_point() else v for k, v in m_cpu.state_dict().items()})
    m_dev = m_dev.to(dev)
    for step in range(2):  # training: batch statistics, running statistics updated
        xc = x.to(ref_dtype).clone().requires_grad_(True)
        xd = layout(x.to(dev)).requires_grad_(True)
        yc, yd = m_cpu(xc), m_dev(xd)
        check(yd, yc, 3)
        assert layout(yd).data_ptr() == yd.data_ptr()  # the input's layout
        g = torch.randn(shape)
        yc.backward(g.to(yc.dtype))
        yd.backward(g.to(yd.dtype).to(dev))
        check(xd.grad, xc.grad, 3)
        assert layout(xd.grad).data_ptr() == xd.grad.data_ptr()
        check(m_dev.weight.grad, m_cpu.weight.grad, 3)
        check(m_dev.bias.grad, m_cpu.bias.grad, 3)
    check(m_dev.running_mean, m_cpu.running_mean, 3)
    check(m_dev.running_var, m_cpu.running_var, 3)
    assert int(m_dev.num_batches_tracked) == 2
    m_cpu.eval()
    m_dev.eval()
    xc = x.to(ref_dtype).clone().requires_grad_(True)
    xd = x.to(dev).requires_grad_(True)
    yc, yd = m_cpu(xc), m_dev(xd)
    check(yd, yc, 3)
    yc.sum().backward()
    yd.sum().backward()
    check(xd.grad, xc.grad, 3)


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("case", ["long_channels_last", "long_nchw", "strided", "eval_grads", "no_affine"])
def test_batch_norm_paths(dev, dtype, case):
    # long: 8192 elements per channel (the sums split over slices) around a mean of 40, where
    # sum(dy * x) - mean * sum(dy) would cancel; strided: a sliced, transposed input.
    rm, rv = rand((6,), torch.float32, 3, 1.0, 1.0), rand((6,), torch.float32, 4, 0.2, 2.0)
    w, b = rand((6,), dtype, 1), rand((6,), dtype, 2)
    training = case != "eval_grads"
    if case.startswith("long"):
        x = rand((32, 6, 16, 16), dtype, shift=40.0)
        if case == "long_channels_last":
            x = x.contiguous(memory_format=torch.channels_last)
    else:
        x = rand((5, 6, 7, 3), dtype, shift=2.0)
    if case == "no_affine":
        w = b = None

    def fn(x, w, b):
        if case == "strided":
            x = x.transpose(2, 3)[:, :, :, 1:]
        stats = torch.float64 if x.dtype == torch.float64 else torch.float32
        return F.batch_norm(x, rm.to(x.device, stats), rv.to(x.device, stats), w, b, training=training)

    compare_autograd(fn, [x, w, b], dev, scale=3)


def test_batch_norm_16bit_running_stats_and_grad_subsets(dev):
    # Half running statistics with a half input; only some of the three gradients asked for.
    x = rand((4, 3, 5), torch.float16, shift=1.0)
    rm_c, rv_c = torch.zeros(3), torch.ones(3)
    rm_d, rv_d = torch.zeros(3, device=dev, dtype=torch.float16), torch.ones(3, device=dev, dtype=torch.float16)
    F.batch_norm(x.float(), rm_c, rv_c, training=True, momentum=0.3)
    F.batch_norm(x.to(dev), rm_d, rv_d, training=True, momentum=0.3)
    check(rm_d, rm_c, 10)  # one half ulp
    check(rv_d, rv_c, 10)
    w = rand((3,), torch.float32, 1)
    for wants in ((True, False), (False, True)):
        xc, wc = x.float().requires_grad_(wants[0]), w.clone().requires_grad_(wants[1])
        xd, wd = x.to(dev).requires_grad_(wants[0]), w.to(dev).requires_grad_(wants[1])
        yc = F.batch_norm(xc, None, None, wc, None, training=True)
        yd = F.batch_norm(xd, None, None, wd, None, training=True)
        check(yd, yc, 3)
        g = rand(yc.shape, torch.float16, 5).float()  # the same values on both sides
        yc.backward(g)
        yd.backward(g.to(dev).half())
        if wants[0]:
            check(xd.grad, xc.grad, 3)
        else:
            check(wd.grad, wc.grad, 3)


def test_batch_norm_functional_no_running_stats(dev):
    x = rand((6, 4, 5), torch.float32)
    w, b = rand((4,), torch.float32, 1), rand((4,), torch.float32, 2)
    compare_autograd(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), [x, w, b], dev)


def test_batch_norm_errors(dev):
    with pytest.raises(ValueError):  # one value per channel in training (checked in Python)
        F.batch_norm(torch.randn(1, 3, device=dev), None, None, training=True)
    with pytest.raises(RuntimeError):
        F.batch_norm(torch.randn(4, 3, device=dev), torch.zeros(2, device=dev), torch.ones(2, device=dev))
