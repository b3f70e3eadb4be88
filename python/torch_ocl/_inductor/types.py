"""How each dtype is stored in, loaded from, stored to and computed in OpenCL C (the same
conventions as the eager pointwise generator: half through vload_half/vstore_half_rte,
bfloat16 as ushort bits, bool as uchar, both 16-bit types computed in float)."""

import math

import torch

# Type of a value while computing.
COMPUTE = {
    torch.bool: "bool",
    torch.int8: "char",
    torch.uint8: "uchar",
    torch.int16: "short",
    torch.int32: "int",
    torch.int64: "long",
    torch.float16: "float",
    torch.bfloat16: "float",
    torch.float32: "float",
    torch.float64: "double",
}

# Element type of a kernel's pointer argument.
STORAGE = {**COMPUTE, torch.bool: "uchar", torch.float16: "half", torch.bfloat16: "ushort"}

# Identity values of max/min reductions per compute type.
LOWEST = {"char": "CHAR_MIN", "uchar": "0", "short": "SHRT_MIN", "int": "INT_MIN", "long": "LONG_MIN", "bool": "false"}
HIGHEST = {"char": "CHAR_MAX", "uchar": "UCHAR_MAX", "short": "SHRT_MAX", "int": "INT_MAX", "long": "LONG_MAX", "bool": "true"}


class Unsupported(NotImplementedError):
    """Something this backend cannot generate yet."""


def compute_dtype(dtype: torch.dtype) -> torch.dtype:
    """The dtype a value of dtype is computed in: float for the 16-bit floats."""
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype


def compute_type(dtype: torch.dtype) -> str:
    try:
        return COMPUTE[dtype]
    except KeyError:
        raise Unsupported(f"[ocl::compile] dtype {dtype} is not supported in generated kernels") from None


def storage_type(dtype: torch.dtype) -> str:
    try:
        return STORAGE[dtype]
    except KeyError:
        raise Unsupported(f"[ocl::compile] dtype {dtype} is not supported in generated kernels") from None


def load(dtype: torch.dtype, ptr: str, idx: str) -> str:
    """Element idx of ptr as its compute type."""
    if dtype == torch.float16:
        return f"vload_half({idx}, {ptr})"
    if dtype == torch.bfloat16:
        return f"bf16_to_float({ptr}[{idx}])"
    if dtype == torch.bool:
        return f"({ptr}[{idx}] != 0)"
    return f"{ptr}[{idx}]"


def store(dtype: torch.dtype, ptr: str, idx: str, value: str) -> str:
    if dtype == torch.float16:
        return f"vstore_half_rte((float)({value}), {idx}, {ptr});"
    if dtype == torch.bfloat16:
        return f"{ptr}[{idx}] = float_to_bf16((float)({value}));"
    if dtype == torch.bool:
        return f"{ptr}[{idx}] = (uchar)(({value}) != 0);"
    return f"{ptr}[{idx}] = ({storage_type(dtype)})({value});"


def cast(value: str, dtype: torch.dtype, src: torch.dtype | None) -> str:
    """value (of src's compute type) converted to dtype's compute type, with PyTorch's rounding
    for 16-bit floats and float -> small-integer conversion through long."""
    if dtype == torch.bool:
        return f"(({value}) != 0)"
    if dtype == torch.float16:
        return f"round_to_half((float)({value}))"
    if dtype == torch.bfloat16:
        return f"round_to_bf16((float)({value}))"
    t = compute_type(dtype)
    if src is not None and src.is_floating_point and not dtype.is_floating_point and t != "long":
        return f"({t})(long)({value})"
    return f"({t})({value})"


def literal(value, dtype: torch.dtype) -> str:
    """A constant as an OpenCL C literal of dtype's compute type."""
    if isinstance(value, str):  # already an expression
        return value
    if dtype == torch.bool:
        return "true" if value else "false"
    if dtype.is_floating_point:
        value = float(value)
        f = "" if dtype == torch.float64 else "f"
        if math.isnan(value):
            return "NAN" if f else "(double)NAN"
        if math.isinf(value):
            s = "INFINITY" if f else "(double)INFINITY"
            return s if value > 0 else f"(-{s})"
        return f"{value!r}{f}" if f else repr(value)
    value = int(value)
    t = compute_type(dtype)
    if value == -(2**63):
        return "LONG_MIN"
    return f"(({t}){value}L)"
