"""OclKernel: one fused Inductor kernel as OpenCL C. Each work item takes x indices
(grid-stride); a reduction is a loop over the reduction index inside that work item, so a
kernel needs no local memory or barriers (one work item per output row)."""

import sympy
import torch
from torch._inductor.codegen.common import IndentedBuffer, DeferredLine
from torch._inductor.codegen.simd import SIMDKernel
from torch._inductor.utils import sympy_product
from torch._inductor.virtualized import V
from torch.utils._ordered_set import OrderedSet

from . import types
from .overrides import OclOverrides
from .printer import OclExprPrinter
from .types import Unsupported

_printer = OclExprPrinter()


class OclKernel(SIMDKernel):
    overrides = OclOverrides  # type: ignore[assignment]
    suffix = ";"
    newvar_prefix = ""  # variables are declared, with their types, at the kernel's top
    sexpr = _printer.doprint
    kexpr = _printer.doprint
    allow_block_ptr = False

    def __init__(self, tiling, **kwargs):
        super().__init__(tiling, **kwargs)
        self.post_loop_store = IndentedBuffer()
        self.outside_loop_vars = OrderedSet()
        self.masked_depth = 0
        self.uses_fp64 = False

    # --- choices SIMDKernel asks subclasses about
    def should_use_persistent_reduction(self) -> bool:
        return False  # reductions always loop

    def should_use_cooperative_reduction(self) -> bool:
        return False

    def want_no_x_dim(self) -> bool:
        return False

    def dtype_to_str(self, dtype: torch.dtype) -> str:
        return types.compute_type(dtype)

    @property
    def index_dtype(self) -> str:
        return "long"

    def _note_dtype(self, dtype):
        if dtype == torch.float64:
            self.uses_fp64 = True

    def _uses_reduction_index(self, index: sympy.Expr) -> bool:
        for s in index.free_symbols:
            node = self.range_tree_nodes.get(s)
            if (node is not None and node.is_reduction) or s.name.startswith("r"):
                return True
        return False

    # --- memory
    def load(self, name: str, index: sympy.Expr):
        var = self.args.input(name)
        index = self.prepare_indexing(index)
        dtype = V.graph.get_dtype(name)
        self._note_dtype(dtype)
        line = types.load(dtype, var, self.index_to_str(index))
        cdtype = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
        # a load that does not depend on the reduction index is hoisted out of the loop
        hoist = self.inside_reduction and self.masked_depth == 0 and not self._uses_reduction_index(index)
        buffer = self.body if hoist else self.loads
        result = self.cse.generate(buffer, line, dtype=cdtype)
        if not self.inside_reduction or hoist:
            self.outside_loop_vars.add(result)
        return result

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

    def store_reduction(self, name: str, index: sympy.Expr, value) -> None:
        var = self.args.output(name)
        index = self.prepare_indexing(index)
        dtype = V.graph.get_dtype(name)
        self._note_dtype(dtype)
        self.post_loop_store.writeline(DeferredLine(name, types.store(dtype, var, self.index_to_str(index), str(value))))

    def check_bounds(self, expr, size, lower, upper) -> None:
        # Indirect indices are not checked on the device yet (as with CUDA without asserts).
        pass

    def device_assert_async(self, cond, msg) -> None:
        pass

    # --- reductions: an accumulator per work item, set before the loop, combined inside it
    def _acc(self, dtype: torch.dtype, init: str):
        var = self.cse.newvar(dtype=dtype)
        self.body.writeline(f"{var} = {init};")
        self.outside_loop_vars.add(var)
        return var

    def reduction(self, dtype, src_dtype, reduction_type, value):
        assert self.inside_reduction
        key = (src_dtype, reduction_type, value)
        if key in self.cse.reduction_cache:
            return self.cse.reduction_cache[key]
        result = self._reduction(dtype, src_dtype, reduction_type, value)
        self.cse.reduction_cache[key] = result
        return result

    def _reduction(self, dtype, src_dtype, reduction_type, value):
        self._note_dtype(dtype)
        self._note_dtype(src_dtype)
        cdtype = torch.float32 if src_dtype in (torch.float16, torch.bfloat16) else src_dtype
        ct = types.compute_type(cdtype)
        c = self.compute
        if reduction_type in ("sum", "prod", "xor_sum"):
            acc_dtype = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
            init = "1" if reduction_type == "prod" else "0"
            acc = self._acc(acc_dtype, f"({types.compute_type(acc_dtype)}){init}")
            op = {"sum": "+", "prod": "*", "xor_sum": "^"}[reduction_type]
            c.writeline(f"{acc} = {acc} {op} ({types.compute_type(acc_dtype)})({value});")
            return acc
        if reduction_type in ("max", "min"):
            if cdtype.is_floating_point:
                init = "(-INFINITY)" if reduction_type == "max" else "INFINITY"
            else:
                init = (types.LOWEST if reduction_type == "max" else types.HIGHEST)[ct]
            acc = self._acc(cdtype, init)
            cmp = ">" if reduction_type == "max" else "<"
            # NaN wins, as in torch.amax
            c.writeline(f"{acc} = ({acc} != {acc} || {acc} {cmp} {value}) ? {acc} : ({ct})({value});")
            return acc
        if reduction_type == "any":
            acc = self._acc(torch.bool, "false")
            c.writeline(f"{acc} = {acc} || (({value}) != 0);")
            return acc
        if reduction_type in ("argmax", "argmin"):
            if cdtype.is_floating_point:
                init = "(-INFINITY)" if reduction_type == "argmax" else "INFINITY"
            else:
                init = (types.LOWEST if reduction_type == "argmax" else types.HIGHEST)[ct]
            best = self._acc(cdtype, init)
            idx = self._acc(dtype, "0")
            rindex = self._reduction_linear_index()
            cmp = ">" if reduction_type == "argmax" else "<"
            nan = f"({value} != {value} && {best} == {best})" if cdtype.is_floating_point else "false"
            # the first index of the extreme value (or of the first NaN) wins
            c.writeline(f"if ({nan} || {value} {cmp} {best}) {{ {best} = {value}; {idx} = {rindex}; }}")
            return idx
        if reduction_type == "welford_reduce":
            mean, m2, weight = (self._acc(torch.float32, "0.0f") for _ in range(3))
            delta = self.cse.newvar(dtype=torch.float32)
            c.writeline(f"{weight} = {weight} + 1.0f;")
            c.writeline(f"{delta} = (float)({value}) - {mean};")
            c.writeline(f"{mean} = {mean} + {delta} / {weight};")
            c.writeline(f"{m2} = {m2} + {delta} * ((float)({value}) - {mean});")
            return mean, m2, weight
        if reduction_type == "welford_combine":
            vmean, vm2, vweight = value
            mean, m2, weight = (self._acc(torch.float32, "0.0f") for _ in range(3))
            delta, nw, frac = (self.cse.newvar(dtype=torch.float32) for _ in range(3))
            c.writeline(f"{nw} = {weight} + {vweight};")
            c.writeline(f"{delta} = {vmean} - {mean};")
            c.writeline(f"{frac} = {nw} == 0.0f ? 0.0f : {vweight} / {nw};")
            c.writeline(f"{mean} = {mean} + {delta} * {frac};")
            c.writeline(f"{m2} = {m2} + {vm2} + {delta} * {delta} * {weight} * {frac};")
            c.writeline(f"{weight} = {nw};")
            return mean, m2, weight
        raise Unsupported(f"[ocl::compile] reduction {reduction_type!r} is not generated yet")

    def _reduction_linear_index(self) -> str:
        trees = [t for t in self.range_trees if t.is_reduction]
        if len(trees) != 1:
            raise Unsupported("[ocl::compile] arg reductions over several reduction trees")
        return trees[0].name

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
            self.body.writeline(line)

    def codegen_body(self) -> None:
        if not (self.indexing_code or self.loads or self.compute or self.stores or self.post_loop_store):
            return
        loops = [t for t in self.range_trees if t.is_loop]
        if self.inside_reduction and loops:
            for level, tree in enumerate(loops):
                with self.body.indent(offset=level):
                    self.body.writeline(
                        f"for ({tree.name} = 0; {tree.name} < {tree.prefix}numel; {tree.name}++) {{"
                    )
            with self.body.indent(offset=len(loops)):
                self.body.splice(self.indexing_code)
                self.body.splice(self.loads)
                self.body.splice(self.compute)
                self.body.splice(self.stores)
            for level in reversed(range(len(loops))):
                with self.body.indent(offset=level):
                    self.body.writeline("}")
            # values computed inside the loop are gone after it
            self.cse.invalidate(self.outside_loop_vars)
            for tree in loops:
                tree.cache_clear()
        else:
            self.body.splice(self.indexing_code)
            self.body.splice(self.loads)
            self.body.splice(self.compute)
            self.body.splice(self.stores)
        self.body.splice(self.post_loop_store)
        for buf in (self.indexing_code, self.loads, self.compute, self.stores, self.post_loop_store):
            buf.clear()

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
            if isinstance(t, torch.dtype):
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
        decls.writeline("long " + ", ".join(["xindex", *(t.name for t in trees[1:])]) + ";")
        index_names = [str(n.name) for n in self.range_tree_nodes.values() if n.name not in ("xindex", "r0_index")]
        if index_names:
            decls.writeline("long " + ", ".join(index_names) + ";")
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
        code.writeline(f'#line 1 "inductor:{name or "kernel"}"')
        code.writeline("__kernel void generated(" + ", ".join(params) + ") {")
        with code.indent():
            code.writelines(offsets)
            code.splice(decls)
            code.writeline("for (xindex = get_global_id(0); xindex < xnumel; xindex += get_global_size(0)) {")
            with code.indent():
                code.splice(self.body)
            code.writeline("}")
        code.writeline("}")
        return code.getvalue()

    def call_kernel(self, name: str, node=None, deallocate_ws: bool = True) -> None:
        wrapper = V.graph.wrapper_code
        _, call_args, _, arg_types = self.args.python_argdefs()
        args = [str(a) for a in call_args]
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


_ = sympy_product  # noqa: F841
