"""The op harness: PyTorch's OpInfo database drives every native op family on ocl against the
CPU, per dtype, on OpInfo's sample inputs (which include 0-dim, empty and broadcast cases) and
on non-contiguous copies of them, with the CPU fallback off; float32 gradients are compared
with the CPU's. Ops are listed by family; an op missing from the device fails here."""

import os

import pytest
import torch
from conftest import has_fp64

common = pytest.importorskip("torch.testing._internal.common_methods_invocations",
                             reason="PyTorch's OpInfo database needs expecttest and hypothesis")
from torch.testing._internal.common_utils import noncontiguous_like  # noqa: E402

# OpInfo names (name or name.variant) per family. Ops whose results are random, or whose
# outputs are not unique (sort indices of equal keys), are tested in their family files.
FAMILIES = {
    "unary": """abs acos acosh asin asinh atan atanh ceil cos cosh deg2rad erf erfc exp exp2 expm1 floor
        frac lgamma log log10 log1p log2 logical_not neg nan_to_num rad2deg reciprocal round rsqrt
        sigmoid sign sgn signbit sin sinh sqrt square tan tanh trunc bitwise_not isnan isposinf
        isneginf positive""",
    "binary": """add sub mul div.no_rounding_mode div.trunc_rounding div.floor_rounding true_divide
        floor_divide fmod remainder atan2 hypot copysign nextafter logaddexp xlogy maximum minimum
        fmax fmin max.binary min.binary eq ne lt le gt ge logical_and logical_or logical_xor
        bitwise_and bitwise_or bitwise_xor rsub __radd__ __rmul__ __rsub__ __rdiv__""",
    "ternary": "where clamp clamp_min clamp_max masked_fill addcmul addcdiv lerp",
    "activation": """nn.functional.relu nn.functional.threshold nn.functional.gelu nn.functional.silu
        nn.functional.leaky_relu nn.functional.elu nn.functional.selu nn.functional.celu
        nn.functional.softplus nn.functional.hardsigmoid""",
    "reduction": """sum mean prod amax amin max.reduction_no_dim min.reduction_no_dim all any""",
}

DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.float64, torch.int8, torch.uint8,
          torch.int16, torch.int32, torch.int64, torch.bool]
# Samples per (op, dtype): OpInfo's first ones cover the shapes that matter (0-dim, empty,
# broadcast); TORCH_OCL_OP_SAMPLES raises it.
MAX_SAMPLES = int(os.environ.get("TORCH_OCL_OP_SAMPLES", "8"))
TOL = {torch.float16: (1e-3, 1e-3), torch.bfloat16: (1.6e-2, 1e-2), torch.float32: (1e-5, 1e-5),
       torch.float64: (1e-7, 1e-7)}

_OPS = {(o.name + ("." + o.variant_test_name if o.variant_test_name else "")): o for o in common.op_db}


def _cases():
    out = []
    for family, names in FAMILIES.items():
        for name in names.split():
            op = _OPS[name]
            # What CUDA supports, where the CPU can give the reference.
            supported = set(op.supported_dtypes("cuda")) & set(op.supported_dtypes("cpu"))
            for dt in DTYPES:
                if dt in supported:
                    out.append(pytest.param(name, dt, id=f"{family}-{name}-{str(dt)[6:]}"))
    return out


def _to(x, dev, noncontig=False):
    if isinstance(x, torch.Tensor):
        y = x.detach()
        if noncontig and y.numel() > 1:
            y = noncontiguous_like(y)
        y = y.to(dev)
        return y.requires_grad_(x.requires_grad) if x.requires_grad else y
    if isinstance(x, (list, tuple)):
        return type(x)(_to(v, dev, noncontig) for v in x)
    if isinstance(x, dict):
        return {k: _to(v, dev, noncontig) for k, v in x.items()}
    return x


def _flat(out):
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in _flat(o)]
    return []


def _compare(actual, expected, what):
    for a, e in zip(_flat(actual), _flat(expected), strict=True):
        assert a.device.type == "ocl", what
        rtol, atol = TOL.get(e.dtype, (0, 0))  # by the result's dtype (sin of an int is float)
        torch.testing.assert_close(a.cpu(), e, rtol=rtol, atol=atol, equal_nan=True,
                                   msg=lambda m: f"{what}: {m}")


def _samples(op, dtype, requires_grad=False):
    return list(op.sample_inputs("cpu", dtype, requires_grad=requires_grad))[:MAX_SAMPLES]


@pytest.mark.parametrize("name,dtype", _cases())
def test_op_matches_cpu(name, dtype, dev, native_only):
    if dtype == torch.float64 and not has_fp64():
        pytest.skip("the device has no cl_khr_fp64")
    op = _OPS[name]
    samples = _samples(op, dtype)
    assert samples, f"OpInfo gave no samples for {name} {dtype}"
    for i, s in enumerate(samples):
        expected = op(s.input, *s.args, **s.kwargs)
        for noncontig in (False, True):
            args = _to([s.input, *s.args], dev, noncontig)
            actual = op(args[0], *args[1:], **_to(s.kwargs, dev, noncontig))
            _compare(actual, expected, f"{name} sample {i} {s} noncontig={noncontig}")


def _grad_cases():
    return [p for p in _cases() if p.values[1] == torch.float32 and _OPS[p.values[0]].supports_autograd]


@pytest.mark.parametrize("name,dtype", _grad_cases())
def test_op_grad_matches_cpu(name, dtype, dev, native_only):
    op = _OPS[name]
    for i, s in enumerate(_samples(op, dtype, requires_grad=True)[:4]):
        cpu_in = [t for t in _flat([s.input, *s.args, s.kwargs.values()]) if t.requires_grad]
        if not cpu_in:
            continue
        outs = [o for o in _flat(op(s.input, *s.args, **s.kwargs)) if o.requires_grad]
        if not outs:
            continue
        weights = [torch.randn_like(o) for o in outs]
        cpu_grads = torch.autograd.grad(outs, cpu_in, weights, allow_unused=True)

        args = _to([s.input, *s.args], dev)
        kwargs = _to(s.kwargs, dev)
        ocl_in = [t for t in _flat([args, kwargs.values()]) if t.requires_grad]
        ocl_outs = [o for o in _flat(op(args[0], *args[1:], **kwargs)) if o.requires_grad]
        ocl_grads = torch.autograd.grad(ocl_outs, ocl_in, [w.to(dev) for w in weights], allow_unused=True)
        for j, (g, e) in enumerate(zip(ocl_grads, cpu_grads, strict=True)):
            assert (g is None) == (e is None), f"{name} sample {i} grad {j}"
            if g is not None:
                torch.testing.assert_close(g.cpu(), e, rtol=1e-4, atol=1e-5, equal_nan=True,
                                           msg=lambda m: f"{name} sample {i} grad {j}: {m}")

