"""max-autotune's matrix-product choices on ocl. Inductor's mm/bmm/addmm lowerings offer ATen's
call and Triton templates, and ocl has no templates; here a 16-bit product on a device that runs
the tensor-core GEMM (NVIDIA; any device under TORCH_OCL_MMA_EMULATE=1) is offered, besides
ATen's call (the shape table's configuration), the kernel in each candidate configuration as
an extern kernel that sets it for its call (torch_ocl._C._set_mma_config), and Inductor times
them all on the device and keeps the fastest (benchmarking.py)."""

import torch

from .. import _C

# bm,bn,bk,stages,wm,wn,splits,teams,l1 (GemmMma.cpp's MmaConfig): the table's layer and deep
# tiles, the deep tile in two persistent teams with L1 copies, small tiles, shallow stages.
CONFIGS = ("128,128,32,3,2,4,1,0,0", "128,128,32,3,2,2,1,0,0", "128,128,32,3,2,2,1,2,1", "64,64,32,4,2,2,1,0,0",
           "128,128,16,5,2,4,1,0,0")
# split-K of the deep tile, offered where the output has fewer tiles than the device has units
SPLITS = ("128,128,32,3,2,2,2,0,0", "128,128,32,3,2,2,4,0,0", "128,128,32,3,2,2,8,0,0")
_OPS = {"mm": torch.mm, "bmm": torch.bmm, "addmm": torch.addmm}
_choices: dict[tuple[str, str], object] = {}


def _configured(op, config: str):
    def call(*args, out, **kwargs):
        device = out.device.index
        _C._set_mma_config(config, device)
        try:
            return op(*args, out=out, **kwargs)
        finally:
            _C._set_mma_config("", device)

    return call


def register_kernels() -> None:
    """Creates the extern kernel choices (each sets `extern_kernels.ocl_<op>_<config>`, which the
    wrappers of compiled graphs call, also when loaded from the cache); idempotent."""
    from torch._inductor.select_algorithm import ExternKernelChoice, extern_kernels

    for kind, op in _OPS.items():
        for config in CONFIGS + SPLITS:
            name = f"ocl_{kind}_{config.replace(',', '_')}"
            if (kind, config) not in _choices and not hasattr(extern_kernels, name):
                _choices[kind, config] = ExternKernelChoice(_configured(op, config), name=name, has_out_variant=True)


def _wanted(nodes) -> bool:
    """Whether max-autotune applies to a product of these input nodes: GEMM autotuning on, 16-bit
    operands on an ocl device that runs the tensor-core kernel."""
    from torch._inductor import config

    if not (config.max_autotune or config.max_autotune_gemm):
        return False
    device = nodes[0].get_device()
    if device is None or device.type != "ocl" or any(n.get_dtype() not in (torch.float16, torch.bfloat16)
                                                     for n in nodes):
        return False
    return _C._mma_enabled(device.index or 0)


def _candidates(kind: str, device, batch, m, n) -> list:
    from torch._inductor.virtualized import V

    register_kernels()
    index = device.index or 0
    units = torch.ocl.get_device_properties(index).compute_units
    sizevars = V.graph.sizevars
    hint = getattr(sizevars, "optimization_hint", None) or sizevars.size_hint  # torch 2.11 has both
    tiles = hint(batch) * -(-hint(m) // 128) * -(-hint(n) // 128)
    configs = CONFIGS + (SPLITS if tiles < units else ())
    return [_choices[kind, c] for c in configs if _C._mma_config_fits(c, index)]


def _tuned(kind: str, inputs, layout, **kwargs):
    from torch._inductor.kernel.mm_common import mm_args
    from torch._inductor.select_algorithm import autotune_select_algorithm

    if kind == "addmm":
        inp, mat1, mat2 = inputs
        m, n, _, layout, mat1, mat2, inp = mm_args(mat1, mat2, inp, layout=layout)
        nodes = (inp, mat1, mat2)
        from torch._inductor.kernel.mm import aten_addmm as aten_choice
    else:
        m, n, _, layout, mat1, mat2 = mm_args(*inputs, layout=layout)
        nodes = (mat1, mat2)
        if kind == "mm":
            from torch._inductor.kernel.mm import aten_mm as aten_choice
        else:
            from torch._inductor.kernel.bmm import aten_bmm as aten_choice
    batch = mat1.get_size()[0] if kind == "bmm" else 1
    ours = _candidates(kind, mat1.get_device(), batch, m, n)
    choices = [c.bind(nodes, layout, **kwargs) for c in [aten_choice, *ours]]
    out = autotune_select_algorithm(kind, choices, list(nodes), layout)
    return out[0] if isinstance(out, tuple) else out  # newer torch: (node, the choice)


def _wrap(kind: str, original):
    def lowering(*args, **kwargs):
        inputs = args[:3] if kind == "addmm" else args[:2]
        extra = args[len(inputs):]
        if extra or kwargs.get("out_dtype") is not None or not _wanted(inputs):
            return original(*args, **kwargs)
        layout = kwargs.pop("layout", None)
        return _tuned(kind, inputs, layout, **kwargs)

    lowering._ocl_gemm_choices = True  # type: ignore[attr-defined]
    return lowering


def install() -> None:
    """Wraps the mm, bmm and addmm lowerings (idempotent)."""
    from torch._inductor import lowering as L

    aten = torch.ops.aten
    for kind, op in (("mm", aten.mm.default), ("bmm", aten.bmm.default), ("addmm", aten.addmm.default)):
        original = L.lowerings.get(op)
        if original is not None and not getattr(original, "_ocl_gemm_choices", False):
            L.lowerings[op] = _wrap(kind, original)
