"""OclKernel: one fused Inductor kernel as OpenCL C. A pointwise kernel gives each work item XPER
x indices a grid apart per step of a grid-stride loop (a build option); a reduction kernel gives
each row RBLOCK work items of a work-group of XBLOCK rows (build options too), which stride over
the row and combine (reduction.py)."""

import re

import sympy
import torch
from torch._inductor.codegen.common import IndentedBuffer, DeferredLine
from torch._inductor.codegen.simd import SIMDKernel
from torch._inductor.virtualized import V
from torch.utils._ordered_set import OrderedSet

from . import types
from .overrides import OclOverrides
from .printer import OclExprPrinter
from .reduction import ReductionMixin
from .runtime import XPER_MAX
from .types import Unsupported

# Kernels index in int where Inductor finds every buffer and the iteration space under 2^31 and
# the loops' last increment cannot pass 2^31 either; else in long.
INT_INDEX_MAX = 2**31 - 2**24
# A pointwise body is written XPER_MAX times, one copy per x index a work item takes per step
# (XPER of them are built in): each copy's variables get a suffix (_1, _2, ...).
_PER_ELEMENT_NAMES = re.compile(r"\b(tmp\d+|x\d+|xindex)\b")
# A computed value (an indirect index) in a load's line.
_COMPUTED = re.compile(r"\btmp\d+\b")


def _cpu_scalar(name: str) -> bool:
    """Whether buffer or graph input `name` is a 0-d CPU tensor."""
    if V.graph.is_unspec_arg(name):
        return True
    buf = V.graph.try_get_buffer(name)
    return buf is not None and buf.get_device() is not None and buf.get_device().type == "cpu" and not buf.get_size()


def _copy(text: str, u: int) -> str:
    """Pointwise code for the work item's u-th x index: its per-element variables renamed."""
    return text if u == 0 else _PER_ELEMENT_NAMES.sub(lambda m: f"{m.group(1)}_{u}", text)


