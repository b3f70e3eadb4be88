"""Dynamo's device interface for ``ocl``: how torch.compile asks about devices, streams and
events (the same answers torch.ocl gives)."""

import torch
from torch._dynamo.device_interface import DeviceInterface, caching_worker_current_devices, caching_worker_device_properties

from .. import _C
from .runtime import get_raw_stream


class OclInterface(DeviceInterface):
    device = torch.ocl.device
    Event = torch.ocl.Event
    Stream = torch.ocl.Stream

    class Worker:
        """Device queries answered in compile workers without creating a context there."""

        @staticmethod
        def set_device(device: int):
            caching_worker_current_devices["ocl"] = device

        @staticmethod
        def current_device() -> int:
            if "ocl" in caching_worker_current_devices:
                return caching_worker_current_devices["ocl"]
            return torch.ocl.current_device()

        @staticmethod
        def get_device_properties(device=None):
            if device is not None:
                if isinstance(device, str):
                    device = torch.device(device)
                if isinstance(device, torch.device):
                    device = device.index
            if device is None:
                device = OclInterface.Worker.current_device()
            if "ocl" not in caching_worker_device_properties:
                caching_worker_device_properties["ocl"] = [
                    torch.ocl.get_device_properties(i) for i in range(torch.ocl.device_count())
                ]
            return caching_worker_device_properties["ocl"][device]

    current_device = staticmethod(torch.ocl.current_device)
    set_device = staticmethod(torch.ocl.set_device)
    device_count = staticmethod(torch.ocl.device_count)
    stream = staticmethod(torch.ocl.stream)
    current_stream = staticmethod(torch.ocl.current_stream)
    set_stream = staticmethod(torch.ocl.set_stream)
    synchronize = staticmethod(torch.ocl.synchronize)
    get_device_properties = staticmethod(torch.ocl.get_device_properties)

    get_raw_stream = staticmethod(get_raw_stream)
    # the device guard's exchange: sets `device` (>= 0) and returns the previous one
    exchange_device = staticmethod(_C._exchange_device)
    maybe_exchange_device = staticmethod(_C._exchange_device)

    @staticmethod
    def memory_allocated(device=None) -> int:
        return torch.ocl.memory_allocated(device)

    @staticmethod
    def is_available() -> bool:
        return torch.ocl.is_available()

    @staticmethod
    def get_compute_capability(device=None):
        # OpenCL has no compute capability: the (major, minor) OpenCL version stands in for it
        major, minor = torch.ocl.get_device_capability(device)
        return major * 10 + minor

    @staticmethod
    def is_bf16_supported(including_emulation: bool = False) -> bool:
        return True  # stored as 16 bits, computed in float on every device

    @classmethod
    def is_dtype_supported(cls, dtype: torch.dtype, including_emulation: bool = False) -> bool:
        if dtype in (torch.float64, torch.complex128):
            return bool(torch.ocl.get_device_properties().fp64) and dtype == torch.float64
        return not dtype.is_complex

    @staticmethod
    def is_triton_capable(device=None) -> bool:
        return False

    @staticmethod
    def raise_if_triton_unavailable(device=None) -> None:
        raise RuntimeError("[ocl::compile] ocl generates OpenCL C, not Triton")
