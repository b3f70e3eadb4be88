"""linspace (F.affine_grid builds its grid with it) against the CPU for every dtype, with the
fallback off; bad arguments raise the CPU's exception types."""

import pytest
import torch
import torch.nn.functional as F
from conftest import has_fp64

DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.float64, torch.int64, torch.int32, torch.int16,
          torch.int8, torch.uint8]
CASES = [(-1, 1, 8), (0, 10, 7), (3, -2, 11), (0, 1, 1), (2, 5, 0), (-1.5, 1.25, 100), (0, 100, 1001)]


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != torch.float64 or has_fp64()], ids=str)
def test_linspace(dev, native_only, dtype):
    for start, end, steps in CASES:
        if not dtype.is_floating_point and isinstance(start, float):
            continue
        ref = torch.linspace(start, end, steps, dtype=dtype)
        out = torch.linspace(start, end, steps, dtype=dtype, device=dev)
        assert out.dtype == dtype and out.shape == ref.shape
        if dtype in (torch.float16, torch.bfloat16):
            # the CPU rounds the product and the sum to 16 bits separately; ocl rounds once
            torch.testing.assert_close(out.cpu(), ref, rtol=0, atol=max(abs(start), abs(end)) * 2**-7)
        else:
            assert torch.equal(out.cpu(), ref), (start, end, steps)


def test_linspace_out_and_wrap(dev, native_only):
    out = torch.empty(3, 4, device=dev)[:, 1]  # non-contiguous out
    torch.linspace(-2, 2, 3, out=out)
    assert torch.equal(out.cpu(), torch.linspace(-2, 2, 3))
    assert torch.equal(torch.linspace(-1, 1, 8, dtype=torch.uint8, device=dev).cpu(),
                       torch.linspace(-1, 1, 8, dtype=torch.uint8))  # uint8 wraps -1 as the CPU does


def test_linspace_errors(dev, native_only):
    for d in ("cpu", dev):
        with pytest.raises(RuntimeError):
            torch.linspace(0, 1, -1, device=d)
        with pytest.raises(RuntimeError):
            torch.linspace(0, 255, 5, dtype=torch.int8, device=d)  # end overflows int8


def test_affine_grid_native(dev, native_only):
    theta = torch.randn(2, 2, 3)
    for align in (False, True):
        ref = F.affine_grid(theta, (2, 3, 5, 7), align_corners=align)
        torch.testing.assert_close(F.affine_grid(theta.to(dev), (2, 3, 5, 7), align_corners=align).cpu(), ref)
    theta3 = torch.randn(2, 3, 4)
    ref = F.affine_grid(theta3, (2, 3, 4, 5, 6), align_corners=False)
    torch.testing.assert_close(F.affine_grid(theta3.to(dev), (2, 3, 4, 5, 6), align_corners=False).cpu(), ref)
