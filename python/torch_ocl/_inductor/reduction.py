"""Reductions of generated kernels: each work item accumulates its share of a row, then the
RBLOCK work items of a row combine their partial accumulators: through local memory (a tree;
RSTEP apart in the group, see OclKernel._reduction_frame), or where a row's work items are whole
SIMD groups of 32 and the device has warp shuffles (WARP_SHFL, a build option: 1 NVIDIA's
shfl.sync, 2 the same steps through local memory, for testing elsewhere) by shuffles within
each warp, then the warps' results in order through local memory: two barriers per combine
instead of two plus one per level of the tree.
RBLOCK is a build option (see runtime.py): with RBLOCK == 1 the combine compiles away and the
kernel is the plain one-work-item-per-row loop."""

import torch
from torch._inductor.codegen.common import IndentedBuffer

from . import types
from .types import Unsupported


# Warp shuffles for the combines (WARP_SHFL == 1): shfl_down_T (lane + s's value) and shfl_idx_T
# (lane l's) for each compute type, 64-bit ones as two words.
SHUFFLE_SOURCE = r"""
#if WARP_SHFL == 1
inline uint shfl_down_u32(uint v, int s) {
  uint r;
  asm volatile("shfl.sync.down.b32 %0, %1, %2, 0x1f, 0xffffffff;" : "=r"(r) : "r"(v), "r"(s));
  return r;
}
inline uint shfl_idx_u32(uint v, int l) {
  uint r;
  asm volatile("shfl.sync.idx.b32 %0, %1, %2, 0x1f, 0xffffffff;" : "=r"(r) : "r"(v), "r"(l));
  return r;
}
#define OCL_SHFL_32(T, OP) \
  inline T shfl_##OP##_##T(T v, int s) { return (T)shfl_##OP##_u32((uint)v, s); }
#define OCL_SHFL_AS(T, OP) \
  inline T shfl_##OP##_##T(T v, int s) { return as_##T(shfl_##OP##_u32(as_uint(v), s)); }
#define OCL_SHFL_64(T, OP) \
  inline T shfl_##OP##_##T(T v, int s) { \
    uint2 w = as_uint2(v); \
    return as_##T((uint2)(shfl_##OP##_u32(w.x, s), shfl_##OP##_u32(w.y, s))); \
  }
#define OCL_SHFL_ALL(OP) \
  OCL_SHFL_32(bool, OP) OCL_SHFL_32(char, OP) OCL_SHFL_32(uchar, OP) OCL_SHFL_32(short, OP) \
  OCL_SHFL_AS(int, OP) OCL_SHFL_AS(float, OP) OCL_SHFL_64(long, OP)
OCL_SHFL_ALL(down)
OCL_SHFL_ALL(idx)
#ifdef OCL_HAS_FP64
OCL_SHFL_64(double, down)
OCL_SHFL_64(double, idx)
#endif
#endif
"""


