"""Index expressions (sympy) printed as OpenCL C, in the kernel's index type (int or long)."""

from sympy.printing.precedence import PRECEDENCE
from torch.utils._sympy.printers import ExprPrinter


class OclExprPrinter(ExprPrinter):
    def __init__(self, index_type: str = "long"):
        super().__init__()
        self.index_type = index_type  # "int" where every index of the kernel fits 32 bits

    def _print_Integer(self, expr) -> str:
        i = int(expr)
        if self.index_type == "int" and -(2**31) < i < 2**31:
            return str(i)  # int arithmetic stays 32-bit (64-bit division and modulo are slow on GPUs)
        return "LONG_MIN" if i == -(2**63) else f"{i}L"

    def _print_Float(self, expr) -> str:
        return f"{float(expr)!r}f"

    def _print_FloorDiv(self, expr) -> str:
        x, div = (self.doprint(a) for a in expr.args)
        if expr.is_integer:
            return f"floor_div_long({x}, {div})"
        return f"floor(({x}) / ({div}))"

    def _print_ModularIndexing(self, expr) -> str:
        # indices here are non-negative, so C's / and % agree with Python's
        x, div, mod = (self.doprint(a) for a in expr.args)
        if expr.args[1] != 1:
            x = f"({x}) / ({div})"
        return f"(({x}) % ({mod}))"

    def _print_PythonMod(self, expr) -> str:
        x, mod = (self.doprint(a) for a in expr.args)
        return f"remainder_long({x}, {mod})"

    def _print_CleanDiv(self, expr) -> str:
        x, div = (self.doprint(a) for a in expr.args)
        return f"(({x}) / ({div}))"

    def _print_Where(self, expr) -> str:
        c, p, q = (self.parenthesize(a, PRECEDENCE["Atom"] - 0.5) for a in expr.args)
        return f"({c} ? {p} : {q})"

    def _min_max(self, expr, op: str) -> str:
        args = [self.doprint(a) for a in expr.args]
        t = self.index_type
        result = f"({t})({args[0]})"
        for a in args[1:]:
            result = f"(({result}) {op} ({t})({a}) ? ({result}) : ({t})({a}))"
        return result

    def _print_Min(self, expr) -> str:
        return self._min_max(expr, "<")

    def _print_Max(self, expr) -> str:
        return self._min_max(expr, ">")

    def _print_Abs(self, expr) -> str:
        x = self.doprint(expr.args[0])
        return f"(({x}) < 0 ? -({x}) : ({x}))"

    def _print_Not(self, expr) -> str:
        return f"!({self.doprint(expr.args[0])})"

    def _print_And(self, expr) -> str:
        return " && ".join(f"({self.doprint(a)})" for a in expr.args)

    def _print_Or(self, expr) -> str:
        return " || ".join(f"({self.doprint(a)})" for a in expr.args)

    def _print_ToFloat(self, expr) -> str:
        return f"(float)({self.doprint(expr.args[0])})"

    def _print_IntTrueDiv(self, expr) -> str:
        a, b = (self.doprint(x) for x in expr.args)
        return f"((float)({a}) / (float)({b}))"

    def _print_FloatTrueDiv(self, expr) -> str:
        a, b = (self.doprint(x) for x in expr.args)
        return f"(({a}) / ({b}))"

    def _print_PowByNatural(self, expr) -> str:
        a, b = (self.doprint(x) for x in expr.args)
        return f"ipow_long({a}, {b})"

    def _print_FloatPow(self, expr) -> str:
        a, b = (self.doprint(x) for x in expr.args)
        return f"pow((float)({a}), (float)({b}))"

    def _print_Pow(self, expr) -> str:
        base, exp = expr.args
        if exp.is_integer and exp >= 0:
            return f"ipow_long({self.doprint(base)}, {self.doprint(exp)})"
        return f"pow((float)({self.doprint(base)}), (float)({self.doprint(exp)}))"

    def _print_FloorToInt(self, expr) -> str:
        return f"(long)floor((float)({self.doprint(expr.args[0])}))"

    _print_floor = _print_FloorToInt

    def _print_CeilToInt(self, expr) -> str:
        return f"(long)ceil((float)({self.doprint(expr.args[0])}))"

    _print_ceiling = _print_CeilToInt

    def _print_TruncToInt(self, expr) -> str:
        return f"(long)trunc((float)({self.doprint(expr.args[0])}))"

    def _print_RoundToInt(self, expr) -> str:
        return f"(long)rint((float)({self.doprint(expr.args[0])}))"

    def _print_OpaqueUnaryFn_sqrt(self, expr) -> str:
        return f"sqrt((float)({self.doprint(expr.args[0])}))"

