"""The register-resident row kernels of softmax, log_softmax, layer_norm and rms_norm (forward and
backward, with the fused weight/bias gradient sums) against the CPU at their path boundaries: the
register limits (forward and log_softmax backward rows up to 32768 elements, the other backwards up
to 16384; one longer takes the multi-pass kernels), row lengths that are not a multiple of the vector width, rows that start off
the vector alignment (a sliced storage offset), several rows per work-group and more row blocks
than work-groups."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import FLOATS, check, compare_autograd

pytestmark = pytest.mark.usefixtures("native_only")
FNS = {"softmax": F.softmax, "log_softmax": F.log_softmax}
FORWARD_LIMIT, BACKWARD_LIMIT = 32768, 16384
SIXTEEN = [torch.float16, torch.bfloat16]


def rand(shape, dtype, seed=0, scale=3.0, shift=0.0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=g) * scale + shift).to(dtype)


def rows_of(flat, offset, rows, n):
    """rows x n view of flat starting `offset` elements in (a storage offset on both devices)."""
    return flat[offset:offset + rows * n].view(rows, n)


# (rows, n): short rows many per work-group, odd lengths (scalar path), lengths around the
# register limits, more row blocks than work-groups.
SOFTMAX_SHAPES = [(300, 3), (77, 37), (100, 1024), (40, 1001), (2, BACKWARD_LIMIT - 1), (2, BACKWARD_LIMIT),
                  (2, BACKWARD_LIMIT + 1), (2, FORWARD_LIMIT - 1), (2, FORWARD_LIMIT), (2, FORWARD_LIMIT + 1)]


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("rows,n", SOFTMAX_SHAPES, ids=str)
def test_softmax_rows(dev, name, rows, n):
    fn = FNS[name]
    compare_autograd(lambda x: fn(x, -1), [rand((rows, n), torch.float32)], dev)


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("rows,n", [(50, 8), (33, 64), (9, 4104)], ids=str)
def test_softmax_rows_dtypes(dev, name, dtype, rows, n):
    fn = FNS[name]
    compare_autograd(lambda x: fn(x, -1), [rand((rows, n), dtype)], dev)


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16], ids=str)
@pytest.mark.parametrize("offset", [1, 2, 4])
def test_softmax_rows_misaligned(dev, name, dtype, offset):
    """Rows that start 1, 2 or 4 elements past a vector boundary take narrower vectors."""
    fn = FNS[name]
    rows, n = 12, 256
    compare_autograd(lambda t: fn(rows_of(t, offset, rows, n), -1), [rand(rows * n + offset, dtype)], dev)


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("n", [16, 37, 1024])
def test_softmax_rows_masked(dev, name, n):
    """-inf entries, fully masked rows and NaN rows in every register path, as on the CPU."""
    fn = FNS[name]
    x = rand((6, n), torch.float32)
    x[0, 3:] = float("-inf")
    x[1, :] = float("-inf")
    x[2, n // 2] = float("nan")
    x[3, : n - 1] = float("-inf")
    check(fn(x.to(dev), -1), fn(x, -1))


def norm_fn(kind, n, affine):
    if kind == "layer_norm":
        return lambda x, w, b: F.layer_norm(x, (n,), w if affine else None, b if affine else None, 1e-5)
    return lambda x, w, b: F.rms_norm(x, (n,), w if affine else None, 1e-5)


def norm_inputs(kind, rows, n, dtype):
    x = rand((rows, n), dtype, shift=1.0)
    return [x, rand(n, dtype, seed=1), rand(n, dtype, seed=2) if kind == "layer_norm" else None]


NORM_SHAPES = [(300, 3), (77, 37), (100, 1024), (40, 1001), (2, BACKWARD_LIMIT), (2, BACKWARD_LIMIT + 1),
               (2, FORWARD_LIMIT), (2, FORWARD_LIMIT + 1)]


@pytest.mark.parametrize("kind", ["layer_norm", "rms_norm"])
@pytest.mark.parametrize("rows,n", NORM_SHAPES, ids=str)
def test_norm_rows(dev, kind, rows, n):
    compare_autograd(norm_fn(kind, n, True), norm_inputs(kind, rows, n, torch.float32), dev, scale=4.0)


@pytest.mark.parametrize("kind", ["layer_norm", "rms_norm"])
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("rows,n", [(50, 8), (9, 4104)], ids=str)
def test_norm_rows_dtypes(dev, kind, dtype, affine, rows, n):
    scale = 8.0 if dtype in SIXTEEN else 4.0  # weight gradients sum over rows
    compare_autograd(norm_fn(kind, n, affine), norm_inputs(kind, rows, n, dtype), dev,
                     grad_inputs=None if affine else [0], scale=scale)


@pytest.mark.parametrize("kind", ["layer_norm", "rms_norm"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
@pytest.mark.parametrize("offset", [1, 2, 4])
def test_norm_rows_misaligned(dev, kind, dtype, offset):
    """Input and weight that start off a vector boundary take narrower vectors."""
    rows, n = 12, 256
    fn = norm_fn(kind, n, True)
    bias = rand(n, dtype, seed=2) if kind == "layer_norm" else None
    inputs = [rand(rows * n + offset, dtype, shift=1.0), rand(n + offset, dtype, seed=1), bias]
    compare_autograd(lambda x, w, b: fn(rows_of(x, offset, rows, n), w[offset:], b), inputs, dev, scale=8.0)


@pytest.mark.parametrize("kind", ["layer_norm", "rms_norm"])
def test_norm_partial_gradients(dev, kind):
    """Weight (and bias) gradients alone, and the input gradient alone, as autograd asks for them."""
    rows, n = 70, 96
    x, w, b = norm_inputs(kind, rows, n, torch.float32)
    g = torch.randn(rows, n)
    fn = norm_fn(kind, n, True)
    for wants in [(True, False), (False, True)]:
        xc, wc = x.clone().requires_grad_(wants[0]), w.clone().requires_grad_(wants[1])
        xd, wd = x.to(dev).requires_grad_(wants[0]), w.to(dev).requires_grad_(wants[1])
        bd = b.to(dev) if b is not None else None
        fn(xc, wc, b).backward(g)
        fn(xd, wd, bd).backward(g.to(dev))
        if wants[0]:
            check(xd.grad, xc.grad)
            assert wd.grad is None
        else:
            check(wd.grad, wc.grad, 4.0)
            assert xd.grad is None


def test_group_norm_long_rows(dev):
    """group_norm's statistics use the same row kernels (rows of channels x spatial elements)."""
    x = rand((2, 4, 30, 30), torch.float32, shift=1.0)
    compare_autograd(lambda t: F.group_norm(t, 2), [x], dev)


@pytest.mark.parametrize("log", [False, True])
def test_softmax_rows_half_to_float(dev, log):
    """A float16 input with a float32 output (and back for the gradient): vectors of two widths."""
    x = rand((9, 64), torch.float16)
    op = torch.ops.aten._log_softmax if log else torch.ops.aten._softmax
    got = op(x.to(dev), -1, True)
    expect = (F.log_softmax if log else F.softmax)(x.float(), -1)
    assert got.dtype == torch.float32
    check(got, expect)
    g = rand((9, 64), torch.float32, seed=3)
    bw = torch.ops.aten._log_softmax_backward_data if log else torch.ops.aten._softmax_backward_data
    gi = bw(g.to(dev), got, -1, torch.float16)
    assert gi.dtype == torch.float16
    check(gi, bw(g, expect, -1, torch.float32).half())
