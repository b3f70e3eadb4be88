"""Device-index parsing shared by torch.ocl and torch.serialization."""

import torch

from .. import _C
from ._lazy import _lazy_init


def _get_device_index(device, optional: bool = False) -> int:
    """Index of an ocl device given as int, str ('ocl', 'ocl:1') or torch.device; the current
    device when no index is given (or None with optional=True). Every torch.ocl function that
    names a device comes here first, so this is where first use initializes ocl."""
    _lazy_init()
    if device is None:
        if optional:
            return _C._get_device()
        raise ValueError("[ocl] expected an ocl device, got None")
    if isinstance(device, int):
        return device
    if isinstance(device, str):
        device = torch.device(device)
    if isinstance(device, torch.device):
        if device.type != "ocl":
            raise ValueError(f"[ocl] expected an ocl device, got {device}")
        return _C._get_device() if device.index is None else device.index
    raise ValueError(f"[ocl] cannot interpret {device!r} as an ocl device")
