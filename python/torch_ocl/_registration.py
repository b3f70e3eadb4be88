"""When ``ocl`` becomes PyTorch's accelerator: the name of the PrivateUse1 backend.

PyTorch takes a named PrivateUse1 backend as *the* accelerator of the process
(``at::getAccelerator()`` asks for it before CUDA: measured on torch 2.11 and 2.13, and 2.12's
source has the same order), and its
autograd engine then gives CUDA graph nodes no stream: every CUDA backward pass fails with
``opt_ready_stream && opt_parent_stream INTERNAL ASSERT FAILED`` (pytorch/pytorch#161129).
So where another accelerator is available, the name is registered on the first real use of ocl
(a ``torch.ocl`` call that uses a device; not ``is_available``/``device_count``) instead of at import; where
none is, at import, so that device-agnostic code finds ``ocl`` through ``torch.accelerator``.
``TORCH_OCL_ACCELERATOR=import`` or ``first_use`` overrides the choice.
"""

import os
import threading
import warnings

import torch

_lock = threading.Lock()
_registered = False
_other = None  # another available accelerator's name ("" for none), once asked


def other_accelerator() -> str:
    """The built-in accelerator available in this process ("" for none). CUDA and ROCm are
    counted through NVML/AMD-SMI where present (torch.cuda.device_count), so no CUDA context
    is created and fork stays safe for them."""
    global _other
    if _other is None:
        found = ""
        try:
            if (torch.version.cuda or torch.version.hip) and torch.cuda.device_count() > 0:
                found = "cuda"
            elif hasattr(torch, "xpu") and torch.xpu._is_compiled() and torch.xpu.device_count() > 0:
                found = "xpu"
            elif torch.backends.mps.is_available():
                found = "mps"
        except Exception:  # a broken driver of another backend must not break ocl
            found = ""
        _other = found
    return _other


def _policy() -> str:
    value = os.environ.get("TORCH_OCL_ACCELERATOR", "auto").strip().lower() or "auto"
    if value not in ("auto", "import", "first_use"):
        # a warning, not an error: this runs inside `import torch`, which must not fail over it
        warnings.warn(f"[ocl] TORCH_OCL_ACCELERATOR={value!r} is not auto, import or first_use: using auto",
                      RuntimeWarning, stacklevel=2)
        value = "auto"
    return value


def register() -> None:
    """Names PrivateUse1 "ocl" (so ``torch.device("ocl")`` parses and ``torch.accelerator`` is
    ocl) and generates the ``Tensor.ocl()`` family of methods. Idempotent."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        other = other_accelerator()
        torch.utils.rename_privateuse1_backend("ocl")
        if not hasattr(torch.Tensor, "is_ocl"):
            torch.utils.generate_methods_for_privateuse1_backend(for_storage=True)
        _registered = True
    if other:
        warnings.warn(
            f"[ocl] ocl is now PyTorch's accelerator in a process where {other} is available too: from here "
            f"on, backward passes over {other} tensors in this process fail inside PyTorch's autograd engine "
            f"(pytorch/pytorch#161129). Run {other} and ocl work in separate processes (README: 'ocl next to "
            f"CUDA').",
            RuntimeWarning,
            stacklevel=3,
        )


def register_at_import() -> None:
    policy = _policy()
    if policy == "import" or (policy == "auto" and not other_accelerator()):
        register()
