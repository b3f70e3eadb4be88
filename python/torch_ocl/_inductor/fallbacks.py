"""Ops the OpenCL code generator cannot emit (atomic stores, erfinv, 16-bit bitcasts) run as our
eager ATen ops inside compiled ocl graphs: their Inductor lowerings are wrapped so that, for
ocl inputs only, they become extern fallback kernels (other devices keep Inductor's lowering)."""

import logging

import torch
from torch._inductor import ir
from torch._inductor import lowering as L

log = logging.getLogger("torch._inductor.ocl")
aten = torch.ops.aten
_logged: set[str] = set()


def _on_ocl(args) -> bool:
    for a in args:
        if isinstance(a, (list, tuple)):
            if _on_ocl(a):
                return True
        elif isinstance(a, ir.IRNode):
            device = a.get_device()
            if device is not None and device.type == "ocl":
                return True
    return False


def _accumulates(args, kwargs, position: int) -> bool:
    if "accumulate" in kwargs:
        return bool(kwargs["accumulate"])
    return len(args) > position and bool(args[position])


def _scatter_reduces(args, kwargs) -> bool:
    # scatter_/scatter with reduce= add/multiply store with a mode; plain scatter does not
    return kwargs.get("reduce") is not None or len(args) > 4


def _bitcast_16bit(args, kwargs) -> bool:
    x, dtype = args[0], kwargs.get("dtype", args[1] if len(args) > 1 else None)
    if not isinstance(dtype, torch.dtype) or not isinstance(x, ir.IRNode):
        return False
    src = x.get_dtype()
    return src != dtype and 2 in (src.itemsize, dtype.itemsize) and not (src.is_complex or dtype.is_complex)


# op packet -> (why generated code cannot do it, whether these arguments need the fallback)
_RULES = {
    "scatter_add": ("atomic stores", lambda a, k: True),
    "scatter_add_": ("atomic stores", lambda a, k: True),
    "scatter_reduce": ("atomic stores", lambda a, k: True),
    "scatter_reduce_": ("atomic stores", lambda a, k: True),
    "scatter": ("atomic stores", _scatter_reduces),
    "scatter_": ("atomic stores", _scatter_reduces),
    "index_put": ("atomic stores", lambda a, k: _accumulates(a, k, 3)),
    "index_put_": ("atomic stores", lambda a, k: _accumulates(a, k, 3)),
    "_unsafe_index_put": ("atomic stores", lambda a, k: _accumulates(a, k, 3)),
    "_unsafe_masked_index_put_accumulate": ("atomic stores", lambda a, k: True),
    "index_add": ("atomic stores", lambda a, k: True),
    "index_add_": ("atomic stores", lambda a, k: True),
    "erfinv": ("no OpenCL builtin", lambda a, k: True),
    "view": ("16-bit bitcast", _bitcast_16bit),
}


def _packets():
    ops = {}
    for name in _RULES:
        packet = getattr(aten, name, None)
        if packet is not None:
            ops[packet] = name
    packet = getattr(torch.ops.prims, "_unsafe_index_put_", None)
    if packet is None:
        packet = getattr(getattr(torch.ops, "inductor", None), "_unsafe_index_put_", None)
    if packet is not None:
        ops[packet] = "index_put_"
    return ops


def _wrap(op, name: str, original):
    why, needs = _RULES[name]
    mutating = name.endswith("_")

    def lowering(*args, **kwargs):
        if not (_on_ocl(args) and needs(args, kwargs)):
            return original(*args, **kwargs)
        if str(op) not in _logged:
            _logged.add(str(op))
            log.info("[ocl::compile] %s runs as an eager ocl op in compiled graphs (%s)", op, why)
        if mutating and name.startswith("index_put"):
            return L.index_put_fallback(args[0], args[1], args[2], _accumulates(args, kwargs, 3))
        if mutating:
            # the in-place op writes its first argument, which the lowering returns
            L.fallback_handler(op, add_to_fallback_set=False)(*args, **kwargs)
            return args[0]
        if name == "view":  # as Inductor's own bitcast fallback: on a contiguous input
            args = (ir.ExternKernel.require_contiguous_strides(args[0]), *args[1:])
        return L.fallback_handler(op, add_to_fallback_set=False)(*args, **kwargs)

    lowering._ocl_fallback = True  # type: ignore[attr-defined]
    return lowering


def install() -> None:
    """Wraps the lowerings of the ops in _RULES (idempotent)."""
    packets = _packets()
    for op, original in list(L.lowerings.items()):
        name = packets.get(getattr(op, "overloadpacket", None))
        if name is None or getattr(original, "_ocl_fallback", False):
            continue
        if name == "view" and getattr(op, "_overloadname", "") != "dtype":
            continue
        L.lowerings[op] = _wrap(op, name, original)
