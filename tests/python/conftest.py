"""Shared fixtures: the ocl device, dtype lists, the native-only mode and subprocess runs."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest
import torch
import torch_ocl  # noqa: F401  (explicit import also works when autoload is off)

torch.ocl.init()  # the tests use "ocl" by name, also where another accelerator defers it
# float32 convolutions follow torch.backends.cudnn.allow_tf32 (True by default, as on CUDA) where
# tensor cores run them: the tests compare against the CPU's exact float32 (PyTorch's own CUDA
# tests do the same); test_conv's implicit-GEMM cases check the TF32 default.
torch.backends.cudnn.allow_tf32 = False

# Hugging Face transformers imports torchvision wherever it is installed; PyPI's torchvision
# (built for CUDA torch) only imports under the CPU torch through bench/vision.py, so it is
# imported that way first, for every test.
if importlib.util.find_spec("torchvision") is not None:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))
    from vision import import_torchvision

    import_torchvision()

ALL_DTYPES = [
    torch.float32,
    torch.float16,
    torch.bfloat16,
    torch.float64,
    torch.int8,
    torch.uint8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.bool,
]
FLOAT_DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.float64]


def has_fp64(device=0):
    return torch.ocl.get_device_properties(device).fp64


def dtypes_for_device(device=0):
    return [d for d in ALL_DTYPES if d != torch.float64 or has_fp64(device)]


def random_cpu(shape, dtype, generator=None):
    """Fresh random values (never all zeros) of any dtype on the CPU."""
    if dtype == torch.bool:
        return torch.rand(shape, generator=generator) > 0.5
    if dtype.is_floating_point:
        return (torch.randn(shape, generator=generator) * 10).to(dtype)
    info = torch.iinfo(dtype)
    lo, hi = max(info.min, -1000), min(info.max, 1000)
    return torch.randint(lo, hi + 1, shape, generator=generator, dtype=torch.int64).to(dtype)


@pytest.fixture
def dev():
    return torch.device("ocl:0")


@pytest.fixture
def native_only():
    """Runs the test with the CPU fallback switched off: a non-native op raises."""
    previous = torch_ocl.fallback_enabled()
    torch_ocl.set_fallback_enabled(False)
    yield
    torch_ocl.set_fallback_enabled(previous)


@pytest.fixture
def two_devices():
    if torch.ocl.device_count() < 2:
        pytest.skip("needs two ocl devices (PoCL: POCL_DEVICES='cpu cpu')")
    return torch.device("ocl:0"), torch.device("ocl:1")


def run_python(code, env=None, check=True):
    """Runs code in a fresh interpreter; returns (returncode, stdout, stderr). Unless env says
    otherwise, ocl is PyTorch's accelerator there from import on (also where CUDA is present)."""
    full_env = dict(os.environ, TORCH_OCL_ACCELERATOR="import")
    full_env.update(env or {})
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f"subprocess failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p.returncode, p.stdout, p.stderr


def assert_matches_cpu(got, expect, tol, rtol=None, atol=None):
    """got (on ocl) equals the CPU's expect in dtype and shape, and in value within tol[dtype]
    (exact for dtypes tol does not name) unless rtol/atol are given; NaN matches NaN."""
    assert got.device.type == "ocl"
    assert got.dtype == expect.dtype and got.shape == expect.shape
    if rtol is None:
        rtol, atol = tol.get(expect.dtype, (0, 0))
    torch.testing.assert_close(got.cpu(), expect, rtol=rtol, atol=atol, equal_nan=True)