class ReductionMixin:
    """Accumulate/combine code for OclKernel; needs self.compute, self.cse, self.acc_init,
    self.pending_combines, self.outside_loop_vars and self.local_buffers."""

    def _acc(self, dtype: torch.dtype, init: str):
        var = self.cse.newvar(dtype=dtype)
        self.acc_init.writeline(f"{var} = {init};")
        self.outside_loop_vars.add(var)
        return var

    def reduction(self, dtype, src_dtype, reduction_type, value):
        assert self.inside_reduction
        key = (src_dtype, reduction_type, value)
        if key in self.cse.reduction_cache:
            return self.cse.reduction_cache[key]
        self._note_dtype(dtype)
        self._note_dtype(src_dtype)
        result = self._reduction(dtype, src_dtype, reduction_type, value)
        self.cse.reduction_cache[key] = result
        return result

    def _reduction(self, dtype, src_dtype, reduction_type, value):
        cdtype = types.compute_dtype(src_dtype)
        ct = types.compute_type(cdtype)
        c = self.compute
        if reduction_type in ("sum", "prod", "xor_sum"):
            acc_dtype = types.compute_dtype(dtype)
            at = types.compute_type(acc_dtype)
            acc = self._acc(acc_dtype, f"({at}){'1' if reduction_type == 'prod' else '0'}")
            op = {"sum": "+", "prod": "*", "xor_sum": "^"}[reduction_type]
            c.writeline(f"{acc} = {acc} {op} ({at})({value});")
            self._combine([acc], lambda a, o: [f"{a[0]} = {a[0]} {op} {o[0]};"])
            return acc
        if reduction_type in ("max", "min"):
            if cdtype.is_floating_point:
                init = "(-INFINITY)" if reduction_type == "max" else "INFINITY"
            else:
                init = (types.LOWEST if reduction_type == "max" else types.HIGHEST)[ct]
            acc = self._acc(cdtype, init)
            cmp = ">" if reduction_type == "max" else "<"

            # NaN wins, as in torch.amax (acc != acc is false for integers)
            def pick(a, v):
                return f"{a} = ({a} != {a} || {a} {cmp} {v}) ? {a} : ({ct})({v});"

            c.writeline(pick(acc, value))
            self._combine([acc], lambda a, o: [pick(a[0], o[0])])
            return acc
        if reduction_type == "any":
            acc = self._acc(torch.bool, "false")
            c.writeline(f"{acc} = {acc} || (({value}) != 0);")
            self._combine([acc], lambda a, o: [f"{a[0]} = {a[0]} || {o[0]};"])
            return acc
        if reduction_type in ("argmax", "argmin"):
            return self._arg_reduction(dtype, cdtype, reduction_type, value)
        if reduction_type in ("welford_reduce", "welford_combine"):
            return self._welford(reduction_type, value)
        raise Unsupported(f"[ocl::compile] reduction {reduction_type!r} is not generated yet")

    def _arg_reduction(self, dtype, cdtype, reduction_type, value):
        ct = types.compute_type(cdtype)
        if cdtype.is_floating_point:
            init = "(-INFINITY)" if reduction_type == "argmax" else "INFINITY"
        else:
            init = (types.LOWEST if reduction_type == "argmax" else types.HIGHEST)[ct]
        best = self._acc(cdtype, init)
        idx = self._acc(dtype, "0")
        rindex = self._reduction_linear_index()
        cmp = ">" if reduction_type == "argmax" else "<"
        is_float = cdtype.is_floating_point
        # within a work item indices rise: the first extreme value (or first NaN) wins
        nan = f"({value} != {value} && {best} == {best})" if is_float else "false"
        self.compute.writeline(f"if ({nan} || {value} {cmp} {best}) {{ {best} = {value}; {idx} = {rindex}; }}")

        def combine(a, o):
            (b, i), (ob, oi) = a, o
            # across work items: NaN beats a number, then the extreme value, then the smaller index
            if is_float:
                take = (f"({ob} != {ob} && ({b} == {b} || {oi} < {i})) || "
                        f"({b} == {b} && ({ob} {cmp} {b} || ({ob} == {b} && {oi} < {i})))")
            else:
                take = f"{ob} {cmp} {b} || ({ob} == {b} && {oi} < {i})"
            return [f"if ({take}) {{ {b} = {ob}; {i} = {oi}; }}"]

        self._combine([best, idx], combine)
        return idx

    def _welford(self, reduction_type, value):
        mean, m2, weight = (self._acc(torch.float32, "0.0f") for _ in range(3))
        c = self.compute
        if reduction_type == "welford_reduce":
            delta = self.cse.newvar(dtype=torch.float32)
            c.writeline(f"{weight} = {weight} + 1.0f;")
            c.writeline(f"{delta} = (float)({value}) - {mean};")
            c.writeline(f"{mean} = {mean} + {delta} / {weight};")
            c.writeline(f"{m2} = {m2} + {delta} * ((float)({value}) - {mean});")
        else:
            c.writelines(self._welford_merge((mean, m2, weight), value))
        self._combine([mean, m2, weight], lambda a, o: self._welford_merge(a, o), shuffles=False)
        return mean, m2, weight

    def _welford_merge(self, acc, other) -> list[str]:
        """(mean, m2, weight) += other's triple (Chan et al.), in a block of its own."""
        (mean, m2, weight), (omean, om2, oweight) = acc, other
        return [
            "{",
            f"  float nw = {weight} + {oweight};",
            f"  float d = {omean} - {mean};",
            f"  float f = nw == 0.0f ? 0.0f : {oweight} / nw;",
            f"  {mean} = {mean} + d * f;",
            f"  {m2} = {m2} + {om2} + d * d * {weight} * f;",
            f"  {weight} = nw;",
            "}",
        ]

    def _local_buffer(self, ctype: str, slot: int) -> str:
        self.local_buffers[ctype] = max(self.local_buffers.get(ctype, 0), slot + 1)
        return f"lbuf_{ctype}_{slot}"

    def _combine(self, accs, merge, shuffles: bool = True) -> None:
        """Registers each row's RBLOCK partial accumulators `accs` to be combined with
        `merge(accs, others)` (lines updating accs from the other work item's values); the
        combines of one reduction loop run together (combine_code), after which every work
        item of the row holds the row's results. shuffles=False keeps a loop's combines on the
        tree: Welford's merge (a division per merge) measured slower by shuffles, see
        combine_code."""
        self.pending_combines.append(([str(a) for a in accs], [a.dtype for a in accs], merge, shuffles))

    def combine_code(self) -> IndentedBuffer:
        """The combines registered since the last call, all at once: by warp shuffles where a
        row's work items are whole warps (see the module's doc), else one tree over local memory
        (RSTEP apart in the group), one barrier per level however many reductions the loop made.
        Reached by all work items (barriers, shuffles of whole warps). A loop with a Welford
        combine takes the tree: on an H100 (1024-wide rows, 256 work items each) the shuffles
        made softmax's max/sum combines 10% faster but layer_norm + GELU + residual 21% slower
        (1846 -> 1450 GB/s float32, 932 -> 742 bfloat16)."""
        code = IndentedBuffer()
        if not self.pending_combines:
            return code
        slots: dict[str, int] = {}
        accs_all, cts, bufs, merges = [], [], [], []
        shuffles = all(p[3] for p in self.pending_combines)
        for accs, dtypes, merge, _ in self.pending_combines:
            others = [f"o{len(accs_all) + i}" for i in range(len(accs))]
            for acc, dtype in zip(accs, dtypes):
                ct = types.compute_type(dtype)
                bufs.append(self._local_buffer(ct, slots.get(ct, 0)))
                slots[ct] = slots.get(ct, 0) + 1
                accs_all.append(acc)
                cts.append(ct)
            merges.extend(merge(accs, others))
        self.pending_combines.clear()
        rows = list(zip(accs_all, cts, bufs))
        stores = [f"{buf}[lid] = {acc};" for acc, _, buf in rows]
        code.writeline("#if RBLOCK > 1")
        if shuffles:
            code.writeline("#if WARP_SHFL && !XFAST && RBLOCK >= 32")
            self._warp_combine(code, rows, stores, merges)
            code.writeline("#else")
        self._tree_combine(code, rows, stores, merges)
        if shuffles:
            code.writeline("#endif")
        code.writeline("#endif")
        return code

    @staticmethod
    def _warp_combine(code, rows, stores, merges) -> None:
        # lanes 0..s-1 take lane + s's values (s = 16 .. 1): lane 0 holds the warp's result
        code.writeline("{")
        with code.indent():
            code.writeline("const int wlane = lid % 32;")
            code.writeline("for (int s = 16; s > 0; s >>= 1) {")
            with code.indent():
                code.writeline("#if WARP_SHFL == 1")
                code.writelines(f"{ct} o{i} = shfl_down_{ct}({acc}, s);" for i, (acc, ct, _) in enumerate(rows))
                code.writeline("#else")
                code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
                code.writelines(stores)
                code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
                code.writeline("const int from = lid + s < XBLOCK * RBLOCK ? lid + s : lid;")
                code.writelines(f"{ct} o{i} = {buf}[from];" for i, (_, ct, buf) in enumerate(rows))
                code.writeline("#endif")
                code.writeline("if (wlane < s) {")
                with code.indent():
                    code.writelines(merges)
                code.writeline("}")
            code.writeline("}")
            code.writeline("#if RBLOCK == 32")  # lane 0's result to the whole row
            code.writeline("#if WARP_SHFL == 1")
            code.writelines(f"{acc} = shfl_idx_{ct}({acc}, 0);" for acc, ct, _ in rows)
            code.writeline("#else")
            code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
            code.writelines(stores)
            code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
            code.writelines(f"{acc} = {buf}[lid - wlane];" for acc, _, buf in rows)
            code.writeline("#endif")
            code.writeline("#else")  # the row's warps' results, merged in order by every lane
            code.writeline("barrier(CLK_LOCAL_MEM_FENCE);  // earlier readers of the buffers are done")
            code.writeline("if (wlane == 0) {")
            with code.indent():
                code.writelines(stores)
            code.writeline("}")
            code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
            code.writelines(f"{acc} = {buf}[lid - rlane];" for acc, _, buf in rows)
            code.writeline("for (int w = 32; w < RBLOCK; w += 32) {")
            with code.indent():
                code.writelines(f"{ct} o{i} = {buf}[lid - rlane + w];" for i, (_, ct, buf) in enumerate(rows))
                code.writelines(merges)
            code.writeline("}")
            code.writeline("#endif")
        code.writeline("}")

    @staticmethod
    def _tree_combine(code, rows, stores, merges) -> None:
        loads = [f"{ct} o{i} = {buf}[lid + s * RSTEP];" for i, (_, ct, buf) in enumerate(rows)]
        results = [f"{acc} = {buf}[lid - rlane * RSTEP];" for acc, _, buf in rows]
        code.writeline("barrier(CLK_LOCAL_MEM_FENCE);  // earlier readers of the buffers are done")
        code.writelines(stores)
        code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
        code.writeline("for (int s = RBLOCK / 2; s > 0; s >>= 1) {")
        with code.indent():
            code.writeline("if (rlane < s) {")
            with code.indent():
                code.writelines(loads)
                code.writelines(merges)
                code.writelines(stores)
            code.writeline("}")
            code.writeline("barrier(CLK_LOCAL_MEM_FENCE);")
        code.writeline("}")
        code.writelines(results)

    def _reduction_linear_index(self) -> str:
        trees = [t for t in self.range_trees if t.is_reduction]
        if len(trees) != 1:
            raise Unsupported("[ocl::compile] arg reductions over several reduction trees")
        return trees[0].name
