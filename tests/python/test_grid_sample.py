"""F.grid_sample on 4-d and 5-d input (grid_sampler_2d/3d): every interpolation and padding mode,
forward and backward (input and grid gradients) against the CPU; errors raise the CPU's exception
types."""

import pytest
import torch
import torch.nn.functional as F
from nn_testing import close, dtypes


def check(dev, x, grid, dtype, view=None, **kw):
    """grid_sample on ocl against the CPU (in float32/float64): output, input and grid gradients."""
    rd = torch.float64 if dtype == torch.float64 else torch.float32
    xr, gr = x.to(rd).clone().requires_grad_(), grid.to(rd).clone().requires_grad_()
    xo, go = x.to(dev), grid.to(dev)
    if view is not None:
        xo, go = view(xo), view(go)
        assert torch.equal(xo.cpu(), x) and torch.equal(go.cpu(), grid)
    xo, go = xo.detach().requires_grad_(), go.detach().requires_grad_()
    ref, out = F.grid_sample(xr, gr, **kw), F.grid_sample(xo, go, **kw)
    assert out.device == xo.device and out.dtype == dtype and out.shape == ref.shape
    close(out, ref.detach(), dtype)
    g = torch.randn(ref.shape).to(dtype)
    ref.backward(g.to(rd))
    out.backward(g.to(dev))
    close(xo.grad, xr.grad, dtype)
    # the grid gradient of a 16-bit input sums products of rounded values: a looser bound
    close(go.grad, gr.grad, dtype if dtype in (torch.float32, torch.float64) else torch.bfloat16)


def grid(*shape, spread=1.3, seed=0):
    """A (shape..., len(shape) - 1) grid, some points outside [-1, 1]."""
    gen = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, len(shape) - 1, generator=gen) * 2 * spread - spread


@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample(dev, native_only, mode, padding_mode, align_corners):
    check(dev, torch.randn(2, 3, 5, 7), grid(2, 4, 6), torch.float32, mode=mode, padding_mode=padding_mode,
          align_corners=align_corners)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
def test_grid_sample_dtypes(dev, native_only, dtype, mode):
    # 16-bit grids: coordinates rounded the same on both sides
    check(dev, torch.randn(2, 3, 6, 5).to(dtype), grid(2, 3, 4).to(dtype), dtype, mode=mode,
          padding_mode="border", align_corners=False)


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_3d(dev, native_only, mode, padding_mode, align_corners):
    check(dev, torch.randn(2, 3, 4, 5, 6), grid(2, 3, 4, 5), torch.float32, mode=mode, padding_mode=padding_mode,
          align_corners=align_corners)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_grid_sample_3d_dtypes(dev, native_only, dtype):
    x = torch.randn(1, 2, 3, 5, 4).to(dtype)
    check(dev, x, grid(1, 2, 3, 4).to(dtype), dtype, padding_mode="reflection", align_corners=True)
    check(dev, x, grid(1, 2, 3, 4).to(dtype), dtype, mode="nearest", align_corners=False)


def test_grid_sample_layouts(dev, native_only):
    x, g = torch.randn(2, 3, 6, 5), grid(2, 7, 3)
    check(dev, x, g, torch.float32, view=lambda t: t.contiguous(memory_format=torch.channels_last),
          align_corners=False)
    check(dev, x, g, torch.float32, view=lambda t: torch.stack([t, t], -1)[..., 0], mode="bicubic",
          align_corners=True)
    x3, g3 = torch.randn(2, 3, 4, 6, 5), grid(2, 3, 7, 3)
    check(dev, x3, g3, torch.float32, view=lambda t: t.contiguous(memory_format=torch.channels_last_3d),
          align_corners=False)
    check(dev, x3, g3, torch.float32, view=lambda t: torch.stack([t, t], -1)[..., 1], align_corners=True)


def test_grid_sample_affine_and_empty(dev, native_only):
    # the usual spatial-transformer use: affine_grid then grid_sample
    theta = torch.tensor([[[0.9, -0.2, 0.1], [0.3, 1.1, -0.05]]]).repeat(2, 1, 1)
    g = F.affine_grid(theta, (2, 3, 8, 9), align_corners=False)
    check(dev, torch.randn(2, 3, 8, 9), g, torch.float32, align_corners=False)
    out = F.grid_sample(torch.randn(2, 3, 4, 4, device=dev), torch.zeros(2, 0, 5, 2, device=dev),
                        align_corners=False)
    assert out.shape == (2, 3, 0, 5)
    x = torch.randn(1, 2, 3, 3, device=dev, requires_grad=True)
    F.grid_sample(x, torch.zeros(1, 0, 2, 2, device=dev), align_corners=False).sum().backward()
    assert torch.equal(x.grad.cpu(), torch.zeros(1, 2, 3, 3))


def _raises_like_cpu(dev, fn):
    with pytest.raises(Exception) as cpu_err:
        fn(torch.device("cpu"))
    with pytest.raises(cpu_err.type):
        fn(dev)


def test_grid_sample_errors(dev, native_only):
    r = lambda d, *s: torch.randn(*s, device=d)  # noqa: E731
    _raises_like_cpu(dev, lambda d: torch.grid_sampler_2d(r(d, 1, 2, 4, 4), r(d, 1, 3, 3), 0, 0, False))  # dims
    _raises_like_cpu(dev, lambda d: torch.grid_sampler_2d(r(d, 2, 2, 4, 4), r(d, 1, 3, 3, 2), 0, 0, False))  # batch
    _raises_like_cpu(dev, lambda d: torch.grid_sampler_2d(r(d, 1, 2, 4, 4), r(d, 1, 3, 3, 3), 0, 0, False))
    _raises_like_cpu(dev, lambda d: torch.grid_sampler_2d(r(d, 1, 2, 0, 4), r(d, 1, 3, 3, 2), 0, 0, False))
    _raises_like_cpu(dev, lambda d: F.grid_sample(r(d, 1, 2, 4, 4), r(d, 1, 3, 3, 2), mode="area"))
    _raises_like_cpu(dev, lambda d: torch.grid_sampler_3d(r(d, 1, 2, 4, 4, 4), r(d, 1, 3, 3, 3, 3), 2, 0, False))
    _raises_like_cpu(dev, lambda d: torch.grid_sampler_3d(r(d, 1, 2, 4, 4), r(d, 1, 3, 3, 3), 0, 0, False))
    with pytest.raises(RuntimeError):
        torch.grid_sampler_2d(r(dev, 1, 2, 4, 4), r("cpu", 1, 3, 3, 2), 0, 0, False)
