"""Lazy initialization of torch.ocl: the first real use checks the process (not a forked child
of a parent that used OpenCL, a device present) and makes ocl PyTorch's accelerator."""

import os

from .. import _C, _registration

_initialized = False


def _after_fork_in_child():
    # The next use checks again: it raises if OpenCL was live in the parent (see _C._check_not_forked).
    global _initialized
    _initialized = False


os.register_at_fork(after_in_child=_after_fork_in_child)


def _is_in_bad_fork() -> bool:
    """True in a child forked after the parent initialized OpenCL: ocl cannot be used there."""
    return _C._in_forked_child()


def _lazy_init() -> None:
    global _initialized
    if _initialized:
        return
    _C._check_not_forked()
    if _C._device_count() == 0:
        raise RuntimeError(f"[ocl] no OpenCL device is available: {_C._discovery_error()}")
    _registration.register()
    _initialized = True


def is_initialized() -> bool:
    return _initialized
