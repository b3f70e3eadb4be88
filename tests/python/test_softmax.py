"""softmax / log_softmax forward and backward (_softmax, _log_softmax and their backward)
against the CPU, with the CPU fallback off."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import FLOATS, check, compare_autograd

pytestmark = pytest.mark.usefixtures("native_only")
FNS = {"softmax": F.softmax, "log_softmax": F.log_softmax}


def rand(shape, dtype, seed=0):
    return (torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * 4).to(dtype)


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("shape,dim", [((6, 37), -1), ((4, 9, 5), 1), ((3, 1000), 1)])
def test_softmax_forward_backward(dev, name, dtype, shape, dim):
    fn = FNS[name]
    if shape == (3, 1000) and dtype in (torch.float16, torch.float64):
        pytest.skip("float32 and bfloat16 cover rows of this length")
    compare_autograd(lambda x: fn(x, dim), [rand(shape, dtype)], dev)


LONG = 32768 + 4001  # past the register-resident rows (1024 items x 32 elements): the streamed kernels


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_softmax_long_rows(dev, name, dtype):
    """Rows too long for registers, of odd length (rows start at every alignment: vector middle,
    element-wise ends), forward and backward."""
    compare_autograd(lambda x: FNS[name](x, -1), [rand((3, LONG), dtype)], dev)


@pytest.mark.parametrize("log", [False, True])
def test_softmax_long_rows_offsets(dev, log):
    """Long rows read and written at storage offsets: equal remainders (vectors after a head of
    three), unequal ones (element by element); masked and NaN entries; the op in place."""
    op = torch.ops.aten._log_softmax if log else torch.ops.aten._softmax
    bw = torch.ops.aten._log_softmax_backward_data if log else torch.ops.aten._softmax_backward_data
    x = rand((2, LONG), torch.float32)
    x[0, 100:30000] = float("-inf")
    x[1, 40] = float("nan")
    expect = op(x, -1, False)
    buf = torch.empty(2 * LONG + 2, device=dev)
    xs = torch.empty(2 * LONG + 1, device=dev)[1:].view(2, LONG).copy_(x)
    for out in (buf[1:2 * LONG + 1].view(2, LONG), buf[2:].view(2, LONG)):
        op.out(xs, -1, False, out=out)
        check(out, expect)
    inplace = x.to(dev)
    op.out(inplace, -1, False, out=inplace)
    check(inplace, expect)
    y = op(rand((2, LONG), torch.float32, seed=1), -1, False)
    g = rand((2, LONG), torch.float32, seed=2)
    gi_expect = bw(g, y, -1, torch.float32)
    gs = torch.empty(2 * LONG + 1, device=dev)[1:].view(2, LONG).copy_(g)
    ys = torch.empty(2 * LONG + 1, device=dev)[1:].view(2, LONG).copy_(y)
    for gi in (buf[1:2 * LONG + 1].view(2, LONG), buf[2:].view(2, LONG)):
        bw.out(gs, ys, -1, torch.float32, **{"out" if log else "grad_input": gi})
        check(gi, gi_expect)


@pytest.mark.parametrize("name", sorted(FNS))
def test_softmax_noncontiguous(dev, name):
    fn = FNS[name]
    x = rand((20, 13), torch.float32)
    compare_autograd(lambda t: fn(t.t(), -1), [x], dev)
    compare_autograd(lambda t: fn(t[:, ::2], 0), [x], dev)


@pytest.mark.parametrize("name", sorted(FNS))
def test_softmax_masked_rows(dev, name):
    """-inf entries (attention masks), a fully masked row and a NaN row behave as on the CPU."""
    fn = FNS[name]
    x = rand((5, 16), torch.float32)
    x[0, 3:] = float("-inf")
    x[1, :] = float("-inf")
    x[2, 5] = float("nan")
    check(fn(x.to(dev), -1), fn(x, -1))


@pytest.mark.parametrize("name", sorted(FNS))
def test_softmax_empty_and_scalar(dev, name):
    fn = FNS[name]
    for shape, dim in [((0, 5), 1), ((5, 0), 1), ((0, 5), 0)]:
        x = torch.randn(shape)
        got = fn(x.to(dev), dim)
        assert got.shape == x.shape and got.device.type == "ocl"
    s = torch.tensor(2.5)
    check(fn(s.to(dev), 0), fn(s, 0))


@pytest.mark.parametrize("log", [False, True])
def test_half_to_float(dev, log):
    x = rand((7, 33), torch.float16)
    op = torch.ops.aten._log_softmax if log else torch.ops.aten._softmax
    got = op(x.to(dev), -1, True)
    assert got.dtype == torch.float32
    expect = (F.log_softmax if log else F.softmax)(x.float(), -1)
    check(got, expect)
    g = torch.randn(7, 33)
    bw = torch.ops.aten._log_softmax_backward_data if log else torch.ops.aten._softmax_backward_data
    gi = bw(g.to(dev), got, -1, torch.float16)
    assert gi.dtype == torch.float16
    check(gi, bw(g, expect, -1, torch.float32))


def test_softmax_out_forms(dev):
    x = rand((6, 10), torch.float32)
    out = torch.empty(0, device=dev)
    torch.ops.aten._softmax.out(x.to(dev), 1, False, out=out)
    check(out, F.softmax(x, 1))
    out_t = torch.empty(10, 6, device=dev).t()  # non-contiguous out
    torch.ops.aten._log_softmax.out(x.to(dev), 1, False, out=out_t)
    check(out_t, F.log_softmax(x, 1))
    y = F.softmax(x, 1)
    g = torch.randn(6, 10)
    gi = torch.empty(0, device=dev)
    torch.ops.aten._softmax_backward_data.out(g.to(dev), y.to(dev), 1, torch.float32, grad_input=gi)
    check(gi, torch.ops.aten._softmax_backward_data(g, y, 1, torch.float32))


def test_softmax_bad_dim(dev):
    x = torch.randn(3, 4)
    with pytest.raises(IndexError):
        F.softmax(x.to(dev), 2)
    with pytest.raises(IndexError):
        F.softmax(x, 2)
