"""``torch.ocl``: devices, streams, events, memory and random state of the ocl backend
(the same functions ``torch.cuda`` has)."""

import torch

from .. import _C
from . import _utils  # noqa: F401  (used by torch.serialization)
from ._lazy import _is_in_bad_fork, _lazy_init, is_initialized
from .memory import *  # noqa: F401,F403
from .memory import __all__ as _memory_all
from .random import *  # noqa: F401,F403
from .random import __all__ as _random_all
from .streams import Event, Stream, StreamContext, current_stream, default_stream, set_stream, stream


def is_available() -> bool:
    """True when at least one OpenCL device is selected. Never raises, creates no context and
    leaves PyTorch's accelerator as it is."""
    return _C._device_count() > 0


def device_count() -> int:
    """Number of selected OpenCL devices (see ``TORCH_OCL_DEVICES``). Like is_available, no
    side effect on PyTorch's accelerator."""
    return _C._device_count()


def init():
    """Initializes ocl (as does any torch.ocl call that uses a device): after it,
    ``torch.device("ocl")`` parses and ``torch.accelerator`` is ocl."""
    _lazy_init()


def current_device() -> int:
    _lazy_init()
    return _C._get_device()


def set_device(device) -> None:
    idx = _utils._get_device_index(device, optional=True)
    if idx >= 0:
        _C._set_device(idx)


class device:
    """Context manager that selects a device (a negative index or None leaves it)."""

    def __init__(self, device):
        self.idx = _utils._get_device_index(device, optional=True)
        self.prev_idx = -1

    def __enter__(self):
        self.prev_idx = _C._exchange_device(self.idx)

    def __exit__(self, *args):
        if self.prev_idx >= 0:
            _C._set_device(self.prev_idx)
        return False


class device_of(device):
    """Selects the device of a tensor (no-op for CPU tensors)."""

    def __init__(self, obj):
        super().__init__(obj.get_device() if obj.device.type == "ocl" else -1)


def synchronize(device=None) -> None:
    """Waits for all work on all streams of a device."""
    _C._synchronize(_utils._get_device_index(device, optional=True))


class _DeviceProperties:
    def __init__(self, d):
        self.__dict__.update(d)
        self.total_memory = d["global_mem"]
        self.multi_processor_count = d["compute_units"]
        self.is_integrated = False

    def __repr__(self):
        return (
            f"_OclDeviceProperties(name='{self.name}', platform='{self.platform_name}', "
            f"driver='{self.driver_version}', total_memory={self.total_memory // (1 << 20)}MB, "
            f"compute_units={self.compute_units}, fp16={self.fp16}, fp64={self.fp64})"
        )


def get_device_properties(device=None) -> _DeviceProperties:
    """Name, vendor, driver and OpenCL versions, compute units, memory sizes, fp16/fp64 and
    extensions of a device."""
    return _DeviceProperties(_C._device_properties(_utils._get_device_index(device, optional=True)))


def get_device_name(device=None) -> str:
    return get_device_properties(device).name


def get_device_capability(device=None):
    """OpenCL has no compute capability; (OpenCL major, minor) of the device is returned."""
    version = get_device_properties(device).version.split()  # "OpenCL 3.0 ..."
    major, minor = (int(x) for x in version[1].split(".")[:2])
    return major, minor


def __getattr__(name):
    # Inductor looks up a PrivateUse1 backend's codegen here (torch.utils.backend_registration):
    # the first lookup registers the ocl backend, which imports Inductor (hence lazily).
    if name in ("Scheduling", "PythonWrapperCodegen", "CppWrapperCodegen"):
        from .._inductor import register_backend

        register_backend()
        if name == "Scheduling":
            from .._inductor.scheduling import OclScheduling

            return OclScheduling
        if name == "PythonWrapperCodegen":
            from .._inductor.wrapper import OclWrapperCodegen

            return OclWrapperCodegen
        return None  # no C++ wrapper yet
    raise AttributeError(f"module 'torch.ocl' has no attribute {name!r}")


def get_amp_supported_dtype():
    return [torch.float16, torch.bfloat16]


__all__ = [
    "is_available",
    "device_count",
    "current_device",
    "set_device",
    "device",
    "device_of",
    "synchronize",
    "get_device_properties",
    "get_device_name",
    "get_device_capability",
    "init",
    "is_initialized",
    "Stream",
    "Event",
    "StreamContext",
    "stream",
    "current_stream",
    "default_stream",
    "set_stream",
    *_memory_all,
    *_random_all,
]
