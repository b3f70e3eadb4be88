"""Runtime side of compiled graphs: the kernel objects generated wrappers call (kept light: the
wrapper module imports it at load time)."""

import hashlib
import os

import torch

from .. import _C


class OclKernelBuildError(RuntimeError):
    """A generated kernel failed to build; the message has the compiler's log and the source."""


_helper_source = None


def _helpers() -> str:
    """The eager kernels' helpers (16-bit conversions, integer division and powers)."""
    global _helper_source
    if _helper_source is None:
        _helper_source = _C._kernel_source("common.cl") + "\n" + _C._kernel_source("math.cl") + "\n"
    return _helper_source


def _numbered(source: str) -> str:
    return "\n".join(f"{i:4d}  {line}" for i, line in enumerate(source.splitlines(), 1))


class OclKernel:
    """One generated OpenCL kernel. Called with the wrapper's arguments (tensors, ints, floats)
    followed by xnumel and the reduction size; launches one work item per x index
    (grid-stride) on the current stream."""

    def __init__(self, name: str, source: str, options: str = ""):
        self.name = name
        self.source = source
        digest = hashlib.sha256((source + "\0" + options).encode()).hexdigest()[:24]
        # The program cache keys on this name (plus options): it names the source uniquely.
        full = source.replace("#include <ocl_helpers>", _helpers(), 1)
        self._kernel = _C.GeneratedKernel(f"inductor_{digest}", full, "generated", options)
        if os.environ.get("TORCH_OCL_VERBOSE", "0") not in ("", "0"):
            print(f"[ocl::compile] kernel {name}:\n{source}", flush=True)
        # build when the compiled module loads, so errors surface at compile time
        self.build(torch.ocl.current_device())

    def build(self, device: int) -> None:
        try:
            self._kernel.build(device)
        except RuntimeError as e:
            raise OclKernelBuildError(
                f"[ocl::compile] generated kernel {self.name} failed to build:\n{e}\n"
                f"Source of {self.name} (the log's 'inductor:{self.name}:LINE' counts from the "
                f"'#line 1' marker after the helpers):\n{_numbered(self.source)}"
            ) from None

    def __call__(self, *args):
        # the last two arguments are xnumel and the reduction size (see OclKernel in codegen)
        self._kernel.launch(args, args[-2])


def get_raw_stream(device: int) -> int:
    """The current stream's id on `device` (what Inductor's wrappers call a raw stream)."""
    return torch.ocl.current_stream(device).stream_id
