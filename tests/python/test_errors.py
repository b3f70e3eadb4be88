"""Bad input gets clear errors, and earlier data stays intact."""

import pytest
import torch


def test_mixed_devices_in_native_op(two_devices):
    d0, d1 = two_devices
    keep = torch.arange(4.0, device=d0)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        torch.empty(4, device=d0).bernoulli_(torch.full((4,), 0.5, device=d1))
    assert keep.cpu().tolist() == [0.0, 1.0, 2.0, 3.0]


def test_mixed_cpu_and_ocl_in_native_op(dev):
    with pytest.raises(RuntimeError, match="same device"):
        torch.empty(4, device=dev).bernoulli_(torch.full((4,), 0.5))


def test_errors_leave_process_working(dev):
    keep = torch.arange(100, device=dev)
    for bad in (
        lambda: torch.zeros(2, device="ocl:99"),
        lambda: torch.zeros(2, dtype=torch.complex128, device=dev),
        lambda: torch.empty(torch.ocl.get_device_properties(0).max_alloc + 1, dtype=torch.uint8, device=dev),
        lambda: torch.empty(3, device=dev).fill_(torch.ones(3, device=dev)),
    ):
        with pytest.raises((RuntimeError, TypeError)):
            bad()
        assert keep[-1].item() == 99
    assert torch.equal(keep.cpu(), torch.arange(100))


def test_launch_with_missing_arguments_raises(dev):
    # a kernel launched with fewer arguments than it takes raises (some drivers would crash),
    # and the same kernel object launches normally afterwards
    from torch_ocl import _C

    src = "__kernel void k(__global float* out, ulong off, float v) { out[off + get_global_id(0)] = v; }"
    kernel = _C.GeneratedKernel("test_missing_args", src, "k", "")
    out = torch.zeros(4, device=dev)
    with pytest.raises(RuntimeError, match=r"CL_INVALID_KERNEL_ARGS \(2 of 3 arguments set\)"):
        kernel.launch_nd([out], 4, 1)
    kernel.launch_nd([out, 2.5], 4, 1)
    assert out.cpu().tolist() == [2.5] * 4
