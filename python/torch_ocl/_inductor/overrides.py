"""Inductor's pointwise ops (ops.add, ops.exp, ops.where ...) as OpenCL C expressions. Floating
math runs in float (double for float64) with OpenCL's builtins; integer helpers come from the
eager kernels' math.cl."""

import torch
from torch._inductor.codegen.common import CSEVariable, IndentedBuffer, OpOverrides
from torch._inductor.utils import get_bounds_index_expr
from torch._inductor.virtualized import V, ops

from . import types
from .types import Unsupported


def _is_float(x) -> bool:
    return isinstance(x, CSEVariable) and x.dtype is not None and x.dtype.is_floating_point


def _cl(x) -> str:
    """An operand: CSE variables print as their names, Python numbers as literals."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return types.literal(x, torch.float32)
    if isinstance(x, int):
        return types.literal(x, torch.int64)
    return str(x)


def _ctype(*xs) -> str:
    """The OpenCL type C's usual conversions give a binary op of these operands."""
    dts = [x.dtype for x in xs if isinstance(x, CSEVariable) and x.dtype is not None]
    if not dts:
        return "float"
    return types.compute_type(torch.promote_types(*dts) if len(dts) > 1 else dts[0])


def _typed(fn: str, a, b) -> str:
    """fn_<type>(a, b) of math.cl's per-type helpers, both operands converted to their common type."""
    t = _ctype(a, b)
    return f"{fn}_{t}(({t})({_cl(a)}), ({t})({_cl(b)}))"


def _unary(fn: str):
    return staticmethod(lambda x: f"{fn}({x})")


