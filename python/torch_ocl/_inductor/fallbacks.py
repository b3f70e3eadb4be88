"""Ops the OpenCL code generator cannot emit run as our eager ATen ops inside compiled ocl graphs,
as extern fallback kernels (other devices keep Inductor's lowering), each logged once with the
reason. Two ways: the lowerings of known cases (atomic stores, erfinv, 16-bit bitcasts) are
wrapped to decide from their arguments; every other ATen lowering is checked after it ran: a
pointwise or reduction result on ocl whose loop body uses an op the generator does not emit
(special functions such as i0, digamma, zeta, ndtri, frexp) or a dtype it does not store is
lowered again as the fallback."""

import logging

import torch
from torch._inductor import ir
from torch._inductor import lowering as L
from torch._inductor.ops_handler import OpsHandler
from torch._inductor.virtualized import V

from . import types
from .overrides import OclOverrides

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


def _log_once(op, why: str) -> None:
    if str(op) not in _logged:
        _logged.add(str(op))
        log.info("[ocl::compile] %s runs as an eager ocl op in compiled graphs (%s)", op, why)


def _reads(node, target) -> bool:
    """Whether IR value `node` is or reads the buffer of `target` (realized here: the fallback
    writes it)."""
    try:
        name = target.realize() or target.get_name()
    except (AttributeError, NotImplementedError):
        return False
    try:
        if node.get_name() == name:
            return True
    except (AttributeError, NotImplementedError):
        pass
    return name in node.get_read_names()


def _wrap(op, name: str, original):
    why, needs = _RULES[name]
    mutating = name.endswith("_")

    def lowering(*args, **kwargs):
        if not (_on_ocl(args) and needs(args, kwargs)):
            return original(*args, **kwargs)
        _log_once(op, why)
        if mutating and name.startswith("index_put"):
            values = args[2]
            if _reads(values, args[0]):
                # the graph's reinplacing may write the values' own buffer (index_reduce's
                # counts: ones.index_put_(i, ones)); the eager op refuses overlapping arguments
                values = L.clone(values)
            return L.index_put_fallback(args[0], args[1], values, _accumulates(args, kwargs, 3))
        if mutating:
            # the in-place op writes its first argument, which the lowering returns
            L.fallback_handler(op, add_to_fallback_set=False)(*args, **kwargs)
            return args[0]
        if name == "view":  # as Inductor's own bitcast fallback: on a contiguous input
            args = (ir.ExternKernel.require_contiguous_strides(args[0]), *args[1:])
        return L.fallback_handler(op, add_to_fallback_set=False)(*args, **kwargs)

    lowering._ocl_fallback = True  # type: ignore[attr-defined]
    return lowering


def _not_generated() -> frozenset:
    """Ops-handler methods the generator leaves to OpsHandler's default, which raises."""
    out = set()
    for name in dir(OpsHandler):
        method = getattr(OclOverrides, name, None)
        if not name.startswith("_") and (method is None or method.__qualname__.startswith("OpsHandler.")):
            out.add(name)
    return frozenset(out)


_NOT_GENERATED = _not_generated()


def _boxes(out):
    if isinstance(out, (list, tuple)):
        for o in out:
            yield from _boxes(o)
    elif isinstance(out, ir.TensorBox):
        yield out


def _why_not_generated(out) -> str | None:
    """Why a lowering's unrealized ocl results could not become generated code, or None."""
    for box in _boxes(out):
        node = box.data.data if isinstance(box.data, ir.StorageBox) else box.data
        if not isinstance(node, (ir.Pointwise, ir.Reduction)) or isinstance(node, (ir.Scan, ir.Sort)):
            continue
        device = node.get_device()
        if device is None or device.type != "ocl":
            continue
        counted = node.inner_fn_opcount()
        missing = sorted(_NOT_GENERATED.intersection(counted.used_ops))
        if missing:
            return f"no OpenCL code for {', '.join(missing)}"
        names = [n for n in counted.read_buffers if n in V.graph.name_to_buffer or n in V.graph.graph_inputs]
        for dtype in [node.get_dtype(), *(V.graph.get_dtype(n) for n in names)]:
            if dtype not in types.STORAGE:
                return f"dtype {dtype} is not generated"
    return None


def _checked(op, original):
    def lowering(*args, **kwargs):
        out = original(*args, **kwargs)
        why = _why_not_generated(out) if _on_ocl(args) else None
        if why is None:
            return out
        _log_once(op, why)
        return L.fallback_handler(op, add_to_fallback_set=False)(*args, **kwargs)

    lowering._ocl_fallback = True  # type: ignore[attr-defined]
    return lowering


def install() -> None:
    """Wraps the lowerings of the ops in _RULES and checks every other ATen op's (idempotent)."""
    packets = _packets()
    for op, original in list(L.lowerings.items()):
        if getattr(original, "_ocl_fallback", False) or not isinstance(op, torch._ops.OpOverload):
            continue
        name = packets.get(op.overloadpacket)
        if name is not None and not (name == "view" and op._overloadname != "dtype"):
            L.lowerings[op] = _wrap(op, name, original)
        elif op.namespace == "aten" and not op.is_view and not op._schema.is_mutable:
            L.lowerings[op] = _checked(op, original)
