"""OclScheduling: Inductor's SIMD scheduling with OpenCL kernels, one x range (and one
reduction range) per kernel, each kernel defined in the wrapper as a runtime OclKernel."""

from torch._inductor.codegen.common import BackendFeature
from torch._inductor.codegen.simd import SIMDScheduling
from torch._inductor.runtime.hints import ReductionHint
from torch._inductor import config
from torch._inductor.utils import get_fused_kernel_name, get_kernel_metadata
from torch._inductor.virtualized import V
from torch.utils._ordered_set import OrderedSet

from .kernel import OclKernel
from .types import Unsupported


def _outer(kernel) -> bool:
    """Whether Inductor hints the kernel's reduction as an outer one (rows neighbours in memory)."""
    features = kernel.features
    try:
        hint = features.get_reduction_hint(getattr(kernel, "tiling_scores", None))
    except TypeError:  # torch versions whose hint takes no tiling scores
        hint = features.get_reduction_hint()
    return hint in (ReductionHint.OUTER, ReductionHint.OUTER_TINY)


class OclScheduling(SIMDScheduling):
    kernel_type = OclKernel  # type: ignore[assignment]
    backend_features = OrderedSet([BackendFeature.INPLACE_BUFFERS])

    @classmethod
    def get_backend_features(cls, device):
        return cls.backend_features

    @classmethod
    def get_tiling_and_scores(cls, node_schedule, numel, reduction_numel=1, coalesce_analysis=None):
        # kernels index one flat x range and one flat reduction range
        return cls.create_tiling([numel], [reduction_numel]), None

    # No template code here (products are extern calls): a template node, such as the buffer of
    # max-autotune's product choices, fuses with nothing (nor is a fusion with it benchmarked).
    def can_fuse_vertical(self, node1, node2):
        return not (node1.is_template() or node2.is_template()) and super().can_fuse_vertical(node1, node2)

    def can_fuse_horizontal(self, node1, node2):
        return not (node1.is_template() or node2.is_template()) and super().can_fuse_horizontal(node1, node2)

    def codegen_node_schedule_with_kernel(self, node_schedule, kernel):
        try:
            return super().codegen_node_schedule_with_kernel(node_schedule, kernel)
        except Unsupported as e:
            # name the buffers and the graph ops of the kernel that could not be generated
            nodes = [n for n in node_schedule if hasattr(n, "get_name")]
            origins = sorted({str(o.target) for n in nodes for o in getattr(n.node, "origins", ())})
            raise Unsupported(
                f"{e} (kernel for {', '.join(n.get_name() for n in nodes)}; graph ops: {', '.join(origins)})"
            ) from None

    def define_kernel(self, src_code, node_schedule, kernel):
        wrapper = V.graph.wrapper_code
        if src_code in wrapper.src_to_kernel:
            return wrapper.src_to_kernel[src_code]
        # named as Triton's kernels are (triton_poi_fused_add_mul_3): kind, the ops it fuses, a number
        names = config.triton.descriptive_names
        fused = get_fused_kernel_name(node_schedule, names) if names else ""
        kind = "red" if kernel.is_reduction_kernel() else "poi"
        name = "_".join(p for p in ("ocl", kind, fused, wrapper.next_kernel_suffix()) if p)
        wrapper.src_to_kernel[src_code] = name
        # the source names itself in build logs; give it the wrapper's name
        src = src_code.replace('#line 1 "inductor:kernel"', f'#line 1 "inductor:{name}"')
        origins, detailed = get_kernel_metadata(node_schedule, wrapper)
        xn = kernel.numels.get("x")
        extra = f", size_hint={(int(xn),)!r}" if getattr(xn, "is_Integer", False) else ""
        if kernel.is_reduction_kernel():
            # static sizes let the module build the variant it will launch, not a guess
            sizes = [kernel.numels.get(p) for p in ("x", "r0_")]
            hint = tuple(int(n) for n in sizes) if all(getattr(n, "is_Integer", False) for n in sizes) else None
            extra = (f", reduction=True, size_hint={hint!r}" + (", outer=True" if _outer(kernel) else "") +
                     (", rows_kept=True" if kernel.row_arrays else ""))
        body = f"OclKernel({name!r}, r'''\n{src}'''{extra})"
        wrapper.define_kernel(name, body, f"{origins}\n{detailed}", gpu=False)
        return name
