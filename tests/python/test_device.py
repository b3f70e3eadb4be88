"""Devices: discovery, selection, properties, current device, torch.accelerator, errors."""

import pytest
import torch
from conftest import run_python


def test_available_and_counted():
    assert torch.ocl.is_available()
    assert torch.ocl.device_count() >= 1
    assert torch.accelerator.is_available()
    assert torch.accelerator.current_accelerator().type == "ocl"
    assert torch.accelerator.device_count() == torch.ocl.device_count()


def test_is_available_and_device_count_create_no_context():
    code = (
        "import torch, torch_ocl\n"
        "from torch_ocl import _C\n"
        "assert torch.ocl.is_available() and torch.ocl.device_count() >= 1\n"
        "torch.ocl.get_device_properties(0)\n"
        "print(_C._contexts_created())\n"
        "torch.zeros(1, device='ocl')\n"
        "print(_C._contexts_created())\n"
    )
    _, out, _ = run_python(code)
    assert out.split() == ["0", "1"]


def test_properties():
    p = torch.ocl.get_device_properties(0)
    for field in ("name", "vendor", "driver_version", "version", "opencl_c_version", "platform_name", "extensions"):
        assert isinstance(getattr(p, field), str)
    assert p.name and p.version.startswith("OpenCL")
    assert p.compute_units > 0 and p.global_mem > 0 and p.local_mem > 0
    assert 0 < p.max_alloc <= p.global_mem
    assert p.total_memory == p.global_mem
    assert isinstance(p.fp16, bool) and isinstance(p.fp64, bool)
    assert p.fp16 == ("cl_khr_fp16" in p.extensions.split())
    assert torch.ocl.get_device_name(0) == p.name
    assert "ocl" in repr(p).lower() or p.name in repr(p)
    assert len(torch.ocl.get_device_capability(0)) == 2


def test_current_device_and_guard(two_devices):
    d0, d1 = two_devices
    assert torch.ocl.current_device() == 0
    with torch.ocl.device(1):
        assert torch.ocl.current_device() == 1
        assert torch.empty(3, device="ocl").device == d1
    assert torch.ocl.current_device() == 0
    torch.ocl.set_device(1)
    try:
        assert torch.zeros(2, device="ocl").device == d1
        assert torch.accelerator.current_device_index() == 1
    finally:
        torch.ocl.set_device(0)
    torch.accelerator.set_device_index(1)
    assert torch.ocl.current_device() == 1
    torch.accelerator.set_device_index(0)
    x = torch.ones(2, device=d1)
    with torch.ocl.device_of(x):
        assert torch.ocl.current_device() == 1
    assert torch.ocl.current_device() == 0


def test_tensor_methods_generated(dev):
    x = torch.ones(2)
    y = x.ocl()
    assert y.is_ocl and y.device == dev
    assert not x.is_ocl


def test_invalid_device_index():
    n = torch.ocl.device_count()
    with pytest.raises(RuntimeError, match=f"invalid device index {n + 5}"):
        torch.zeros(2, device=f"ocl:{n + 5}")
    with pytest.raises(RuntimeError, match="invalid device index"):
        torch.ocl.set_device(n + 5)
    with pytest.raises(RuntimeError, match="invalid device index"):
        torch.ocl.get_device_properties(n + 5)
    x = torch.arange(4.0, device="ocl")
    assert x.cpu().tolist() == [0.0, 1.0, 2.0, 3.0]  # still working


def test_selection_by_environment():
    code = "import torch, torch_ocl; print(torch.ocl.device_count(), torch.ocl.is_available())"
    _, out, _ = run_python(code, env={"TORCH_OCL_DEVICES": "cpu"})
    assert int(out.split()[0]) >= 1
    _, out, _ = run_python(code, env={"TORCH_OCL_DEVICES": "all"})
    assert int(out.split()[0]) >= 1
    # a substring of the platform or device name selects by vendor/platform
    name = torch.ocl.get_device_properties(0).platform_name.split()[0]
    _, out, _ = run_python(code, env={"TORCH_OCL_DEVICES": name.lower()})
    assert int(out.split()[0]) >= 1
    _, out, _ = run_python(code, env={"TORCH_OCL_DEVICES": "no-such-vendor-xyz"})
    assert out.split() == ["0", "False"]


def test_no_device_is_a_clear_error():
    code = (
        "import torch, torch_ocl\n"
        "assert not torch.ocl.is_available() and torch.ocl.device_count() == 0\n"
        "assert not torch.accelerator.is_available()\n"
        "try:\n"
        "    torch.ones(2).to('ocl')\n"
        "except RuntimeError as e:\n"
        "    print('ERR', e)\n"
    )
    # no OpenCL platform at all: point the ICD loader at an empty directory
    _, out, _ = run_python(code, env={"OCL_ICD_VENDORS": "/nonexistent-ocl-vendors", "OCL_ICD_FILENAMES": ""})
    assert "ERR" in out and "no OpenCL platform" in out
    _, out, _ = run_python(code, env={"TORCH_OCL_DEVICES": "no-such-vendor-xyz"})
    assert "ERR" in out and "selects none" in out


def test_autoload_entry_point():
    from importlib.metadata import entry_points

    if not any(ep.value.startswith("torch_ocl") for ep in entry_points(group="torch.backends")):
        pytest.skip("torch_ocl is not installed as a distribution (no entry point)")
    _, out, _ = run_python("import torch; print(torch.ocl.device_count(), torch.ones(1, device='ocl').device)")
    assert out.split()[1] == "ocl:0"


def test_diagnostics_module():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "torch_ocl"], capture_output=True, text=True, check=True).stdout
    p = torch.ocl.get_device_properties(0)
    assert p.name in out and p.platform_name in out and p.driver_version in out
    assert "kernel cache:" in out and "selected devices:" in out and "fp64" in out
    assert "[ocl:0]" in out


def test_synchronize(dev):
    x = torch.ones(1000, device=dev)
    torch.ocl.synchronize()
    torch.ocl.synchronize(dev)
    torch.accelerator.synchronize()
    assert x.cpu().tolist() == [1.0] * 1000