class OclKernel(ReductionMixin, SIMDKernel):
    overrides = OclOverrides  # type: ignore[assignment]
    suffix = ";"
    newvar_prefix = ""  # variables are declared, with their types, at the kernel's top
    allow_block_ptr = False
    sexpr = kexpr = OclExprPrinter().doprint  # long indices until the kernel knows its index type

    def __init__(self, tiling, **kwargs):
        super().__init__(tiling, **kwargs)
        printer = OclExprPrinter(self.index_dtype)
        self.sexpr = self.kexpr = printer.doprint
        self.post_loop_store = IndentedBuffer()
        self.acc_init = IndentedBuffer()  # accumulators, set by every work item of a row
        self.pre_loop = IndentedBuffer()  # loads hoisted out of the reduction loop
        self.pending_combines: list = []  # work-group combines of the current loop (reduction.py)
        # Loads kept in registers across a row's loops where the row fits (PER elements per work
        # item, a build option): load line -> (array, buffer), for earlier loops and this one.
        self.row_cache: dict[str, tuple[str, str]] = {}
        self.row_cache_new: dict[str, tuple[str, str]] = {}
        self.row_arrays: list[tuple[str, str]] = []  # (compute type, name)
        # This loop's direct loads (index of range variables only, not under a mask): with PER
        # they are fetched for all of a work item's elements before the loop's body, so that
        # its loads are all in flight at once (array, load line); line -> array.
        self.row_fetch: dict[str, str] = {}
        self.local_buffers: dict[str, int] = {}  # compute type -> local arrays of it
        self.outside_loop_vars = OrderedSet()
        # a pointwise kernel's code by section, for its XPER copies (see codegen_kernel)
        self.pointwise = {part: IndentedBuffer() for part in ("loads", "compute", "stores")}
        self.masked_depth = 0
        self.uses_fp64 = False
        self.cpu_scalars = OrderedSet()  # kernel arguments that are 0-d CPU tensors: passed by value

    # --- choices SIMDKernel asks subclasses about
    def should_use_persistent_reduction(self) -> bool:
        return False  # reductions always loop

    def should_use_cooperative_reduction(self) -> bool:
        return False

    def want_no_x_dim(self) -> bool:
        return False

    def dtype_to_str(self, dtype: torch.dtype) -> str:
        return types.compute_type(dtype)

    def get_index_dtype_as_torch_dtype(self) -> torch.dtype:
        dtype = super().get_index_dtype_as_torch_dtype()
        total = self.features.numel * self.features.reduction_numel
        if dtype == torch.int32 and getattr(total, "is_Integer", False) and int(total) <= INT_INDEX_MAX:
            return torch.int32
        return torch.int64

    def _note_dtype(self, dtype):
        if dtype == torch.float64:
            self.uses_fp64 = True

    def is_reduction_kernel(self) -> bool:
        # Inductor gives pointwise kernels a reduction range of one element too
        return any(t.is_reduction and t.numel != 1 for t in self.range_trees)

    def _hoistable(self, index: sympy.Expr) -> bool:
        """Whether a load at index can move before the reduction loop: only x indices and sizes,
        no reduction index and no indirect index (computed inside the loop)."""
        for s in index.free_symbols:
            node = self.range_tree_nodes.get(s)
            if node is not None:
                if node.is_reduction:
                    return False
            elif s.name.startswith(("r", "tmp")):
                return False
        return True

    # --- memory
    def load(self, name: str, index: sympy.Expr):
        var = self.args.input(name)
        dtype = V.graph.get_dtype(name)
        self._note_dtype(dtype)
        cdtype = types.compute_dtype(dtype)
        if _cpu_scalar(name):
            # Dynamo's unspecialised floats and ints (and CPU work on them) are 0-d CPU tensors;
            # the kernel takes their value, as Triton's do (float or long, see codegen_kernel)
            self.cpu_scalars.add(str(var))
            result = self.cse.generate(self.pre_loop if self.inside_reduction else self.loads,
                                       f"(({types.compute_type(cdtype)}){var})", dtype=cdtype)
            if self.inside_reduction:
                self.outside_loop_vars.add(result)
            return result
        index = self.prepare_indexing(index)
        line = types.load(dtype, var, self.index_to_str(index))
        # a load that does not depend on the reduction index is hoisted out of the loop
        hoist = self.inside_reduction and self.masked_depth == 0 and self._hoistable(index)
        if hoist or not self.inside_reduction:
            result = self.cse.generate(self.pre_loop if hoist else self.loads, line, dtype=cdtype)
            self.outside_loop_vars.add(result)
            return result
        return self._row_load(var, line, cdtype)

    def _row_load(self, var: str, line: str, cdtype: torch.dtype):
        """A load in a reduction loop: from the registers an earlier loop of the row kept it in
        or this loop fetched it into before its body (PCACHE; with PER 0 the load itself), else
        (a computed index) from memory, kept for later loops (PFILL) where every work item of
        the row makes it (not under a mask)."""
        kept = self.row_cache.get(line)
        if kept is not None:
            return self.cse.generate(self.loads, f"PCACHE({kept[0]}, {line})", dtype=cdtype)
        fetched = self.row_fetch.get(line)
        if fetched is not None:
            return self.cse.generate(self.loads, f"PCACHE({fetched}, {line})", dtype=cdtype)
        fresh = self.cse.try_get(line) is None
        if fresh and self.masked_depth == 0 and line not in self.row_cache_new:
            arr = self._row_array(cdtype)
            self.row_cache_new[line] = (arr, var)
            if not _COMPUTED.search(line):  # fetched before the body (see codegen_body)
                self.row_fetch[line] = arr
                return self.cse.generate(self.loads, f"PCACHE({arr}, {line})", dtype=cdtype)
            result = self.cse.generate(self.loads, line, dtype=cdtype)
            self.loads.writeline(f"PFILL({arr}, {result});")
            return result
        return self.cse.generate(self.loads, line, dtype=cdtype)

    def _row_array(self, cdtype: torch.dtype) -> str:
        name = f"pc{len(self.row_arrays)}"
        self.row_arrays.append((types.compute_type(cdtype), name))
        return name

    def _forget(self, var: str) -> None:
        """Values kept of var are stale once anything stores to it (at whatever index)."""
        for cache in (self.row_cache, self.row_cache_new):
            for line in [ln for ln, (_, v) in cache.items() if v == var]:
                del cache[line]

    def _row_store(self, name: str, var: str, dtype: torch.dtype, index: str, value) -> None:
        """A store in a reduction loop: where the stored value reads back unchanged (no
        narrowing) it is kept as what a later loop's load of that element would read (dropped
        with the store where the buffer is removed)."""
        ct = types.compute_type(dtype)
        if self.masked_depth == 0 and ct == types.storage_type(dtype):
            arr = self._row_array(dtype)
            self.row_cache_new[types.load(dtype, var, index)] = (arr, var)
            self.stores.writeline(DeferredLine(name, f"PFILL({arr}, ({ct})({value}));"))

    def store(self, name: str, index: sympy.Expr, value, mode=None) -> None:
        if mode is not None:
            raise Unsupported(f"[ocl::compile] store mode {mode!r} (atomic stores) is not generated yet")
        var = self.args.output(name)
        index = self.prepare_indexing(index)
        dtype = V.graph.get_dtype(name)
        self._note_dtype(dtype)
        self.stores.writeline(DeferredLine(name, types.store(dtype, var, self.index_to_str(index), str(value))))
        if not self.inside_reduction:
            self.outside_loop_vars.add(value)
        self._forget(var)
        if self.inside_reduction and self.is_reduction_kernel():
            self._row_store(name, var, dtype, self.index_to_str(index), value)

    def store_reduction(self, name: str, index: sympy.Expr, value) -> None:
        var = self.args.output(name)
        index = self.prepare_indexing(index)
        dtype = V.graph.get_dtype(name)
        self._note_dtype(dtype)
        self.post_loop_store.writeline(DeferredLine(name, types.store(dtype, var, self.index_to_str(index), str(value))))
        self._forget(var)

    def check_bounds(self, expr, size, lower, upper) -> None:
        # Indirect indices are not checked on the device yet (as with CUDA without asserts).
        pass

    def device_assert_async(self, cond, msg) -> None:
        pass

    def scan(self, *args, **kwargs):
        raise Unsupported("[ocl::compile] scans are not generated (they run as ATen ops)")

    def sort(self, *args, **kwargs):
        raise Unsupported("[ocl::compile] sorts are not generated (they run as ATen ops)")

    # --- code layout
    def codegen_iteration_ranges_entry(self, entry) -> None:
        line = f"{entry.name} = {self.sexpr(self.rename_indexing(entry.expr))};"
        if entry.root.is_loop:
            self.indexing_code.writeline(line)  # inside the reduction loop
        else:
            self.body.writeline(line)  # x-only arithmetic: safe for every work item

    def _section_buffers(self):
        return (self.acc_init, self.pre_loop, self.indexing_code, self.loads, self.compute, self.stores,
                self.post_loop_store)

    def codegen_body(self) -> None:
        """Flushes the pending code. In a reduction kernel every work item of a row runs the
        same code (the combines' barriers need them all), so memory accesses of rows past xnumel
        are skipped with x_valid and stores of x-only values are done by the row's lane 0."""
        if not any(self._section_buffers()) and not self.pending_combines:
            return
        b = self.body
        if not self.is_reduction_kernel():
            # by section, so that the copies' loads can all be in flight before their uses
            for part, bufs in (("loads", (self.indexing_code, self.loads)), ("compute", (self.compute,)),
                               ("stores", (self.stores,))):
                for buf in bufs:
                    self.pointwise[part].splice(buf)
        elif self.inside_reduction:
            loops = [t for t in self.range_trees if t.is_loop]
            if len(loops) != 1:
                raise Unsupported(f"[ocl::compile] {len(loops)} reduction loops in one kernel")
            r = loops[0].name
            b.splice(self.acc_init)
            b.writeline("if (x_valid) {")
            with b.indent():
                b.splice(self.pre_loop)
                self._fetch_code(b, r)
                # PER > 0: the row fits PER elements per work item, unrolled so that kept values
                # stay in registers; else a loop over the row
                b.writelines(["#if PER", "#pragma unroll", "for (int rk = 0; rk < PER; ++rk) {",
                              f"{r} = rlane + rk * RBLOCK;", f"if ({r} < r0_numel) {{", "#else",
                              f"for ({r} = rlane; {r} < r0_numel; {r} += RBLOCK) {{", "{", "#endif"])
                with b.indent():
                    for buf in (self.indexing_code, self.loads, self.compute, self.stores):
                        b.splice(buf)
                b.writeline("}}")
            b.writeline("}")
            self.row_cache.update(self.row_cache_new)
            self.row_cache_new.clear()
            self.row_fetch.clear()
            b.splice(self.combine_code())
            if self.post_loop_store:
                b.writeline("if (x_valid && rlane == 0) {")
                with b.indent():
                    b.splice(self.post_loop_store)
                b.writeline("}")
            # values computed inside the loop are gone after it
            self.cse.invalidate(self.outside_loop_vars)
            loops[0].cache_clear()
        else:  # x-only code of a reduction kernel (before or after the reduction loops)
            b.writeline("if (x_valid) {")
            with b.indent():
                for buf in (self.pre_loop, self.indexing_code, self.loads, self.compute):
                    b.splice(buf)
                if self.stores:
                    b.writeline("if (rlane == 0) {")
                    with b.indent():
                        b.splice(self.stores)
                    b.writeline("}")
            b.writeline("}")
        for buf in self._section_buffers():
            buf.clear()

    def _fetch_code(self, b: IndentedBuffer, r: str) -> None:
        """With PER, the loop's direct loads for all of the work item's elements first, into the
        arrays the body reads (PCACHE): independent loads, all in flight together, where loads
        inside the body's per-element branch would wait on memory one element at a time. Past
        the row's end an element loads the row's last one (a valid address; the body skips it)."""
        if not self.row_fetch:
            return
        last = "rlane + rk * RBLOCK < r0_numel ? rlane + rk * RBLOCK : r0_numel - 1"
        b.writelines(["#if PER", "if (rlane < r0_numel) {", "#pragma unroll", "for (int rk = 0; rk < PER; ++rk) {"])
        with b.indent():
            b.writeline(f"{r} = ({self.index_dtype})({last});")
            b.splice(self.indexing_code)
            b.writelines(f"{arr}[rk] = {line};" for line, arr in self.row_fetch.items())
        b.writelines(["}", "}", "#endif"])

    def codegen_kernel(self, name=None) -> str:
        self.codegen_body()
        _, call_args, _, arg_types = self.args.python_argdefs()
        params, offsets = [], []
        written = OrderedSet(self.args.output_buffers.keys()) | OrderedSet(
            v.other_names[-1] for v in self.args.inplace_buffers.values() if hasattr(v, "other_names")
        )
        argdefs = self.args.python_argdefs()[0]
        for argdef, outer, t in zip(argdefs, call_args, arg_types):
            inner = argdef.name
            if inner in self.cpu_scalars:
                params.append(f"{'float' if t.is_floating_point else 'long'} {inner}")
            elif isinstance(t, torch.dtype):
                self._note_dtype(t)
                const = "" if outer in written or inner.startswith(("out_", "in_out_")) else "const "
                params.append(f"__global {const}{types.storage_type(t)}* {inner}")
                params.append(f"ulong {inner}_offset")
                offsets.append(f"{inner} += {inner}_offset;")
            else:
                params.append(f"long {inner}")
        trees = [t for t in self.range_trees if t.prefix in ("x", "r0_")]
        if [t.prefix for t in self.range_trees] not in (["x"], ["x", "r0_"]):
            raise Unsupported(f"[ocl::compile] tiling {[t.prefix for t in self.range_trees]}")
        params += ["long xnumel", "long r0_numel"]
        decls = IndentedBuffer()
        decls.writeline(f"{self.index_dtype} " + ", ".join(["xindex", *(t.name for t in trees[1:])]) + ";")
        index_names = [str(n.name) for n in self.range_tree_nodes.values() if n.name not in ("xindex", "r0_index")]
        if index_names:
            decls.writeline(f"{self.index_dtype} " + ", ".join(index_names) + ";")
        if self.row_arrays:
            decls.writeline("#if PER")
            decls.writelines(f"{ct} {arr}[PER];" for ct, arr in self.row_arrays)
            decls.writeline("#endif")
        for var in self.cse.varname_map.values():
            if var.dtype is None:
                raise Unsupported(f"[ocl::compile] no dtype for {var}")
            self._note_dtype(var.dtype)
            decls.writeline(f"{types.compute_type(var.dtype)} {var};")

        code = IndentedBuffer()
        if self.uses_fp64:
            code.writeline("#pragma OPENCL EXTENSION cl_khr_fp64 : enable")
            code.writeline("#define OCL_HAS_FP64 1")
        code.writeline("#include <ocl_helpers>")
        reduction = self.is_reduction_kernel()
        if reduction:
            code.writelines(["#ifndef PER", "#define PER 0", "#endif", "#if PER",
                             "#define PCACHE(a, load) (a[rk])", "#define PFILL(a, v) (a[rk] = (v))", "#else",
                             "#define PCACHE(a, load) (load)", "#define PFILL(a, v)", "#endif"])
        code.writeline(f'#line 1 "inductor:{name or "kernel"}"')
        if reduction:
            code.writeline("__attribute__((reqd_work_group_size(XBLOCK * RBLOCK, 1, 1)))")
        code.writeline("__kernel void generated(" + ", ".join(params) + ") {")
        with code.indent():
            code.writelines(offsets)
            code.splice(decls)
            if not reduction:
                self._pointwise_frame(code)
            else:
                self._reduction_frame(code)
        code.writeline("}")
        return code.getvalue()

    def _pointwise_frame(self, code: IndentedBuffer) -> None:
        """XPER x indices per work item and step, a grid apart (so each copy's loads coalesce):
        all copies' loads, then their arithmetic, then their stores, so that a work item has
        XPER loads per input in flight. A copy past xnumel computes the last element again
        (valid loads) and does not store."""
        index_names = ["xindex"] + [str(n.name) for n in self.range_tree_nodes.values() if n.name != "xindex"
                                    and not n.is_reduction]
        names = {}
        for var in self.cse.varname_map.values():
            names.setdefault(types.compute_type(var.dtype), []).append(str(var))
        for u in range(1, XPER_MAX):
            code.writeline(f"#if XPER > {u}")
            code.writeline(f"{self.index_dtype} " + ", ".join(f"{n}_{u}" for n in index_names) + ";")
            code.writelines(f"{ct} " + ", ".join(f"{n}_{u}" for n in ns) + ";" for ct, ns in names.items())
            code.writeline("#endif")
        parts = [self.body.getvalue()] + [self.pointwise[p].getvalue() for p in ("loads", "compute", "stores")]
        grid = "(long)get_global_size(0)"
        code.writeline(f"for (long xloop = get_global_id(0); xloop < xnumel; xloop += XPER * {grid}) {{")
        with code.indent():
            code.writeline(f"xindex = ({self.index_dtype})xloop;")
            for u in range(1, XPER_MAX):
                code.writelines([f"#if XPER > {u}", f"const long xl_{u} = xloop + {u} * {grid};",
                                 f"xindex_{u} = ({self.index_dtype})min(xl_{u}, xnumel - 1);", "#endif"])
            for i, text in enumerate(parts):
                for u in range(XPER_MAX):
                    if u:
                        code.writeline(f"#if XPER > {u}")
                    stores = i == len(parts) - 1 and u > 0
                    if stores:
                        code.writeline(f"if (xl_{u} < xnumel) {{")
                    code.splice(_copy(text, u))
                    if stores:
                        code.writeline("}")
                    if u:
                        code.writeline("#endif")
        code.writeline("}")

    def _reduction_frame(self, code: IndentedBuffer) -> None:
        # XBLOCK rows per work-group, RBLOCK work items per row; groups stride over the rows so
        # that every work item of a group runs the loop (and its barriers) equally often
        # XFAST (outer reductions, where neighbouring rows are neighbours in memory): the rows of
        # a group are its fastest-varying work items, so a SIMD group reads adjacent addresses;
        # else the work items of one row are (inner reductions). RSTEP: lid distance of lanes.
        code.writeline("const int lid = get_local_id(0);")
        code.writeline("#if XFAST")
        code.writeline("const int rlane = lid / XBLOCK, xlane = lid % XBLOCK;")
        code.writeline("#define RSTEP XBLOCK")
        code.writeline("#else")
        code.writeline("const int rlane = lid % RBLOCK, xlane = lid / RBLOCK;")
        code.writeline("#define RSTEP 1")
        code.writeline("#endif")
        code.writeline("bool x_valid;")
        if self.local_buffers:
            code.writeline("#if RBLOCK > 1")
            for ct, n in self.local_buffers.items():
                st = "uchar" if ct == "bool" else ct
                for k in range(n):
                    code.writeline(f"__local {st} lbuf_{ct}_{k}[XBLOCK * RBLOCK];")
            code.writeline("#endif")
        code.writeline(
            "for (long xbase = (long)get_group_id(0) * XBLOCK; xbase < xnumel; "
            "xbase += (long)get_num_groups(0) * XBLOCK) {"
        )
        with code.indent():
            code.writeline(f"xindex = ({self.index_dtype})(xbase + xlane);")
            code.writeline("x_valid = xindex < xnumel;")
            code.splice(self.body)
        code.writeline("}")

    def call_kernel(self, name: str, node=None, deallocate_ws: bool = True) -> None:
        wrapper = V.graph.wrapper_code
        argdefs, call_args, _, arg_types = self.args.python_argdefs()
        # 0-d CPU tensors go by value (a host read, no device sync)
        args = [f"{a}.item()" if d.name in self.cpu_scalars else str(a) for d, a in zip(argdefs, call_args)]
        for tree in self.range_trees:
            if tree.prefix not in ("x", "r0_"):
                continue
            numel = tree.numel
            if isinstance(numel, (sympy.Integer, int)):
                args.append(str(int(numel)))
            elif isinstance(numel, sympy.Symbol):
                args.append(str(numel))
            else:
                args.append(str(wrapper.generate_numel_expr(name, tree).inner))
        if len(args) == len(call_args) + 1:
            args.append("1")  # no reduction tree
        wrapper.generate_kernel_call(name, args, device=V.graph.get_current_device_or_throw(), triton=False,
                                     arg_types=[*arg_types, int, int])