class OclOverrides(OpOverrides):
    @staticmethod
    def constant(value, dtype: torch.dtype) -> str:
        return types.literal(value, dtype)

    @staticmethod
    def to_dtype(x, dtype: torch.dtype, src_dtype: torch.dtype | None = None, use_compute_types: bool = True) -> str:
        if src_dtype is None and isinstance(x, CSEVariable):
            src_dtype = x.dtype
        return types.cast(_cl(x), dtype, src_dtype)

    @staticmethod
    def to_dtype_bitcast(x, dtype: torch.dtype, src_dtype: torch.dtype) -> str:
        if dtype.itemsize != 4 and dtype.itemsize != 8 or dtype.itemsize != src_dtype.itemsize:
            raise Unsupported(f"[ocl::compile] bitcast {src_dtype} -> {dtype}")
        return f"as_{types.compute_type(dtype)}(({types.compute_type(src_dtype)})({x}))"

    @staticmethod
    def index_expr(expr, dtype: torch.dtype) -> str:
        idx = V.kernel.index_to_str(V.kernel.prepare_indexing(expr))
        # an expression that need not be an integer (1 / s0 from a symbolic int's true division)
        # is printed as float arithmetic: its variable is a float, not a long
        fractional = dtype.is_floating_point and getattr(expr, "is_integer", None) is not True
        held = types.compute_dtype(dtype) if fractional else torch.int64
        var = V.kernel.cse.generate(V.kernel.compute, idx, bounds=get_bounds_index_expr(expr), dtype=held)
        return ops.to_dtype(var, dtype)

    @staticmethod
    def value_expr(expr, dtype: torch.dtype) -> str:
        # a size taking part in a value (x.mean over a symbolic length): computed as an index
        return OclOverrides.index_expr(expr, dtype)

    @staticmethod
    def masked(mask, body, other) -> str:
        # The body runs (and loads) only where mask holds; elsewhere the result is `other`.
        scoped = IndentedBuffer()
        V.kernel.masked_depth += 1
        try:
            with V.kernel.swap_buffers(scoped), scoped.indent():
                result = body()
        finally:
            V.kernel.masked_depth -= 1
        dtype = result.dtype if isinstance(result, CSEVariable) and result.dtype is not None else torch.float32
        var = V.kernel.cse.newvar(dtype=dtype)
        compute = V.kernel.compute
        compute.writeline(f"if ({mask}) {{")
        compute.splice(scoped)
        with compute.indent():
            compute.writeline(f"{var} = {result};")
        compute.writeline(f"}} else {{ {var} = {types.literal(other, dtype)}; }}")
        return var

    @staticmethod
    def where(c, a, b) -> str:
        return f"(({c}) ? ({_cl(a)}) : ({_cl(b)}))"

    # arithmetic that differs from C or from OpenCL's builtins
    @staticmethod
    def truediv(a, b) -> str:
        return f"({_cl(a)}) / ({_cl(b)})"

    @staticmethod
    def floordiv(a, b) -> str:
        return _typed("floor_div", a, b)

    @staticmethod
    def truncdiv(a, b) -> str:
        if _is_float(a) or _is_float(b):
            return f"trunc(({_cl(a)}) / ({_cl(b)}))"
        return _typed("trunc_div", a, b)

    @staticmethod
    def mod(a, b) -> str:
        if _is_float(a) or _is_float(b):
            return f"fmod({_cl(a)}, {_cl(b)})"
        return _typed("fmod", a, b)

    @staticmethod
    def fmod(a, b) -> str:
        return OclOverrides.mod(a, b)

    @staticmethod
    def remainder(a, b) -> str:
        if _ctype(a, b) == "bool":
            raise Unsupported("[ocl::compile] remainder of bools")
        return _typed("remainder", a, b)

    @staticmethod
    def pow(a, b) -> str:
        if _is_float(a) or _is_float(b):
            t = _ctype(a, b)
            return f"pow(({t})({_cl(a)}), ({t})({_cl(b)}))"
        return _typed("ipow", a, b)

    @staticmethod
    def maximum(a, b) -> str:
        a, b = _cl(a), _cl(b)
        # NaN propagates, as torch.maximum does (fmax would drop it)
        return f"(({a}) != ({a}) || ({a}) > ({b}) ? ({a}) : ({b}))"

    @staticmethod
    def minimum(a, b) -> str:
        a, b = _cl(a), _cl(b)
        return f"(({a}) != ({a}) || ({a}) < ({b}) ? ({a}) : ({b}))"

    @staticmethod
    def abs(x) -> str:
        return f"fabs({x})" if _is_float(x) else f"(({x}) < 0 ? -({x}) : ({x}))"

    @staticmethod
    def neg(x) -> str:
        return f"(-({x}))"

    @staticmethod
    def sign(x) -> str:
        return f"((({x}) > 0) - (({x}) < 0))" if not _is_float(x) else f"sign({x})"

    @staticmethod
    def signbit(x) -> str:
        return f"(signbit({x}) != 0)" if _is_float(x) else f"(({x}) < 0)"

    @staticmethod
    def isnan(x) -> str:
        return f"(isnan({x}) != 0)" if _is_float(x) else "false"

    @staticmethod
    def isinf(x) -> str:
        return f"(isinf({x}) != 0)" if _is_float(x) else "false"

    @staticmethod
    def logical_not(x) -> str:
        return f"(!({x}))"

    @staticmethod
    def logical_and(a, b) -> str:
        return f"(({a}) && ({b}))"

    @staticmethod
    def logical_or(a, b) -> str:
        return f"(({a}) || ({b}))"

    @staticmethod
    def logical_xor(a, b) -> str:
        return f"((({a}) != 0) != (({b}) != 0))"

    @staticmethod
    def bitwise_not(x) -> str:
        return f"(!({x}))" if isinstance(x, CSEVariable) and x.dtype == torch.bool else f"(~({x}))"

    @staticmethod
    def rsqrt(x) -> str:
        return f"rsqrt({x})"

    @staticmethod
    def sigmoid(x) -> str:
        one = "1.0" if isinstance(x, CSEVariable) and x.dtype == torch.float64 else "1.0f"
        return f"({one} / ({one} + exp(-({x}))))"

    @staticmethod
    def reciprocal(x) -> str:
        return f"(1.0f / ({x}))" if not (isinstance(x, CSEVariable) and x.dtype == torch.float64) else f"(1.0 / ({x}))"

    @staticmethod
    def relu(x) -> str:
        return f"(({x}) > 0 ? ({x}) : 0)" if not _is_float(x) else f"(({x}) != ({x}) || ({x}) > 0 ? ({x}) : 0.0f)"

    @staticmethod
    def round(x) -> str:
        return f"rint({x})"  # half to even, as torch.round

    @staticmethod
    def atan2(a, b) -> str:
        return f"atan2({a}, {b})"

    @staticmethod
    def copysign(a, b) -> str:
        return f"copysign({a}, {b})"

    @staticmethod
    def hypot(a, b) -> str:
        return f"hypot({a}, {b})"

    @staticmethod
    def nextafter(a, b) -> str:
        return f"nextafter({a}, {b})"

    @staticmethod
    def erfinv(x) -> str:
        raise Unsupported("[ocl::compile] erfinv has no OpenCL builtin yet")

    # random numbers from (seed, element offset): philox.py
    @staticmethod
    def rand(seed, offset) -> str:
        return f"ocl_rand({seed}, (long)({offset}))"

    @staticmethod
    def randn(seed, offset) -> str:
        return f"ocl_randn({seed}, (long)({offset}))"

    @staticmethod
    def randint64(seed, offset, low, high) -> str:
        return f"ocl_randint64({seed}, (long)({offset}), (long)({_cl(low)}), (long)({_cl(high)}))"


# One-argument OpenCL builtins with PyTorch's meaning (floats; integers are promoted by Inductor).
for _name, _fn in {
    "exp": "exp", "exp2": "exp2", "expm1": "expm1", "log": "log", "log2": "log2", "log10": "log10",
    "log1p": "log1p", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan", "asin": "asin",
    "acos": "acos", "atan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "asinh": "asinh",
    "acosh": "acosh", "atanh": "atanh", "erf": "erf", "erfc": "erfc", "lgamma": "lgamma",
    "floor": "floor", "ceil": "ceil", "trunc": "trunc",
}.items():
    setattr(OclOverrides, _name, _unary(_fn))


def _int_identity_if_integer(fn):
    base = getattr(OclOverrides, fn)

    def op(x):
        return str(x) if isinstance(x, CSEVariable) and x.dtype is not None and not x.dtype.is_floating_point else base(x)

    setattr(OclOverrides, fn, staticmethod(op))


for _name in ("floor", "ceil", "trunc", "round"):
    _int_identity_if_integer(_name)
