"""torch.compile for ``ocl``: Inductor with kernels in OpenCL C.

Registration is lazy because importing Dynamo/Inductor costs seconds: the Dynamo device
interface is registered when ``torch._dynamo.device_interface`` is first imported (and our RNG
state functions join trace_rules' skipped files with ``torch._dynamo.trace_rules``), the ops kept
native (native_ops.py) enter Inductor's decomposition tables when
``torch._inductor.decomposition`` is imported, and the Inductor backend is registered when
Inductor first looks for the ``ocl`` backend (``torch.ocl.Scheduling``).
"""

import importlib.abc
import importlib.util
import inspect
import sys
import threading

_lock = threading.Lock()
_interface_done = False
_backend_done = False


def register_device_interface() -> None:
    global _interface_done
    with _lock:
        if _interface_done:
            return
        _interface_done = True
    from torch._dynamo.device_interface import register_interface_for_device

    from .device_interface import OclInterface

    register_interface_for_device("ocl", OclInterface)
    import torch

    for i in range(torch.ocl.device_count()):
        register_interface_for_device(f"ocl:{i}", OclInterface)


def register_backend() -> None:
    """Registers the Inductor backend for ``ocl`` (idempotent)."""
    global _backend_done
    register_device_interface()
    with _lock:
        if _backend_done:
            return
        _backend_done = True
    from torch._inductor.codegen.common import register_backend_for_device, register_device_op_overrides

    from . import benchmarking, codegen_config, fallbacks, gemm_choices, native_ops
    from .scheduling import OclScheduling
    from .wrapper import OclDeviceOpOverrides, OclWrapperCodegen

    # the config puts a digest of our generator into Inductor's FX graph cache key
    kwargs = {}
    if "device_custom_config" in inspect.signature(register_backend_for_device).parameters:
        kwargs["device_custom_config"] = codegen_config
    register_backend_for_device("ocl", OclScheduling, OclWrapperCodegen, **kwargs)
    register_device_op_overrides("ocl", OclDeviceOpOverrides())
    native_ops.install_fallbacks()
    fallbacks.install()
    gemm_choices.install()
    benchmarking.install()


def skip_rng_state_frames() -> None:
    """Dynamo runs our RNG state functions eagerly, as it does torch.cuda's: their tensors
    (states) must not become fake tensors, and torch.manual_seed inside a compiled function
    seeds the real generators."""
    from torch._dynamo import trace_rules

    trace_rules.add("torch_ocl.ocl.random")


def install_decompositions() -> None:
    from . import native_ops

    native_ops.install_decompositions()


def register_gemm_kernels() -> None:
    from . import gemm_choices

    gemm_choices.register_kernels()


class _AfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Runs `then` right after module `target` is imported."""

    def __init__(self, target, then):
        self.target = target
        self.then = then

    def find_spec(self, name, path, target=None):
        if name != self.target:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        self._inner = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        self.then()


def install_hooks() -> None:
    """Called at ``import torch_ocl``: registers now if Dynamo is loaded, else on its import."""
    from . import conv_layout

    conv_layout.install()  # fake tensors (Dynamo, export) must see our convolution's layout
    # the wrappers of compiled graphs (also those loaded from the cache) call max-autotune's GEMM
    # choices as attributes of select_algorithm's extern_kernels
    for target, then in (("torch._dynamo.device_interface", register_device_interface),
                         ("torch._dynamo.trace_rules", skip_rng_state_frames),
                         ("torch._inductor.decomposition", install_decompositions),
                         ("torch._inductor.select_algorithm", register_gemm_kernels)):
        if target in sys.modules:
            then()
        else:
            sys.meta_path.insert(0, _AfterImport(target, then))
