"""torch_ocl: PyTorch on any OpenCL device as the ``ocl`` device.

Importing this package (``import torch`` does it through the ``torch.backends`` entry point)
loads the operators, registers the ``torch.ocl`` module and names PyTorch's PrivateUse1 backend
``ocl`` -- at import where no other accelerator is available, else on the first real use of
``torch.ocl`` so that CUDA keeps working in processes that never use ocl (see _registration).
"""

import sys


def _autoload():
    """Entry point of the ``torch.backends`` group (``import torch`` calls it): importing the
    package does the work. Defined before ``import torch`` because that import may be the
    one that calls it."""


import torch  # noqa: E402

from . import _C  # noqa: F401,E402  (loads libtorch_ocl.so: devices, allocator, operators)
from . import _exit  # noqa: E402
from . import _inductor  # noqa: E402  (torch.compile registration, lazy)
from . import _registration  # noqa: E402
from . import ocl  # noqa: E402

# torch._register_device_module without its device-name check (the name may come later).
torch.ocl = ocl
sys.modules["torch.ocl"] = ocl
_registration.register_at_import()
_exit.register()
_inductor.install_hooks()

__version__ = "0.1.0"


def fallback_counts():
    """How often each operator without a native ocl kernel ran on the CPU."""
    return dict(_C._fallback_counts())


def reset_fallback_counts():
    _C._reset_fallback_counts()


def set_fallback_enabled(enabled: bool):
    """Enable or disable the CPU fallback (``TORCH_OCL_FALLBACK=0`` disables it at start).
    Disabled, an operator without a native kernel raises NotImplementedError."""
    _C._set_fallback_enabled(bool(enabled))


def fallback_enabled() -> bool:
    return _C._fallback_enabled()


def kernel_cache_stats():
    """Program-cache counters: builds, disk_loads, disk_writes, disk_rejects, memory_hits."""
    return dict(_C._kernel_cache_stats())


def kernel_cache_dir():
    """Directory of the on-disk kernel cache ('' when disabled by TORCH_OCL_KERNEL_CACHE=0)."""
    return _C._kernel_cache_dir()


__all__ = [
    "fallback_counts",
    "reset_fallback_counts",
    "set_fallback_enabled",
    "fallback_enabled",
    "kernel_cache_stats",
    "kernel_cache_dir",
]
