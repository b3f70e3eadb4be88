"""The memory format fake convolutions give ocl tensors: the one our eager convolution returns."""

import torch
from torch._prims_common import suggest_memory_format

_upstream = None


def _backend_memory_format(input, weight, backend):
    # FakeTensor's convolution asks this for its results' layout; for the Overrideable backend
    # upstream says contiguous, but ours returns channels-last results for a channels-last input
    # (csrc/aten/native/Convolution.cpp, result_format), and torch.compile asserts the strides.
    if input.device.type == "ocl":
        return suggest_memory_format(input) if input.dim() >= 4 else torch.contiguous_format
    return _upstream(input, weight, backend)


def install() -> None:
    global _upstream
    if _upstream is None:
        _upstream = torch._C._conv_determine_backend_memory_format
        torch._C._conv_determine_backend_memory_format = _backend_memory_format
