"""ATen ops that compiled ocl graphs keep as our native kernels instead of Inductor's
decomposition into generated loops, the way PyTorch keeps MTIA's layer_norm and XPU's embedding
backward: the decomposition answers NotImplemented for ocl tensors, so AOTAutograd records the op
itself, and Inductor runs it as a fallback kernel (our eager op, on the current stream). Other
devices keep the decomposition.

The kept ops are the row kernels tuned for the device (softmax and layer norm, forward and
backward: one read of each row, statistics in registers, the weight/bias gradients summed per
work-group; see docs/performance.md). The generated code would split layer_norm's backward into
row and column reductions, the column ones read across rows. TORCH_OCL_COMPILE_DECOMPOSE=1
(codegen_config.keep_native = False) decomposes them like every other op (comparison)."""

import torch

aten = torch.ops.aten


def kept_ops():
    return [
        aten._softmax.default,
        aten._log_softmax.default,
        aten._softmax_backward_data.default,
        aten._log_softmax_backward_data.default,
        aten.native_layer_norm.default,
        aten.native_layer_norm_backward.default,
    ]


def _on_ocl(args, kwargs) -> bool:
    for a in torch.utils._pytree.tree_leaves((args, kwargs)):
        if isinstance(a, torch.Tensor) and a.device.type == "ocl":
            return True
    return False


def _keep_native(decomposition):
    from . import codegen_config

    def keep(*args, **kwargs):
        if codegen_config.keep_native and _on_ocl(args, kwargs):
            return NotImplemented
        return decomposition(*args, **kwargs)

    keep._ocl_native = True  # type: ignore[attr-defined]
    return keep


def install_decompositions() -> None:
    """Wraps the kept ops' entries of Inductor's decomposition tables (idempotent); runs when
    torch._inductor.decomposition is imported, before any graph is traced with them."""
    from torch._inductor import decomposition as D

    tables = [D.decompositions]
    # compile_fx's default table is a cached copy of that one, made on first use: patched too
    # when it exists already (made later, it copies the wrapped entries)
    fast = getattr(D, "fast_random_decomps", None)
    if fast is not None and getattr(fast, "cache_info", None) is not None and fast.cache_info().currsize:
        tables.append(fast())
    for table in tables:
        for op in kept_ops():
            entry = table.get(op)
            if entry is not None and not getattr(entry, "_ocl_native", False):
                table[op] = _keep_native(entry)


def install_fallbacks() -> None:
    """Lowers the kept ops, where no lowering exists, as fallback kernels (idempotent; other
    devices never reach them: their graphs hold the decomposition)."""
    from torch._inductor import lowering as L

    for op in kept_ops():
        if op not in L.lowerings:
            L.make_fallback(op, warn=False, override_decomp=True)
