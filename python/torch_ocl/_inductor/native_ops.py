"""ATen ops that compiled ocl graphs keep as our native kernels instead of Inductor's
decomposition into generated loops, the way PyTorch keeps MTIA's layer_norm and XPU's embedding
backward: the decomposition answers NotImplemented for ocl tensors, so AOTAutograd records the op
itself, and Inductor runs it as a fallback kernel (our eager op, on the current stream). Other
devices keep the decomposition.

The kept op is layer_norm's backward: decomposed, its weight and bias gradients become column
sums over every row, which the generated code reads at about half the rate of our native kernel
(bench_compile's var_mean over rows, the same outer reduction: 506 against 1114 GB/s float32,
250 against 607 bfloat16, H100); the native backward sums them per work-group in its one pass
over the rows. Forward softmax and layer_norm stay decomposed: fused with their neighbours, the
generated kernels beat the native op chains (softmax of scaled, masked scores 1244 against 767
GB/s, layer_norm + GELU + residual 1490 against 1076). TORCH_OCL_COMPILE_DECOMPOSE=1
(codegen_config.keep_native = False) decomposes the kept op too (comparison)."""

import torch

aten = torch.ops.aten


def kept_ops():
    return [aten.native_layer_norm_backward.default]


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
    devices never reach them: their graphs hold the decomposition). Their inputs are made
    contiguous first: the graph's fake outputs come from the decomposition, whose strides follow
    permuted inputs, while the native kernel (as CUDA's) returns contiguous gradients."""
    from torch._inductor import lowering as L

    for op in kept_ops():
        if op not in L.lowerings:
            L.make_fallback(op, layout_constraint=L.require_contiguous, warn=False, override_decomp=True)
