"""Streams and events of the ocl device (thin subclasses of torch.Stream / torch.Event)."""

import torch

from .. import _C
from ._utils import _get_device_index


class Stream(torch.Stream):
    """An ocl stream (an in-order OpenCL command queue). ``Stream()`` takes one from the
    device's pool, as ``torch.cuda.Stream()`` does; priority < 0 takes a high-priority one."""

    def __new__(cls, device=None, priority=0, **kwargs):
        if "stream_id" in kwargs:
            return super().__new__(cls, **kwargs)
        idx = _get_device_index(device, optional=True)
        return super().__new__(cls, device=torch.device("ocl", idx), priority=priority)

    def __repr__(self):
        return f"<torch.ocl.Stream device=ocl:{self.device_index} id={self.stream_id}>"


class _EventMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, torch.Event) and obj.device.type == "ocl"


class Event(metaclass=_EventMeta):
    """An ocl event (an OpenCL marker); timing is always available. Instances are plain
    ``torch.Event`` objects on an ocl device (torch.Event's methods accept only those)."""

    def __new__(cls, enable_timing=False, blocking=False, interprocess=False, device=None):
        idx = _get_device_index(device, optional=True)
        return torch.Event(device=torch.device("ocl", idx), enable_timing=enable_timing, blocking=blocking,
                           interprocess=interprocess)


def _privateuse1_type() -> int:
    return 20  # c10::DeviceType::PrivateUse1


def current_stream(device=None) -> Stream:
    idx = _get_device_index(device, optional=True)
    return Stream(stream_id=_C._current_stream_id(idx), device_index=idx, device_type=_privateuse1_type())


def default_stream(device=None) -> Stream:
    idx = _get_device_index(device, optional=True)
    return Stream(stream_id=0, device_index=idx, device_type=_privateuse1_type())


def set_stream(stream: torch.Stream) -> None:
    if stream is None:
        return
    _C._set_stream(stream.stream_id, stream.device_index)


class StreamContext:
    """Makes a stream current on its device (and that device current) inside a with block."""

    def __init__(self, stream):
        self.stream = stream
        self.prev_stream = None
        self.prev_device = None

    def __enter__(self):
        if self.stream is None:
            return
        self.prev_device = _C._exchange_device(self.stream.device_index)
        self.prev_stream = current_stream(self.stream.device_index)
        set_stream(self.stream)

    def __exit__(self, *args):
        if self.stream is None:
            return
        set_stream(self.prev_stream)
        _C._set_device(self.prev_device)


def stream(stream) -> StreamContext:
    return StreamContext(stream)
