"""Memory management of the ocl caching allocator (the torch.cuda memory API)."""

import torch

from .. import _C
from ._lazy import _lazy_init
from ._utils import _get_device_index

__all__ = [
    "empty_cache",
    "memory_stats",
    "memory_allocated",
    "max_memory_allocated",
    "memory_reserved",
    "max_memory_reserved",
    "reset_peak_memory_stats",
    "reset_accumulated_memory_stats",
    "mem_get_info",
    "set_per_process_memory_fraction",
    "host_memory_stats",
]


def empty_cache() -> None:
    """Returns cached, unused device memory (and pinned host memory) to the driver."""
    _lazy_init()
    _C._empty_cache()
    _C._host_empty_cache()


def memory_stats(device=None) -> dict:
    """The allocator's statistics, in torch.cuda.memory_stats' format."""
    return torch.accelerator.memory_stats(_get_device_index(device, optional=True))


def memory_allocated(device=None) -> int:
    return memory_stats(device).get("allocated_bytes.all.current", 0)


def max_memory_allocated(device=None) -> int:
    return memory_stats(device).get("allocated_bytes.all.peak", 0)


def memory_reserved(device=None) -> int:
    return memory_stats(device).get("reserved_bytes.all.current", 0)


def max_memory_reserved(device=None) -> int:
    return memory_stats(device).get("reserved_bytes.all.peak", 0)


def reset_peak_memory_stats(device=None) -> None:
    torch.accelerator.reset_peak_memory_stats(_get_device_index(device, optional=True))


def reset_accumulated_memory_stats(device=None) -> None:
    torch.accelerator.reset_accumulated_memory_stats(_get_device_index(device, optional=True))


def mem_get_info(device=None):
    """(free, total) bytes. OpenCL cannot ask the driver for free memory: free is the
    device total (or the per-process limit) less what this process has reserved."""
    return torch.accelerator.get_memory_info(_get_device_index(device, optional=True))


def set_per_process_memory_fraction(fraction: float, device=None) -> None:
    """Caps this process's reserved memory on a device at fraction * total memory."""
    if not isinstance(fraction, float):
        raise TypeError("Invalid type for fraction argument, must be `float`")
    if fraction < 0 or fraction > 1:
        raise ValueError(f"Invalid fraction value: {fraction}. Allowed range: 0~1")
    _C._set_memory_fraction(fraction, _get_device_index(device, optional=True))


def host_memory_stats() -> dict:
    """Pinned host memory: allocated/reserved bytes, live allocations, mapped buffers."""
    return dict(_C._host_stats())
